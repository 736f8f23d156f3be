"""Roles: read with one plain query per user, or from a prefetch when a list already has them."""

from __future__ import annotations

import pytest

from feedback.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_roles_come_from_the_groups_sorted_with_superusers_as_admin(django_assert_num_queries):
    user = User.objects.get(pk=UserFactory(roles=["product_owner", "clinician"]).pk)
    with django_assert_num_queries(1):
        assert user.role_names() == ["clinician", "product_owner"]
        assert user.has_role("clinician") and not user.has_role("admin")  # cached: no query
    root = User.objects.get(pk=UserFactory(roles=[], is_superuser=True).pk)
    assert root.role_names() == ["admin"]


def test_groups_that_are_not_roles_are_ignored():
    from django.contrib.auth.models import Group

    user = UserFactory(roles=["observer"])
    user.groups.add(Group.objects.create(name="night shift"))
    assert User.objects.get(pk=user.pk).role_names() == ["observer"]


def test_a_prefetched_list_asks_no_more_queries(django_assert_num_queries):
    for roles in (["observer"], ["admin", "clinician"]):
        UserFactory(roles=roles)
    users = list(User.objects.prefetch_related("groups").order_by("id"))
    with django_assert_num_queries(0):
        assert [u.role_names() for u in users] == [["observer"], ["admin", "clinician"]]
