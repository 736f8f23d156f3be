"""Serializers: user administration (admins)."""

from __future__ import annotations

from rest_framework import serializers

from feedback.models import ROLES, User


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "roles",
            "is_active",
            "date_joined",
            "last_login",
        ]

    def get_roles(self, obj: User) -> list[str]:
        return obj.role_names()


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


class PermissionSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()


class RoleSerializer(serializers.Serializer):
    name = serializers.CharField()
    permissions = PermissionSerializer(many=True)
