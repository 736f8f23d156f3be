"""A larger development pool for tuning the PHI guard: the outside corpus's *dev* templates,
filled again many times from the *dev* half of every identity pool (presidio-evaluator, Faker),
with another seed. Never touches a held-out template or identity, so the held-out score stays an
honest measurement. Prints recall per type and the misses of the types asked for.

    .venv/bin/python bench/phi_dev_pool.py [--fills 40] [--types ADDRESS,PHONE] [--show 60]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings.test")

import django

django.setup()

from feedback.phi import scan  # noqa: E402
from tests.feedback import phi_outside as po  # noqa: E402
from tests.feedback.phi_scoring import covered  # noqa: E402


def pool(fills: int) -> list[dict]:
    path = po._package_dir("presidio_evaluator") / "data_generator/raw_data/templates.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    templates = [t.strip().replace("\\n", "\n").replace("\\,", ",") for t in lines if t.strip()]
    ids = po.Identities("dev")
    ids.rng = random.Random(f"{po.SEED}:devpool")
    for n, faker in enumerate(ids.fakers.values()):
        faker.seed_instance(po.SEED * 1000 + 7 + n)
    rows = []
    for n, template in enumerate(templates):
        if po._split_of(f"template{n}") != "dev" or not po.SLOT.search(template):
            continue
        for _ in range(fills):
            text, spans, _ignored = po._fill(template, ids)
            rows.append({"text": text, "spans": spans})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fills", type=int, default=40)
    parser.add_argument("--types", default="ADDRESS,PHONE")
    parser.add_argument("--show", type=int, default=60)
    args = parser.parse_args()
    kinds = set(args.types.split(","))
    gold: dict[str, int] = {}
    found: dict[str, int] = {}
    misses: list[str] = []
    for row in pool(args.fills):
        spans = scan(row["text"])
        for g in row["spans"]:
            gold[g["type"]] = gold.get(g["type"], 0) + 1
            if covered(row["text"], g, spans):
                found[g["type"]] = found.get(g["type"], 0) + 1
            elif g["type"] in kinds:
                value = row["text"][g["start"] : g["end"]]
                misses.append(f"{g['type']}: {value!r}  <<  {row['text']!r}")
    for kind in sorted(gold):
        print(f"{kind:8s} {found.get(kind, 0) / gold[kind]:.3f} ({gold[kind]})")
    seen = set()
    for m in misses:
        if m not in seen and len(seen) < args.show:
            seen.add(m)
            print(m)


if __name__ == "__main__":
    main()
