"""Every route under /api/, in one place, grouped by area (each area spelled as its view module)."""

from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from api.converters import IdConverter, IdRouter
from api.views import (
    audit,
    auth,
    backlog,
    capture,
    definitions,
    devices,
    export,
    lifecycle,
    loop,
    notifications,
    output_feedback,
    reference,
    sessions,
    stats,
    themes,
    users,
    webhooks,
)

register_converter(IdConverter, "id")

router = IdRouter(trailing_slash=True)
router.register("users", users.UserViewSet, basename="user")
router.register("units", reference.UnitViewSet, basename="unit")
router.register("workflows", reference.WorkflowViewSet, basename="workflow")
router.register("tools", reference.ToolViewSet, basename="tool")
router.register("notifications", notifications.NotificationViewSet, basename="notification")
router.register("audit", audit.AuditViewSet, basename="audit")
router.register("backlog", backlog.BacklogViewSet, basename="backlog")
router.register("webhooks", webhooks.WebhookViewSet, basename="webhook")
router.register("legal-holds", lifecycle.LegalHoldViewSet, basename="legal-hold")

auth_urls = [
    path("auth/token/", auth.TokenView.as_view(), name="auth-token"),
    path("auth/login/", auth.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", auth.LogoutView.as_view(), name="auth-logout"),
    path("auth/csrf/", auth.CsrfView.as_view(), name="auth-csrf"),
    path("auth/providers/", auth.ProvidersView.as_view(), name="auth-providers"),
    path("me/", auth.MeView.as_view(), name="me"),
]

schema_urls = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
]

capture_urls = [
    path("observations/", capture.ObservationListCreateView.as_view(), name="observation-list"),
    path("observations/sync/", capture.ObservationSyncView.as_view(), name="observation-sync"),
    path(
        "observations/<id:pk>/", capture.ObservationDetailView.as_view(), name="observation-detail"
    ),
    path(
        "observations/<id:pk>/photos/",
        capture.PhotoUploadView.as_view(),
        name="observation-photos",
    ),
    path("phi/check/", capture.PhiCheckView.as_view(), name="phi-check"),
    path("phi/photo-check/", capture.PhotoCheckView.as_view(), name="phi-photo-check"),
]

session_urls = [
    path("tools/<id:tool_id>/screens/", sessions.ToolScreensView.as_view(), name="tool-screens"),
    path("sessions/", sessions.SessionListView.as_view(), name="session-list"),
    path("sessions/join/", sessions.SessionJoinView.as_view(), name="session-join"),
    path("sessions/<id:pk>/", sessions.SessionDetailView.as_view(), name="session-detail"),
    path(
        "sessions/<id:pk>/ratings/", sessions.SessionRatingsView.as_view(), name="session-ratings"
    ),
    path(
        "sessions/<id:pk>/comments/",
        sessions.SessionCommentsView.as_view(),
        name="session-comments",
    ),
    path("sessions/<id:pk>/end/", sessions.SessionEndView.as_view(), name="session-end"),
    path("sessions/<id:pk>/sus/", sessions.SessionSusView.as_view(), name="session-sus"),
    path(
        "sessions/<id:pk>/instruments/",
        sessions.SessionInstrumentsView.as_view(),
        name="session-instruments",
    ),
    path(
        "sessions/<id:pk>/instruments.csv",
        sessions.SessionInstrumentsCsvView.as_view(),
        name="session-instruments-csv",
    ),
    path(
        "sessions/<id:pk>/summary/", sessions.SessionSummaryView.as_view(), name="session-summary"
    ),
    path("sessions/<id:pk>/qr.svg", sessions.SessionQrView.as_view(), name="session-qr"),
    path("screens/<id:pk>/", sessions.ScreenDetailView.as_view(), name="screen-detail"),
    path("comments/<id:pk>/", sessions.CommentDetailView.as_view(), name="comment-detail"),
    path(
        "screens/<id:pk>/heatmap.png", sessions.ScreenHeatmapView.as_view(), name="screen-heatmap"
    ),
]

loop_urls = [
    path(
        "units/<id:pk>/you-said-we-did/",
        loop.YouSaidWeDidView.as_view(),
        name="unit-you-said-we-did",
    ),
    path(
        "units/<id:pk>/you-said-we-did.pdf",
        loop.YouSaidWeDidPosterView.as_view(),
        name="unit-you-said-we-did-pdf",
    ),
]

backlog_urls = [
    path("backlog/export.csv", export.BacklogExportView.as_view(), name="backlog-export"),
]

definition_urls = [
    path("instruments/", definitions.InstrumentDefinitionsView.as_view(), name="instrument-defs"),
    path("model-card-fields/", definitions.ModelCardFieldsView.as_view(), name="model-card-fields"),
    path(
        "output-feedback/vocabulary/",
        definitions.FlagVocabularyView.as_view(),
        name="flag-vocabulary",
    ),
]

output_feedback_urls = [
    path(
        "tools/<id:tool_id>/versions/", reference.ToolVersionsView.as_view(), name="tool-versions"
    ),
    path("tools/<id:tool_id>/keys/", output_feedback.ToolKeysView.as_view(), name="tool-keys"),
    path(
        "tools/<id:tool_id>/keys/<id:key_id>/",
        output_feedback.ToolKeyDetailView.as_view(),
        name="tool-key-detail",
    ),
    path(
        "tools/<id:tool_id>/reporter-token/",
        output_feedback.ReporterTokenView.as_view(),
        name="tool-reporter-token",
    ),
    path(
        "tools/<id:tool_id>/output-feedback/",
        output_feedback.OutputFeedbackView.as_view(),
        name="tool-output-feedback",
    ),
]

lifecycle_urls = [
    path("retention/", lifecycle.RetentionView.as_view(), name="retention"),
    path("retention/runs/", lifecycle.RetentionRunListView.as_view(), name="retention-runs"),
    path("users/<id:pk>/export/", lifecycle.PersonExportView.as_view(), name="user-export"),
    path("users/<id:pk>/erase/", lifecycle.PersonEraseView.as_view(), name="user-erase"),
    path(
        "users/<id:pk>/revoke-tokens/",
        lifecycle.RevokeTokensView.as_view(),
        name="user-revoke-tokens",
    ),
]

device_urls = [
    path("devices/heartbeat/", devices.HeartbeatView.as_view(), name="device-heartbeat"),
    path("devices/", devices.DeviceListView.as_view(), name="device-list"),
    path("me/queue-key/", devices.QueueKeyView.as_view(), name="me-queue-key"),
]

stats_urls = [
    path("stats/pain-points/", stats.PainPointsView.as_view(), name="stats-pain-points"),
    path("stats/ratings/", stats.RatingsView.as_view(), name="stats-ratings"),
    path("stats/versions/", stats.VersionsView.as_view(), name="stats-versions"),
    path("stats/instruments/", stats.InstrumentsView.as_view(), name="stats-instruments"),
    path(
        "stats/output-feedback/",
        stats.OutputFeedbackStatsView.as_view(),
        name="stats-output-feedback",
    ),
]

themes_urls = [
    path("themes/", themes.ThemesView.as_view(), name="themes"),
]

urlpatterns = [
    *auth_urls,
    *schema_urls,
    *capture_urls,
    *session_urls,
    *loop_urls,
    *backlog_urls,  # before the router, whose backlog/<pk>/ would take export.csv
    *stats_urls,
    *output_feedback_urls,
    *definition_urls,
    *lifecycle_urls,
    *device_urls,
    *themes_urls,
    path("", include(router.urls)),
]
