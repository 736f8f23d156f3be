"""Likely-duplicate backlog items for a text being typed: clinical normalisation + rapidfuzz."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz import fuzz, process, utils

# Written forms whose meaning lives in their punctuation, replaced before it is stripped.
_SYMBOLIC = {
    "d/c": "discharge",
    "i&o": "intake output",
    "i/o": "intake output",
    "w/o": "without",
    "w/": "with ",
    "s/p": "status post",
}
_SYMBOLIC_RE = re.compile("|".join(re.escape(k) for k in sorted(_SYMBOLIC, key=len, reverse=True)))
_SEP = "\x00"  # joins a batch of texts into one string, so the heavy lifting runs in C
# Every ASCII character but letters, digits and the separator becomes a space.
_PUNCTUATION = str.maketrans(
    {c: " " for c in map(chr, range(128)) if not c.isalnum() and c != _SEP}
)

# Multi-word forms, matched after punctuation is gone ("x-ray" is "x ray" by then), each
# rewritten to one token that the abbreviation table then expands.
_PHRASES = {
    "x ray": "xray",
    "in basket": "inbasket",
    "hand off": "handoff",
    "pop up": "popup",
    "med rec": "medrec",
    "meds rec": "medrec",
    "dc summary": "dcsummary",
    "vital signs": "vitals",
    "blood sugar": "glucose",
    "out of date": "outdated",
}
_PHRASE_RE = re.compile(r"\b(?:" + "|".join(p.replace(" ", " +") for p in _PHRASES) + r")\b")
_ABBREVIATIONS = {
    "medrec": "medication reconciliation",
    "dcsummary": "discharge summary",
    "bpa": "best practice alert",
    "pt": "patient",
    "pts": "patient",
    "abx": "antibiotic",
    "ed": "emergency department",
    "er": "emergency department",
    "dc": "discharge",
    "med": "medication",
    "meds": "medication",
    "rn": "nurse",
    "md": "physician",
    "doc": "physician",
    "docs": "physician",
    "doctor": "physician",
    "ews": "early warning score",
    "mar": "medication administration record",
    "bcma": "barcode medication administration",
    "cxr": "chest xray",
    "vte": "venous thromboembolism",
    "dvt": "venous thromboembolism",
    "ppx": "prophylaxis",
    "npo": "nothing by mouth",
    "o2": "oxygen",
    "chf": "heart failure",
    "hf": "heart failure",
    "poc": "point of care",
    "ddi": "drug interaction",
    "otc": "over the counter",
    "rads": "radiology",
    "peds": "pediatric",
    "kids": "pediatric",
    "tele": "telemetry",
    "vent": "ventilator",
    "sbt": "spontaneous breathing trial",
    "lvo": "large vessel occlusion stroke",
    "dnr": "code status",
    "evs": "environmental services",
    "mgmt": "management",
    "crit": "critical",
    "hx": "history",
    "dx": "diagnosis",
    "rx": "prescription",
    "tx": "treatment",
    "icu": "intensive care unit",
    "micu": "intensive care unit",
    "pacu": "recovery",
    "ponv": "postoperative nausea vomiting",
    "pph": "postpartum hemorrhage",
    "ssi": "surgical site infection",
    "nwb": "non weight bearing",
    "cds": "clinical decision support",
    "ehr": "electronic health record",
    "emr": "electronic health record",
    "bili": "bilirubin",
    "psych": "psychiatric",
    "readmit": "readmission",
    "admit": "admission",
    "recs": "suggestion",
    "rec": "suggestion",
    "recommendation": "suggestion",
    "recommends": "suggestion",
    "suggests": "suggestion",
    "popup": "alert",
    "warning": "alert",
    "reminder": "alert",
    "prompt": "alert",
    "notification": "alert",
    "handover": "handoff",
    "physio": "physical therapy",
    "armband": "wristband",
    "ipad": "tablet",
    "inaccurate": "wrong",
    "incorrect": "wrong",
    "stale": "outdated",
    "old": "outdated",
}
_STOP_WORD_TEXT = """
    a an the of for to in on at by from with without into onto as is are was were be been being
    it its this that these those there their they them we our us i me my you your he she his her
    and or but so if then than too very really just still even also way lot lots
    do does did doesnt dont didnt cant cannot isnt arent wont not no nor
    has have had get gets got keep keeps make makes made every each all any some same
    what which who whom whose when where why how after before during while"""
_STOP_WORDS = frozenset(_STOP_WORD_TEXT.split())
_CACHE_SIZE = 1 << 18  # enough for every text of a large backlog, kept while the PO types
_PREFILTER = 50  # candidates kept by the fast C scorer before the finer re-score
_cache: dict[str, str] = {}


def normalize(text: str) -> str:
    """Lower-case, unaccented, punctuation-free text with clinical abbreviations expanded."""
    return _normalize_all([text])[0]


def _normalize_all(texts: list[str]) -> list[str]:
    """normalize() of many texts: cached, and misses done as one batch."""
    # Read the shared cache once into a local dict, so a concurrent clear() cannot bite.
    found = {t: _cache.get(t) for t in texts}
    missing = [t for t, form in found.items() if form is None]
    if missing:
        fresh = dict(zip(missing, _normalize_batch(missing), strict=True))
        if len(_cache) + len(fresh) > _CACHE_SIZE:
            _cache.clear()  # simplest bounded memory; a full rebuild costs under a second
        _cache.update(fresh)
        found.update(fresh)
    return [found[t] or "" for t in texts]


def _normalize_batch(texts: list[str]) -> list[str]:
    # One big string: lower(), translate() and the regexes run once in C instead of 100k
    # times in Python, which is what keeps a cold 100k-candidate rank() under a second.
    big = _SEP.join(t.replace(_SEP, " ") for t in texts).lower()
    if not big.isascii():
        big = unicodedata.normalize("NFKD", big).encode("ascii", "ignore").decode()
    if "/" in big or "&" in big:
        big = _SYMBOLIC_RE.sub(lambda m: f" {_SYMBOLIC[m.group(0)]} ", big)
    big = big.translate(_PUNCTUATION)
    big = _PHRASE_RE.sub(lambda m: _PHRASES[" ".join(m.group(0).split())], big)
    tokens = big.replace(_SEP, f" {_SEP} ").split()
    joined = " ".join(filter(None, map(_TOKENS.__getitem__, tokens)))
    return [line.strip() for line in joined.split(_SEP)]


class _TokenForms(dict[str, str]):
    """token -> normal form, computed on first sight: "" for a stop word."""

    def __missing__(self, token: str) -> str:
        expanded = (_stem(w) for w in _ABBREVIATIONS.get(token, token).split())
        form = " ".join(w for w in expanded if w not in _STOP_WORDS)
        if len(self) < _CACHE_SIZE:
            self[token] = form
        return form


_TOKENS = _TokenForms({_SEP: _SEP})
_TOKENS.update(dict.fromkeys(_STOP_WORDS, ""))


def _stem(word: str) -> str:
    """Plural 's' only: enough to match alert/alerts without a stemmer's surprises."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def rank(
    query: str,
    candidates: Iterable[tuple[int, str]],
    *,
    limit: int = 10,
    min_score: float = 0.35,
) -> list[tuple[int, float]]:
    """(id, score 0..1) of the candidates most like `query`, best first, at most `limit`."""
    needle = normalize(query)
    if not needle or limit <= 0:
        return []
    pairs = list(candidates)
    ids = [item_id for item_id, _ in pairs]
    texts = _normalize_all([text for _, text in pairs])
    shortlist = process.extract(
        needle, texts, scorer=fuzz.token_set_ratio, limit=max(_PREFILTER, limit),
        score_cutoff=min_score * 100, processor=None,
    )  # fmt: skip
    scored = [(ids[index], _fine_score(needle, text)) for text, _, index in shortlist]
    scored = [(item, s) for item, s in scored if s >= min_score]
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:limit]


