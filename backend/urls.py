"""Top-level routes: the API, access-checked media, and the PWA at the root."""

from django.urls import include, path, re_path

from api.views.media import media

urlpatterns = [
    path("api/", include("api.urls")),
    path("accounts/", include("api.sso_urls")),  # single sign-on (django-allauth)
    re_path(r"^media/(?P<path>.+)$", media, name="media"),
    path("", include("pwa.urls")),
]

handler404 = "api.errors.not_found"
handler500 = "api.errors.server_error"
