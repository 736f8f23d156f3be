"""Synthetic AI-output flags and tool keys for the output feedback tests."""

from __future__ import annotations

import uuid
from typing import Any

import factory

from feedback.context import Actor
from feedback.models import OutputFeedback, Tool, ToolKey
from feedback.services.output_feedback import tool_key_issue
from tests.factories import ToolFactory


class FlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutputFeedback

    tool = factory.SubFactory(ToolFactory)
    client_id = factory.LazyFunction(uuid.uuid4)
    output_ref = factory.Sequence(lambda n: f"note-{n:06d}")
    model_version = "2026.03"
    verdict = "not_helpful"
    categories = factory.LazyFunction(lambda: ["omission"])


def issue_key(tool: Tool, origins: list[str] | None = None, by: Any = None) -> tuple[ToolKey, str]:
    return tool_key_issue(actor=Actor(user=by), tool=tool, origins=origins or [])


def flag_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "client_id": str(uuid.uuid4()),
        "output_ref": "discharge-summary/88412",
        "model_version": "scribe-2.3.1",
        "verdict": "not_helpful",
        "categories": ["omission", "hallucination"],
        "harm": "moderate",
        "harm_reached": False,
        "comment": "Left out the anticoagulant change from the plan.",
    }
    body.update(overrides)
    return body
