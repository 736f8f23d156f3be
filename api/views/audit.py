"""The audit trail, read-only, for admins."""

from __future__ import annotations

import django_filters
from django.apps import apps
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.permissions import IsAdmin
from api.serializers.audit import AuditEntrySerializer, AuditVocabularySerializer
from feedback.models import AuditEntry
from feedback.services.audit import ACTIONS


class AuditFilter(django_filters.FilterSet):
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = AuditEntry
        fields = ["actor", "action", "object_type", "object_id"]


class AuditViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAdmin]
    serializer_class = AuditEntrySerializer
    filterset_class = AuditFilter
    queryset = AuditEntry.objects.all()

    @extend_schema(responses={200: AuditVocabularySerializer})
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def vocabulary(self, request: Request) -> Response:
        """What the `action` and `object_type` filters can be (object types seen in the trail)."""
        # Distinct over the (object_type, object_id) index: no scan of the rows themselves.
        types = AuditEntry.objects.order_by("object_type").values_list("object_type", flat=True)
        return Response(
            {
                "actions": list(ACTIONS),
                "object_types": [{"value": t, "label": _label(t)} for t in types.distinct() if t],
            }
        )


def _label(object_type: str) -> str:
    """Plain words for `app.model` ("feedback.backlogitem" -> "backlog item")."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type.replace("_", " ")