def _fine_score(needle: str, text: str) -> float:
    """Blend: token_set rewards shared words, token_sort penalises extra ones, WRatio typos."""
    blended = (
        0.5 * fuzz.token_set_ratio(needle, text)
        + 0.25 * fuzz.token_sort_ratio(needle, text)
        + 0.25 * fuzz.WRatio(needle, text, processor=utils.default_process)
    )
    return round(blended / 100, 4)


def lexical_scores(query: str, texts: list[str]) -> list[float]:
    """The fine lexical score (0..1) of `query` against each of `texts`, in order (no shortlist:
    for re-scoring the few candidates a semantic search found)."""
    needle = normalize(query)
    if not needle:
        return [0.0] * len(texts)
    return [_fine_score(needle, text) if text else 0.0 for text in _normalize_all(texts)]


# Abbreviations the sentence model may not know, spelled out before a text is embedded. Only
# true abbreviations: synonyms and plain words in _ABBREVIATIONS stay as written.
_NOT_ABBREVIATIONS_TEXT = (
    "med meds rec recs recommendation recommends suggests popup warning reminder prompt "
    "notification handover physio armband ipad inaccurate incorrect stale old doctor docs doc "
    "kids readmit admit"
)
_NOT_ABBREVIATIONS = frozenset(_NOT_ABBREVIATIONS_TEXT.split())
_EXPANSIONS = {k: v for k, v in _ABBREVIATIONS.items() if k not in _NOT_ABBREVIATIONS}
_EXPANSION_RE = re.compile(
    r"\b(" + "|".join(map(re.escape, sorted(_EXPANSIONS, key=len, reverse=True))) + r")\b",
    re.IGNORECASE,
)


def expand_abbreviations(text: str) -> str:
    """`text` with clinical abbreviations written out ("pts on abx" -> "patient on antibiotic"),
    its other words, case and punctuation untouched."""
    return _EXPANSION_RE.sub(lambda m: _EXPANSIONS[m.group(0).lower()], text)
