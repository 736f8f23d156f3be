"""Webhooks (admin): register receivers of backlog events; deliveries are signed and logged."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.context import actor_from_request
from api.permissions import IsAdmin
from api.serializers.webhooks import (
    WebhookDeliverySerializer,
    WebhookEventsSerializer,
    WebhookSerializer,
    WebhookUpdateSerializer,
)
from feedback.models import Webhook, WebhookDelivery
from feedback.services import webhooks as svc


class WebhookViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsAdmin]
    serializer_class = WebhookSerializer
    filter_backends: list = []
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Webhook]:
        return Webhook.objects.all()

    def create(self, request: Request) -> Response:
        data = WebhookSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hook = svc.webhook_create(
            actor=actor_from_request(request),
            url=data.validated_data["url"],
            secret=data.validated_data["secret"],
            events=data.validated_data["events"],
        )
        return Response(WebhookSerializer(hook).data, status=201)

    @extend_schema(request=WebhookUpdateSerializer, responses={200: WebhookSerializer})
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        data = WebhookUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hook = svc.webhook_update(
            actor=actor_from_request(request), hook=self.get_object(), **data.validated_data
        )
        return Response(WebhookSerializer(hook).data)

    def perform_destroy(self, instance: Webhook) -> None:
        svc.webhook_delete(actor=actor_from_request(self.request), hook=instance)

    @extend_schema(responses={200: WebhookDeliverySerializer(many=True)})
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, pk: int) -> Response:
        """The delivery log of one webhook, newest first (outcome only; bodies stay server-side)."""
        hook = self.get_object()
        page = self.paginate_queryset(WebhookDelivery.objects.filter(webhook=hook))
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)

    @extend_schema(request=None, responses={200: WebhookDeliverySerializer})
    @action(detail=True, methods=["post"], url_path="deliveries/<id:delivery_id>/retry")
    def retry(self, request: Request, pk: int, delivery_id: int) -> Response:
        """Send a delivery that gave up once more (409 unless it gave up)."""
        delivery = get_object_or_404(WebhookDelivery, pk=delivery_id, webhook=self.get_object())
        row = svc.webhook_redeliver(actor=actor_from_request(request), delivery=delivery)
        return Response(WebhookDeliverySerializer(row).data)

    @extend_schema(responses={200: WebhookEventsSerializer})
    @action(detail=False, methods=["get"], pagination_class=None)
    def events(self, request: Request) -> Response:
        """The events a webhook can subscribe to (`*` is every one)."""
        return Response({"events": list(svc.EVENTS), "all": svc.ALL})
