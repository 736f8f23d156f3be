"""AI output feedback: tool keys, reporter tokens, flags from the embedded widget or scripts."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import cors
from api.context import actor_from_request, authed_user
from api.lookups import tool_or_404
from api.pagination import Cursor
from api.permissions import refusal, requires
from api.reporter import reporter_from_token, reporter_token
from api.serializers import output_feedback as s
from feedback import roles
from feedback.errors import Forbidden, NotFound, ValidationFailed
from feedback.models import ToolKey
from feedback.selectors import output_feedback as sel
from feedback.services import output_feedback as svc

KEY_HEADER = "X-Rounds-Tool-Key"
CanManageKeys = requires(roles.TOOL_KEYS)
CanReadFlags = requires(roles.OUTPUT_FEEDBACK_READ)
CanFlag = requires(roles.FLAG_OUTPUT)


class ToolKeysView(APIView):
    """GET lists a tool's keys (never the keys themselves); POST issues one, shown once."""

    permission_classes = [CanManageKeys]

    @extend_schema(responses=s.KeySerializer(many=True))
    def get(self, request: Request, tool_id: int) -> Response:
        keys = sel.tool_keys(tool_id=tool_or_404(tool_id).pk)
        return Response({"results": [sel.key_public(k) for k in keys]})

    @extend_schema(request=s.KeyCreateSerializer, responses={201: s.KeyCreatedSerializer})
    def post(self, request: Request, tool_id: int) -> Response:
        tool = tool_or_404(tool_id)
        data = s.KeyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        key, raw = svc.tool_key_issue(
            actor=actor_from_request(request),
            tool=tool,
            origins=data.validated_data["origins"],
            label=data.validated_data["label"],
        )
        return Response({**sel.key_public(key), "key": raw}, status=201)


class ToolKeyDetailView(APIView):
    permission_classes = [CanManageKeys]

    @extend_schema(responses={204: None})
    def delete(self, request: Request, tool_id: int, key_id: int) -> Response:
        key = ToolKey.objects.filter(pk=key_id, tool_id=tool_id).first()
        if key is None:
            raise NotFound("No such key for this tool.")
        svc.tool_key_revoke(actor=actor_from_request(request), key=key)
        return Response(status=204)


class ReporterTokenView(APIView):
    """A signed token saying "the caller flags outputs of this tool" for the widget's host page."""

    permission_classes = [CanFlag]

    @extend_schema(request=None, responses={201: s.ReporterTokenSerializer})
    def post(self, request: Request, tool_id: int) -> Response:
        tool = tool_or_404(tool_id)
        token, expires = reporter_token(user_id=authed_user(request).pk, tool_id=tool.pk)
        return Response({"reporter": token, "expires_at": expires.isoformat()}, status=201)


FLAG_FILTERS = [
    OpenApiParameter("model_version", OpenApiTypes.STR),
    OpenApiParameter("category", OpenApiTypes.STR),
    OpenApiParameter("harm_min", OpenApiTypes.STR, description="none|mild|moderate|severe|death"),
    OpenApiParameter("since", OpenApiTypes.DATETIME),
    OpenApiParameter("until", OpenApiTypes.DATETIME),
    OpenApiParameter("verdict", OpenApiTypes.STR),
]


class OutputFeedbackView(APIView):
    """POST: a flag, with the tool's key (widget, server) or a user's own sign-in.
    GET: the tool's flags for observers, product owners and admins. OPTIONS: CORS preflight."""

    permission_classes = [AllowAny]  # each method checks its own callers below
    cors_origin: str | None = None

    @extend_schema(exclude=True)
    def options(self, request: Request, *args: Any, **kwargs: Any) -> Response:  # type: ignore[override]
        origin = cors.request_origin(request)
        if origin and origin in sel.tool_origins(kwargs["tool_id"]):
            self.cors_origin = origin
            return Response(status=204)
        raise Forbidden(
            "This origin is not allowed to send flags for this tool; an admin can"
            " add it to the tool key's origins."
        )

    @extend_schema(parameters=FLAG_FILTERS, responses=s.FlagSerializer(many=True))
    def get(self, request: Request, tool_id: int) -> Response:
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        if not roles.allows(request.user, roles.OUTPUT_FEEDBACK_READ):
            raise exceptions.PermissionDenied(refusal(roles.OUTPUT_FEEDBACK_READ))
        qs = sel.flags_list(tool_id=tool_or_404(tool_id).pk, filters=request.query_params)
        paginator = Cursor()
        page = paginator.paginate_queryset(qs, request, view=self) or []
        return paginator.get_paginated_response([sel.flag_public(f) for f in page])

    @extend_schema(
        request=s.FlagInSerializer,
        responses={201: s.FlagSerializer, 200: s.FlagSerializer},
        parameters=[OpenApiParameter(KEY_HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER)],
    )
    def post(self, request: Request, tool_id: int) -> Response:
        key = self._key(request, tool_id)
        data = s.FlagInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        reporter = self._reporter(request, tool_id, key, v.pop("reporter"))
        v["categories"] = tuple(v["categories"])
        flag, created = svc.flag_submit(
            tool_id=tool_id, data=svc.FlagInput(**v), reporter=reporter, key=key
        )
        return Response(sel.flag_public(flag), status=201 if created else 200)

    def _key(self, request: Request, tool_id: int) -> ToolKey | None:
        """The tool key sent, checked for tool and origin; None when the caller uses its own
        sign-in. A browser request's Origin must be one the key allows."""
        raw = request.headers.get(KEY_HEADER)
        origin = cors.request_origin(request)
        if not raw:
            return None
        key = sel.active_key(raw)
        if key is None:
            raise exceptions.AuthenticationFailed(
                "Unknown or revoked tool key; ask an admin for a new one (Admin > Tools > Keys)."
            )
        if key.tool_id != tool_id:
            raise Forbidden("This key belongs to another tool; it works only for its own tool.")
        if origin is not None:
            if origin not in key.origins:
                raise Forbidden(
                    f"Origin {origin} is not allowed for this key; an admin can add"
                    " it to the key's origins."
                )
            self.cors_origin = origin
        return key

    def _reporter(self, request: Request, tool_id: int, key: ToolKey | None, token: str) -> Any:
        if token:
            user = reporter_from_token(token, tool_id=tool_id)
            if user is None:
                raise ValidationFailed(
                    "The reporter token is invalid or expired; get a fresh one from"
                    f" POST /api/tools/{tool_id}/reporter-token/ for the signed-in user.",
                    errors={"reporter": ["Invalid or expired; request a new reporter token."]},
                )
            return user
        signed_in = request.user
        if signed_in.is_authenticated:
            if not roles.allows(signed_in, roles.FLAG_OUTPUT):
                raise exceptions.PermissionDenied(refusal(roles.FLAG_OUTPUT))
            return signed_in
        if key is None:
            raise exceptions.NotAuthenticated(
                f"Send the tool's key in {KEY_HEADER}, or sign in (Authorization: Token ...)."
            )
        return None  # anonymous, limited per key

    def finalize_response(  # type: ignore[override]
        self, request: Request, response: Any, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        response = super().finalize_response(request, response, *args, **kwargs)
        origin = self.cors_origin
        if origin is None and request.method == "POST" and request.headers.get(KEY_HEADER):
            # Refusals too (revoked key, throttled), so the widget can tell the clinician why.
            candidate = cors.request_origin(request)
            if candidate and candidate in sel.tool_origins(kwargs.get("tool_id", 0)):
                origin = candidate
        if origin:
            cors.allow(response, origin)
        else:
            cors.vary(response)
        return response
