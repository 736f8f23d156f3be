"""Observation reads: what each user may see, narrowed by the SPEC's list filters."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db import connection
from django.db.models import Q, QuerySet

from feedback import roles
from feedback.errors import NotFound, ValidationFailed
from feedback.models import Observation, User
from feedback.selectors.filters import (
    IdFilter,
    InstantFilter,
    StrictBooleanFilter,
    shallow_filter_copies,
)


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
