"""Units, workflows and AI tools: created by admins and product owners."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction

from feedback.context import Actor
from feedback.errors import Conflict
from feedback.models import Tool, Unit, Workflow
from feedback.services.audit import audit_record


@transaction.atomic
def reference_create(*, actor: Actor, model: type[models.Model], data: dict[str, Any]) -> Any:
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


@transaction.atomic
def reference_update(*, actor: Actor, obj: Any, data: dict[str, Any]) -> Any:
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
