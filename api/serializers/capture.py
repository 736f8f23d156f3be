"""Capture shapes: observations (read and write), sync batches, photos and the PHI check."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from feedback.models import Observation, Photo
from feedback.models.observations import FREQUENCIES, ROLE_OBSERVED
from feedback.services.observations import MAX_BATCH


class AutoRedactionSerializer(serializers.Serializer):
    """A region filled automatically, in fractions of the displayed photo."""

    kind = serializers.ChoiceField(choices=["face", "text"])
    type = serializers.CharField(required=False, help_text="PHI type of the text (text only).")
    box = serializers.ListField(child=serializers.FloatField(), min_length=4, max_length=4)

    def to_representation(self, instance: Any) -> Any:
        return instance


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    thumb_url = serializers.SerializerMethodField()

    class Meta:
        model = Photo
        fields = ["id", "url", "web_url", "thumb_url", "width", "height", "auto_redacted"]

    auto_redacted = AutoRedactionSerializer(many=True, read_only=True)

    def get_url(self, obj: Photo) -> str:
        return obj.full.url

    def get_web_url(self, obj: Photo) -> str:
        return obj.web.url

    def get_thumb_url(self, obj: Photo) -> str:
        return obj.thumb.url


class ObservationSerializer(serializers.ModelSerializer):
    """The read shape; `photos` come from a prefetch, so a page costs one extra query."""

    photos = PhotoSerializer(many=True, read_only=True)
    tags = serializers.ListField(child=serializers.CharField())
    phi_redacted = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Observation
        fields = [
            "id",
            "client_id",
            "captured_at",
            "unit",
            "workflow",
            "tool",
            "role_observed",
            "description",
            "severity",
            "frequency",
            "minutes_lost",
            "patient_safety",
            "tags",
            "observer",
            "created_at",
            "phi_redacted",
            "photos",
        ]
        read_only_fields = fields


class ObservationWriteSerializer(serializers.Serializer):
    """Documents the write shape; the service validates items (the same rules for sync)."""

    client_id = serializers.UUIDField()
    captured_at = serializers.DateTimeField()
    unit = serializers.IntegerField()
    workflow = serializers.IntegerField()
    tool = serializers.IntegerField(required=False, allow_null=True)
    role_observed = serializers.ChoiceField(choices=ROLE_OBSERVED)
    description = serializers.CharField(min_length=1, max_length=5000)
    severity = serializers.IntegerField(min_value=1, max_value=4)
    frequency = serializers.ChoiceField(choices=FREQUENCIES)
    minutes_lost = serializers.IntegerField(
        min_value=0, max_value=600, required=False, allow_null=True
    )
    patient_safety = serializers.BooleanField(required=False, default=False)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=40), max_length=10, required=False
    )


class SyncRequestSerializer(serializers.Serializer):
    observations = ObservationWriteSerializer(many=True, max_length=MAX_BATCH)  # type: ignore[call-arg]


class SyncResultSerializer(serializers.Serializer):
    client_id = serializers.CharField()
    status = serializers.ChoiceField(choices=["created", "duplicate", "conflict", "rejected"])
    id = serializers.IntegerField(required=False)
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(), required=False
    )


class SyncResponseSerializer(serializers.Serializer):
    results = SyncResultSerializer(many=True)


class PhotoUploadSerializer(serializers.Serializer):
    image = serializers.FileField()
    client_id = serializers.UUIDField()
    redact = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="JSON list of [x, y, w, h] fractions of the displayed photo.",
    )


class PhotoCheckSerializer(serializers.Serializer):
    image = serializers.FileField()


class PhotoCheckResultSerializer(serializers.Serializer):
    auto_redacted = AutoRedactionSerializer(many=True)

    def to_representation(self, instance: Any) -> Any:
        return instance


class StrictCharField(serializers.CharField):
    """A string only: DRF's CharField would quietly turn 5 or 1.5 into "5" or "1.5"."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class PhiCheckSerializer(serializers.Serializer):
    text = StrictCharField(max_length=20000, allow_blank=True, trim_whitespace=False)


class PhiSpanSerializer(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    type = serializers.CharField()


class PhiCheckResultSerializer(serializers.Serializer):
    masked = serializers.CharField()
    spans = PhiSpanSerializer(many=True)

    def to_representation(self, instance: Any) -> Any:
        return instance
