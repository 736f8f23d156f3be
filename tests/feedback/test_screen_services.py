"""feedback.services.screens: the same bytes for the same tool are stored once."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedback.context import Actor
from feedback.models import Screen
from feedback.services import screens as svc
from tests import imagedata
from tests.factories import ToolFactory, UserFactory

pytestmark = pytest.mark.django_db


def stored_files(root: str) -> set[str]:
    return {p.name for p in Path(root).rglob("*.jpg")}


def test_the_same_bytes_return_the_stored_screen_without_decoding_again(settings, monkeypatch):
    tool, actor = ToolFactory(), Actor(user=UserFactory())
    data = imagedata.screen_png(640, 400)
    first, created = svc.screen_create(actor=actor, tool=tool, image=data, title="A")
    assert created and len(first.content_sha256) == 64
    monkeypatch.setattr(svc.images, "process", lambda *a, **k: pytest.fail("decoded again"))
    again, created = svc.screen_create(actor=actor, tool=tool, image=data, title="B")
    assert (again.pk, again.title, created) == (first.pk, "A", False)
    assert len(stored_files(settings.MEDIA_ROOT)) == 1  # one stem: full, web and thumb


def test_an_upload_that_loses_a_race_keeps_one_screen_and_no_stray_files(settings, monkeypatch):
    """Two identical uploads at once: the unique index keeps one; the loser's files go."""
    tool, actor = ToolFactory(), Actor(user=UserFactory())
    data = imagedata.screen_png(640, 400)
    winner, _ = svc.screen_create(actor=actor, tool=tool, image=data, title="A")
    real = svc._same_bytes
    looks = iter([None])  # the loser's first look finds nothing; its insert then collides
    monkeypatch.setattr(svc, "_same_bytes", lambda t, d: next(looks, None) or real(t, d))
    loser, created = svc.screen_create(actor=actor, tool=tool, image=data, title="B")
    assert (loser.pk, created) == (winner.pk, False)
    assert Screen.objects.count() == 1
    assert stored_files(settings.MEDIA_ROOT) == {Path(winner.image.name).name}
