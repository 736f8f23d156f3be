"""WebSocket routes."""

from django.urls import path

from api.consumers.backlog import BacklogConsumer
from api.consumers.notifications import NotificationConsumer
from api.consumers.sessions import SessionConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    path("ws/sessions/<str:code>/", SessionConsumer.as_asgi()),
    path("ws/backlog/", BacklogConsumer.as_asgi()),
]
