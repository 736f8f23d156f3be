"""App config for the interfaces."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
