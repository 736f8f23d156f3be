"""Serializers: retention policy, legal holds, purge runs, and per-person export/erase (admins)."""

from __future__ import annotations

from rest_framework import serializers

from feedback.models import LegalHold, RetentionPolicy, RetentionRun, Unit, User
from feedback.models.lifecycle import DEFAULT_DAYS


class RetentionSerializer(serializers.ModelSerializer):
    class Meta:
        model = RetentionPolicy
        fields = [*DEFAULT_DAYS, "updated_at"]
        read_only_fields = ["updated_at"]


class RetentionUpdateSerializer(serializers.Serializer):
    """Shape only (whole numbers); the ranges are the service's rule."""

    observations_days = serializers.IntegerField(required=False)
    photos_days = serializers.IntegerField(required=False)
    ratings_days = serializers.IntegerField(required=False)
    comments_days = serializers.IntegerField(required=False)
    notifications_days = serializers.IntegerField(required=False)
    audit_days = serializers.IntegerField(required=False, help_text="At least 2190 (six years).")


class LegalHoldSerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    person = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    name = serializers.CharField(max_length=120, help_text="A matter reference, not a name.")

    class Meta:
        model = LegalHold
        fields = [
            "id",
            "name",
            "unit",
            "person",
            "created_from",
            "created_until",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["id", "created_by", "created_at"]


class RetentionRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = RetentionRun
        fields = [
            "id",
            "started_at",
            "finished_at",
            "trigger",
            "deleted",
            "held",
            "audit_through_id",
        ]


class EraseResultSerializer(serializers.Serializer):
    erased = serializers.IntegerField()
    attributed_to = serializers.IntegerField()
    reassigned = serializers.DictField(child=serializers.IntegerField())
    sessions_ended = serializers.IntegerField()


class RevokeResultSerializer(serializers.Serializer):
    revoked_tokens = serializers.IntegerField()
    ended_sessions = serializers.IntegerField()
