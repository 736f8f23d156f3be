"""Serializers: device heartbeats (the PWA) and the devices list (admins)."""

from __future__ import annotations

from rest_framework import serializers

from feedback.models import Device
from feedback.services.devices import MAX_UNSYNCED


class HeartbeatSerializer(serializers.Serializer):
    device_id = serializers.CharField(max_length=64)
    unsynced = serializers.IntegerField(min_value=0, max_value=MAX_UNSYNCED)


class DeviceSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Device
        fields = [
            "device_id",
            "user",
            "username",
            "unsynced",
            "user_agent",
            "first_seen_at",
            "last_seen_at",
        ]


class QueueKeySerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Base64 of 32 random bytes (AES-256 key wrapping key).")
    idle_seconds = serializers.IntegerField(help_text="Sign out after this long without use.")
