"""Themes serializers: the query and the documented output shape."""

from __future__ import annotations

from rest_framework import serializers

from feedback.ids import MAX_ID


class ThemesQuerySerializer(serializers.Serializer):
    since = serializers.DateTimeField(
        required=False, help_text="Evidence from this time on (default: the last 30 days)."
    )
    unit = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    tool = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)


class ThemeEvidenceSerializer(serializers.Serializer):
    observations = serializers.ListField(child=serializers.IntegerField())
    comments = serializers.ListField(child=serializers.IntegerField())
    ratings = serializers.ListField(child=serializers.IntegerField())


class UnitCountSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class ThemeExampleSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    text = serializers.CharField()


class ThemeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField(  # type: ignore[assignment]
        help_text="The theme's most distinctive words, from its evidence."
    )
    size = serializers.IntegerField()
    evidence = ThemeEvidenceSerializer()
    by_unit = UnitCountSerializer(many=True)
    by_role = serializers.DictField(child=serializers.IntegerField())
    patient_safety = serializers.IntegerField()
    example = ThemeExampleSerializer()


class ThemesSerializer(serializers.Serializer):
    computed_at = serializers.DateTimeField(allow_null=True)
    since = serializers.DateTimeField()
    model = serializers.CharField(allow_null=True)
    themes = ThemeSerializer(many=True)
