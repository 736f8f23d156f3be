"""Role checks done on the server, per request; object visibility is the selectors' job.

Every permission is one of `feedback.roles`' names; `requires(PERM)` turns it into a DRF class.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from feedback import roles
from feedback.roles import Permission


def refusal(permission: Permission) -> str:
    """What a caller without `permission` is told (403 detail), naming the roles that hold it."""
    return (
        f"This needs the '{permission.name}' permission, held by the roles: "
        f"{', '.join(sorted(permission.roles))}. Ask an admin for one of those roles."
    )


def requires(permission: Permission, *, safe_for_all: bool = False) -> type[BasePermission]:
    """A DRF permission class letting holders of `permission` through (and, with
    `safe_for_all`, any authenticated user for reads)."""

    class Requires(BasePermission):
        message = refusal(permission)

        def has_permission(self, request: Request, view: Any) -> bool:
            if not request.user or not request.user.is_authenticated:
                return False
            if safe_for_all and request.method in SAFE_METHODS:
                return True
            return roles.allows(request.user, permission)

    Requires.__name__ = f"Requires_{permission.name}"
    return Requires


IsAdmin = requires(roles.ADMINISTER)
