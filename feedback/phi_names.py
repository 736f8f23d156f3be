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
from itertools import accumulate

import regex

from feedback.phi_lexicon import fold, lexicon
from feedback.phi_terms import (
    CAPITAL_ACRONYMS,
    FIELD_LABELS,
    HONORIFICS,
    NOT_NAMES,
    PATIENT_CUES,
    RELATIVES,
    ROLE_WORDS,
    SCREEN_ACTIONS,
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
    if key in lex.clinical or key in ROLE_WORDS or key in PATIENT_CUES:
        return Kind.STOP  # "Patient Maria Lopez": the role stays readable, the name after it goes
    if not word.isascii() and _foreign_script(word):
        return Kind.FOREIGN
    if key in SCREEN_ACTIONS:
        return Kind.WORD  # "Tapped Edit on the draft"
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
    if worded and not word.isascii() and word[0].isupper() and key not in lex.common:
        # English writes its words without accents: "Cillín", "Vít" are names whose folded forms
        # ("cillin", "vit") happen to be words.
        return Kind.UNKNOWN
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


# A word split off the text with its gaps: `parts` = [gap, word, gap, word, ..., gap].
_SPLIT = regex.compile(rf"({WORD.pattern})")


class _Info:
    """What the finder needs of one word, whatever text it is in; cached per distinct word."""

    __slots__ = ("cap", "common", "common_as_is", "kind", "low", "particle")

    def __init__(self, text: str) -> None:
        self.low = text.lower()
        word = text[:-2] if _POSSESSIVE.search(text) else text
        kind = Kind.INITIAL if len(word) == 1 and word.isupper() else kind_of(word)
        if len(word) <= 3 and word.isupper() and kind in (Kind.UNKNOWN, Kind.WEAK):
            kind = Kind.WORD  # "NG", "OT", "ICU": short capitals are abbreviations
        elif word.isupper() and fold(word) in CAPITAL_ACRONYMS:
            kind = Kind.WORD  # "EHR", "DEA", "OSHA"
        self.kind = kind
        self.cap = _capitalised(text)
        self.particle = self.low in _PARTICLES
        self.common = fold(word) in lexicon().common  # a word of everyday English too
        self.common_as_is = fold(text) in lexicon().common


_INFO: dict[str, _Info] = {}
_INFO_MAX = 200_000  # distinct words remembered (a few tens of MB at most), then forgotten


def _info(word: str) -> _Info:
    info = _INFO.get(word)
    if info is None:
        if len(_INFO) >= _INFO_MAX:
            _INFO.clear()
        info = _INFO[word] = _Info(word)
    return info


class _Tokens:
    """The words of one text with their offsets and the gaps between them, from one split."""

    __slots__ = ("ends", "gaps", "infos", "starts", "text", "words")

    def __init__(self, text: str) -> None:
        parts = _SPLIT.split(text)
        self.text = text
        self.words = parts[1::2]
        self.gaps = parts[0::2]  # gaps[i] is before word i, gaps[i + 1] after it
        self.infos = [_info(w) for w in self.words]
        offsets = list(accumulate(map(len, parts)))
        self.starts = offsets[0::2]
        self.ends = offsets[1::2]


@lru_cache(maxsize=4)
def tokens(text: str) -> _Tokens:
    """The words of `text`, split once and shared by the finders that weigh words (names,
    places) while one text is scanned."""
    return _Tokens(text)


def find(text: str) -> Iterator[tuple[int, int]]:
    """Spans of people's names in `text`, in order, not overlapping."""
    toks = tokens(text)
    infos = toks.infos
    i, count = 0, len(infos)
    while i < count:
        info = infos[i]
        if info.kind == Kind.STRONG and _lower_after_cue(toks, i):  # "pt garcia"
            yield toks.starts[i], toks.ends[i]
            i += 1
            continue
        if not info.cap:
            if _lower_full_name(toks, i):  # "follow up with maria lopez": typed on a phone
                yield toks.starts[i], toks.ends[i + 1]
                i += 2
                continue
            i += 1
            continue
        run = _run_from(toks, i)
        if run:
            start, stop = run
            if _is_name(toks, start, stop):
                yield toks.starts[start], toks.ends[stop - 1]
            i = stop
        else:
            i += 1


def _lower_full_name(toks: _Tokens, i: int) -> bool:
    """A first name and a surname typed in lower case, neither of them a word of the ward or of
    the clinical vocabulary and not both everyday English ("maria lopez", "pieter devries"; not
    "will bill"); or a first name that is no English word before a particle joined to a surname
    ("pieter de-vries"; not "did de-escalation")."""
    if i + 1 >= len(toks.words) or toks.gaps[i + 1] != " ":
        return False
    first, last = toks.words[i], toks.words[i + 1]
    if not (first.islower() and last.islower()):
        return False
    one, two = toks.infos[i], toks.infos[i + 1]
    lex = lexicon()
    if one.kind != Kind.STRONG or fold(first) not in lex.first:
        return False
    head, _, rest = last.partition("-")
    if head in _PARTICLES and rest and not one.common:
        key = fold(rest)
        return key not in lex.common and key not in lex.clinical
    if two.kind != Kind.STRONG or (one.common and two.common):
        return False  # "will bill": two everyday words
    return fold(last) in lex.last


def _run_from(toks: _Tokens, i: int) -> tuple[int, int] | None:
    """The run of capitalised, name-like words starting at token i (particles allowed inside)."""
    infos, text = toks.infos, toks.text
    info = infos[i]
    if info.kind == Kind.INITIAL and text[toks.ends[i] : toks.ends[i] + 1] != ".":
        return None
    if info.kind <= Kind.WORD and not _cued(toks, i) and not _labelled_word(toks, i):
        return None
    stop, count = i + 1, len(infos)
    while stop < count and stop - i < 5:
        nxt, prev = infos[stop], infos[stop - 1]
        gap = toks.gaps[stop]
        if not (
            _JOINERS.fullmatch(gap) or (prev.kind == Kind.INITIAL and _AFTER_INITIAL.fullmatch(gap))
        ):
            break
        if nxt.particle:
            after = _after_particles(toks, stop)  # "van den Berg", "Mac an Bhiocáire"
            if after < count and infos[after].cap and infos[after].kind > Kind.WORD:
                stop = after
                continue
        if _surname_after_first(toks, stop) or _particle_surname_after_first(toks, stop):
            stop += 1  # "Adele G. Fowler", "Rosalind Day", "Pieter De-Vries": the surname ends it
            break
        if not nxt.cap or nxt.kind <= Kind.WORD:
            break
        stop += 1
    while stop > i + 1 and (infos[stop - 1].particle or infos[stop - 1].kind == Kind.INITIAL):
        stop -= 1
    return i, stop


def _surname_after_first(toks: _Tokens, j: int) -> bool:
    """Token j is a surname that is also an eponym or an everyday word ("Fowler", "Bell", "Welch",
    "Day"), right after a first name that is no English word (an initial may stand between):
    "Adele G. Fowler", "Rosalind Day". Alone, or after a word that is not a first name, it stays
    readable ("semi-Fowler's", "Bell's palsy", "Welch Allyn", "Day 3")."""
    info, word = toks.infos[j], toks.words[j]
    if info.kind != Kind.STOP or not info.cap or word.isupper() or _POSSESSIVE.search(word):
        return False
    k = j - 1
    if k > 0 and toks.infos[k].kind == Kind.INITIAL:
        if toks.gaps[k] != " " or toks.gaps[j] not in (". ", " "):
            return False
        k -= 1
    elif toks.gaps[j] != " ":  # not across a sentence's end or a list ("Dr. Chen. Night shift")
        return False
    if k < 0 or toks.infos[k].kind != Kind.STRONG or toks.words[k].isupper():
        return False
    if k > 0 and toks.infos[k - 1].kind > Kind.WORD and _JOINERS.fullmatch(toks.gaps[k]):
        return False  # the first name must open the name: not "Jean Saunders Apt."
    lex = lexicon()
    return fold(toks.words[k]) in lex.first and fold(word) in lex.last


def _particle_surname_after_first(toks: _Tokens, j: int) -> bool:
    """Token j is a particle joined to a surname by a hyphen, right after a first name: "Pieter
    De-Vries", "Omar El-Amin". Alone it may be a word ("De-Escalation", "Le-Fort"), so it is
    taken only after a first name."""
    word = toks.words[j]
    head, _, rest = word.partition("-")
    if head.lower() not in _PARTICLES or not rest[:1].isupper() or toks.gaps[j] != " ":
        return False
    first = toks.infos[j - 1] if j > 0 else None
    return (
        first is not None and first.kind == Kind.STRONG and not toks.words[j - 1].isupper()
        and fold(toks.words[j - 1]) in lexicon().first
    )  # fmt: skip


_IRISH_ARTICLE_AFTER = frozenset(("mac", "nic", "ní", "mhic", "ui"))


def _joining(toks: _Tokens, i: int) -> bool:
    """A particle inside a name, or the "an" of "Mac an"."""
    info = toks.infos[i]
    return info.particle or (
        info.low == "an" and i > 0 and toks.infos[i - 1].low in _IRISH_ARTICLE_AFTER
    )


def _after_particles(toks: _Tokens, i: int) -> int:
    """The token after up to three particles from token i, each after a single space; "an" counts
    after an Irish "Mac"/"Nic" ("Mac an Bhiocáire")."""
    count = len(toks.infos)
    j = i
    while j < count and j - i < 3 and toks.gaps[j] == " ":
        if not _joining(toks, j):
            break
        j += 1
    return j if j < count and toks.gaps[j] == " " else count


def _cue_before(toks: _Tokens, i: int) -> str:
    """The word just before token i when only spaces, a period, colon or comma separate them."""
    if i == 0:
        return ""
    gap = toks.gaps[i]
    if len(gap) > 3 or gap.strip(" \t.:,#") != "":
        return ""
    return toks.infos[i - 1].low


def _cued(toks: _Tokens, i: int) -> bool:
    cue = _cue_before(toks, i)
    return cue in HONORIFICS or cue in TITLES


def _lower_after_cue(toks: _Tokens, i: int) -> bool:
    info = toks.infos[i]
    if not toks.words[i].islower():
        return False
    cue = _cue_before(toks, i)
    return (cue in PATIENT_CUES or cue in HONORIFICS) and not info.common_as_is


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'(*-•>")
    return not before or before[-1] in ".!?:;\n"


def _is_name(toks: _Tokens, start: int, stop: int) -> bool:
    text, infos = toks.text, toks.infos
    run = range(start, stop)
    kinds = [
        infos[t].kind for t in run
        if not _joining(toks, t) and infos[t].kind != Kind.INITIAL
        and not (
            t == stop - 1 and t > start
            and (_surname_after_first(toks, t) or _particle_surname_after_first(toks, t))
        )
    ]  # fmt: skip
    if not kinds:
        return False
    best = max(kinds)
    if best == Kind.FOREIGN:
        return True
    first, first_end = toks.words[start], toks.ends[start]
    cue = _cue_before(toks, start)
    if cue in HONORIFICS or cue in TITLES:  # "Nurse Kelly", "Dr. Bell": the title decides
        return fold(first) not in NOT_NAMES and fold(first) not in ROLE_WORDS
    strong_cue = (
        cue in RELATIVES or cue in PATIENT_CUES or _NAME_IS.search(text, 0, toks.starts[start])
    )
    if strong_cue or _labelled(text, toks.starts[start], cue):
        if infos[start].kind <= Kind.WORD:  # "Name: Vít Marek" yes, "Patient: Fall Risk High" no
            return best >= Kind.STRONG
        if everyday_words([toks.words[t] for t in run if infos[t].kind != Kind.INITIAL]):
            return False  # "Patient: Fall Risk High": everyday words, no first name in it
        return best >= Kind.UNKNOWN or len(kinds) > 1
    if min(kinds) <= Kind.WORD:
        return False
    if best == Kind.STRONG:
        if len(kinds) > 1 or _SPEAKER.match(text, first_end) or _VERB_AFTER.match(text, first_end):
            return True
        return not (infos[start].common and _sentence_start(text, toks.starts[start]))
    if all(toks.words[t].isupper() for t in run):  # a shouted sentence or a header: only sure names
        return False
    if len(kinds) >= 2:
        return Kind.UNKNOWN in kinds or cue in VERB_CUES
    if kinds[0] == Kind.UNKNOWN:
        if start > 0 and toks.gaps[start][-1:].isdigit():
            return False  # glued to a code before it: "J1Fphoto", "4Wsouth"
        if _NON_ASCII.search(first) or (_SPEAKER.match(text, first_end) and not first.isupper()):
            return True
        if _VERB_AFTER.match(text, first_end):  # "Gbolahan is ...", "Nijito lives on ..."
            return True
        return not first.isupper() and not _sentence_start(text, toks.starts[start])
    return (
        cue in VERB_CUES and not first.isupper() and not _sentence_start(text, toks.starts[start])
    )


def everyday_words(words: list[str]) -> bool:
    """Two or more words, every one everyday English and none a first name: "Fall Risk High". A
    single such word stays a name after a label ("Patient: Hill"): privacy first. Both name finders
    (this one and phi_rules' titled names) ask it."""
    lex = lexicon()
    keys = [fold(w.strip(".,;:")) for w in words]
    return len(keys) >= 2 and all(k in lex.common and k not in lex.first for k in keys)


def _labelled_word(toks: _Tokens, i: int) -> bool:
    """A capitalised everyday word right after a field label ("Name: Vít Marek") may start a run."""
    info = toks.infos[i]
    if not info.cap or info.kind != Kind.WORD:
        return False
    return _labelled(toks.text, toks.starts[i], _cue_before(toks, i))


def _labelled(text: str, start: int, cue: str) -> bool:
    """A field label right before: "Name: ", "Patient:\t", "PATIENT NAME: "."""
    if cue not in FIELD_LABELS:
        return False
    head = text[max(0, start - 4) : start]
    return ":" in head
