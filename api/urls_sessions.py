"""Routes for the sessions area (owned by its views)."""

from django.urls import path

from api.views import sessions as v

urlpatterns = [
    path("tools/<int:tool_id>/screens/", v.ToolScreensView.as_view(), name="tool-screens"),
    path("sessions/", v.SessionListView.as_view(), name="session-list"),
    path("sessions/join/", v.SessionJoinView.as_view(), name="session-join"),
    path("sessions/<int:pk>/", v.SessionDetailView.as_view(), name="session-detail"),
    path("sessions/<int:pk>/ratings/", v.SessionRatingsView.as_view(), name="session-ratings"),
    path("sessions/<int:pk>/comments/", v.SessionCommentsView.as_view(), name="session-comments"),
    path("sessions/<int:pk>/end/", v.SessionEndView.as_view(), name="session-end"),
    path("sessions/<int:pk>/sus/", v.SessionSusView.as_view(), name="session-sus"),
    path("sessions/<int:pk>/summary/", v.SessionSummaryView.as_view(), name="session-summary"),
    path("sessions/<int:pk>/qr.svg", v.SessionQrView.as_view(), name="session-qr"),
    path("screens/<int:pk>/heatmap.png", v.ScreenHeatmapView.as_view(), name="screen-heatmap"),
]
