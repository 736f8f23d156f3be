"""Units, workflows and tools: everyone signed in reads; admins and product owners write."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from api.context import actor_from_request
from api.permissions import requires
from api.serializers.reference import ToolSerializer, UnitSerializer, WorkflowSerializer
from feedback import roles
from feedback.models import Tool, Unit, Workflow
from feedback.services.reference import reference_create, reference_update

CanEditReference = requires(roles.REFERENCE_EDIT, safe_for_all=True)


class NameFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Text search in name and description")

    def search(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        cond = Q(name__icontains=value)
        if hasattr(qs.model, "description"):
            cond |= Q(description__icontains=value)
        return qs.filter(cond)


class UnitFilter(NameFilter):
    class Meta:
        model = Unit
        fields = ["site"]


class WorkflowFilter(NameFilter):
    class Meta:
        model = Workflow
        fields: list[str] = []


class ToolFilter(NameFilter):
    class Meta:
        model = Tool
        fields: list[str] = []


class ReferenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [CanEditReference]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create(self, request: Request) -> Response:
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        obj = reference_create(
            actor=actor_from_request(request), model=self.queryset.model, data=data.validated_data
        )
        return Response(self.get_serializer(obj).data, status=201)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        data = self.get_serializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        obj = reference_update(
            actor=actor_from_request(request), obj=self.get_object(), data=data.validated_data
        )
        return Response(self.get_serializer(obj).data)


class UnitViewSet(ReferenceViewSet):
    queryset = Unit.objects.all()
    serializer_class = UnitSerializer
    filterset_class = UnitFilter


class WorkflowViewSet(ReferenceViewSet):
    queryset = Workflow.objects.all()
    serializer_class = WorkflowSerializer
    filterset_class = WorkflowFilter


class ToolViewSet(ReferenceViewSet):
    queryset = Tool.objects.all()
    serializer_class = ToolSerializer
    filterset_class = ToolFilter
