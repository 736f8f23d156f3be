"""Regenerate every unit's "You said, we did" poster (run weekly; docs/closing-the-loop.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from feedback.services.loop import posters_regenerate


class Command(BaseCommand):
    help = "Draw every unit's printable 'You said, we did' poster afresh."

    def handle(self, *args: Any, **options: Any) -> None:
        done = posters_regenerate(link_base=settings.PUBLIC_BASE_URL)
        self.stdout.write(f"Drew {done} poster(s).")
