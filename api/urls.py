"""Routes under /api/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from api.views import audit, auth, notifications, reference, users

router = SimpleRouter(trailing_slash=True)
router.register("users", users.UserViewSet, basename="user")
router.register("units", reference.UnitViewSet, basename="unit")
router.register("workflows", reference.WorkflowViewSet, basename="workflow")
router.register("tools", reference.ToolViewSet, basename="tool")
router.register("notifications", notifications.NotificationViewSet, basename="notification")
router.register("audit", audit.AuditViewSet, basename="audit")

urlpatterns = [
    path("auth/token/", auth.TokenView.as_view(), name="auth-token"),
    path("auth/login/", auth.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", auth.LogoutView.as_view(), name="auth-logout"),
    path("auth/csrf/", auth.CsrfView.as_view(), name="auth-csrf"),
    path("me/", auth.MeView.as_view(), name="me"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("", include(router.urls)),
    path("", include("api.urls_capture")),
    path("", include("api.urls_sessions")),
    path("", include("api.urls_backlog")),
    path("", include("api.urls_stats")),
]
