"""Prototype screens: uploaded through the same safe image pipeline as photos."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any, BinaryIO

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

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
) -> tuple[Screen, bool]:
    """Decode, re-encode and store a screen's renditions, then record it. Returns (screen,
    created): the same bytes uploaded again for the same tool return the screen already stored
    (by their SHA-256), so a double tap or a re-run script never makes twins."""
    if model_version and not MODEL_VERSION.match(model_version):
        raise ValidationFailed(
            "model_version is invalid.",
            errors={"model_version": ["Use 1-40 letters, digits and ._:+- (or leave it out)."]},
        )
    data = images.read(image)
    digest = hashlib.sha256(data).hexdigest()
    stored = _same_bytes(tool, digest)
    if stored is not None:
        return stored, False
    # Decoding happens before the transaction: it is the slow part and needs no row locks.
    processed = images.process(data)
    screen = Screen(
        tool=tool,
        title=title,
        version=version or "1",
        model_version=model_version,
        content_sha256=digest,
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
    try:
        with transaction.atomic():
            screen.full_clean(validate_constraints=False)
            screen.save()
            audit_record(actor=actor, action="create", obj=screen)
    except IntegrityError:
        # The same bytes raced in from another request: the unique index kept one.
        _delete_files(screen)
        stored = _same_bytes(tool, digest)
        if stored is None:
            raise
        return stored, False
    return screen, True


def _same_bytes(tool: Tool, digest: str) -> Screen | None:
    return Screen.objects.filter(tool=tool, content_sha256=digest).first()


def _delete_files(screen: Screen) -> None:
    for field in ("image", "web", "thumb"):
        getattr(screen, field).delete(save=False)


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
