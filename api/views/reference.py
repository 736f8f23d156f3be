"""Units, workflows and tools: everyone signed in reads; admins and product owners write."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from rest_framework import mixins, viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from api.context import actor_from_request
from api.permissions import requires
from api.serializers.reference import (
    ModelVersionSerializer,
    ToolSerializer,
    UnitSerializer,
    WorkflowSerializer,
)
from feedback import roles
from feedback.models import ModelVersion, Tool, Unit, Workflow
from feedback.services.reference import model_version_create, reference_create, reference_update

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
        model = self.get_queryset().model
        obj = reference_create(
            actor=actor_from_request(request), model=model, data=data.validated_data
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
    queryset = Tool.objects.prefetch_related("versions")
    serializer_class = ToolSerializer
    filterset_class = ToolFilter


class ToolVersionsView(GenericAPIView):
    """GET a tool's model versions (anyone signed in); POST one (admin, product_owner)."""

    permission_classes = [requires(roles.TOOL_KEYS, safe_for_all=True)]
    serializer_class = ModelVersionSerializer

    def _tool(self) -> Tool:
        return get_object_or_404(Tool, pk=self.kwargs["tool_id"])

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return ModelVersion.objects.none()
        return ModelVersion.objects.filter(tool=self._tool()).order_by("released_at", "id")

    def get(self, request: Request, tool_id: int) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ModelVersionSerializer(page, many=True).data)

    def post(self, request: Request, tool_id: int) -> Response:
        tool = self._tool()
        data = ModelVersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = model_version_create(
            actor=actor_from_request(request), tool=tool, **data.validated_data
        )
        return Response(ModelVersionSerializer(row).data, status=201)
