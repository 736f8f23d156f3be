"""Backlog serializers: input shapes and the documented output shapes."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from feedback.models import Tool, Workflow
from feedback.models.backlog import STATUSES

# The largest id any supported database's integer key holds; larger ones are a 400, not a crash.
MAX_ID = 2**63 - 1


def id_list() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=500,
        required=False,
    )


class EvidenceInSerializer(serializers.Serializer):
    observations = id_list()
    ratings = id_list()
    comments = id_list()
    output_feedback = id_list()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not any(attrs.values()):
            raise serializers.ValidationError(
                "Send at least one of observations, ratings, comments, output_feedback."
            )
        return attrs


class BacklogWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    workflow = serializers.PrimaryKeyRelatedField(
        queryset=Workflow.objects.all(), required=False, allow_null=True
    )
    tool = serializers.PrimaryKeyRelatedField(
        queryset=Tool.objects.all(), required=False, allow_null=True
    )
    effort = serializers.IntegerField(min_value=1, max_value=5, required=False)
    confidence = serializers.FloatField(min_value=0.0, max_value=1.0, required=False)


class BacklogCreateSerializer(BacklogWriteSerializer):
    observations = id_list()
    ratings = id_list()
    comments = id_list()
    output_feedback = id_list()


class BacklogPatchSerializer(BacklogWriteSerializer):
    status = serializers.ChoiceField(choices=list(STATUSES), required=False)
    resolution_note = serializers.CharField(
        max_length=300,
        required=False,
        help_text="Required when moving to shipped or declined: one line, what was done or why"
        " not. Everyone whose evidence is linked is notified with it.",
    )


class MergeSerializer(serializers.Serializer):
    into = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class EvidenceCountsSerializer(serializers.Serializer):
    observations = serializers.IntegerField()
    ratings = serializers.IntegerField()
    comments = serializers.IntegerField()
    output_feedback = serializers.IntegerField()


class BacklogItemSerializer(serializers.Serializer):
    """Documents the dict rows built by feedback.selectors.backlog.item_row."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    workflow = serializers.IntegerField(allow_null=True)
    tool = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=list(STATUSES))
    effort = serializers.IntegerField()
    confidence = serializers.FloatField()
    priority = serializers.FloatField()
    priority_breakdown = serializers.DictField(child=serializers.FloatField())
    patient_safety = serializers.BooleanField()
    phi_redacted = serializers.ListField(child=serializers.CharField())
    merged_into = serializers.IntegerField(allow_null=True)
    resolution_note = serializers.CharField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    created_by = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    evidence_counts = EvidenceCountsSerializer()
    followers = serializers.ListField(child=serializers.IntegerField())


class EvidenceOutSerializer(serializers.Serializer):
    observations = serializers.ListField(child=serializers.DictField())
    ratings = serializers.ListField(child=serializers.DictField())
    comments = serializers.ListField(child=serializers.DictField())
    output_feedback = serializers.ListField(child=serializers.DictField())


class BacklogDetailSerializer(BacklogItemSerializer):
    evidence = EvidenceOutSerializer()


class SimilarSerializer(BacklogItemSerializer):
    similarity = serializers.FloatField()
