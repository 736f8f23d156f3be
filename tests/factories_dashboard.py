"""factory_boy factories for the dashboard tests: synthetic observations, screens and ratings."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from feedback.models import Rating
from tests import factories_capture as capture
from tests.factories_backlog import ParticipantFactory, ScreenFactory, SessionFactory

__all__ = ["ObservationFactory", "ParticipantFactory", "RatingFactory", "ScreenFactory"]


class ObservationFactory(capture.ObservationFactory):
    captured_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    description = factory.Sequence(lambda n: f"Synthetic pain point {n}: extra clicks in med rec")
    tags = factory.LazyFunction(list)


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    screen = factory.SubFactory(ScreenFactory)
    session = factory.SubFactory(SessionFactory, tool=factory.SelfAttribute("..screen.tool"))
    participant = factory.SubFactory(ParticipantFactory, session=factory.SelfAttribute("..session"))
    scores = factory.LazyFunction(lambda: {"usefulness": 4, "clarity": 3})
