"""Serializers: AI output feedback (flags), tool keys, reporter tokens."""

from __future__ import annotations

from rest_framework import serializers

from feedback.output_feedback import CATEGORIES, HARMS, MAX_COMMENT, VERDICTS


class KeyCreateSerializer(serializers.Serializer):
    origins = serializers.ListField(
        child=serializers.CharField(max_length=200), max_length=20, required=False, default=list
    )
    label = serializers.CharField(  # type: ignore[assignment]
        max_length=120, required=False, allow_blank=True, default=""
    )


class KeySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tool = serializers.IntegerField()
    prefix = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    origins = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)


class KeyCreatedSerializer(KeySerializer):
    key = serializers.CharField(help_text="Shown once: only its SHA-256 is stored.")


class ReporterTokenSerializer(serializers.Serializer):
    reporter = serializers.CharField()
    expires_at = serializers.DateTimeField()


class FlagInSerializer(serializers.Serializer):
    """Shapes and types; taxonomy and harm rules are the service's (feedback.output_feedback)."""

    client_id = serializers.UUIDField()
    output_ref = serializers.CharField(max_length=1000, trim_whitespace=False)
    model_version = serializers.CharField(max_length=200, trim_whitespace=False)
    verdict = serializers.CharField(max_length=40, help_text=f"One of {list(VERDICTS)}.")
    categories = serializers.ListField(
        child=serializers.CharField(max_length=40),
        max_length=len(CATEGORIES),
        required=False,
        default=list,
        help_text=f"Any of {list(CATEGORIES)}.",
    )
    harm = serializers.CharField(
        max_length=40,
        required=False,
        allow_null=True,
        default=None,
        help_text=f"AHRQ Common Formats harm scale: {list(HARMS)}.",
    )
    harm_reached = serializers.BooleanField(required=False, default=False)
    comment = serializers.CharField(
        max_length=MAX_COMMENT,
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
    )
    reporter = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="The signed reporter token of the signed-in clinician (else anonymous).",
    )


class FlagSerializer(serializers.Serializer):
    """Documents the dicts built by feedback.selectors.output_feedback.flag_public."""

    id = serializers.IntegerField()
    tool = serializers.IntegerField()
    client_id = serializers.UUIDField()
    output_ref = serializers.CharField()
    model_version = serializers.CharField()
    verdict = serializers.ChoiceField(choices=list(VERDICTS))
    categories = serializers.ListField(child=serializers.ChoiceField(choices=list(CATEGORIES)))
    harm = serializers.ChoiceField(choices=list(HARMS), allow_null=True)
    harm_reached = serializers.BooleanField()
    comment = serializers.CharField()
    phi_redacted = serializers.ListField(child=serializers.CharField())
    reporter = serializers.IntegerField(allow_null=True)
    anonymous = serializers.BooleanField()
    created_at = serializers.DateTimeField()
