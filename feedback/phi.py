"""Offline PHI guard: find and mask patient identifiers in free text before it is stored."""

from __future__ import annotations

import bisect
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine

PHI_TYPES = ("NAME", "MRN", "DOB", "PHONE", "EMAIL", "SSN", "ADDRESS", "ROOM")

_THRESHOLD = 0.35
_PRESIDIO_TYPES = {"EMAIL_ADDRESS": "EMAIL"}


@dataclass(frozen=True)
class Span:
    """A detected identifier: text[start:end] is PHI of the given type."""

    start: int
    end: int
    type: str


@dataclass(frozen=True)
class Masked:
    """Masked text and the sorted, unique PHI types that were replaced in it."""

    text: str
    types: list[str]


def scan(text: str) -> list[Span]:
    """Return non-overlapping PHI spans in `text`, sorted by start."""
    if not text or not text.strip():
        return []
    results = _engine().analyze(
        text=text, language="en", entities=_ENTITIES, score_threshold=_THRESHOLD
    )
    found = [
        (r.start, r.end, _PRESIDIO_TYPES.get(r.entity_type, r.entity_type), r.score)
        for r in results
    ]
    return _resolve_overlaps(found)


def mask(text: str) -> Masked:
    """Replace each detected span by "[REDACTED-<TYPE>]"."""
    spans = scan(text)
    parts: list[str] = []
    cursor = 0
    for span in spans:
        parts.append(text[cursor : span.start])
        parts.append(f"[REDACTED-{span.type}]")
        cursor = span.end
    parts.append(text[cursor:])
    return Masked(text="".join(parts), types=sorted({s.type for s in spans}))


def mask_many(texts: Sequence[str]) -> tuple[list[str], list[str]]:
    """Mask several texts (e.g. a tags list); return them with the union of types found."""
    masked = [mask(t) for t in texts]
    types = sorted({t for m in masked for t in m.types})
    return [m.text for m in masked], types


def _resolve_overlaps(found: list[tuple[int, int, str, float]]) -> list[Span]:
    """Keep the surest, then longest, finding wherever findings overlap."""
    chosen: list[tuple[int, int, str]] = []  # kept sorted by start, never overlapping
    for start, end, kind, _score in sorted(found, key=lambda f: (-f[3], f[0] - f[1], f[0])):
        at = bisect.bisect_left(chosen, (start, end, kind))
        clear_left = at == 0 or chosen[at - 1][1] <= start
        clear_right = at == len(chosen) or chosen[at][0] >= end
        if start < end and clear_left and clear_right:
            chosen.insert(at, (start, end, kind))
    return [Span(s, e, k) for s, e, k in chosen]


# --- the Presidio engine: built once, lazily, without any NLP model ---------------------------

_ENTITIES = [*PHI_TYPES, "EMAIL_ADDRESS"]
_engine_lock = threading.Lock()
_engine_instance: AnalyzerEngine | None = None


def _engine() -> AnalyzerEngine:
    """The shared analyzer; double-checked locking so concurrent first calls build it once."""
    global _engine_instance
    if _engine_instance is None:
        with _engine_lock:
            if _engine_instance is None:
                _engine_instance = _build_engine()
    return _engine_instance


def _build_engine() -> AnalyzerEngine:
    # Imported here so that importing this module stays cheap (Presidio takes about a second),
    # and because phi_rules points tldextract at its bundled suffix list before Presidio loads.
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NoOpNlpEngine
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    from feedback import phi_rules as rules

    # No spaCy model: NoOpNlpEngine loads nothing, so nothing is ever downloaded.
    nlp = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_recognizer(EmailRecognizer())
    for recognizer in _custom_recognizers(rules):
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp,
        supported_languages=["en"],
        context_aware_enhancer=rules.NoContextEnhancer(),
    )


def _custom_recognizers(rules: Any) -> list[Any]:
    regex = rules.RegexGroupRecognizer
    return [
        regex("MRN", [rules.MRN]),
        regex("SSN", [rules.SSN_SHAPED, rules.SSN_CUED]),
        regex("DOB", [rules.DOB]),
        regex("DOB", [rules.FULL_DATE], rules.old_full_date, "RoundsOldDate"),
        regex("PHONE", [rules.PHONE_FULL, rules.PHONE_LOCAL, rules.PHONE_CUED]),
        regex("EMAIL", [rules.EMAIL], name="RoundsEmail"),
        regex("ADDRESS", [rules.ADDRESS, rules.ADDRESS_CUED]),
        regex("ROOM", [rules.ROOM_AFTER_PERSON, rules.ROOM_BEFORE_PERSON]),
        regex("ROOM", [rules.ROOM_ID_PATIENT, rules.ROOM_TRANSFER], name="RoundsRoomCued"),
        regex("ROOM", [rules.ROOM_NAME_IN], rules.valid_single_name, "RoundsRoomOfName"),
        rules.NameRecognizer(),
    ]
