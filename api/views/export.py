"""GET /api/backlog/export.csv: the filtered backlog as CSV, streamed, the export audited."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from api.context import actor_from_request, authed_user
from api.views.backlog import FILTER_PARAMS, CanWrite
from feedback import phi
from feedback.selectors import backlog as sel
from feedback.services.audit import audit_record

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
