"""Data lifecycle (admins): retention, legal holds, purge runs, per-person export, erasure and
token revocation."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.auth import tokens_revoke
from api.context import actor_from_request
from api.permissions import IsAdmin
from api.serializers.lifecycle import (
    EraseResultSerializer,
    LegalHoldSerializer,
    RetentionRunSerializer,
    RetentionSerializer,
    RetentionUpdateSerializer,
    RevokeResultSerializer,
)
from feedback.models import LegalHold, RetentionRun, User
from feedback.services import people, retention
from feedback.services.audit import audit_record


class RetentionView(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(responses={200: RetentionSerializer})
    def get(self, request: Request) -> Response:
        return Response(RetentionSerializer(retention.retention_policy()).data)

    @extend_schema(request=RetentionUpdateSerializer, responses={200: RetentionSerializer})
    def put(self, request: Request) -> Response:
        data = RetentionUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        policy = retention.retention_update(
            actor=actor_from_request(request), days=dict(data.validated_data)
        )
        return Response(RetentionSerializer(policy).data)


class RetentionRunListView(ListAPIView):
    permission_classes = [IsAdmin]
    serializer_class = RetentionRunSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[RetentionRun]:
        return RetentionRun.objects.all()


class LegalHoldViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsAdmin]
    serializer_class = LegalHoldSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[LegalHold]:
        return LegalHold.objects.all()

    def create(self, request: Request) -> Response:
        data = LegalHoldSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hold = retention.legal_hold_create(actor=actor_from_request(request), **data.validated_data)
        return Response(LegalHoldSerializer(hold).data, status=201)

    def destroy(self, request: Request, pk: str | None = None) -> Response:
        hold = self.get_object()
        retention.legal_hold_release(actor=actor_from_request(request), hold_id=hold.pk)
        return Response(status=204)


class PersonExportView(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, pk: int) -> Response:
        user = get_object_or_404(User, pk=pk)
        data = people.person_export(user=user)
        audit_record(
            actor=actor_from_request(request),
            action="export",
            obj=user,
            detail={"kind": "person_export"},
        )
        response = Response(data)
        response["Content-Disposition"] = f'attachment; filename="rounds-person-{user.pk}.json"'
        return response


class PersonEraseView(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(request=None, responses={200: EraseResultSerializer})
    def post(self, request: Request, pk: int) -> Response:
        user = get_object_or_404(User, pk=pk)
        return Response(people.person_erase(actor=actor_from_request(request), user=user))


class RevokeTokensView(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(request=None, responses={200: RevokeResultSerializer})
    def post(self, request: Request, pk: int) -> Response:
        user = get_object_or_404(User, pk=pk)
        revoked = tokens_revoke(user)
        ended = people.end_sessions(user)
        audit_record(
            actor=actor_from_request(request),
            action="delete",
            object_type="authtoken.token",
            object_id=user.pk,
            detail={"revoked": revoked, "sessions_ended": ended, "by": "admin"},
        )
        return Response({"revoked_tokens": revoked, "ended_sessions": ended})
