"""Units, workflows and AI tools: created by admins and product owners."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction

from feedback import model_cards
from feedback.context import Actor
from feedback.errors import Conflict, ValidationFailed
from feedback.models import ModelVersion, Tool, Unit, Workflow
from feedback.services.audit import audit_record


@transaction.atomic
def reference_create(*, actor: Actor, model: type[models.Model], data: dict[str, Any]) -> Any:
    if model is Tool:
        _check_card(data)
    obj = model(**data)
    # Uniqueness is the database's to decide (IntegrityError -> 409 below), not a racy read.
    obj.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise Conflict(f"A {model._meta.verbose_name} with this name already exists.") from exc
    audit_record(actor=actor, action="create", obj=obj)
    return obj


def _check_card(data: dict[str, Any]) -> None:
    if "model_card" not in data:
        return
    found = model_cards.problems(data["model_card"])
    if found:
        raise ValidationFailed("The model card is invalid.", errors={"model_card": found})
    data["model_card"] = model_cards.clean(data["model_card"])


@transaction.atomic
def reference_update(*, actor: Actor, obj: Any, data: dict[str, Any]) -> Any:
    if isinstance(obj, Tool):
        _check_card(data)
    for key, value in data.items():
        setattr(obj, key, value)
    obj.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise Conflict("Another record already has this name.") from exc
    audit_record(actor=actor, action="change", obj=obj, detail={"fields": sorted(data)})
    return obj


REFERENCE_MODELS: dict[str, type[models.Model]] = {"unit": Unit, "workflow": Workflow, "tool": Tool}


@transaction.atomic
def model_version_create(
    *,
    actor: Actor,
    tool: Tool,
    version: str,
    released_at: Any = None,
    notes: str = "",
    model_card: dict[str, Any] | None = None,
) -> ModelVersion:
    card = {"model_card": model_card or {}}
    _check_card(card)
    row = ModelVersion(
        tool=tool,
        version=version,
        released_at=released_at,
        notes=notes,
        model_card=card["model_card"],
    )
    row.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise Conflict(f"Tool {tool.pk} already has version {version!r}.") from exc
    audit_record(actor=actor, action="create", obj=row)
    return row
