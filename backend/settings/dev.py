"""Local development: the embedded default (SQLite, in-process channel layer), demo data allowed."""

from .base import *  # noqa: F403

DEBUG = True
ROUNDS_DEMO_DATA = True
WHITENOISE_AUTOREFRESH = True
