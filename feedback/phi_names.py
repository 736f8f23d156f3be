"""Finds people's names in free text by weighing evidence: name lists, vocabulary, shape and cues.

Every word made of letters (any script) is classed once, by set look-ups on its accent-folded
lower-case form (`phi_lexicon`):
- STRONG: a known first name or surname that is not an English/clinical word ("Maria", "Nguyen");
- WEAK: a known name that is also a word ("Will", "Rose", "Brown", "Lee");
- UNKNOWN: in no list at all ("Szczepańska", "Okonkwo", but also "Omnicell");
- WORD: a word and no name ("Pain", "Complete"); STOP: clinical terms, roles, cue words.
Runs of capitalised words are then scored: a run is a name when it has a STRONG word, or a cue
before it (an honorific, a role, "pt", a relative, a field label), or it is two or more name-like
words with a letter no English word has ("ł", "ř", "ễ"), or a script other than Latin.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from enum import IntEnum
from functools import lru_cache

import regex

from feedback.phi_lexicon import fold, lexicon
from feedback.phi_terms import (
    FIELD_LABELS,
    HONORIFICS,
    NOT_NAMES,
    PATIENT_CUES,
    RELATIVES,
    ROLE_WORDS,
    TITLES,
    VERB_CUES,
)


class Kind(IntEnum):
    STOP = 0
    WORD = 1
    INITIAL = 2  # "G." in "Xzavian G. Tavares"
    UNKNOWN = 3
    WEAK = 4
    STRONG = 5
    FOREIGN = 6  # letters of a non-Latin script in Latin text: "李畅", "김현지"


# A word: letters (any script, with combining marks), inner apostrophes and hyphens.
WORD = regex.compile(r"[\p{L}\p{M}]+(?:['\u2019\-][\p{L}\p{M}]+)*")
_NON_ASCII = regex.compile(r"[^\x00-\x7f]")  # "ł", "ř", "é": English words seldom have them
_AFTER_INITIAL = regex.compile(r"\.?[ \t]{1,2}")
_ACRONYM_PLURAL = regex.compile(r"[A-Z]{2,}s")
_NAME_IS = regex.compile(r"(?i)\b(?:name\s+is|named|call\s+me|this\s+is|i\s+am|i'm)[ \t]*$")
_SPEAKER = regex.compile(r":[ \t]")  # "Lorena: Remember me?" (a speaker's name before a colon)
_VERB_AFTER = regex.compile(
    r"[ \t]+(?:is|was|has|had|lives|said|says|told|asked|wants|called|shouted|refused|came|went|"
    r"will|would|and\s+(?:I|we|he|she))\b"
)
_POSSESSIVE = regex.compile(r"['\u2019]s$")
_PARTICLES = frozenset(
    (
        "de",
        "del",
        "della",
        "der",
        "den",
        "di",
        "da",
        "dos",
        "das",
        "du",
        "la",
        "le",
        "van",
        "von",
        "ter",
        "ten",
        "al",
        "el",
        "bin",
        "ibn",
        "ben",
        "mac",
        "mc",
        "st",
        "y",
        "e",
        "ó",
        "ní",
        "nic",
        "ua",
        "bint",
    )
)
_JOINERS = regex.compile(r"[ \t]{1,3}|\.[ \t]{1,2}|[ \t]*,[ \t]*")  # between words of a run


@lru_cache(maxsize=65536)
def kind_of(word: str) -> Kind:
    """The class of one word, whatever its case (the caller looks at case separately)."""
    key = fold(word)
    lex = lexicon()
    if key in lex.clinical or key in ROLE_WORDS:
        return Kind.STOP
    if not word.isascii() and _foreign_script(word):
        return Kind.FOREIGN
    if _ACRONYM_PLURAL.fullmatch(word):  # "CNAs", "WOWs"
        return Kind.WORD
    named = key in lex.first or key in lex.last
    worded = key in lex.vocab
    if "-" in key and not named and not worded:
        parts = [p for p in key.split("-") if p]
        if all(p in lex.vocab or p in lex.common for p in parts):  # "Go-live", "Cross-cover"
            return Kind.WORD
        named = all(p in lex.first or p in lex.last for p in parts)
    if named:
        return Kind.WEAK if worded else Kind.STRONG
    if worded or len(key) < 2:
        return Kind.WORD
    return Kind.UNKNOWN


def _foreign_script(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and all(not _is_latin(c) for c in letters)


@lru_cache(maxsize=4096)
def _is_latin(char: str) -> bool:
    return char.isascii() or "LATIN" in unicodedata.name(char, "")


def _capitalised(word: str) -> bool:
    return word[0].isupper() or (not word[0].isascii() and _foreign_script(word[0]))


class _Token:
    __slots__ = ("end", "kind", "low", "start", "text")

    def __init__(self, match: regex.Match[str]) -> None:
        self.start, self.end = match.span()
        self.text = match.group()
        self.low = self.text.lower()
        word = _POSSESSIVE.sub("", self.text)
        self.kind = Kind.INITIAL if len(word) == 1 and word.isupper() else kind_of(word)
        if len(word) <= 3 and word.isupper() and self.kind in (Kind.UNKNOWN, Kind.WEAK):
            self.kind = Kind.WORD  # "NG", "OT", "ICU": short capitals are abbreviations


def find(text: str) -> Iterator[tuple[int, int]]:
    """Spans of people's names in `text`, in order, not overlapping."""
    tokens = [_Token(m) for m in WORD.finditer(text)]
    i = 0
    while i < len(tokens):
        if _lower_after_cue(text, tokens, i):  # "pt garcia": a surname typed in lower case
            yield tokens[i].start, tokens[i].end
            i += 1
            continue
        run = _run_from(text, tokens, i)
        if run:
            start, stop = run
            if _is_name(text, tokens, start, stop):
                yield tokens[start].start, tokens[stop - 1].end
            i = stop
        else:
            i += 1


