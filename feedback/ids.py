"""Row ids as every interface accepts them: one range, one check.

Keys are 64-bit signed integers on both databases; a larger number sent by a client must be a
clear "no such thing" or "invalid", never a database overflow (SQLite raises OverflowError,
PostgreSQL a DataError)."""

from __future__ import annotations

from typing import Any, TypeGuard

MAX_ID = 2**63 - 1


def is_id(value: Any) -> TypeGuard[int]:
    """True for an int (not a bool) in 1..MAX_ID."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID
