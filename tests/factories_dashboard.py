"""factory_boy factories for the dashboard tests: synthetic observations, screens and ratings."""

from __future__ import annotations

import datetime as dt
import uuid

import factory
from django.utils import timezone

from feedback.models import CodesignSession, Observation, Participant, Rating, Screen
from tests.factories import ToolFactory, UnitFactory, UserFactory, WorkflowFactory


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    client_id = factory.LazyFunction(uuid.uuid4)
    observer = factory.SubFactory(UserFactory, roles=["observer"])
    captured_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    unit = factory.SubFactory(UnitFactory)
    workflow = factory.SubFactory(WorkflowFactory)
    role_observed = "nurse"
    description = factory.Sequence(lambda n: f"Synthetic pain point {n}: extra clicks in med rec")
    severity = 2
    frequency = "daily"
    patient_safety = False


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

    title = "Synthetic session"
    tool = factory.SubFactory(ToolFactory)
    facilitator = factory.SubFactory(UserFactory, roles=["observer"])
    code = factory.Sequence(lambda n: f"S{n:05d}"[-6:])


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(UserFactory, roles=["clinician"])
    display_name = factory.Sequence(lambda n: f"Participant {n}")


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    screen = factory.SubFactory(ScreenFactory)
    session = factory.SubFactory(SessionFactory, tool=factory.SelfAttribute("..screen.tool"))
    participant = factory.SubFactory(ParticipantFactory, session=factory.SelfAttribute("..session"))
    scores = factory.LazyFunction(lambda: {"usefulness": 4, "clarity": 3})
