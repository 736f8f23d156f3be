"""Serializers: webhooks that receive backlog events (admins)."""

from __future__ import annotations

from rest_framework import serializers

from feedback.models import Webhook, WebhookDelivery


class WebhookSerializer(serializers.ModelSerializer):
    secret = serializers.CharField(write_only=True, max_length=200)
    events = serializers.ListField(child=serializers.CharField(max_length=60), max_length=20)

    class Meta:
        model = Webhook
        fields = ["id", "url", "secret", "events", "active", "created_at"]
        read_only_fields = ["id", "active", "created_at"]


class WebhookUpdateSerializer(serializers.Serializer):
    active = serializers.BooleanField(
        help_text="false pauses it: later events are not queued for it (queued ones still go)."
    )


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "status",
            "attempts",
            "last_status_code",
            "last_error",
            "created_at",
            "delivered_at",
            "next_attempt_at",
        ]


class WebhookEventsSerializer(serializers.Serializer):
    events = serializers.ListField(child=serializers.CharField())
    all = serializers.CharField()
