"""Who is acting and from where: passed from interfaces to services for the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    user: Any  # feedback.models.User, or None for the system
    ip: str | None = None
    user_agent: str = ""

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None)


SYSTEM = Actor(user=None)
