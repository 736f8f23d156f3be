"""Posters for units' huddle boards: stored, served while current, regenerated weekly."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from feedback import posters
from feedback.models import Unit, UnitPoster
from feedback.selectors.loop import you_said_we_did

log = logging.getLogger(__name__)
MAX_AGE = dt.timedelta(days=7)


def poster_render(*, unit_id: int, link: str = "") -> UnitPoster:
    """Draw the unit's poster now and store it (replacing the previous one)."""
    page = you_said_we_did(unit_id=unit_id)
    pdf = posters.render(page, link=link)
    latest = parse_datetime(page["items"][0]["resolved_at"]) if page["items"] else None
    with transaction.atomic():
        poster, _ = UnitPoster.objects.select_for_update().get_or_create(
            unit_id=unit_id, defaults={"generated_at": timezone.now()}
        )
        old = poster.pdf.name if poster.pdf else ""
        poster.pdf.save(f"unit-{unit_id}.pdf", ContentFile(pdf), save=False)
        poster.generated_at, poster.latest_resolution = timezone.now(), latest
        poster.save()
    if old and old != poster.pdf.name:
        poster.pdf.storage.delete(old)
    return poster


def poster_pdf(*, unit_id: int, link: str = "") -> bytes:
    """The stored poster while it is under a week old and no item was resolved since; else a
    fresh one (so shipping something shows on the next print, not next week)."""
    stored = UnitPoster.objects.filter(unit_id=unit_id).first()
    page = you_said_we_did(unit_id=unit_id)  # also 404s an unknown unit
    newest = parse_datetime(page["items"][0]["resolved_at"]) if page["items"] else None
    fresh = stored is not None and stored.pdf and timezone.now() - stored.generated_at < MAX_AGE
    if fresh and stored is not None and stored.latest_resolution == newest:
        try:
            with stored.pdf.open("rb") as f:
                return bytes(f.read())
        except OSError:
            log.warning("poster file of unit %s is missing; drawing it again", unit_id)
    with poster_render(unit_id=unit_id, link=link).pdf.open("rb") as f:
        return bytes(f.read())


def posters_regenerate(*, link_base: str = "") -> int:
    """The weekly job: draw every unit's poster afresh; returns how many were drawn."""
    done = 0
    for unit_id in Unit.objects.order_by("id").values_list("id", flat=True):
        link = f"{link_base.rstrip('/')}/units/{unit_id}/you-said-we-did" if link_base else ""
        poster_render(unit_id=unit_id, link=link)
        done += 1
    return done
