"""Offline PHI guard: find and mask patient identifiers in free text before it is stored."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from feedback.phi_rules import Either, Gate

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


def scan(text: str, *, gated: bool = True) -> list[Span]:
    """Return non-overlapping PHI spans in `text`, sorted by start.

    With `gated`, recognizers and patterns whose gate says the text cannot hold a match are
    skipped (`phi_rules.Gate`); the result is the same either way, only faster.
    """
    return scan_with(text, _parts(), gated=gated)


_LETTER_LOOKALIKES = str.maketrans(
    {"\u2206": "\u0394", "\u2126": "\u03a9", "\u212a": "K", "\u212b": "\u00c5"}
)


def scan_with(text: str, parts: Sequence[Part], *, gated: bool = True) -> list[Span]:
    """`scan` with a chosen subset of the recognizer parts (the benchmark's rules-only run)."""
    if not text or not text.strip():
        return []
    if not text.isascii():
        # Symbols that stand in for letters (a Greek town written with the increment sign for
        # Delta), one character for one, so offsets stay the same.
        text = text.translate(_LETTER_LOOKALIKES)
    view = phi_rules().TextView.of(text) if gated else None
    found: list[Finding] = []
    for finder, gate, _name in parts:
        if gate.admits(view):
            found += [(start, end, kind, _SCORES[kind]) for start, end, kind in finder(text)]
    return _resolve_overlaps(_grown(text, found))


def _grown(text: str, found: list[Finding]) -> list[Finding]:
    """Findings completed from what sits beside them: an address's house number, postcode, town
    and unit; a record number written next to a name with no cue. Only where something was
    found already, so a clean text stays as it was."""
    shapes = phi_shapes()
    names = [(s, e) for s, e, k, _p in found if k == "NAME"]
    if any(k == "ADDRESS" for _s, _e, k, _p in found):
        grow = shapes.extend_address
        found = [
            (*grow(text, s, e), k, p) if k == "ADDRESS" else (s, e, k, p) for s, e, k, p in found
        ]
    if names:
        taken = [(s, e) for s, e, _k, _p in found]
        for s, e in shapes.ids_beside_names(text, names):
            # a phone or date the number is (or lies within) stays what it is
            if not any(ts <= s and e <= te for ts, te in taken):
                found.append((s, e, "MRN", _SCORES["MRN"]))
    return found


def mask(text: str) -> Masked:
    """Replace each detected span by "[REDACTED-<TYPE>]"."""
    return apply(text, scan(text))


def apply(text: str, spans: Sequence[Span]) -> Masked:
    """Replace the given sorted, non-overlapping spans (from `scan(text)`) by their markers."""
    parts: list[str] = []
    cursor = 0
    for span in spans:
        parts.append(text[cursor : span.start])
        parts.append(f"[REDACTED-{span.type}]")
        cursor = span.end
    parts.append(text[cursor:])
    return Masked(text="".join(parts), types=sorted({s.type for s in spans}))


def rules_only_parts() -> list[Part]:
    """Every part but the two that weigh name lists (census pairs and `phi_names`): the
    configuration the benchmark compares the full guard with."""
    lexical = phi_rules().LEXICON_FINDERS
    return [part for part in _parts() if part[0] not in lexical]


def preload() -> None:
    """Build the recognizers now (about a second, mostly importing Presidio), not in the first
    request that needs them."""
    _parts()


def mask_many(texts: Sequence[str]) -> tuple[list[str], list[str]]:
    """Mask several texts (e.g. a tags list); return them with the union of types found."""
    masked = [mask(t) for t in texts]
    types = sorted({t for m in masked for t in m.types})
    return [m.text for m in masked], types


def _resolve_overlaps(found: list[tuple[int, int, str, float]]) -> list[Span]:
    """Overlapping findings become one span over all of them, so nothing any recognizer found
    stays readable ("+45 51-42-36-94": a dashed record number inside an international phone).
    The span is typed by its longest finding, then the surest."""
    spans: list[Span] = []
    group: list[tuple[int, int, str, float]] = []
    end = -1
    for finding in sorted(f for f in found if f[0] < f[1]):
        if group and finding[0] >= end:
            spans.append(_one_span(group))
            group = []
        group.append(finding)
        end = max(end, finding[1]) if len(group) > 1 else finding[1]
    if group:
        spans.append(_one_span(group))
    return spans


def _one_span(group: list[tuple[int, int, str, float]]) -> Span:
    typed = max(group, key=lambda f: (f[1] - f[0], f[3]))
    return Span(min(f[0] for f in group), max(f[1] for f in group), typed[2])


# --- the Presidio recognizers: built once, lazily, without any NLP model ----------------------
# Presidio's AnalyzerEngine is not used to run them: per call it builds NLP artifacts (none here,
# there is no model), looks the recognizers up again and runs a context enhancer we disable, which
# cost 30 us of a 120 us scan. `scan` runs the recognizers' gated parts itself, from one flat list.

_ENTITIES = [*PHI_TYPES, "EMAIL_ADDRESS"]
_SCORES: dict[str, float] = {}
Finding = tuple[int, int, str, float]  # start, end, type, score
# A part: a span finder, the gate its matches need, and its recognizer's name.
Part = tuple[Callable[[str], list[tuple[int, int, str]]], "Gate | Either", str]
_lock = threading.Lock()
_loaded: list[Part] | None = None


def phi_rules() -> Any:
    from feedback import phi_rules as rules  # imported late: it imports Presidio (about 1 s)

    return rules


def phi_shapes() -> Any:
    from feedback import phi_shapes as shapes

    return shapes


def _not_a_room(match: Any) -> bool:
    """ "bed 3B Station 4": a number after a room word is a room, not a house number."""
    return not phi_shapes().AFTER_ROOM.search(match.string, 0, match.start("v"))


def _phone_like(match: Any) -> bool:
    return bool(phi_shapes().phone_like(match.string, match.start("v"), match.group("v")))


def _parts() -> list[Part]:
    """Every recognizer's parts; double-checked locking so concurrent first calls build once."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = _build()
    return _loaded


def _build() -> list[Part]:
    # phi_rules points tldextract at its bundled suffix list before Presidio loads.
    rules = phi_rules()
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    _SCORES.update(rules.SCORES)
    email = EmailRecognizer()

    def presidio_email(text: str) -> list[tuple[int, int, str]]:
        results = email.analyze(text, _ENTITIES, None)
        return [(r.start, r.end, "EMAIL") for r in results if r.score >= _THRESHOLD]

    from feedback import phi_places

    def places(text: str) -> list[tuple[int, int, str]]:
        found = [
            *phi_places.find(text),
            *phi_places.find_number_first(text),
            *phi_places.find_after_cue(text),
            *phi_shapes().find_postcodes(text),
        ]
        return [(start, end, "ADDRESS") for start, end in found]

    recognizers = [
        *_custom_recognizers(rules, rules.RegexGroupRecognizer, rules.Gate),
        rules.RoomOfNameRecognizer(),
        rules.NameRecognizer(),
    ]
    for recognizer in recognizers:
        recognizer.load()
    parts: list[Part] = [
        (presidio_email, rules.Gate(cues=("@",)), "EmailRecognizer"),
        (places, rules.Gate(1), "RoundsPlace"),
    ]
    parts += [(finder, gate, r.name) for r in recognizers for finder, gate in r.parts]
    return parts


def _custom_recognizers(rules: Any, regex: Any, gate: Any) -> list[Any]:
    # Each gate restates what every match of its pattern needs (see the pattern in phi_rules);
    # tests/feedback/test_phi.py checks that no gate ever hides a match. `words` are whole letter
    # runs ("pt", not the "pt" of "prompt"); `run` counts digits in one cluster (a phone's 10,
    # not a note's scattered times and counts).
    person = frozenset(("pt", "pts", "patient", "patients", "resident", "mr", "mrs", "ms", "mx"))
    room = frozenset(("room", "rm", "bed", "bay", "pod", "stretcher"))
    # MRN's branches: a code (MRN, MR#, FIN, ...) or a phrase ("med rec", "chart", ...) that must
    # be followed by number / num / no / #. Each starts a word, and may run into what follows
    # ("MRNno", "acct#").
    mrn = rules.Either(
        (
            gate(2, run=2, starts=("mr", "fin", "csn", "har", "acct")),
            gate(
                2,
                run=2,
                starts=("med", "account", "encounter", "chart", "visit"),
                also=("no", "num", "#"),
            ),
        )
    )
    dob = ("dob", "d.ob", "do.b", "d.o.b", "birth", "born", "b.d.")
    phone = ("ext", "pager", "beeper", "cell", "mobile", "phone", "tel", "call", "spectral", "x")
    home = ("lives", "living", "resides", "residing", "staying", "home", "addr", "discharged")
    moves = ("transfer", "moved", "admit", "discharge", "bumped")
    months = frozenset(
        ("Jan", "January", "Feb", "February", "Mar", "March", "Apr", "April", "May", "Jun",
         "June", "Jul", "July", "Aug", "August", "Sep", "Sept", "September", "Oct", "October",
         "Nov", "November", "Dec", "December")
    )  # fmt: skip
    shapes = phi_shapes()
    streets = frozenset({*rules.STREET_WORDS, "Box"})  # ADDRESS is case-sensitive
    return [
        regex("MRN", [(rules.MRN, mrn)]),
        regex(
            "MRN",
            [
                (
                    shapes.MRN_SHORT,
                    gate(
                        2,
                        ("mr", "rec", "chart", "acct", "account", "id", "fin", "csn", "har", "enc"),
                        run=2,
                    ),
                ),
                (shapes.ID_DASHED, gate(5, ("-",), run=5)),
                (shapes.ID_SLASHED, gate(7, ("/",), run=4)),
                (shapes.MRN_ANY, gate(1, starts=shapes.MRN_CUE_STARTS)),
                (shapes.MRN_SOFT, gate(5, starts=shapes.MRN_SOFT_STARTS)),
                (shapes.MRN_SOFT_CODE, gate(3, starts=shapes.MRN_SOFT_STARTS)),
            ],
            name="RoundsRecordNumber",
        ),
        regex("PHONE", [(shapes.PHONE_ANY, gate(6, run=6))], _phone_like, "RoundsPhoneAny"),
        regex(
            "ADDRESS",
            [
                (shapes.ADDRESS_US, gate(1, cased_words=shapes.USPS_WORDS)),
                (shapes.ADDRESS_INTL_BEFORE, gate(1, cased_words=shapes.INTL_BEFORE_WORDS)),
                (
                    shapes.ADDRESS_INTL_SUFFIX,
                    rules.Either(
                        (
                            gate(1, endings=shapes.INTL_SUFFIXES),
                            gate(1, cues=shapes.INTL_SUFFIX_CUES),
                        )
                    ),
                ),
                (shapes.ADDRESS_INTL_AFTER, gate(1, words=(shapes.INTL_AFTER_WORDS,))),
                (shapes.ADDRESS_MILITARY, gate(5, cased=("APO", "FPO", "DPO"), run=5)),
                (shapes.ADDRESS_AFTER_PREPOSITION, gate(cased_words=shapes.STREET_ONLY_WORDS)),
                (shapes.ADDRESS_NAME_THEN_ST, gate(cased_words=shapes.SHORT_STREET_WORDS)),
                (
                    shapes.ADDRESS_CORNER,
                    gate(
                        cues=("corner", "intersection", "junction", "crossroad"),
                        cased_words=shapes.USPS_WORDS,
                    ),
                ),
                (shapes.ADDRESS_INTL_SUFFIX_WORD, gate(1, words=(shapes.INTL_SUFFIX_WORDS,))),
                (
                    shapes.ADDRESS_UNIT_LINE,
                    gate(1, cased_words=frozenset(("Apt", "Apartment", "Suite", "Ste"))),
                ),
                (
                    shapes.ADDRESS_NAMED,
                    gate(
                        cues=(
                            "liv",
                            "resid",
                            "located",
                            "address",
                            "moved",
                            "side",
                            "staying",
                            "home",
                        ),
                        cased_words=shapes.USPS_WORDS,
                    ),
                ),
            ],
            _not_a_room,
            name="RoundsStreet",
        ),
        regex(
            "SSN",
            [
                (rules.SSN_SHAPED, gate(9, run=9)),
                (rules.SSN_CUED, gate(4, ("ssn", "ss#", "soc"), run=4)),
            ],
        ),
        regex("DOB", [(rules.DOB, gate(3, dob, run=2))]),
        regex(
            "DOB",
            [
                (
                    rules.FULL_DATE,
                    rules.Either((gate(5, run=6), gate(5, cased_words=months))),
                )
            ],
            rules.old_full_date,
            "RoundsOldDate",
        ),
        regex(
            "PHONE",
            [
                (rules.PHONE_FULL, gate(10, run=10)),
                (rules.PHONE_LOCAL, gate(7, ("-",), run=7)),
                (rules.PHONE_CUED, gate(4, phone, run=4)),
            ],
        ),
        regex("EMAIL", [(rules.EMAIL, gate(cues=("@",)))], name="RoundsEmail"),
        regex(
            "ADDRESS",
            [
                (rules.ADDRESS, gate(1, cased_words=streets)),
                (
                    rules.ADDRESS_CUED,
                    gate(
                        1,
                        (*home, "moved"),
                        words=(frozenset(w.lower() for w in rules.STREET_WORDS),),
                    ),
                ),
            ],
        ),
        regex(
            "ROOM",
            [
                (rules.ROOM_AFTER_PERSON, gate(1, words=(person | {"miss"},))),
                (rules.ROOM_BEFORE_PERSON, gate(1, words=(person | {"miss"}, room))),
            ],
        ),
        regex(
            "ROOM",
            [
                (
                    rules.ROOM_ID_PATIENT,
                    gate(2, run=2, words=(frozenset(("pt", "patient", "family", "bed")),)),
                ),
                (rules.ROOM_TRANSFER, gate(1, moves, words=(room,))),
            ],
            name="RoundsRoomCued",
        ),
    ]
