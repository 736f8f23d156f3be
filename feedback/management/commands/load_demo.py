"""Loads synthetic demo data into an empty database: units, workflows, tools, one user per
role, and activity (observations, a finished session, backlog items) for every view to show."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from feedback import demo
from feedback.context import SYSTEM
from feedback.models import Tool, Unit, User, Workflow
from feedback.services.users import ensure_role_groups, user_create

UNITS = [("4 West Med-Surg", "Main Campus"), ("MICU", "Main Campus"), ("ED North", "North Campus")]
WORKFLOWS = [
    ("medication reconciliation", "Reconciling home and inpatient medications at admission."),
    ("discharge", "Discharge planning, summaries and patient education."),
    ("sepsis screening", "Responding to sepsis alerts and bundles."),
    ("handoff", "Shift-change and transfer handoffs."),
    ("bed management", "Bed assignment, transfers and throughput."),
]
TOOLS = [
    ("Sepsis Early Warning", "Predicts sepsis risk from vitals and labs; fires a BPA."),
    ("Discharge Summary Assistant", "Drafts discharge summaries for physician review."),
]
DEMO_PASSWORD = "rounds-demo-2026"
USERS = [
    ("observer", "Olive Observer (demo)", ["observer"]),
    ("clinician", "Casey Clinician (demo)", ["clinician"]),
    ("owner", "Parker Owner (demo)", ["product_owner"]),
    ("admin", "Ada Admin (demo)", ["admin"]),
]


class Command(BaseCommand):
    help = "Load synthetic demo data when the database is empty (dev settings only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if data exists.")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not getattr(settings, "ROUNDS_DEMO_DATA", False):
            raise CommandError("Demo accounts exist only under the dev settings.")
        ensure_role_groups()
        if opts["if_empty"] and (User.objects.exists() or Unit.objects.exists()):
            self.stdout.write("Database already has data; demo data not loaded.")
            return
        for name, site in UNITS:
            Unit.objects.get_or_create(name=name, site=site)
        for name, description in WORKFLOWS:
            Workflow.objects.get_or_create(name=name, defaults={"description": description})
        for name, description in TOOLS:
            Tool.objects.get_or_create(name=name, defaults={"description": description})
        for username, display, roles in USERS:
            if not User.objects.filter(username=username).exists():
                user_create(
                    actor=SYSTEM,
                    username=username,
                    password=DEMO_PASSWORD,
                    display_name=display,
                    roles=roles,
                )
        people = {u.username: u for u in User.objects.filter(username__in=[u[0] for u in USERS])}
        added = demo.load(people=people)
        shown = ", ".join(f"{n} {what}{'' if n == 1 else 's'}" for what, n in added.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded ({shown} added)."))
        self.stdout.write(
            f"Sign in at http://127.0.0.1:{os.environ.get('PORT', '8000')}/ as observer, "
            f"clinician, owner or admin with password {DEMO_PASSWORD}"
        )
