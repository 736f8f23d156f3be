"""Pagination: cursor pages everywhere (stable under inserts, no COUNT per page), and the backlog's
keyset pages on priority."""

from __future__ import annotations

import base64
import binascii
import json
import math
from typing import Any

from django.db.models import Q, QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination, CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from feedback.ids import MAX_ID


class Cursor(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


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
