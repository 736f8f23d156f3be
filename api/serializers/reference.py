"""Serializers: reference data: care units, workflows, AI tools."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from feedback.models import Tool, Unit, Workflow


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "site"]
        validators: list[Any] = []  # uniqueness is the database's job: a clash answers 409


class WorkflowSerializer(serializers.ModelSerializer):
    class Meta:
        model = Workflow
        fields = ["id", "name", "description"]
        extra_kwargs = {"name": {"validators": []}}


class ToolSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tool
        fields = ["id", "name", "description"]
        extra_kwargs = {"name": {"validators": []}}
