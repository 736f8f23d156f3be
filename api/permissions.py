"""Role checks done on the server, per request; object visibility is the selectors' job."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request


def roles_of(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(user.role_names())


def has_role(user: Any, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def role_permission(*roles: str, safe_for_all: bool = False) -> type[BasePermission]:
    """A permission class letting `roles` through (any authenticated user for reads if asked)."""

    class HasRole(BasePermission):
        message = f"This needs one of the roles: {', '.join(roles)}."

        def has_permission(self, request: Request, view: Any) -> bool:
            if not request.user or not request.user.is_authenticated:
                return False
            if safe_for_all and request.method in SAFE_METHODS:
                return True
            return has_role(request.user, *roles)

    HasRole.__name__ = "HasRole_" + "_".join(roles)
    return HasRole


IsAdmin = role_permission("admin")
