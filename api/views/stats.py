"""Dashboard statistics: pain points over time and tool ratings by screen version."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.context import authed_user
from api.permissions import requires
from feedback import roles
from feedback.errors import NotFound
from feedback.models import Tool
from feedback.selectors.instruments import tool_instruments
from feedback.selectors.stats import (
    BUCKET_DAYS,
    BY_FIELDS,
    PainQuery,
    flag_stats,
    pain_points,
    tool_ratings,
    version_comparison,
)

CanSeeStats = requires(roles.STATS_READ)


class PainPointsQuery(serializers.Serializer):
    by = serializers.ChoiceField(choices=sorted(BY_FIELDS), default="workflow")
    bucket = serializers.ChoiceField(choices=sorted(BUCKET_DAYS), default="week")
    since = serializers.DateField(required=False, help_text="First day included (ISO date).")
    until = serializers.DateField(required=False, help_text="Last day included (ISO date).")


class PointOut(serializers.Serializer):
    t = serializers.DateField(help_text="Start of the bucket (weeks start on Monday).")
    count = serializers.IntegerField()
    safety = serializers.IntegerField(help_text="Of which flagged patient_safety.")


class SeriesOut(serializers.Serializer):
    key = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]
    points = PointOut(many=True)


class PainPointsOut(serializers.Serializer):
    by = serializers.CharField()
    bucket = serializers.CharField()
    since = serializers.DateField()
    until = serializers.DateField()
    series = SeriesOut(many=True)


class RatingsQuery(serializers.Serializer):
    tool = serializers.IntegerField(min_value=1)


class ScreenStatsOut(serializers.Serializer):
    screen = serializers.IntegerField()
    title = serializers.CharField()
    version = serializers.CharField()
    count = serializers.IntegerField()
    means = serializers.DictField(child=serializers.FloatField())


class RatingsOut(serializers.Serializer):
    tool = serializers.IntegerField()
    screens = ScreenStatsOut(many=True)


class PainPointsView(APIView):
    permission_classes = [CanSeeStats]

    @extend_schema(parameters=[PainPointsQuery], responses={200: PainPointsOut})
    def get(self, request: Request) -> Response:
        params = PainPointsQuery(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = pain_points(user=authed_user(request), query=PainQuery(**params.validated_data))
        return Response(PainPointsOut(data).data)


class RatingsView(APIView):
    permission_classes = [CanSeeStats]

    @extend_schema(parameters=[RatingsQuery], responses={200: RatingsOut})
    def get(self, request: Request) -> Response:
        params = RatingsQuery(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = tool_ratings(user=authed_user(request), tool_id=params.validated_data["tool"])
        return Response(RatingsOut(data).data)


class FlagVersionOut(serializers.Serializer):
    model_version = serializers.CharField()
    count = serializers.IntegerField()
    helpful = serializers.IntegerField()
    not_helpful = serializers.IntegerField()
    categories = serializers.DictField(child=serializers.IntegerField())
    harm = serializers.DictField(child=serializers.IntegerField())
    harm_reached = serializers.IntegerField()
    recent_not_helpful = serializers.IntegerField(help_text="In the burst window.")
    burst = serializers.BooleanField()
    first_at = serializers.DateTimeField()
    last_at = serializers.DateTimeField()


class BurstRuleOut(serializers.Serializer):
    count = serializers.IntegerField()
    minutes = serializers.IntegerField()


class FlagStatsOut(serializers.Serializer):
    tool = serializers.IntegerField()
    burst_rule = BurstRuleOut()
    versions = FlagVersionOut(many=True)


class OutputFeedbackStatsView(APIView):
    permission_classes = [requires(roles.OUTPUT_FEEDBACK_READ)]

    @extend_schema(parameters=[RatingsQuery], responses={200: FlagStatsOut})
    def get(self, request: Request) -> Response:
        params = RatingsQuery(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response(FlagStatsOut(flag_stats(tool_id=params.validated_data["tool"])).data)


class VersionRatingsOut(serializers.Serializer):
    count = serializers.IntegerField()
    means = serializers.DictField(child=serializers.FloatField())


class VersionOut(serializers.Serializer):
    model_version = serializers.CharField()
    registered = serializers.BooleanField(help_text="Listed in /api/tools/{id}/versions/.")
    released_at = serializers.DateField(allow_null=True)
    notes = serializers.CharField()
    screens = serializers.IntegerField()
    ratings = VersionRatingsOut()
    flags = FlagVersionOut()


class VersionsOut(serializers.Serializer):
    tool = serializers.IntegerField()
    versions = VersionOut(many=True)
    unversioned_ratings = serializers.IntegerField()


class VersionsView(APIView):
    """The tool's model versions side by side: ratings and flags per version."""

    permission_classes = [CanSeeStats]

    @extend_schema(parameters=[RatingsQuery], responses={200: VersionsOut})
    def get(self, request: Request) -> Response:
        params = RatingsQuery(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response(VersionsOut(version_comparison(tool_id=params.validated_data["tool"])).data)


class InstrumentsView(APIView):
    """Questionnaire results over every session of a tool: score, n, 95% CI, by role and unit."""

    permission_classes = [CanSeeStats]

    @extend_schema(parameters=[RatingsQuery], responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        params = RatingsQuery(data=request.query_params)
        params.is_valid(raise_exception=True)
        tool_id = params.validated_data["tool"]
        if not Tool.objects.filter(pk=tool_id).exists():
            raise NotFound("No such tool; pick one from /api/tools/.")
        return Response({"tool": tool_id, "instruments": tool_instruments(tool_id=tool_id)})
