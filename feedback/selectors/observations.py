"""Observation reads: what each user may see, narrowed by the SPEC's list filters."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db import connection
from django.db.models import Q, QuerySet
from django_filters.fields import IsoDateTimeField

from feedback import roles
from feedback.errors import NotFound, ValidationFailed
from feedback.ids import MAX_ID
from feedback.models import Observation, User


def observation_visible(*, user: User) -> QuerySet[Observation]:
    """Observers, product owners and admins see all; anyone else only what they logged."""
    qs = Observation.objects.prefetch_related("photos")
    if roles.allows(user, roles.OBSERVATIONS_READ_ALL):
        return qs
    return qs.filter(observer_id=user.pk)


def observation_get(*, user: User, pk: Any) -> Observation:
    """One observation, or NotFound when it is missing or not visible to `user`."""
    try:
        return observation_visible(user=user).get(pk=int(pk))
    except (Observation.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound("No such observation, or it is not visible to you.") from None


def _has_tag(qs: QuerySet[Observation], tag: str) -> QuerySet[Observation]:
    if connection.vendor == "postgresql":
        return qs.filter(tags__contains=[tag])  # jsonb @>, exact element match
    # SQLite has no JSON containment lookup: test the elements with json_each instead.
    table = Observation._meta.db_table
    return qs.extra(  # fixed SQL; the tag is a bound parameter
        where=[f'EXISTS (SELECT 1 FROM json_each("{table}"."tags") WHERE json_each.value = %s)'],
        params=[tag],
    )


class _ShallowCopies(dict[str, Any]):
    """django-filter deep-copies a FilterSet's filters for every instance (a quarter of a
    millisecond per backlog page); each copy only gets its own `model` and `parent` attributes
    set, so a shallow copy of each filter is enough, plus its own method binding."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return {name: _light_copy(f) for name, f in self.items()}


def _light_copy(original: Any) -> Any:
    light = copy.copy(original)
    if light.method is not None:  # `method=` filters hold a FilterMethod bound to their filter
        light.method = light.method
    return light


def shallow_filter_copies(cls: Any) -> Any:
    """Class decorator for FilterSets: per-request copies of its filters are shallow."""
    cls.base_filters = _ShallowCopies(cls.base_filters)
    return cls


class IdFilter(django_filters.NumberFilter):
    """A whole-number filter bounded to what every database's integer columns hold."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class StrictBooleanField(forms.Field):
    """true/false (or 1/0): anything else is an error, not silently "no filter"."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        parsed = self.VALUES.get(str(value).strip().lower())
        if parsed is None:
            raise forms.ValidationError("Send true or false.")
        return parsed


class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField


class InstantField(IsoDateTimeField):
    """An ISO 8601 time that must also exist in UTC (year 1 at +01:00 does not, and would crash)."""

    def to_python(self, value: Any) -> dt.datetime | None:
        try:
            parsed = super().to_python(value)
            return parsed.astimezone(dt.UTC) if parsed is not None else None
        except OverflowError:
            raise forms.ValidationError("Send a time between years 1 and 9999 in UTC.") from None


class InstantFilter(django_filters.IsoDateTimeFilter):
    field_class = InstantField


@shallow_filter_copies
class ObservationFilter(django_filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    workflow = IdFilter(field_name="workflow_id")
    tool = IdFilter(field_name="tool_id")
    observer = IdFilter(field_name="observer_id")
    severity_min = IdFilter(field_name="severity", lookup_expr="gte", max_value=4)
    patient_safety = StrictBooleanFilter()
    tag = django_filters.CharFilter(method="filter_tag", max_length=40)
    since = InstantFilter(field_name="captured_at", lookup_expr="gte")
    until = InstantFilter(field_name="captured_at", lookup_expr="lte")
    q = django_filters.CharFilter(method="filter_q", max_length=200)

    class Meta:
        model = Observation
        fields: list[str] = []

    def filter_tag(self, qs: QuerySet[Observation], name: str, value: str) -> QuerySet[Observation]:
        return _has_tag(qs, value.strip()) if value.strip() else qs

    def filter_q(self, qs: QuerySet[Observation], name: str, value: str) -> QuerySet[Observation]:
        return qs.filter(Q(description__icontains=value)) if value.strip() else qs


def observation_list(*, user: User, filters: Any) -> QuerySet[Observation]:
    """Visible observations matching `filters` (a QueryDict or dict); newest first."""
    filterset = ObservationFilter(filters, queryset=observation_visible(user=user))
    if not filterset.is_valid():
        raise ValidationFailed(
            "Some filters are invalid; fix them and retry.",
            errors={k: [str(m) for m in v] for k, v in filterset.errors.items()},
        )
    qs: QuerySet[Observation] = filterset.qs
    return qs
