"""Synthetic observations and sync payloads for the capture tests (no real patient data)."""

from __future__ import annotations

import uuid
from typing import Any

import factory
from django.utils import timezone

from feedback.models import Observation
from tests.factories import UnitFactory, UserFactory, WorkflowFactory


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    client_id = factory.LazyFunction(uuid.uuid4)
    observer = factory.SubFactory(UserFactory, roles=["observer"])
    captured_at = factory.LazyFunction(timezone.now)
    unit = factory.SubFactory(UnitFactory)
    workflow = factory.SubFactory(WorkflowFactory)
    role_observed = "nurse"
    description = factory.Sequence(lambda n: f"BPA fired {n % 7 + 2} times during med rec")
    severity = 2
    frequency = "daily"
    tags = factory.LazyFunction(lambda: ["bpa"])


def payload(unit: Any, workflow: Any, /, **overrides: Any) -> dict[str, Any]:
    """A valid observation as a device would send it."""
    body: dict[str, Any] = {
        "client_id": str(uuid.uuid4()),
        "captured_at": "2026-03-01T07:15:00Z",
        "unit": unit.pk,
        "workflow": workflow.pk,
        "role_observed": "nurse",
        "description": "Med rec at 0700: the BPA fired 3 times for the same allergy.",
        "severity": 2,
        "frequency": "every_shift",
        "minutes_lost": 5,
        "patient_safety": False,
        "tags": ["bpa", "alert fatigue"],
    }
    body.update(overrides)
    return body
