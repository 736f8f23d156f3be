"""Scores the PHI guard on the labelled synthetic set: recall per type and false positives."""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from feedback.phi import PHI_TYPES, Span, scan

DATA = Path(__file__).with_name("data") / "phi_eval.jsonl"
REPORT = Path(__file__).resolve().parents[2] / "bench" / "reports" / "phi_eval.md"
COVER = 0.8  # a gold span is found when detected spans of its type cover 80% of its characters
RECALL_TARGETS = {"MRN": 0.98, "PHONE": 0.98, "EMAIL": 0.98, "SSN": 0.98, "DOB": 0.98, "NAME": 0.90}
MAX_FP_RATE = 0.03


@dataclass
class Score:
    gold: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    clean: int = 0
    clean_flagged: int = 0
    missed: list[str] = field(default_factory=list)

    def recall(self, kind: str) -> float:
        return self.found[kind] / self.gold[kind] if self.gold[kind] else float("nan")

    def fp_rate(self) -> float:
        return self.clean_flagged / self.clean if self.clean else 0.0


def _covered(gold: dict[str, Any], spans: list[Span]) -> bool:
    hit = sum(
        max(0, min(gold["end"], s.end) - max(gold["start"], s.start))
        for s in spans
        if s.type == gold["type"]
    )
    return hit >= COVER * (gold["end"] - gold["start"])


def _evaluate(rows: list[dict[str, Any]]) -> Score:
    score = Score()
    for row in rows:
        spans = scan(row["text"])
        if not row["spans"]:
            score.clean += 1
            score.clean_flagged += bool(spans)
            if spans:
                score.missed.append(f"FP {[(row['text'][s.start : s.end], s.type) for s in spans]}")
        for gold in row["spans"]:
            score.gold[gold["type"]] += 1
            if _covered(gold, spans):
                score.found[gold["type"]] += 1
            else:
                score.missed.append(f"MISS {gold['type']}: {row['text']}")
    return score


def _ms_per_note(texts: list[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        scan(text)
    return (time.perf_counter() - start) * 1000 / len(texts)


def _table(scores: dict[str, Score], ms_short: float, ms_long: float) -> str:
    lines = [
        "| type | " + " | ".join(f"recall {k} (n)" for k in scores) + " |",
        "|---|" + "---|" * len(scores),
    ]
    for kind in PHI_TYPES:
        cells = [f"{s.recall(kind):.3f} ({s.gold[kind]})" for s in scores.values()]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    fp = [f"{s.clean_flagged}/{s.clean} = {s.fp_rate():.1%}" for s in scores.values()]
    lines.append("| clean texts flagged | " + " | ".join(fp) + " |")
    lines += [
        "",
        f"ms per note (eval texts, mean): {ms_short:.3f}",
        f"ms per 5000-char note (mean of 20): {ms_long:.2f}",
    ]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def scores(rows: list[dict[str, Any]]) -> dict[str, Score]:
    scan("warm-up")  # builds the engine once, so timings below measure scanning only
    return {
        "all": _evaluate(rows),
        "dev": _evaluate([r for r in rows if r.get("split") == "dev"]),
        "heldout": _evaluate([r for r in rows if r.get("split") == "heldout"]),
        "heldout2": _evaluate([r for r in rows if r.get("split") == "heldout2"]),
    }


def test_eval_set_is_large_and_covers_every_type(rows: list[dict[str, Any]]) -> None:
    kinds = Counter(s["type"] for r in rows for s in r["spans"])
    assert len(rows) >= 320
    assert sum(1 for r in rows if not r["spans"]) >= 0.4 * len(rows)
    assert all(kinds[k] >= 25 for k in PHI_TYPES) and kinds["NAME"] >= 40, kinds
    for row in rows:
        for s in row["spans"]:
            assert 0 <= s["start"] < s["end"] <= len(row["text"]) and s["type"] in PHI_TYPES


def test_recall_and_false_positive_rate_meet_targets(
    rows: list[dict[str, Any]], scores: dict[str, Score]
) -> None:
    texts = [r["text"] for r in rows]
    long_note = (" ".join(texts))[:5000]
    ms_short = _ms_per_note(texts)
    ms_long = _ms_per_note([long_note] * 20)
    table = _table(scores, ms_short, ms_long)
    print("\nPHI guard evaluation\n" + table)
    print("\n".join(scores["all"].missed))
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(_report(table), encoding="utf-8")
    total = scores["all"]
    for kind, target in RECALL_TARGETS.items():
        assert total.recall(kind) >= target, f"{kind} recall {total.recall(kind):.3f} < {target}"
    assert total.fp_rate() <= MAX_FP_RATE, f"false-positive rate {total.fp_rate():.1%}"


def _report(table: str) -> str:
    return (
        "# PHI guard evaluation\n\n"
        "Written by `tests/feedback/test_phi_eval.py` on the synthetic set "
        "`tests/feedback/data/phi_eval.jsonl`. A gold span counts as found when detected spans "
        f"of the same type cover at least {COVER:.0%} of it; a clean text counts as a false "
        "positive when anything at all is detected in it. `heldout` rows come from templates "
        "written after the rules (docs/phi.md).\n\n" + table + "\n"
    )
