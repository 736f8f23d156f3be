"""Serializers: webhooks that receive backlog events (admins)."""

from __future__ import annotations

from rest_framework import serializers

from feedback.models import Webhook


class WebhookSerializer(serializers.ModelSerializer):
    secret = serializers.CharField(write_only=True, max_length=200)
    events = serializers.ListField(child=serializers.CharField(max_length=60), max_length=20)

    class Meta:
        model = Webhook
        fields = ["id", "url", "secret", "events", "active", "created_at"]
        read_only_fields = ["id", "active", "created_at"]
