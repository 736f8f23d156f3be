"""Observation photos: check access and size, find and fill faces and PHI text, redact and
re-encode once, store three sizes; and the same check for the preview, storing nothing."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from feedback import images, photo_phi, roles
from feedback.context import Actor
from feedback.errors import Conflict, Forbidden, TooLarge, ValidationFailed
from feedback.models import Photo
from feedback.selectors.observations import observation_get
from feedback.services.audit import audit_record

RENDITIONS = ("full", "web", "thumb")


def _client_uuid(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationFailed(
            "client_id is missing or not a UUID.",
            errors={"client_id": ["Send the device-made UUID of this photo."]},
        ) from None


def _replayed(client_id: uuid.UUID, observation_id: int) -> Photo | None:
    """The photo already stored under this client_id, if any (a replay)."""
    photo = Photo.objects.filter(client_id=client_id).first()
    if photo is not None and photo.observation_id != observation_id:
        raise Conflict(
            "This photo client_id was already used for another observation; "
            "send a new client_id for a new photo."
        )
    return photo


def _check_upload(image: Any) -> None:
    if image is None:
        raise ValidationFailed(
            "No image was sent.", errors={"image": ["Attach the photo as the image field."]}
        )
    limit = settings.ROUNDS_MAX_UPLOAD_BYTES
    if image.size > limit:  # before decoding anything
        raise TooLarge(f"The image is larger than {limit // (1024 * 1024)} MB. {images.ACCEPTED}")


def _store(photo: Photo, processed: images.ProcessedImage) -> None:
    for name in RENDITIONS:
        rendition = getattr(processed, name)
        getattr(photo, name).save(f"{uuid.uuid4()}.jpg", ContentFile(rendition.data), save=False)


def _discard_files(photo: Photo) -> None:
    for name in RENDITIONS:
        field = getattr(photo, name)
        if field.name:
            field.storage.delete(field.name)


def photo_upload(
    *, actor: Actor, observation_id: Any, image: Any, client_id: Any, redact: Any
) -> tuple[Photo, bool]:
    """Store a redacted photo of an observation; a replayed client_id returns the stored one."""
    observation = observation_get(user=actor.user, pk=observation_id)
    if observation.observer_id != actor.user.pk and not roles.allows(actor.user, roles.ADMINISTER):
        raise Forbidden("Only the observer who logged this observation (or an admin) adds photos.")
    key = _client_uuid(client_id)
    existing = _replayed(key, observation.pk)
    if existing is not None:
        return existing, False
    _check_upload(image)
    rects = images.parse_redact(redact)
    # Faces and PHI text are found and filled with the user's boxes before any byte is stored.
    processed = images.process(image, rects, detect=photo_phi.find)
    photo = Photo(
        client_id=key,
        observation=observation,
        uploaded_by=actor.user,
        width=processed.width,
        height=processed.height,
        redacted_regions=len(rects),
        auto_redacted=[found.as_dict() for found in processed.auto_redacted],
    )
    _store(photo, processed)
    return _save(actor, photo)


def _save(actor: Actor, photo: Photo) -> tuple[Photo, bool]:
    try:
        with transaction.atomic():
            photo.save(force_insert=True)
            audit_record(actor=actor, action="create", obj=photo)
    except IntegrityError:
        # A concurrent replay stored this client_id first: keep theirs, drop our files.
        _discard_files(photo)
        winner = _replayed(photo.client_id, photo.observation_id)
        if winner is None:
            raise
        return winner, False
    return photo, True


def photo_check(*, image: Any) -> list[dict[str, Any]]:
    """The faces and PHI text an upload of `image` would have filled; nothing is stored."""
    _check_upload(image)
    return [found.as_dict() for found in images.suggest(image, photo_phi.find)]
