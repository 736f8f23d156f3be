"""Who may do what: each permission named once, as the roles that hold it.

Views (through `api.permissions.requires`), consumers, services and selectors ask
`allows(user, PERMISSION)`; `/api/me/` lists the names a user holds so the PWA shows only the
areas its user may open. No literal role tuples anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

OBSERVER = "observer"
CLINICIAN = "clinician"
PRODUCT_OWNER = "product_owner"
ADMIN = "admin"
ROLES = (OBSERVER, CLINICIAN, PRODUCT_OWNER, ADMIN)


@dataclass(frozen=True)
class Permission:
    """A named capability and the roles that hold it."""

    name: str
    roles: frozenset[str]
    description: str = ""

    def __str__(self) -> str:
        return self.name


def _perm(name: str, roles: tuple[str, ...], description: str) -> Permission:
    return Permission(name=name, roles=frozenset(roles), description=description)


CAPTURE = _perm("capture", ROLES, "log observations and photos (clinicians see only their own)")
OBSERVATIONS_READ_ALL = _perm(
    "observations_read_all", (OBSERVER, PRODUCT_OWNER, ADMIN), "read every observation and photo"
)
JOIN = _perm("join", ROLES, "join live sessions by code and rate their screens")
FACILITATE = _perm(
    "facilitate", (OBSERVER, PRODUCT_OWNER, ADMIN), "create and run live co-design sessions"
)
SESSIONS_REVIEW_ALL = _perm(
    "sessions_review_all", (PRODUCT_OWNER, ADMIN), "read every session, its summary and heat maps"
)
STATS_READ = _perm("stats_read", (OBSERVER, PRODUCT_OWNER, ADMIN), "read the dashboard")
BACKLOG_READ = _perm(
    "backlog_read", (OBSERVER, PRODUCT_OWNER, ADMIN), "read the whole backlog with its evidence"
)
BACKLOG_FOLLOW = _perm(
    "backlog_follow",
    ROLES,
    "read and unfollow the backlog items one follows (with one's own evidence only)",
)
TRIAGE = _perm(
    "triage",
    (PRODUCT_OWNER, ADMIN),
    "create, edit, merge and move backlog items; watch ws/backlog/",
)
THEMES_READ = _perm(
    "themes_read", ROLES, "read themes across the evidence one may see (clinicians: their own)"
)
REFERENCE_EDIT = _perm(
    "reference_edit", (PRODUCT_OWNER, ADMIN), "create units, workflows and tools"
)
TOOL_KEYS = _perm(
    "tool_keys",
    (PRODUCT_OWNER, ADMIN),
    "issue and revoke an AI tool's widget keys; edit its model card and versions",
)
OUTPUT_FEEDBACK_READ = _perm(
    "output_feedback_read",
    (OBSERVER, PRODUCT_OWNER, ADMIN),
    "read the flags raised on AI tools' outputs and their burst alerts",
)
FLAG_OUTPUT = _perm(
    "flag_output", ROLES, "flag an AI tool's output with one's own sign-in (or reporter token)"
)
LOOP_READ = _perm(
    "loop_read", ROLES, "read a unit's 'You said, we did' page and its printable poster"
)
ADMINISTER = _perm(
    "administer", (ADMIN,), "users and roles, webhooks, audit log, and every admin setting"
)

ALL: tuple[Permission, ...] = (
    CAPTURE,
    OBSERVATIONS_READ_ALL,
    JOIN,
    FACILITATE,
    SESSIONS_REVIEW_ALL,
    STATS_READ,
    BACKLOG_READ,
    BACKLOG_FOLLOW,
    TRIAGE,
    THEMES_READ,
    REFERENCE_EDIT,
    TOOL_KEYS,
    OUTPUT_FEEDBACK_READ,
    FLAG_OUTPUT,
    LOOP_READ,
    ADMINISTER,
)


def roles_of(user: Any) -> frozenset[str]:
    """The SPEC roles `user` holds (none for anonymous users)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset(user.role_names())


def allows(user: Any, permission: Permission) -> bool:
    """Whether `user` (possibly anonymous or None) holds `permission`."""
    return bool(roles_of(user) & permission.roles)


def permissions_of(user: Any) -> list[str]:
    """The names of every permission `user` holds, in `ALL` order (for `/api/me/`)."""
    held = roles_of(user)
    return [p.name for p in ALL if held & p.roles]
