"""The audit trail's hash chain: each row's hash covers its content and the previous row's hash.

Pure functions (no ORM), shared by the writer (`services/audit.py`) and the checker
(`manage.py audit_verify`): hash = SHA-256 over `prev_hash` and a canonical JSON of the row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64  # the previous hash of the very first row
FIELDS = (
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "detail",
    "ip",
    "user_agent",
    "at",
)


def canonical(row: Mapping[str, Any]) -> bytes:
    """The bytes hashed for one row: its fields as sorted, compact JSON; times in UTC, µs."""
    values = {name: row.get(name) for name in FIELDS}
    at = values["at"]
    if isinstance(at, datetime):
        values["at"] = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def row_hash(prev_hash: str, row: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(row)).hexdigest()


@dataclass(frozen=True)
class Break:
    """The first row where the chain does not hold, and why."""

    row_id: int
    reason: str


def verify(rows: Iterable[Mapping[str, Any]], start_prev: str | None = None) -> Break | int:
    """Walk rows in id order; return the first Break, or how many rows were checked.
    `start_prev` is the hash the first row must link to (GENESIS unless older rows were purged;
    None accepts whatever the first row says, e.g. when checking from the middle)."""
    expected_prev, count = start_prev, 0
    for row in rows:
        if expected_prev is not None and row["prev_hash"] != expected_prev:
            return Break(
                row["id"],
                "its prev_hash does not match the row before it "
                "(a row was deleted, inserted or reordered before it)",
            )
        if row_hash(row["prev_hash"], row) != row["hash"]:
            return Break(row["id"], "its content does not match its hash (the row was changed)")
        expected_prev, count = row["hash"], count + 1
    return count
