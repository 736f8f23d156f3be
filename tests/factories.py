"""factory_boy factories: synthetic people, units, workflows and tools only."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from feedback.models import Notification, Tool, Unit, User, Workflow

PASSWORD = "synthetic-pass-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"Synthetic User {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            for role in extracted:
                self.groups.add(Group.objects.get_or_create(name=role)[0])
        if create:
            self.save()


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"{n % 9 + 1} West Unit {n}")
    site = "Synthetic Campus"


class WorkflowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workflow

    name = factory.Sequence(lambda n: f"workflow {n}")
    description = "A synthetic clinical workflow."


class ToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tool

    name = factory.Sequence(lambda n: f"AI Tool {n}")
    description = "A synthetic AI tool under co-design."


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = "status_changed"
    title = factory.Sequence(lambda n: f"Backlog item {n} moved to planned")
