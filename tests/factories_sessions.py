"""Factories for screens and live sessions: synthetic screens, sessions built by the service."""

from __future__ import annotations

from typing import Any

import factory
from django.core.files.base import ContentFile

from feedback.context import Actor
from feedback.models import CodesignSession, Participant, Screen
from feedback.services.sessions import session_create, session_join
from tests.factories import ToolFactory, UserFactory
from tests.imagedata import screen_png


class ScreenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Screen

    tool = factory.SubFactory(ToolFactory)
    title = factory.Sequence(lambda n: f"Sepsis alert mock-up {n}")
    version = "1"
    image = factory.LazyFunction(lambda: ContentFile(screen_png(400, 300), name="s.png"))
    web = factory.LazyFunction(lambda: ContentFile(screen_png(400, 300), name="s.png"))
    thumb = factory.LazyFunction(lambda: ContentFile(screen_png(80, 60), name="s.png"))
    width = 400
    height = 300


def make_session(facilitator: Any = None, *, screens: int = 2, **kwargs: Any) -> CodesignSession:
    """An open session over `screens` fresh screens of one tool, made through the service."""
    facilitator = facilitator or UserFactory(roles=["observer"])
    tool = ToolFactory()
    made = [ScreenFactory(tool=tool) for _ in range(screens)]
    return session_create(
        actor=Actor(user=facilitator),
        title=kwargs.pop("title", "Synthetic co-design round"),
        tool=tool,
        screen_ids=[s.pk for s in made],
        **kwargs,
    )


def join(session: CodesignSession, user: Any = None, name: str = "") -> Participant:
    return session_join(session=session, user=user, display_name=name)


def screen_ids(session: CodesignSession) -> list[int]:
    return list(session.sessionscreen_set.values_list("screen_id", flat=True))
