"""Scores the PHI guard on labelled rows: recall per type, clean rows changed (test and bench)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from feedback.phi import PHI_TYPES, Span, scan
from tests.feedback import phi_outside

REGRESSION = Path(__file__).with_name("data") / "phi_eval.jsonl"
NAME_TARGET = 0.95
OTHER_TARGET = 0.99
MAX_CLEAN_CHANGED = 0.03


@dataclass
class Score:
    gold: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    clean: int = 0
    changed: int = 0
    missed: list[str] = field(default_factory=list)

    def recall(self, kind: str) -> float:
        return self.found[kind] / self.gold[kind] if self.gold[kind] else float("nan")

    def changed_rate(self) -> float:
        return self.changed / self.clean if self.clean else 0.0

    def shortfalls(self) -> list[str]:
        """Each target this score misses, as a sentence."""
        out = []
        for kind in PHI_TYPES:
            target = NAME_TARGET if kind == "NAME" else OTHER_TARGET
            if self.gold[kind] and self.recall(kind) < target:
                out.append(f"{kind} recall {self.recall(kind):.3f} < {target}")
        if self.changed_rate() > MAX_CLEAN_CHANGED:
            out.append(f"clean rows changed {self.changed_rate():.1%} > {MAX_CLEAN_CHANGED:.0%}")
        return out


def covered(text: str, gold: dict[str, Any], spans: list[Span]) -> bool:
    """Every letter and digit of the gold span is inside some detected span (of any type: what
    matters is that nothing of it stays readable). A partly masked identifier is a miss."""
    return all(
        any(s.start <= i < s.end for s in spans)
        for i in range(gold["start"], gold["end"])
        if text[i].isalnum()
    )


def evaluate(rows: list[dict[str, Any]]) -> Score:
    score = Score()
    for row in rows:
        text, spans = row["text"], scan(row["text"])
        if row.get("clean", not row["spans"]):
            score.clean += 1
            if spans:
                score.changed += 1
                score.missed.append(f"CHANGED {[text[s.start : s.end] for s in spans]}: {text!r}")
        for gold in row["spans"]:
            score.gold[gold["type"]] += 1
            if covered(text, gold, spans):
                score.found[gold["type"]] += 1
            else:
                secret = text[gold["start"] : gold["end"]]
                score.missed.append(f"MISS {gold['type']} {secret!r}: {text[:120]!r}")
    return score


def regression_rows() -> list[dict[str, Any]]:
    lines = REGRESSION.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line]


HELD_OUT = "held-out"
FIRST_HELD_OUT = "first held-out (read 2026-12-06)"


def scored_sets() -> dict[str, Score]:
    """The report's columns: the outside corpus's dev part, its held-out part (the second split,
    SEED_2), the first held-out part (split with SEED, read after six tuning passes and dev since
    2026-12-06; its rows are also in the dev column) and our own regression set. Misses may be
    printed for dev and regression only."""
    return {
        "dev": evaluate(phi_outside.rows("dev")),
        HELD_OUT: evaluate(phi_outside.rows("heldout")),
        FIRST_HELD_OUT: evaluate(phi_outside.first_heldout_rows()),
        "regression": evaluate(regression_rows()),
    }


def table(scores: dict[str, Score]) -> str:
    """The per-type table (markdown), one column per scored set."""
    lines = [
        "| type | " + " | ".join(f"{k} recall (n)" for k in scores) + " |",
        "|---|" + "---|" * len(scores),
    ]
    for kind in PHI_TYPES:
        cells = [
            f"{s.recall(kind):.3f} ({s.gold[kind]})" if s.gold[kind] else "- (0)"
            for s in scores.values()
        ]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    changed = [f"{s.changed}/{s.clean} = {s.changed_rate():.1%}" for s in scores.values()]
    lines.append("| clean rows changed | " + " | ".join(changed) + " |")
    return "\n".join(lines)
