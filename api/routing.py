"""WebSocket routes; anything else is closed with 4404."""

from django.urls import path, re_path

from api.consumers.backlog import BacklogConsumer
from api.consumers.noroute import NoRouteConsumer
from api.consumers.notifications import NotificationConsumer
from api.consumers.output_feedback import OutputFeedbackConsumer
from api.consumers.sessions import SessionConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    path("ws/sessions/<str:code>/", SessionConsumer.as_asgi()),
    path("ws/backlog/", BacklogConsumer.as_asgi()),
    path("ws/output-feedback/", OutputFeedbackConsumer.as_asgi()),
    re_path(r"", NoRouteConsumer.as_asgi()),
]
