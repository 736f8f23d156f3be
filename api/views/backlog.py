"""Backlog API: list/detail/create/patch, evidence, merge, follow, similar and CSV export."""

from __future__ import annotations

import base64
import binascii
import csv
import itertools
import json
import math
from collections.abc import Iterator
from typing import Any

import orjson
from django.db.models import Q, QuerySet
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from api.context import actor_from_request, authed_user
from api.permissions import requires
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
from feedback import phi, roles
from feedback.errors import ValidationFailed
from feedback.ids import MAX_ID
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


class PriorityKeyset(BasePagination):
    """Keyset pages on (-priority, -id): no COUNT, no OFFSET, stable under inserts and deletes.

    DRF's CursorPagination keys on the first ordering field only and counts an offset through
    ties, which repeats or skips rows when equal priorities change between pages.
    """

    page_size, max_page_size, cursor_param = 50, 200, "cursor"

    def _size(self, request: Request) -> int:
        try:
            return max(1, min(int(request.query_params.get("page_size", 50)), 200))
        except ValueError:
            return self.page_size

    def _decode(self, request: Request) -> tuple[float, int, bool] | None:
        raw = request.query_params.get(self.cursor_param)
        if not raw:
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(raw.encode()))
            p, i, r = float(data["p"]), int(data["i"]), bool(data["r"])
        except (ValueError, KeyError, TypeError, binascii.Error) as exc:
            raise NotFound("Invalid cursor; start again from the first page.") from exc
        # A forged cursor must not reach the database with values no column can hold.
        if not math.isfinite(p) or not -MAX_ID <= i <= MAX_ID:
            raise NotFound("Invalid cursor; start again from the first page.")
        return p, i, r

    def _encode(self, row: dict[str, Any], reverse: bool) -> str:
        data = json.dumps({"p": row["priority"], "i": row["id"], "r": reverse})
        url = self.request.build_absolute_uri()
        return replace_query_param(
            url, self.cursor_param, base64.urlsafe_b64encode(data.encode()).decode()
        )

    def paginate_queryset(self, qs: QuerySet[Any], request: Request, view: Any = None) -> list[Any]:
        self.request, size, cursor = request, self._size(request), self._decode(request)
        if cursor is None:
            rows, self.reverse, self.has_before = list(qs[: size + 1]), False, False
        else:
            p, i, self.reverse = cursor
            if self.reverse:  # walking back: ascending from just after the cursor
                after = Q(priority__gte=p) & (Q(priority__gt=p) | Q(pk__gt=i))
                rows = list(qs.filter(after).order_by("priority", "id")[: size + 1])
            else:  # priority <= p is an index range; the OR only sorts out ties
                after = Q(priority__lte=p) & (Q(priority__lt=p) | Q(pk__lt=i))
                rows = list(qs.filter(after)[: size + 1])
            self.has_before = True
        self.has_more = len(rows) > size
        rows = rows[:size]
        self.page = rows[::-1] if self.reverse else rows
        return self.page

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"results": data, "next": self._next(), "previous": self._previous()})

    def _next(self) -> str | None:
        more = self.has_before if self.reverse else self.has_more
        return self._encode(self.page[-1], False) if more and self.page else None

    def _previous(self) -> str | None:
        more = self.has_more if self.reverse else self.has_before
        if not more:
            return None
        if not self.page:
            return remove_query_param(self.request.build_absolute_uri(), self.cursor_param)
        return self._encode(self.page[0], True)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results", "next", "previous"],
            "properties": {
                "results": schema,
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
            },
        }


class FastJSONRenderer(JSONRenderer):
    """orjson for backlog responses: a third of DRF's JSONRenderer time on a 50-row page."""

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        if data is None:
            return b""
        # Non-string keys: list-item positions in nested validation errors.
        return orjson.dumps(data, default=str, option=orjson.OPT_NON_STR_KEYS)


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


CSV_COLUMNS = [
    "id",
    "title",
    "status",
    "priority",
    "workflow",
    "tool",
    "observations",
    "ratings",
    "comments",
    "output_feedback",
    "patient_safety",
    "effort",
    "confidence",
    "created_at",
]


class _Echo:
    def write(self, value: str) -> str:
        return value


# Spreadsheets run cells starting with these as formulas (some also the full-width forms, and
# skip leading blanks, byte-order marks and zero-width spaces first): CSV injection.
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
IGNORED_LEADING = " \u00a0\ufeff\u200b"


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.lstrip(IGNORED_LEADING)[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def _csv_row(row: dict[str, Any], extra: dict[str, Any]) -> list[Any]:
    return [
        row["id"],
        _cell(row["title"]),
        row["status"],
        row["priority"],
        row["workflow_id"] or "",
        row["tool_id"] or "",
        extra["o"],
        extra["r"],
        extra["c"],
        extra["x"],
        row["patient_safety"],
        row["effort"],
        row["confidence"],
        row["created_at"].isoformat(),
    ]


def csv_lines(qs: QuerySet[Any], batch: int = 1000) -> Iterator[str]:
    """Header, then rows fetched in chunks, with counts looked up once per batch of rows."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    rows = qs.iterator(chunk_size=2000)
    while chunk := list(itertools.islice(rows, batch)):
        extras = sel.page_extras([r["id"] for r in chunk])
        yield "".join(writer.writerow(_csv_row(r, extras[r["id"]])) for r in chunk)


def _audited_filters(request: Request) -> dict[str, list[str]]:
    """The export's filters for the audit row; the free-text search is PHI-masked first."""
    params = request.query_params
    filters = {k: params.getlist(k) for k in params}
    if "q" in filters:
        filters["q"] = [phi.mask(v).text for v in filters["q"]]
    return filters


class BacklogExportView(APIView):
    """GET /api/backlog/export.csv: the filtered backlog, streamed, and the export audited."""

    permission_classes = [CanWrite]

    @extend_schema(parameters=FILTER_PARAMS, responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request: Request) -> StreamingHttpResponse:
        qs = sel.backlog_list(user=authed_user(request), filters=request.query_params)
        audit_record(
            actor=actor_from_request(request),
            action="export",
            object_type="feedback.backlogitem",
            detail={"filters": _audited_filters(request)},
        )
        response = StreamingHttpResponse(csv_lines(qs), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="backlog.csv"'
        return response
