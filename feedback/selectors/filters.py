"""Filters every list shares: ids within the key range, strict booleans, instants that exist in
UTC, and per-request filter copies that stay cheap."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField

from feedback.ids import MAX_ID


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
