"""Logging filter that strips API and guest tokens, and free-text searches (which may hold PHI
someone typed), from anything logged: query strings in access logs above all."""

from __future__ import annotations

import logging
import re

# token/guest: credentials; q/text: search boxes (observations, backlog, export, similar items).
_TOKEN_RE = re.compile(r"(?<![\w-])((?:token|guest|q|text)=)[^&\s\"']+", re.IGNORECASE)


def redact(text: str) -> str:
    return _TOKEN_RE.sub(r"\1[REDACTED]", text)


class RedactQueryTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
