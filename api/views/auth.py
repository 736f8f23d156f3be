"""Sign-in: API tokens, PWA session login/logout, the CSRF cookie, and who am I."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, login, logout
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_protect, ensure_csrf_cookie
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.auth import (
    check_login_allowed,
    clear_login_failures,
    record_login_failure,
    token_expires_at,
    token_issue,
    tokens_revoke,
)
from api.context import actor_from_request
from api.serializers.auth import (
    CredentialsSerializer,
    MeSerializer,
    ProviderSerializer,
    TokenSerializer,
)
from api.sso import local_login_allowed, providers
from feedback.context import Actor
from feedback.errors import Forbidden, ValidationFailed
from feedback.services.audit import audit_record


def _authenticate(request: Request) -> Any:
    data = CredentialsSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    username = data.validated_data["username"]
    if not local_login_allowed(username):
        raise Forbidden(
            "Password sign-in is limited to break-glass accounts here; use single sign-on."
        )
    check_login_allowed(username)
    user = authenticate(request, username=username, password=data.validated_data["password"])
    if user is None:
        record_login_failure(username)
        raise ValidationFailed(
            "Wrong username or password; check both and try again.",
            errors={"non_field_errors": ["Unable to log in with the provided credentials."]},
        )
    clear_login_failures(username)
    return user


class TokenView(APIView):
    """POST: credentials for a token (no other auth consulted, so no CSRF); DELETE: revoke the
    caller's own token (authenticated by it, or by the session)."""

    permission_classes = [AllowAny]

    def get_authenticators(self) -> list[Any]:
        if getattr(self.request, "method", None) == "POST":
            return []
        return super().get_authenticators()

    @extend_schema(request=CredentialsSerializer, responses={200: TokenSerializer})
    def post(self, request: Request) -> Response:
        user = _authenticate(request)
        token = token_issue(user)
        audit_record(
            actor=Actor(user, *_where(request)),
            action="login",
            obj=user,
            detail={"method": "token"},
        )
        return Response({"token": token.key, "expires_at": token_expires_at(token)})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        revoked = tokens_revoke(request.user)
        audit_record(
            actor=actor_from_request(request),
            action="delete",
            object_type="authtoken.token",
            object_id=request.user.pk,
            detail={"revoked": revoked, "by": "self"},
        )
        return Response(status=204)


def _where(request: Request) -> tuple[str | None, str]:
    actor = actor_from_request(request)
    return actor.ip, actor.user_agent


@method_decorator(csrf_protect, name="dispatch")
class LoginView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(request=CredentialsSerializer, responses={200: MeSerializer})
    def post(self, request: Request) -> Response:
        user = _authenticate(request)
        login(request._request, user)
        audit_record(
            actor=Actor(user, *_where(request)),
            action="login",
            obj=user,
            detail={"method": "session"},
        )
        return Response(MeSerializer(user).data)


class LogoutView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        logout(request._request)
        return Response(status=204)


@method_decorator(ensure_csrf_cookie, name="dispatch")
class CsrfView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(responses={200: inline_serializer("Csrf", {"csrf": serializers.BooleanField()})})
    def get(self, request: Request) -> Response:
        return Response({"csrf": True})


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeSerializer})
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)


class ProvidersView(APIView):
    """The sign-in screen's choices: each configured SSO provider, then local passwords."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(responses={200: ProviderSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response(providers())
