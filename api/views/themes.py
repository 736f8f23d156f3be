"""Themes API: clusters of recent evidence, narrowed to what the caller may see."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.context import authed_user
from api.permissions import requires
from api.serializers.themes import ThemesQuerySerializer, ThemesSerializer
from feedback import roles
from feedback.errors import ValidationFailed
from feedback.selectors.themes import themes_for


class ThemesView(APIView):
    permission_classes = [requires(roles.THEMES_READ)]

    @extend_schema(parameters=[ThemesQuerySerializer], responses={200: ThemesSerializer})
    def get(self, request: Request) -> Response:
        query = ThemesQuerySerializer(data=request.query_params)
        if not query.is_valid():
            raise ValidationFailed("Check the since, unit and tool filters.", errors=query.errors)
        found = themes_for(
            user=authed_user(request),
            since=query.validated_data.get("since"),
            unit=query.validated_data.get("unit"),
            tool=query.validated_data.get("tool"),
        )
        return Response(ThemesSerializer(found).data)
