"""Webhooks (admin): register receivers of backlog events; deliveries are signed and logged."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from api.context import actor_from_request
from api.permissions import IsAdmin
from api.serializers.webhooks import WebhookSerializer
from feedback.models import Webhook
from feedback.services.webhooks import webhook_create, webhook_delete


class WebhookViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsAdmin]
    serializer_class = WebhookSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Webhook]:
        return Webhook.objects.all()

    def create(self, request: Request) -> Response:
        data = WebhookSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hook = webhook_create(
            actor=actor_from_request(request),
            url=data.validated_data["url"],
            secret=data.validated_data["secret"],
            events=data.validated_data["events"],
        )
        return Response(WebhookSerializer(hook).data, status=201)

    def perform_destroy(self, instance: Webhook) -> None:
        webhook_delete(actor=actor_from_request(self.request), hook=instance)