def _run_from(text: str, tokens: list[_Token], i: int) -> tuple[int, int] | None:
    """The run of capitalised, name-like words starting at token i (particles allowed inside)."""
    tok = tokens[i]
    if not _capitalised(tok.text):
        return None
    if tok.kind == Kind.INITIAL and text[tok.end : tok.end + 1] != ".":
        return None
    if tok.kind <= Kind.WORD and not _cued(text, tokens, i):
        return None
    stop = i + 1
    while stop < len(tokens) and stop - i < 5:
        nxt, prev = tokens[stop], tokens[stop - 1]
        gap = text[prev.end : nxt.start]
        if not (
            _JOINERS.fullmatch(gap) or (prev.kind == Kind.INITIAL and _AFTER_INITIAL.fullmatch(gap))
        ):
            break
        if nxt.low in _PARTICLES and stop + 1 < len(tokens) and _capitalised(tokens[stop + 1].text):
            stop += 1
            continue
        if not _capitalised(nxt.text) or nxt.kind <= Kind.WORD:
            break
        stop += 1
    while stop > i + 1 and (
        tokens[stop - 1].low in _PARTICLES or tokens[stop - 1].kind == Kind.INITIAL
    ):
        stop -= 1
    return i, stop


def _cue_before(text: str, tokens: list[_Token], i: int) -> str:
    """The word just before token i when only spaces, a period, colon or comma separate them."""
    if i == 0:
        return ""
    prev = tokens[i - 1]
    gap = text[prev.end : tokens[i].start]
    if len(gap) > 3 or gap.strip(" \t.:,#") != "":
        return ""
    return prev.low


def _cued(text: str, tokens: list[_Token], i: int) -> bool:
    cue = _cue_before(text, tokens, i)
    return cue in HONORIFICS or cue in TITLES


def _lower_after_cue(text: str, tokens: list[_Token], i: int) -> bool:
    tok = tokens[i]
    if not tok.text.islower() or tok.kind != Kind.STRONG:
        return False
    cue = _cue_before(text, tokens, i)
    return (cue in PATIENT_CUES or cue in HONORIFICS) and fold(tok.text) not in lexicon().common


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'(*-•>")
    return not before or before[-1] in ".!?:;\n"


def _is_name(text: str, tokens: list[_Token], start: int, stop: int) -> bool:
    run = tokens[start:stop]
    kinds = [t.kind for t in run if t.low not in _PARTICLES and t.kind != Kind.INITIAL]
    if not kinds:
        return False
    best = max(kinds)
    if best == Kind.FOREIGN:
        return True
    cue = _cue_before(text, tokens, start)
    if cue in HONORIFICS or cue in TITLES:  # "Nurse Kelly", "Dr. Bell": the title decides
        return fold(run[0].text) not in NOT_NAMES and fold(run[0].text) not in ROLE_WORDS
    strong_cue = cue in RELATIVES or cue in PATIENT_CUES or _NAME_IS.search(text, 0, run[0].start)
    if strong_cue or _labelled(text, tokens[start].start, cue):
        return best >= Kind.UNKNOWN or len(kinds) > 1
    if min(kinds) <= Kind.WORD:
        return False
    if best == Kind.STRONG:
        if (
            len(kinds) > 1
            or _SPEAKER.match(text, run[0].end)
            or _VERB_AFTER.match(text, run[0].end)
        ):
            return True
        return not _common_at_start(text, run[0])
    if all(t.text.isupper() for t in run):  # a shouted sentence or a header: only sure names
        return False
    if len(kinds) >= 2:
        return Kind.UNKNOWN in kinds or cue in VERB_CUES
    word = run[0].text
    if kinds[0] == Kind.UNKNOWN:
        if _NON_ASCII.search(word) or (_SPEAKER.match(text, run[0].end) and not word.isupper()):
            return True
        if _VERB_AFTER.match(text, run[0].end):  # "Gbolahan is ...", "Nijito lives on ..."
            return True
        return not word.isupper() and not _sentence_start(text, run[0].start)
    return cue in VERB_CUES and not word.isupper() and not _sentence_start(text, run[0].start)


def _common_at_start(text: str, token: _Token) -> bool:
    """ "Huddle board ...", "Grace period ...": a sentence's first word that is also an everyday
    word is read as the word (unless a verb follows: "Grace said ...")."""
    key = fold(_POSSESSIVE.sub("", token.text))
    return key in lexicon().common and _sentence_start(text, token.start)


def _labelled(text: str, start: int, cue: str) -> bool:
    """A field label right before: "Name: ", "Patient:\t", "PATIENT NAME: "."""
    if cue not in FIELD_LABELS:
        return False
    head = text[max(0, start - 4) : start]
    return ":" in head
