"""App config for the PWA (static files and the views serving them)."""

from django.apps import AppConfig


class PwaConfig(AppConfig):
    name = "pwa"
