"""Synthetic backlog items and the evidence rows they link (observations, ratings, comments)."""

from __future__ import annotations

import factory

from feedback.models import (
    BacklogItem,
    CodesignSession,
    Comment,
    Participant,
    Rating,
    Screen,
)
from tests import factories_capture as capture
from tests.factories import ToolFactory, UserFactory


class ObservationFactory(capture.ObservationFactory):
    description = factory.Sequence(lambda n: f"BPA fired repeatedly during med rec, case {n}")
    minutes_lost = 10
    tags = factory.LazyFunction(list)


class ScreenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Screen

    tool = factory.SubFactory(ToolFactory)
    title = factory.Sequence(lambda n: f"Screen {n}")
    version = "1"
    image = "screens/full/synthetic.png"
    web = "screens/web/synthetic.png"
    thumb = "screens/thumb/synthetic.png"
    width = 800
    height = 600


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CodesignSession

    title = factory.Sequence(lambda n: f"Session {n}")
    tool = factory.SubFactory(ToolFactory)
    facilitator = factory.SubFactory(UserFactory, roles=["observer"])
    code = factory.Sequence(lambda n: f"S{n:05d}"[-6:])


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(UserFactory, roles=["clinician"])
    display_name = factory.Sequence(lambda n: f"Clinician {n}")


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    participant = factory.SubFactory(ParticipantFactory)
    session = factory.SelfAttribute("participant.session")
    screen = factory.SubFactory(ScreenFactory)
    scores = factory.LazyFunction(
        lambda: {"usefulness": 2, "clarity": 2, "trust": 1, "workflow_fit": 2}
    )


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    participant = factory.SubFactory(ParticipantFactory)
    session = factory.SelfAttribute("participant.session")
    screen = factory.SubFactory(ScreenFactory)
    text = "The alert hides the order entry button."
    pin_x = 0.25
    pin_y = 0.5


class BacklogItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BacklogItem

    title = factory.Sequence(lambda n: f"Reduce duplicate alerts {n}")
    description = "Synthetic backlog item."
    created_by = factory.SubFactory(UserFactory, roles=["product_owner"])
