"""Routes for the backlog area: items, export and webhooks."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from api.views.backlog import BacklogExportView, BacklogViewSet
from api.views.webhooks import WebhookViewSet

router = SimpleRouter(trailing_slash=True)
router.register("backlog", BacklogViewSet, basename="backlog")
router.register("webhooks", WebhookViewSet, basename="webhook")

urlpatterns = [
    path("backlog/export.csv", BacklogExportView.as_view(), name="backlog-export"),
    path("", include(router.urls)),
]
