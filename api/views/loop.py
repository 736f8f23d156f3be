"""Closing the loop: a unit's "You said, we did" page and its printable poster."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import requires
from feedback import roles
from feedback.selectors.loop import you_said_we_did
from feedback.services.loop import poster_pdf

CanReadLoop = requires(roles.LOOP_READ)


class CountsOut(serializers.Serializer):
    observations = serializers.IntegerField()
    ratings = serializers.IntegerField()
    comments = serializers.IntegerField()


class LoopItemOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=["shipped", "declined"])
    resolution_note = serializers.CharField()
    resolved_at = serializers.DateTimeField()
    evidence_counts = CountsOut(help_text="Evidence from this unit's people.")


class LoopUnitOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    site = serializers.CharField()


class LoopPageOut(serializers.Serializer):
    unit = LoopUnitOut()
    generated_at = serializers.DateTimeField()
    items = LoopItemOut(many=True)


class YouSaidWeDidView(APIView):
    permission_classes = [CanReadLoop]

    @extend_schema(responses={200: LoopPageOut})
    def get(self, request: Request, pk: int) -> Response:
        return Response(you_said_we_did(unit_id=pk))


class YouSaidWeDidPosterView(APIView):
    permission_classes = [CanReadLoop]

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: int) -> HttpResponse:
        base = settings.PUBLIC_BASE_URL or request.build_absolute_uri("/").rstrip("/")
        pdf = poster_pdf(unit_id=pk, link=f"{base}/units/{pk}/you-said-we-did")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="you-said-we-did-unit-{pk}.pdf"'
        response["Cache-Control"] = "no-cache"
        return response
