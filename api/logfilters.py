"""Logging filter that strips API and guest tokens from anything logged (query strings)."""

from __future__ import annotations

import logging
import re

_TOKEN_RE = re.compile(r"((?:token|guest)=)[^&\s\"']+", re.IGNORECASE)


def redact(text: str) -> str:
    return _TOKEN_RE.sub(r"\1[REDACTED]", text)


class RedactQueryTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
