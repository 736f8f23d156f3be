"""Serializers: the one error shape every failing response has (for the OpenAPI schema)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The shape of every error body (for the OpenAPI schema)."""

    code = serializers.CharField()
    detail = serializers.CharField()
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()), required=False
    )

    def to_representation(self, instance: Any) -> Any:
        return instance
