"""The similar search on data this team did not write (held-out half) and on our own pairs.

Prints precision@1, precision@3 and the wrong-first-suggestion rate with the constants committed
in feedback.semantic (chosen by bench/tune_similarity.py on the development parts only). Writes
no file: `make bench` writes the report (bench/bench_similarity.py).
"""

from __future__ import annotations

import pytest

from feedback import embeddings, semantic
from tests.feedback import similarity_eval as ev


@pytest.fixture(autouse=True)
def _media_in_tmp() -> None:
    """Shadows tests/conftest.py's: this module is pure, so it also runs with -p no:django."""


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Shadows tests/conftest.py's Django cache reset, which needs settings this module does not."""


@pytest.fixture(scope="module")
def hpo() -> ev.EvalSet:
    return ev.embed(ev.hpo_set(), embeddings.encode)


@pytest.fixture(scope="module")
def own() -> ev.EvalSet:
    return ev.embed(ev.own_set(), embeddings.encode)


def hybrid(evalset: ev.EvalSet, part: str) -> ev.Scores:
    ranker = ev.hybrid_ranker(
        evalset, weight=semantic.SEMANTIC_WEIGHT, calibration=semantic.CALIBRATED
    )
    return ev.score(evalset, evalset.part(part), ranker)


def lexical(evalset: ev.EvalSet, part: str, min_score: float) -> ev.Scores:
    return ev.score(evalset, evalset.part(part), ev.lexical_ranker(evalset, min_score=min_score))


def test_outside_set_is_split_once_and_has_queries_without_a_duplicate(hpo: ev.EvalSet) -> None:
    again = ev.hpo_set()
    assert [q.text for q in again.queries] == [q.text for q in hpo.queries]  # fixed seed
    dev, held_out = hpo.part("dev"), hpo.part("held_out")
    assert len(dev) + len(held_out) == len(hpo.queries) == ev.POOL_TARGETS + ev.ABSENT
    assert abs(len(dev) - len(held_out)) <= 1
    assert {q.answer for q in hpo.queries if q.answer} <= set(hpo.keys)
    assert sum(q.answer is None for q in hpo.queries) == ev.ABSENT
    assert len(hpo.keys) == ev.POOL_TARGETS + ev.POOL_DISTRACTORS


def test_held_out_outside_set_beats_the_lexical_search(hpo: ev.EvalSet) -> None:
    print("\n" + "\n".join(ev.table_rows(hpo)))  # the report's rows (bench/reports/similarity.md)
    assert hybrid(hpo, "dev").wrong_first <= 0.10  # what the calibration was chosen to hold
    ours = hybrid(hpo, "held_out")
    words = lexical(hpo, "held_out", semantic.MIN_LEXICAL_SCORE)
    words_uncut = lexical(hpo, "held_out", 0.0)
    ranking = ev.score(
        hpo,
        hpo.part("held_out"),
        ev.hybrid_ranker(hpo, weight=semantic.SEMANTIC_WEIGHT, calibration=semantic.EVERYTHING),
    )
    print(f"\nHPO held-out, hybrid ranking, nothing cut: {ranking}")
    print(f"\nHPO held-out, hybrid (calibrated): {ours}")
    print(f"HPO held-out, lexical (calibrated {semantic.MIN_LEXICAL_SCORE}): {words}")
    print(f"HPO held-out, lexical (today's 0.35 cut-off: none): {words_uncut}")
    # Held-out figures measured once, after the constants were chosen on development data
    # (docs/similarity.md): floors against regressions, not the targets (p@3 >= 0.9 with
    # wrong first <= 0.1 is not met on this set; see the docs).
    assert ours.wrong_first <= 0.125  # 15 of 120
    assert ours.p1 >= 0.52  # 50 of 95
    assert ours.p3 >= 0.61  # 58 of 95
    assert ours.p3 > words.p3 + 0.2
    assert ours.wrong_first < words_uncut.wrong_first


def test_own_pairs_rank_no_worse_and_offer_fewer_wrong_firsts(own: ev.EvalSet) -> None:
    print("\n" + "\n".join(ev.table_rows(own)))
    for part in ("dev", "held_out"):
        ours, words = hybrid(own, part), lexical(own, part, 0.35)
        ranking = ev.score(
            own,
            own.part(part),
            ev.hybrid_ranker(own, weight=semantic.SEMANTIC_WEIGHT, calibration=semantic.EVERYTHING),
        )
        print(f"\nown {part}: hybrid {ours}\nown {part}: hybrid, nothing cut {ranking}")
        print(f"own {part}: lexical today {words}")
        assert ranking.p3 >= words.p3  # the ranking itself: no drop
        assert ours.wrong_first <= words.wrong_first
        # What the calibrated cut-off costs here (docs/similarity.md): 1 of 102 dev and 2 of 20
        # held-out answers are withheld, none offered wrongly.
        assert ours.p3 >= {"dev": 0.99, "held_out": 0.9}[part]
