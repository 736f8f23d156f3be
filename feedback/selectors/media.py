"""Who may fetch a stored photo file: the same people who may see its observation."""

from __future__ import annotations

from django.db.models import Q

from feedback import roles
from feedback.models import Photo, User


def media_visible(*, user: User, name: str) -> bool:
    photo = (
        Photo.objects.filter(Q(full=name) | Q(web=name) | Q(thumb=name))
        .select_related("observation")
        .first()
    )
    if photo is None:
        return False
    if roles.allows(user, roles.OBSERVATIONS_READ_ALL):
        return True
    return photo.observation.observer_id == user.pk
