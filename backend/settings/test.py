"""Test settings: fast hashing, temp media, whatever database/Redis the environment names."""

import os
import tempfile
from pathlib import Path
from typing import Any

from .base import *  # noqa: F403
from .base import CACHES, CHANNEL_LAYERS, DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or tempfile.mkdtemp(prefix="rounds-media-"))

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not :memory:, so live Daphne processes started by tests share the test database.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("ROUNDS_TEST_DB")
        or os.path.join(tempfile.gettempdir(), f"rounds-test-{os.getpid()}.sqlite3")
    }
ROUNDS_DEMO_DATA = True

# Concurrent test runs on one Redis must not hear each other's groups (live.py passes this on).
CHANNEL_PREFIX = os.environ.get("ROUNDS_CHANNEL_PREFIX") or f"rounds-test-{os.getpid()}"
_layer: dict[str, Any] = CHANNEL_LAYERS["default"]
if "CONFIG" in _layer:
    _layer["CONFIG"]["prefix"] = CHANNEL_PREFIX
    CACHES["default"]["KEY_PREFIX"] = CHANNEL_PREFIX
