"""Users and their roles (Django groups named exactly as SPEC lists them)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

ROLES = ("observer", "clinician", "product_owner", "admin")


class User(AbstractUser):
    display_name = models.CharField(max_length=150, blank=True)

    def role_names(self) -> list[str]:
        """Roles held, cached per instance; staff superusers count as admin."""
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            names = {g.name for g in self.groups.all() if g.name in ROLES}  # uses prefetch if any
            if self.is_superuser:
                names.add("admin")
            cached = sorted(names)
            self._role_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(set(roles) & set(self.role_names()))

    @property
    def label(self) -> str:
        return self.display_name or self.username
