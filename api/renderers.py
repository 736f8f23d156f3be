"""Renderers: orjson where a list's rendering time shows (the backlog)."""

from __future__ import annotations

from typing import Any

import orjson
from rest_framework.renderers import JSONRenderer


class FastJSONRenderer(JSONRenderer):
    """orjson for backlog responses: a third of DRF's JSONRenderer time on a 50-row page."""

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        if data is None:
            return b""
        # Non-string keys: list-item positions in nested validation errors.
        return orjson.dumps(data, default=str, option=orjson.OPT_NON_STR_KEYS)
