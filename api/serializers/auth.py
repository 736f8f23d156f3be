"""Serializers: sign-in, API tokens and the caller's own profile."""

from __future__ import annotations

from rest_framework import serializers

from feedback import roles
from feedback.models import User


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField(
        help_text="When the token stops working (ROUNDS_TOKEN_TTL_DAYS after it was issued)."
    )


class ProviderSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["oidc", "saml", "local"])
    login_url = serializers.CharField(
        help_text="SSO: POST here (with the CSRF token) to start the sign-in redirect."
    )


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField(
        help_text="Names from feedback/roles.py that this user holds; the PWA shows areas by them."
    )

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "roles", "permissions"]

    def get_roles(self, obj: User) -> list[str]:
        return obj.role_names()

    def get_permissions(self, obj: User) -> list[str]:
        return roles.permissions_of(obj)
