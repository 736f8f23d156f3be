"""Serializers for the foundation resources: users, reference data, notifications, audit."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from feedback.models import ROLES, AuditEntry, Notification, Tool, Unit, User, Workflow


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "roles"]

    def get_roles(self, obj: User) -> list[str]:
        return obj.role_names()


class UserSerializer(MeSerializer):
    class Meta(MeSerializer.Meta):
        fields = ["id", "username", "display_name", "roles", "is_active", "date_joined"]


class UserCreateSerializer(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    password = serializers.CharField(max_length=256, write_only=True, trim_whitespace=False)
    display_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=ROLES), required=False, max_length=4
    )


class UserUpdateSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=ROLES), required=False, max_length=4
    )
    is_active = serializers.BooleanField(required=False)


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


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "data", "created_at", "read_at"]


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=1000)


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
        ]


class ErrorSerializer(serializers.Serializer):
    """The shape of every error body (for the OpenAPI schema)."""

    code = serializers.CharField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )

    def to_representation(self, instance: Any) -> Any:
        return instance
