"""Backlog serializers: input shapes and the documented output shapes."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from feedback.ids import MAX_ID
from feedback.models import Tool, Workflow
from feedback.models.backlog import STATUSES

# The largest id any supported database's integer key holds; larger ones are a 400, not a crash.


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


SIMILAR_KINDS = ("backlog", "observation", "comment", "rating")


class SimilarQuerySerializer(serializers.Serializer):
    """What to compare (`text`, or one stored piece of evidence by id) and what to search."""

    text = serializers.CharField(max_length=5000, required=False, trim_whitespace=True)
    observation = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    comment = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    rating = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    kind = serializers.CharField(
        required=False,
        default="backlog",
        help_text="comma-separated: backlog, observation, comment, rating; or all",
    )
    limit = serializers.IntegerField(min_value=1, max_value=50, required=False, default=10)

    def validate_kind(self, value: str) -> list[str]:
        kinds = list(SIMILAR_KINDS) if value == "all" else [k for k in value.split(",") if k]
        unknown = sorted(set(kinds) - set(SIMILAR_KINDS))
        if unknown or not kinds:
            raise serializers.ValidationError(
                f"Use one or more of {', '.join(SIMILAR_KINDS)} (comma-separated), or all."
            )
        return list(dict.fromkeys(kinds))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [k for k in ("text", "observation", "comment", "rating") if attrs.get(k)]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"text": ["Pass ?text= (1-5000 characters), or one evidence id "
                          "(?observation=, ?comment= or ?rating=)."]}
            )  # fmt: skip
        return attrs


class SimilarSerializer(BacklogItemSerializer):
    """A backlog result has every backlog field; an evidence result has `kind`, `id`, `text`,
    `similarity` and the fields of its kind."""

    kind = serializers.ChoiceField(choices=list(SIMILAR_KINDS))
    similarity = serializers.FloatField()
    text = serializers.CharField(required=False)
    unit = serializers.IntegerField(required=False, allow_null=True)
    severity = serializers.IntegerField(required=False)
    session = serializers.IntegerField(required=False)
    screen = serializers.IntegerField(required=False)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        backlog_only = set(BacklogItemSerializer().get_fields()) - {"id", "created_at", "tool"}
        for name in backlog_only:
            fields[name].required = False
        return fields
