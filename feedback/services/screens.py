"""Prototype screens: uploaded through the same safe image pipeline as photos."""

from __future__ import annotations

import uuid
from typing import Any, BinaryIO

from django.core.files.base import ContentFile
from django.db import transaction

from feedback import images
from feedback import regions as regions_rules
from feedback.context import Actor
from feedback.errors import ValidationFailed
from feedback.models import Screen, Tool
from feedback.output_feedback import MODEL_VERSION
from feedback.services.audit import audit_record


def screen_create(
    *,
    actor: Actor,
    tool: Tool,
    image: bytes | BinaryIO,
    title: str,
    version: str = "1",
    model_version: str = "",
) -> Screen:
    """Decode, re-encode and store a screen's renditions, then record it."""
    if model_version and not MODEL_VERSION.match(model_version):
        raise ValidationFailed(
            "model_version is invalid.",
            errors={"model_version": ["Use 1-40 letters, digits and ._:+- (or leave it out)."]},
        )
    # Decoding happens before the transaction: it is the slow part and needs no row locks.
    processed = images.process(image)
    screen = Screen(
        tool=tool,
        title=title,
        version=version or "1",
        model_version=model_version,
        width=processed.width,
        height=processed.height,
        created_by=actor.user if getattr(actor.user, "pk", None) else None,
    )
    stem = uuid.uuid4().hex
    for field, rendition in (
        ("image", processed.full),
        ("web", processed.web),
        ("thumb", processed.thumb),
    ):
        getattr(screen, field).save(f"{stem}.jpg", ContentFile(rendition.data), save=False)
    with transaction.atomic():
        screen.full_clean()
        screen.save()
        audit_record(actor=actor, action="create", obj=screen)
    return screen


@transaction.atomic
def screen_set_regions(*, actor: Actor, screen: Screen, regions: Any) -> Screen:
    """Name rectangles of the screen so participants can pin by picking one from a list."""
    found = regions_rules.problems(regions)
    if found:
        raise ValidationFailed("The regions are invalid.", errors={"regions": found})
    screen.regions = regions_rules.clean(regions)
    screen.save(update_fields=["regions"])
    audit_record(actor=actor, action="change", obj=screen, detail={"regions": len(regions)})
    return screen
