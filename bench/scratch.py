"""Throwaway databases for the benchmarks: a SQLite file, or a PostgreSQL database that
`drop_postgres` removes afterwards (synthetic data only, never a real install's)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def create_postgres(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_postgres(name: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def configure(db: str, name: str) -> None:
    """Point this process's Django at a migrated scratch database (`name` on PostgreSQL)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "backend.settings.test"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix=f"{name}-media-")
    if db == "postgres":
        create_postgres(name)
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{name}"
    else:
        path = Path(tempfile.mkdtemp(prefix=f"{name}-")) / "scratch.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
