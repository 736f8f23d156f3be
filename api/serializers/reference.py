"""Serializers: reference data: care units, workflows, AI tools."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from feedback.models import ModelVersion, Tool, Unit, Workflow


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "site"]
        validators: list[Any] = []  # uniqueness is the database's job: a clash answers 409


class WorkflowSerializer(serializers.ModelSerializer):
    class Meta:
        model = Workflow
        fields = ["id", "name", "description"]
        extra_kwargs: dict[str, Any] = {"name": {"validators": []}}


class ToolSerializer(serializers.ModelSerializer):
    model_card = serializers.DictField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False),
        required=False,
        help_text="CHAI applied model card fields (docs/model-cards.md), each a text.",
    )
    versions = serializers.SerializerMethodField()

    class Meta:
        model = Tool
        fields = ["id", "name", "description", "model_card", "versions"]
        extra_kwargs: dict[str, Any] = {"name": {"validators": []}}

    def get_versions(self, tool: Tool) -> list[str]:
        return [v.version for v in tool.versions.all()]


class ModelVersionSerializer(serializers.ModelSerializer):
    model_card = serializers.DictField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False), required=False
    )

    class Meta:
        model = ModelVersion
        fields = ["id", "tool", "version", "released_at", "notes", "model_card", "created_at"]
        read_only_fields = ["id", "tool", "created_at"]
        validators: list[Any] = []
