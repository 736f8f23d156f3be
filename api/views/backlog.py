"""Backlog API: list/detail/create/patch, evidence, merge, follow and similar (CSV export:
api/views/export.py)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.context import actor_from_request, authed_user
from api.pagination import PriorityKeyset
from api.permissions import requires
from api.renderers import FastJSONRenderer
from api.serializers.backlog import (
    BacklogCreateSerializer,
    BacklogDetailSerializer,
    BacklogItemSerializer,
    BacklogPatchSerializer,
    EvidenceInSerializer,
    MergeSerializer,
    SimilarQuerySerializer,
    SimilarSerializer,
)
from feedback import roles
from feedback.errors import ValidationFailed
from feedback.models import BacklogItem
from feedback.selectors import backlog as sel
from feedback.selectors import similar as similar_sel
from feedback.services import backlog as svc
from feedback.services.audit import audit_record

# Any role may read; what each one sees is narrowed by sel.backlog_visible (clinicians: followed).
CanRead = requires(roles.BACKLOG_FOLLOW)
CanWrite = requires(roles.TRIAGE)
EVIDENCE_KEYS = ("observations", "ratings", "comments", "output_feedback")

FILTER_PARAMS = [
    OpenApiParameter("status", OpenApiTypes.STR, many=True, description="repeat or comma-join"),
    OpenApiParameter("workflow", OpenApiTypes.INT),
    OpenApiParameter("unit", OpenApiTypes.INT, description="items with an observation there"),
    OpenApiParameter("tool", OpenApiTypes.INT),
    OpenApiParameter("patient_safety", OpenApiTypes.BOOL),
    OpenApiParameter("q", OpenApiTypes.STR, description="text in title or description"),
    OpenApiParameter("min_priority", OpenApiTypes.NUMBER),
]


def _evidence(data: dict[str, Any]) -> dict[str, list[int]]:
    return {k: data.pop(k) for k in EVIDENCE_KEYS if k in data}


@extend_schema(parameters=FILTER_PARAMS)
class BacklogViewSet(viewsets.GenericViewSet):
    pagination_class = PriorityKeyset
    renderer_classes = [FastJSONRenderer]
    serializer_class = BacklogItemSerializer
    filter_backends: list[Any] = []
    queryset = BacklogItem.objects.none()

    def get_permissions(self) -> list[Any]:
        reads = ("list", "retrieve", "similar", "follow", "unfollow")
        return [CanRead() if self.action in reads else CanWrite()]

    def get_item(self) -> BacklogItem:
        return get_object_or_404(
            sel.backlog_visible(user=authed_user(self.request)), pk=self.kwargs["pk"]
        )

    def _detail(self, item_id: int, status: int = 200) -> Response:
        row = sel.backlog_row(item_id=item_id)
        row["evidence"] = sel.backlog_evidence(
            item=BacklogItem(pk=item_id), user=authed_user(self.request)
        )
        return Response(row, status=status)

    @extend_schema(responses={200: BacklogItemSerializer(many=True)})
    def list(self, request: Request) -> Response:
        qs = sel.backlog_list(user=authed_user(request), filters=request.query_params)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(sel.backlog_rows(page or []))

    @extend_schema(
        parameters=[], request=BacklogCreateSerializer, responses={201: BacklogDetailSerializer}
    )
    def create(self, request: Request) -> Response:
        data = BacklogCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        evidence = _evidence(fields)
        item = svc.backlog_create(actor=actor_from_request(request), data=fields, evidence=evidence)
        return self._detail(item.pk, status=201)

    @extend_schema(parameters=[], responses={200: BacklogDetailSerializer})
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_item()
        # The detail shows observations' text, so reading it is audited like an observation.
        audit_record(actor=actor_from_request(request), action="view", obj=item)
        return self._detail(item.pk)

    @extend_schema(
        parameters=[], request=BacklogPatchSerializer, responses={200: BacklogDetailSerializer}
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_item()
        data = BacklogPatchSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        svc.backlog_update(
            actor=actor_from_request(request), item=item, data=dict(data.validated_data)
        )
        return self._detail(item.pk)

    @extend_schema(
        parameters=[], request=EvidenceInSerializer, responses={200: BacklogDetailSerializer}
    )
    @action(detail=True, methods=["post"])
    def evidence(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_item()
        data = EvidenceInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        svc.backlog_link_evidence(
            actor=actor_from_request(request), item=item, evidence=dict(data.validated_data)
        )
        return self._detail(item.pk)

    @extend_schema(parameters=[], request=MergeSerializer, responses={200: BacklogDetailSerializer})
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_item()
        data = MergeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        into = svc.backlog_merge(
            actor=actor_from_request(request), source=item, into_id=data.validated_data["into"]
        )
        return self._detail(into.pk)

    @extend_schema(parameters=[], request=None, responses={200: BacklogItemSerializer})
    @action(detail=True, methods=["post"])
    def follow(self, request: Request, pk: str | None = None) -> Response:
        item = svc.backlog_follow(user=authed_user(request), item=self.get_item(), follow=True)
        return Response(sel.backlog_row(item_id=item.pk))

    @extend_schema(parameters=[], request=None, responses={200: BacklogItemSerializer})
    @action(detail=True, methods=["post"])
    def unfollow(self, request: Request, pk: str | None = None) -> Response:
        item = svc.backlog_follow(user=authed_user(request), item=self.get_item(), follow=False)
        return Response(sel.backlog_row(item_id=item.pk))

    @extend_schema(
        parameters=[SimilarQuerySerializer],
        responses={
            200: inline_serializer("SimilarList", {"results": SimilarSerializer(many=True)})
        },
    )
    @action(detail=False, methods=["get"])
    def similar(self, request: Request) -> Response:
        query = SimilarQuerySerializer(data=request.query_params)
        if not query.is_valid():
            raise ValidationFailed(
                "Pass ?text= (1-5000 characters) or one evidence id to look for similar items.",
                errors=query.errors,
            )
        q = query.validated_data
        source = next(((k, q[k]) for k in ("observation", "comment", "rating") if q.get(k)), None)
        matches = similar_sel.similar(
            user=authed_user(request),
            text=q.get("text"),
            source=source,
            kinds=q["kind"],
            limit=q["limit"],
        )
        return Response({"results": similar_sel.result_rows(matches)})
