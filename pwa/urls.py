"""Routes of the app shell: the page, its manifest and its root-scoped service worker."""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="sw"),
    path("widget.js", views.widget, name="widget"),
    path("", views.shell, name="shell"),
    re_path(
        r"^(?:capture|join|facilitate|backlog|dashboard|admin|login|units|tools|sessions|evidence|reference)(?:/.*)?$",
        views.shell,
    ),
]
