"""Configuration: production refuses to start without SECRET_KEY and passes check --deploy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from feedback.models import Tool, Unit, User, Workflow

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY",)}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = manage("check", DJANGO_SETTINGS_MODULE="backend.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_passes_check_deploy():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="backend.settings.production",
        SECRET_KEY="a-synthetic-but-long-enough-secret-key-for-the-deploy-check-0123456789",
        ALLOWED_HOSTS="rounds.hospital.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_demo_data_is_refused_under_production():
    result = manage(
        "load_demo",
        DJANGO_SETTINGS_MODULE="backend.settings.production",
        SECRET_KEY="a-synthetic-but-long-enough-secret-key-for-the-deploy-check-0123456789",
        DATABASE_URL="sqlite:///:memory:",
    )
    assert result.returncode != 0
    assert "dev settings" in result.stderr


@pytest.mark.django_db
def test_demo_data_loads_once_and_is_safe_to_rerun():
    call_command("load_demo", "--if-empty")
    counts = (Unit.objects.count(), Workflow.objects.count(), Tool.objects.count())
    assert counts == (3, 5, 2)
    roles = {u.username: u.role_names() for u in User.objects.all()}
    assert roles == {
        "observer": ["observer"],
        "clinician": ["clinician"],
        "owner": ["product_owner"],
        "admin": ["admin"],
    }
    call_command("load_demo", "--if-empty")
    assert (Unit.objects.count(), User.objects.count()) == (3, 4)


def test_redis_url_switches_channel_layer_and_cache():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CHANNEL_LAYERS['default']['BACKEND']); print(s.CACHES['default']['BACKEND'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    plain = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**env, "DJANGO_SETTINGS_MODULE": "backend.settings.dev"},
    )
    redis = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "backend.settings.dev",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
    )
    assert "channels_redis" not in plain.stdout and "locmem" in plain.stdout.lower()
    assert "channels_redis" in redis.stdout and "RedisCache" in redis.stdout


def test_access_log_never_records_query_tokens_or_searches(tmp_path):
    import time
    import urllib.request

    from tests.live import launch, stop

    log = tmp_path / "daphne.log"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "backend.settings.dev"}
    proc, port = launch(env, log)
    try:
        urllib.request.urlopen(
            f"http://127.0.0.1:{port}/manifest.webmanifest?token=S3CRET&guest=G0ST"
            "&q=Okafor+MRN+00482913&text=Lopez"
        )
        time.sleep(0.3)  # the access log line is written after the response
    finally:
        stop(proc)
    text = log.read_text()
    assert "manifest.webmanifest" in text
    assert "S3CRET" not in text and "G0ST" not in text
    assert "Okafor" not in text and "Lopez" not in text  # search boxes may hold PHI
    assert "token=[REDACTED]" in text


def test_container_image_has_static_files_and_no_local_state():
    """Production storage 500s on every page without collectstatic's manifest in each web
    container; a developer's database, photos or venv must never be copied into the image."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    run_lines = [line for line in dockerfile.splitlines() if line.startswith("RUN ")]
    assert any("collectstatic --noinput" in line for line in run_lines)
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".venv", "media/", ".git"} <= ignored
    assert any(i.startswith("db.sqlite3") for i in ignored)


def test_production_keeps_the_method_of_a_slashless_api_post():
    """Slash-less API writes keep their method under production settings too (308, not 301)."""
    result = manage(
        "shell",
        "-c",
        "from django.test import Client; "
        "r = Client().post('/api/units', {}, HTTP_HOST='rounds.hospital.example', secure=True); "
        "print(r.status_code, r['Location'])",
        DJANGO_SETTINGS_MODULE="backend.settings.production",
        SECRET_KEY="a-synthetic-but-long-enough-secret-key-for-the-deploy-check-0123456789",
        ALLOWED_HOSTS="rounds.hospital.example",
        DATABASE_URL="sqlite:///:memory:",
    )
    last = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert last.split() == ["308", "/api/units/"], result.stdout + result.stderr


def _dev_debug(**env: str) -> str:
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    clean = {k: v for k, v in os.environ.items() if k != "ROUNDS_DEBUG"}
    clean.update(DJANGO_SETTINGS_MODULE="backend.settings.dev", **env)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_make_run_settings_are_not_a_debug_server_and_make_dev_is():
    assert _dev_debug() == "False"
    assert _dev_debug(ROUNDS_DEBUG="1") == "True"
    makefile = (ROOT / "Makefile").read_text()
    assert "ROUNDS_DEBUG=1" in makefile.split("\ndev:")[1].split("\n\n")[0]
    assert "ROUNDS_DEBUG" not in makefile.split("\nrun:")[1].split("\n\n")[0]


@pytest.mark.django_db
def test_unknown_paths_answer_json_404_with_debug_off(client, settings):
    settings.DEBUG = False
    for path in ("/api/nothing-here/", "/no/such/page.txt"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
