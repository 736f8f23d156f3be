"""Lexical duplicate detection in feedback.similarity: normalisation, ranking, labelled precision@3.

Writes no file: `make bench` (bench/bench_similar.py) writes bench/reports/similarity.md.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest

from feedback import similarity
from feedback.similarity import normalize, rank

DATA = Path(__file__).parent / "data" / "duplicate_pairs.jsonl"
REQUIRED_PRECISION = 0.8


@pytest.fixture(autouse=True)
def _media_in_tmp() -> None:
    """Shadows tests/conftest.py's: this module is pure, so it also runs with -p no:django."""


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Shadows tests/conftest.py's Django cache reset, which needs settings this module does not."""


def load_pool() -> list[dict]:
    with DATA.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def precision_at_3(pool: list[dict], *, field: str, with_description: bool) -> tuple[float, int]:
    candidates = [
        (
            item["id"],
            f"{item['title']}. {item['description']}" if with_description else item["title"],
        )
        for item in pool
    ]
    pairs = [(query, item["id"]) for item in pool for query in item[field]]
    hits = sum(
        1 for query, true_id in pairs if true_id in [i for i, _ in rank(query, candidates, limit=3)]
    )
    return hits / len(pairs), len(pairs)  # fmt: skip


def hundred_thousand_candidates(pool: list[dict]) -> list[tuple[int, str]]:
    rnd = random.Random(7)
    units = ["4 West", "5 East", "MICU", "ED", "L&D", "7 North", "PACU", "NICU"]
    texts = [item["title"] for item in pool]
    return [(i, f"{rnd.choice(texts)} ({rnd.choice(units)}, #{i})") for i in range(100_000)]


def time_rank(query: str, candidates: list[tuple[int, str]]) -> float:
    start = time.perf_counter()
    rank(query, candidates)
    return time.perf_counter() - start


def test_normalize_lowercases_strips_punctuation_and_stop_words() -> None:
    assert normalize("The BPA fired -- AGAIN!!") == "best practice alert fired again"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("med rec", "medication reconciliation"),
        ("Med-Rec", "medication reconciliation"),
        ("D/C summary", "discharge summary"),
        ("pt on abx", "patient antibiotic"),
        ("pts in the ED", "patient emergency department"),
        ("Café x-ray", "cafe xray"),
        ("alerts", "alert"),
    ],
)
def test_normalize_expands_clinical_abbreviations(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_normalize_of_empty_or_stop_words_only_is_empty() -> None:
    assert normalize("") == ""
    assert normalize("  the of and ... ") == ""


def test_rank_puts_the_paraphrase_first() -> None:
    candidates = [
        (1, "Bed board shows cleaned rooms as dirty"),
        (2, "Sepsis alert fires for patients already on antibiotics"),
        (3, "Discharge summary misses pending labs"),
    ]
    result = rank("sepsis BPA keeps firing on pts on abx", candidates)
    assert result[0][0] == 2
    assert all(0.0 <= s <= 1.0 for _, s in result)
    assert [s for _, s in result] == sorted((s for _, s in result), reverse=True)


def test_rank_respects_limit_and_min_score() -> None:
    candidates = [(i, f"sepsis alert variant {i}") for i in range(30)]
    assert len(rank("sepsis alert", candidates, limit=5)) == 5
    assert rank("sepsis alert", candidates, limit=0) == []
    assert rank("wristband printer", candidates, min_score=0.9) == []


def test_rank_with_empty_inputs_returns_nothing() -> None:
    assert rank("", [(1, "anything")]) == []
    assert rank("the of", [(1, "the of")]) == []
    assert rank("sepsis", []) == []
    assert rank("sepsis", [(1, "")]) == []


def test_rank_accepts_a_generator_and_repeated_texts() -> None:
    result = rank("med rec duplicates", ((i, "Med rec duplicates home meds") for i in (4, 9)))
    assert [i for i, _ in result] == [4, 9]  # ties broken by id, so results are stable


def test_rank_cache_stays_correct_when_it_overflows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(similarity, "_CACHE_SIZE", 3)
    candidates = [(i, f"sepsis alert number {i}") for i in range(10)]
    assert len(rank("sepsis alert", candidates, limit=20)) == 10


def test_precision_at_3_on_labelled_duplicates() -> None:
    pool = load_pool()
    figures = {
        (field, with_description): precision_at_3(
            pool, field=field, with_description=with_description
        )
        for field in ("queries", "held_out")
        for with_description in (True, False)
    }
    candidates = hundred_thousand_candidates(pool)
    similarity._cache.clear()
    cold = time_rank("sepsis BPA pops up even though abx already running", candidates)
    warm = min(time_rank("d/c summary doesnt mention pending labs", candidates) for _ in range(3))
    print(f"\nprecision@3 {figures}; 100k candidates: cold {cold:.3f}s, warm {warm:.3f}s")
    assert len(pool) >= 400
    assert figures[("queries", True)][1] >= 80
    for field, with_description in [("queries", True), ("queries", False), ("held_out", True)]:
        assert figures[(field, with_description)][0] >= REQUIRED_PRECISION
    assert warm < 2.0  # a regression guard only (shared CI boxes are noisy); figure in the report
