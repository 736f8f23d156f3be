"""Serializers: the append-only audit log (admins)."""

from __future__ import annotations

from rest_framework import serializers

from feedback.models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_name",
            "action",
            "object_type",
            "object_id",
            "detail",
            "ip",
            "user_agent",
            "prev_hash",
            "hash",
        ]


class AuditVocabularySerializer(serializers.Serializer):
    actions = serializers.ListField(child=serializers.CharField())
    object_types = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="[{value: 'feedback.unit', label: 'unit'}, ...]",
    )
