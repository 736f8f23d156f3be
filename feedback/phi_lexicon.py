"""Word lists the name finder weighs: first names, surnames, English and clinical vocabulary."""

from __future__ import annotations

import importlib.util
import json
import pickle
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from feedback.phi_terms import CLINICAL_TERMS, NOT_NAMES, ROLE_WORDS


@dataclass(frozen=True)
class Lexicon:
    """Lower-cased, accent-folded word sets.

    - `first` / `last`: philter-ucsf's first-name and surname lists (97k and 161k, compiled by UCSF
      for de-identifying clinical notes, BSD-3) joined with the US Census lists of the `names`
      package (MIT);
    - `vocab`: philter-ucsf's English and clinical vocabulary with names removed (195k words);
    - `common`: words Webster's Second International (public domain, via the english-words
      package, MIT) lists in lower case: "grace", "huddle", "chat" are words as well as names;
    - `clinical`: Rounds' own eponyms, scores, products, units and workflow words, never a name
      on their own (feedback/phi_terms.py).
    """

    first: frozenset[str]
    last: frozenset[str]
    vocab: frozenset[str]
    clinical: frozenset[str]
    common: frozenset[str]  # lower-case entries of Webster's Second (english-words, web2)
    top_first: frozenset[str]  # the 600 commonest US first names


_lock = threading.Lock()


def _philter_dir() -> Path:
    # philter-ucsf's own __init__ imports its whole pipeline (NLTK and more): read its files only.
    spec = importlib.util.find_spec("philter_ucsf")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("philter-ucsf is not installed: run `make install`")
    return Path(next(iter(spec.submodule_search_locations))) / "filters"


def _json_words(path: Path) -> set[str]:
    with open(path, encoding="utf-8") as handle:
        return {w for w in json.load(handle) if w and " " not in w}


def _census(filename: str, top: int | None = None) -> set[str]:
    text = resources.files("names").joinpath(filename).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()][:top]
    return {line.split()[0].lower() for line in lines}


def _webster_lower() -> set[str]:
    path = resources.files("english_words").joinpath("data/web2.pickle")
    with path.open("rb") as handle:
        words: set[str] = pickle.load(handle)
    return {w for w in words if w.islower()}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Loaded once per process (about half a second), under a lock."""
    with _lock:
        root = _philter_dir()
        first = _json_words(root / "blacklists/firstnames_minus_fps.json")
        first |= _census("dist.male.first") | _census("dist.female.first")
        last = _json_words(root / "blacklists/lastnames_minus_fps.json")
        last |= _census("dist.all.last")
        vocab = _json_words(root / "whitelists/whitelist_plus_fps_091718_nonames.json")
        clinical = set(CLINICAL_TERMS) | set(NOT_NAMES) | set(ROLE_WORDS)
        top = _census("dist.male.first", 300) | _census("dist.female.first", 300)
        return Lexicon(
            frozenset(first),
            frozenset(last),
            frozenset(vocab),
            frozenset(clinical),
            frozenset(_webster_lower()),
            frozenset(top),
        )


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower-case, without accents or apostrophes ("Wiśniewska" -> "wisniewska")."""
    low = word.lower()
    if not low.isascii():
        low = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))
        low = low.replace("ł", "l").replace("ø", "o").replace("đ", "d").replace("ß", "ss")
    return low.replace("'", "").replace("\u2019", "")
