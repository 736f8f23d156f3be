"""The embedded default `make run` serves: SQLite, in-process channel layer, demo data allowed.

Not a debug server: DEBUG stays off (static files by whitenoise, errors as JSON). `make dev`
sets ROUNDS_DEBUG=1 for Django's debug pages and autoreload while working on Rounds itself."""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("ROUNDS_DEBUG", "") == "1"
ROUNDS_DEMO_DATA = True
WHITENOISE_AUTOREFRESH = DEBUG
