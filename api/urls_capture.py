"""Routes for the capture area: observations, batch sync, photos, PHI check."""

from django.urls import path

from api.views import capture

urlpatterns = [
    path("observations/", capture.ObservationListCreateView.as_view(), name="observation-list"),
    path("observations/sync/", capture.ObservationSyncView.as_view(), name="observation-sync"),
    path(
        "observations/<int:pk>/", capture.ObservationDetailView.as_view(), name="observation-detail"
    ),
    path(
        "observations/<int:pk>/photos/",
        capture.PhotoUploadView.as_view(),
        name="observation-photos",
    ),
    path("phi/check/", capture.PhiCheckView.as_view(), name="phi-check"),
]
