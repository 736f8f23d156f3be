"""Devices: the PWA's heartbeat (unsynced counts), and the list admins watch for stranded items."""

from __future__ import annotations

import base64

import django_filters
from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.context import authed_user
from api.permissions import IsAdmin
from api.serializers.devices import DeviceSerializer, HeartbeatSerializer, QueueKeySerializer
from feedback.models import Device
from feedback.services.devices import device_heartbeat, queue_key


class HeartbeatView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=HeartbeatSerializer, responses={200: DeviceSerializer})
    def post(self, request: Request) -> Response:
        data = HeartbeatSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        device = device_heartbeat(
            user=authed_user(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            **data.validated_data,
        )
        return Response(DeviceSerializer(device).data)


class DeviceFilter(django_filters.FilterSet):
    unsynced_min = django_filters.NumberFilter(field_name="unsynced", lookup_expr="gte")
    seen_before = django_filters.IsoDateTimeFilter(field_name="last_seen_at", lookup_expr="lt")

    class Meta:
        model = Device
        fields = ["user", "device_id"]


class DeviceListView(ListAPIView):
    permission_classes = [IsAdmin]
    serializer_class = DeviceSerializer
    filterset_class = DeviceFilter

    def get_queryset(self) -> QuerySet[Device]:
        return Device.objects.select_related("user").order_by("-id")


class QueueKeyView(APIView):
    """The caller's own offline-queue wrapping key (any signed-in user, never anyone else's).
    The PWA holds it in memory while signed in and forgets it at sign-out or idle logoff."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: QueueKeySerializer})
    def get(self, request: Request) -> Response:
        key = queue_key(user=authed_user(request))
        response = Response(
            {
                "key": base64.b64encode(key).decode(),
                "idle_seconds": settings.SESSION_COOKIE_AGE,
            }
        )
        response["Cache-Control"] = "no-store"
        return response
