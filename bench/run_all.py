"""Runs every benchmark (SQLite and, when reachable, PostgreSQL) and indexes the reports."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "bench" / "reports"
PG_URL = "postgres://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"

# (script, extra args, needs PostgreSQL + Redis)
RUNS = [
    ("bench_photo.py", [], False),
    ("bench_phi.py", [], False),
    ("bench_layer.py", [], False),
    ("bench_sync.py", [], False),
    ("bench_sync.py", ["--db", "postgres"], True),
    ("bench_fanout.py", ["--participants", "200", "500", "--write-report"], False),
    ("bench_fanout.py", ["--redis", "--participants", "200", "500", "--write-report"], True),
    (
        "bench_fanout.py",
        ["--redis", "--layer", "core", "--participants", "200", "500", "--write-report"],
        True,
    ),
    ("bench_live_load.py", ["--write-report"], True),
    ("bench_backlog.py", [], False),
    ("bench_backlog.py", ["--db", "postgres"], True),
    ("bench_flags.py", ["--write-report"], False),
    ("bench_similar.py", [], False),
    ("bench_similar.py", ["--db", "postgres"], True),
]


def services_up() -> bool:
    check = [sys.executable, str(ROOT / "tools" / "reachable.py"), PG_URL, REDIS_URL]
    return subprocess.run(check, capture_output=True).returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    args = parser.parse_args()
    up = services_up()
    lines = ["# Benchmark runs", "", f"- {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}", ""]
    failed = 0
    for script, extra, needs_services in RUNS:
        path = ROOT / "bench" / script
        label = " ".join([script, *extra])
        if not path.exists():
            continue
        if needs_services and not up:
            lines.append(f"- {label}: SKIPPED (PostgreSQL or Redis unreachable)")
            continue
        cmd = [sys.executable, str(path), *extra, *(["--quick"] if args.quick else [])]
        print(f"== {label}", flush=True)
        started = time.monotonic()
        code = subprocess.run(cmd, cwd=ROOT).returncode
        failed += code != 0
        lines.append(f"- {label}: exit {code} in {time.monotonic() - started:.0f} s")
    lines += [
        "",
        "Reports: "
        + ", ".join(sorted(p.name for p in REPORTS.glob("*.md") if p.name != "RUNS.md")),
    ]
    (REPORTS / "RUNS.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
