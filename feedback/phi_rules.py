"""Presidio recognizers for the PHI guard, with the regexes and word lists they run on."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial
from importlib import resources

# Must precede the Presidio import: tldextract would otherwise fetch the public-suffix list.
os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts

from feedback import phi_names
from feedback.phi_regex import Lowered
from feedback.phi_terms import NOT_NAMES

# Each pattern marks what to mask with the named group `v`; the cue around it stays readable.


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- MRN and other record/account numbers (HIPAA lists account numbers too) -------------------
MRN = Lowered(
    r"(?ix)\b(?:MRN|MR\s*\#|MR(?=\s*:?\s*\d{6})|FIN|CSN|HAR|acct|"
    r"(?:med(?:ical)?\s+rec(?:ord)?|account|encounter|chart|visit)\s*(?:number|num|no\.?|\#))"
    r"\s*(?:\#|no\.?|number)?\s*(?:[:=]|is|was)?\s*"
    r"(?P<v>(?<![\d-])\d[\d-]{4,12}\d)(?![\d-])"
)

# --- SSN: its own rule, because Presidio rejects the well-known sample numbers -----------------
SSN_SHAPED = re.compile(r"(?<![\d-])(?P<v>\d{3}([- ])\d{2}\2\d{4})(?![\d-])")
SSN_CUED = Lowered(
    r"(?ix)\b(?:SSN|SS\#|soc(?:ial)?\s+sec(?:urity)?(?:\s+(?:number|no\.?|\#))?)"
    r"\s*(?:\#|:|is|was|ending(?:\s+in)?|last\s+(?:4|four)(?:\s+digits)?)?\s*(?:is|:)?\s*"
    r"(?P<v>\d{9}|\d{3}[- ]\d{2}[- ]\d{4}|\d{4})(?!\d)"
)

# --- DOB: a cue, up to a few filler words, then a date; only the date is masked ---------------
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"
    r"|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+|-){_MONTH}(?:\s+|-|,\s*)\d{{2,4}}"
    rf"|{_MONTH}\s+\d{{4}})"
)
DOB = Lowered(
    r"(?ix)\b(?:D\.?O\.?B\.?|date\s+of\s+birth|birth\s*date|birthday|born|b\.d\.)"
    r"(?:\s*[:\#=-])?(?:\s+[^\s\d.;]+){0,5}?\s*:?\s*"
    rf"(?P<v>{_DATE})(?![\d/])"
)
# A full date with a four-digit year this old is a birth date in practice: workflow notes talk
# about this month's go-live, not 1950. The year check lives in `old_full_date`.
FULL_DATE = re.compile(
    r"(?<![\w/.-])(?P<v>\d{1,2}([/.-])\d{1,2}\2(?P<y1>\d{4})|(?P<y2>\d{4})-\d{1,2}-\d{1,2}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?P<y3>\d{{4}})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+|-){_MONTH}(?:\s+|-|,\s*)(?P<y4>\d{{4}}))(?![\w/-])"
)
OLD_YEARS_BEFORE = 12  # years before today; younger patients' dates still need a DOB cue


# --- Phone numbers, pagers and extensions (staff numbers are masked too) ---------------------
PHONE_FULL = re.compile(
    r"(?x)(?<![\w/.-])(?P<v>(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}"
    r"(?:\s*(?:x|ext\.?|extension)\s*\d{2,6})?)(?![\w/-])"
)
PHONE_LOCAL = re.compile(r"(?<![\w/.-])(?P<v>\d{3}-\d{4})(?![\w/-])(?!\s*(?:mg|mcg|ml|units?)\b)")
PHONE_CUED = Lowered(
    r"(?ix)\b(?:ext\.?|extension|pager|beeper|cell|mobile|phone|tel|callback(?:\s+number)?|"
    r"call\s*back\s+(?:number|\#)|spectralink|x(?=\d))"
    r"\s*(?:\#|no\.?|number|is|:|at)?\s*"
    r"(?P<v>\d{1,2}-\d{4}|\d{4,7})(?![\w:])"
)

# --- Email: Presidio's recognizer also checks the TLD against the public-suffix list, which
# misses internal hospital domains (".local", ".internal", ".example"); this one does not.
EMAIL = re.compile(r"(?<![\w.+-])(?P<v>[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})\b")

# --- Street addresses and PO boxes, optionally with unit, city, state and ZIP ----------------
_SUFFIX_WORDS = (
    "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Court|Ct|Way|Place|Pl|"
    r"Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Trail|Trl|Square|Sq|Loop|Pike|Row|"
    "Crescent|Cres|Alley|Plaza|Expressway|Turnpike"
)
_SUFFIX = rf"(?:{_SUFFIX_WORDS})\.?"
STREET_WORDS = frozenset(_SUFFIX_WORDS.split("|"))  # for gates
_STATE = (
    r"(?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|"
    r"NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC)"
)
_WORD = r"(?:[A-Z][a-zA-Z'.-]*|\d+(?:st|nd|rd|th)|[NSEW]\.?)"
_UNIT = r"(?:,?\s+(?:(?:Apt|Apartment|Unit|Suite|Ste|Lot)\b|\#)\.?\s*\#?\s*[\w-]{1,6})"
_CITY = (
    rf"(?:,\s*[A-Z][a-zA-Z.-]+(?:\s+[A-Z][a-zA-Z.-]+){{0,2}}"
    rf"(?:,?\s+{_STATE}\b)?(?:\s+\d{{5}}(?:-\d{{4}})?)?)"
)
ADDRESS = re.compile(
    rf"(?x)(?<![\w#-])(?P<v>\d{{1,6}}[A-Za-z]?\s+(?:{_WORD}\s+){{0,3}}{_SUFFIX}(?![\w])"
    rf"{_UNIT}?{_CITY}?)"
    rf"|(?<!\w)(?P<w>P\.?\s?O\.?\s+Box\s+\d{{1,6}}{_CITY}?)"
)
# Lower-case street addresses are only trusted right after an explicit "lives at"-type cue.
ADDRESS_CUED = Lowered(
    r"(?ix)\b(?:lives|living|resides|residing|staying|home|address|addr|discharged|moved)"
    r"(?:\s+(?:at|to|is|on|of))*\s*:?\s*"
    rf"(?P<v>\d{{1,6}}\s+(?:[a-z0-9'.-]+\s+){{1,3}}{_SUFFIX}(?![\w]){_UNIT}?{_CITY}?)"
)

# --- ROOM: a room/bed identifier tied to a person --------------------------------------------
_ROOMKW = r"(?:room|rm\.?|bed|bay|pod|stretcher|hall\s+bed)"
_ID = r"(?:\d{1,4}[A-Za-z]?(?:-\d{1,2}|-[A-Da-d])?)"
_ROOM_FULL = (
    rf"(?:(?:NICU|PICU|MICU|SICU|CCU|ICU|ED|PACU|L&D)\s+)?(?:{_ROOMKW}\s*\#?\s*{_ID}"
    rf"(?:\s*[,/]?\s*(?:bed|bay|b)\s*\#?\s*\d{{1,2}}[A-Da-d]?)?)"
)
_BARE_ID = r"(?:\d{2,4}[A-Da-d](?:-\d)?|\d{1,4}-[A-Da-d1-9]|\d{3,4})"
_NOT_AFTER = (
    r"(?!\s*(?:West|East|North|South|Tower|Wing|Main|Med|Surg|ICU|min|mins|minutes|hrs?|hours?|"
    r"days?|weeks?|times|x\b|mg|mcg|ml|units|am|pm|patients|pts|beds|rooms|RNs|%|th\b|st\b|nd\b|rd\b)"
    r"|\s*[:.]\d)"
)
# Pronouns and "family" are left out on purpose: they tie rooms to staff and lounges too often.
_PERSON = r"(?:pt|pts|patient|patients|resident|Mr|Mrs|Ms|Mx|Miss)"
_NOT_A_PERSON = (
    r"(?!\s*(?:monitor|portal|education|lift|chair|experience|safety|advocate|relations|"
    r"transport|board|list|flow|care\s+tech|tracking|label|wristband|kiosk)s?\b)"
)
ROOM_AFTER_PERSON = Lowered(
    rf"(?ix)\b{_PERSON}\b\.?{_NOT_A_PERSON}[^.;\n]{{0,40}}?(?:\b(?:in|at|from|to|into|of)|,|\()"
    rf"\s*(?:the\s+)?(?P<v>{_ROOM_FULL}\b|(?<=in\s){_BARE_ID}\b{_NOT_AFTER})"
)
ROOM_BEFORE_PERSON = Lowered(
    rf"(?ix)(?P<v>\b{_ROOM_FULL})\b(?:'s)?(?=[,:)\s-]{{1,4}}(?:(?:the|a|our|your|new|old)\s+)?"
    rf"(?:{_PERSON}|pt's|patient's)\b\.?{_NOT_A_PERSON})"
)
# Patients, not supplies, are transferred, moved, admitted or discharged to/from a room.
ROOM_TRANSFER = Lowered(
    rf"(?ix)\b(?:transfer(?:red)?|moved|admit(?:ted)?|discharged?|bumped)\s+(?:from|to|into)\s+"
    rf"(?:the\s+)?(?P<v>{_ROOM_FULL})\b(?!\s+(?:supply|supplies|closet|storage|utility|conference|"
    rf"lounge|break|clean|dirty|equipment|linen|med(?:ication)?\s+room|office|tray|cart)s?\b)"
)
ROOM_ID_PATIENT = re.compile(
    r"(?x)(?:\b[Tt]he\s+(?P<v>\d{2,4}[A-Da-d]?)|(?<![\w-])(?P<w>\d{2,4}[A-Da-d]))"
    r"(?:'s)?\s+(?:pt|patient|family|bed)\b"
)
ROOM_NAME_IN = re.compile(
    r"(?x)\b(?P<n>[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'\u2019-]+)\s+"
    rf"(?:is\s+|was\s+)?(?:in|from)\s+"
    rf"(?P<v>(?i:{_ROOM_FULL})\b|{_BARE_ID}\b{_NOT_AFTER})"
)

# --- Names -----------------------------------------------------------------------------------
# Letter classes reach past ASCII so "Müller" or "Núñez" are whole words; \u2019 is the curly '.
_UP = "A-ZÀ-ÖØ-Þ"
_LO = "a-zß-öø-ÿ"
_APOS = "'\u2019"
_NAMEPART = (
    rf"(?:[{_UP}][{_LO}]*[{_APOS}][{_UP}][{_LO}]+"
    rf"|[{_UP}][{_LO}{_UP}]+(?:-[{_UP}][{_LO}{_UP}]+)?|[{_UP}]\.)"
)
_PARTICLE = r"(?:de|del|de\s+la|van|von|der|da|di|le|la|al|bin|ibn)"
_NAMESEQ = rf"{_NAMEPART}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_NAMEPART}){{0,3}}"
# Upper-case "MS"/"MR" are left out: in notes they mean multiple sclerosis, mitral regurgitation.
NAME_TITLED = re.compile(
    r"\b(?:(?P<hon>Mr|Mrs|Ms|Mx|Miss|Mister)\.?|(?P<pt>Pt|pt|Patient|patient)\.?"
    r"|(?P<rel>daughter|son|wife|husband|spouse|partner|mother|father|sister|brother|caregiver"
    r"|granddaughter|grandson|niece|nephew|mom|dad|baby\s+(?:girl|boy)|newborn|infant))"
    rf"[ \t]*[,:]?[ \t]+(?P<v>{_NAMESEQ})"  # "Pt: OKAFOR", as on a unit patient list
)
# After an honorific a lower-case word is still a name ("mrs lopez"); after "pt" it is not.
NAME_HON_LOWER = re.compile(
    rf"\b(?:mr|mrs|ms|mx|miss)\.?[ \t]+(?P<v>[{_LO}][{_LO}{_APOS}-]{{1,20}})\b"
)
_FIRST = rf"(?P<f>[{_UP}][{_LO}]+(?:-[{_UP}][{_LO}]+)?)"
_LAST = (
    rf"(?P<l>(?:{_PARTICLE}[ \t]+)?[{_UP}][{_LO}]*(?:[{_APOS}][{_UP}])?[{_LO}]+"
    rf"(?:-[{_UP}][{_LO}]+)?)\b"
)
NAME_PAIR3 = re.compile(rf"{_FIRST}[ \t]+(?P<m>[{_UP}]\.?|[{_UP}][{_LO}]+)[ \t]+{_LAST}")
NAME_PAIR2 = re.compile(rf"{_FIRST}[ \t]+{_LAST}")
NAME_LAST_FIRST = re.compile(
    rf"(?<![\w.])(?P<l>[{_UP}][{_LO}]+|[{_UP}]{{2,}})[ \t]*,[ \t]*"
    rf"(?P<f>[{_UP}][{_LO}]+|[{_UP}]{{2,}})\b(?:[ \t]+(?P<m>[{_UP}])\b\.?)?"
)
# Clinicians' names are not patient PHI: a pair preceded by one of these cues is left alone.
CLINICIAN_BEFORE = re.compile(
    r"(?ix)(?:\b(?:dr|doctor|nurse|rn|lpn|cna|np|pa|md|do|aprn|crna|pharmacist|pharmd|rph|"
    r"therapist|rt|pt/ot|ot|slp|attending|resident|fellow|intern|hospitalist|intensivist|"
    r"surgeon|provider|prof|charge|manager|director|educator|tech|technician|unit\s+clerk|"
    r"clerk|scribe|dietitian|chaplain|sw|social\s+worker|case\s+manager|cm|midwife|"
    r"physician|colleague|preceptor|informaticist|analyst|admin|supervisor)\.?\s*[:,]?\s*)$"
)
CLINICIAN_AFTER = re.compile(r"^,?\s*(?:RN|MD|DO|NP|PA-?C?|PharmD|RPh|RT|LPN|CNA|APRN|CRNA)\b")


# Eponyms, devices and products that look like names; never masked on their own.
ALLOWED_TERMS = _words(
    """
    morse braden foley apgar jackson-pratt glasgow allen homans murphy babinski doppler swan
    ganz swan-ganz trendelenburg fowler fowlers heimlich hickman broviac groshong yankauer
    ambu dobhoff salem coude epic cerner meditech pyxis omnicell vocera alaris baxter sigma
    hill-rom stryker philips welch allyn carefusion haiku rover canto hyperspace kardex
    spectralink teams outlook excel zoll medtronic hologic tegaderm bair hugger ensure
    lasix tylenol norco heparin zosyn vanc vancomycin narcan ativan haldol versed
    dilaudid morphine insulin lantus humalog kcl mar emar bpa bmat cows ciwa news mews
    sbar ipass ticket servicenow jira sharepoint workday kronos api hl7 fhir
    """
)
ALLOWED_PHRASES = (
    "jackson pratt",
    "welch allyn",
    "bair hugger",
    "hill rom",
    "miami j",
    "salem sump",
)

# Upper-case clinical abbreviations that follow "pt"/"patient" ("pt NPO since midnight") and look
# like an all-caps surname. Vowel-less ones (DNR, CHF, HTN) are caught by shape; these have vowels.
CLINICAL_ACRONYMS = _words(
    """
    npo esi icu iv uti copd abg ekg ecg dka als acls bls inr esrd afib picc og niv bipap cpap
    hfnc ama lwbs adt ot slp clabsi cauti hapi vte fsbg poc adl adls pacu pca cva gi pe sob bid
    tid qid mri ct ed eta dnr dni poa aox aox3 ao hob iso ivpb sq im
    """
)

# Title-case words common in English and in workflow text that also appear in census lists.
COMMON_WORDS = _words(
    """
    will mark may june april august grace hope faith joy bill pat rose lily ruby pearl
    call hall west east north south long young king green white brown black gray grey
    day night early late short new old fall spring summer winter rapid code blue red
    warning score sugar blood nurse patient care room bed job aid safety sign signs
    bishop dean chase major price cash bond case page pierce guy frank earnest
    ward wards bay bays bell rich sharp small strong swift walker cook baker
    best hart love mercy star stone wood woods field fields park parks
    hill hills lane street court way ford rivers banks brooks bridges
    sweet gentle noble royal bright moody power powers person reading
    friday monday tuesday wednesday thursday saturday sunday march
    charge stat home front desk cart team unit floor house office general
    english spanish dr doctor mister madam pt rn md
    tech lead head chief main central med pharm ortho neuro cardio trauma
    judge lord marshall miller fisher hunter porter gardener mason carter
    wise noel christmas easter may-day
    """
)

# Unit and area names: a capitalised word before these is part of a unit name, not a person.
UNIT_WORDS = _words(
    "west east north south tower wing pavilion unit icu micu sicu picu nicu pacu ed er "
    "med surg medsurg tele telemetry stepdown l&d ob or cath lab"
)


def _load_census(filename: str, limit: int | None) -> frozenset[str]:
    text = resources.files("names").joinpath(filename).read_text(encoding="utf-8")
    words = [line.split()[0].lower() for line in text.splitlines() if line.strip()]
    return frozenset(words[:limit] if limit else words)


@lru_cache(maxsize=1)
def census_first_names() -> frozenset[str]:
    """US Census first names bundled with the `names` package (MIT), lower-cased."""
    return _load_census("dist.male.first", None) | _load_census("dist.female.first", None)


@lru_cache(maxsize=1)
def census_last_names() -> frozenset[str]:
    """US Census surnames bundled with the `names` package (MIT), lower-cased."""
    return _load_census("dist.all.last", None)


# --- recognizers ------------------------------------------------------------------------------

Validator = Callable[[re.Match[str]], bool]
SCORES = {
    "SSN": 0.95,
    "MRN": 0.95,
    "DOB": 0.95,
    "EMAIL": 0.9,
    "PHONE": 0.85,
    "ADDRESS": 0.86,  # above PHONE: "Apt. 634 6677 Wilson Squares" is one address
    "ROOM": 0.7,
    "NAME": 0.6,
}


def _value_span(match: re.Match[str]) -> tuple[int, int] | None:
    """The masked part of a match: group `v`, else `w`, else nothing."""
    for group in ("v", "w"):
        if group in match.re.groupindex and match.group(group) is not None:
            return match.span(group)
    return None


_LETTERS = re.compile(r"[A-Za-z]+")
# Digits and what joins them inside one phone number, SSN, date or record number: spaces, dots,
# dashes, slashes, parentheses, "+", and an extension's "x" / "ext". Generous on purpose: a gate
# may admit too much, never too little.
_CLUSTER = re.compile(r"\d(?:[\d\s().+/,-]|x|ext)*")
_NOT_DIGITS = {c: None for c in map(ord, "0123456789")}


def ascii_digits(text: str) -> int:
    return len(text) - len(text.translate(_NOT_DIGITS))


class TextView:
    """What gates look at, computed once per scanned text.

    - `lower`: the text lower-cased; `digits`: how many 0-9 it has;
    - `run`: the most digits in one cluster (digits joined by spaces, dots, dashes, slashes,
      parentheses, "+", "x", "ext"): a phone needs 6-10 of them together, an SSN 9, a time has 4;
    - `words` / `cased`: the set of its letter runs, lower-cased / as written, for cue words and
      street suffixes that must stand as a word of their own ("pt", not the "pt" of "prompt");
      `heads` / `tails`: the lower-case letter runs, each after a space / the capitalised ones,
      each before a space, for "a word starting / ending so" as one substring test.

    Only ASCII texts get a view: there `str.lower()`, 0-9 and A-Z agree exactly with the
    patterns' IGNORECASE, `\\d` and `\\b`. Other texts get no view, and every part runs on them."""

    __slots__ = ("_cased", "_heads", "_tails", "_words", "digits", "lower", "run", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.lower = text.lower()
        self.digits = ascii_digits(text)
        self.run = max(map(ascii_digits, _CLUSTER.findall(text))) if self.digits else 0
        self._cased: frozenset[str] | None = None
        self._words: frozenset[str] | None = None
        self._heads: str | None = None
        self._tails: str | None = None

    @classmethod
    def of(cls, text: str) -> TextView | None:
        return cls(text) if text.isascii() else None

    @property
    def cased(self) -> frozenset[str]:
        if self._cased is None:
            self._cased = frozenset(_LETTERS.findall(self.text))
        return self._cased

    @property
    def words(self) -> frozenset[str]:
        if self._words is None:
            self._words = frozenset(_LETTERS.findall(self.lower))
        return self._words

    @property
    def heads(self) -> str:
        if self._heads is None:
            self._heads = " " + " ".join(self.words)
        return self._heads

    @property
    def tails(self) -> str:
        if self._tails is None:
            self._tails = " ".join(w for w in self.cased if w[0].isupper()) + " "
        return self._tails


@dataclass(frozen=True)
class Gate:
    """What any match of a part needs, checked with C-speed set and substring tests before any
    regex runs: at least `min_digits` digits, and `run` of them in one cluster; one of `cues` in
    the lower-cased text (and one of `also`); one of `cased` in the text as written; one of each
    set in `words` among its lower-cased letter runs; one of `cased_words` among its letter runs
    as written; a lower-cased letter run starting with one of `starts`; a capitalised letter run
    ending with one of `endings`. tests/feedback/test_phi.py checks that no gate ever hides a
    match."""

    min_digits: int = 0
    cues: tuple[str, ...] = ()
    cased: tuple[str, ...] = ()
    also: tuple[str, ...] = ()  # a second group of lower-case cues, one of which must be there too
    run: int = 0
    words: tuple[frozenset[str], ...] = ()  # each set: one of its words must be there
    cased_words: frozenset[str] = frozenset()
    starts: tuple[str, ...] = ()
    endings: tuple[str, ...] = ()
    checks: tuple[Callable[[TextView], bool], ...] = field(default=(), init=False, repr=False)

    def __post_init__(self) -> None:
        # Only the conditions this gate has, as C-speed tests: no call for an empty field.
        checks: list[Callable[[TextView], bool]] = []
        for words in self.words:
            checks.append(partial(_meets, words))
        if self.cased_words:
            checks.append(lambda v: not self.cased_words.isdisjoint(v.cased))
        for needles, where in (
            (self.cues, "lower"),
            (self.also, "lower"),
            (self.cased, "text"),
            (tuple(" " + s for s in self.starts), "heads"),
            (tuple(e + " " for e in self.endings), "tails"),
        ):
            if needles:
                checks.append(
                    lambda v, n=needles, a=where: _any_in(n, getattr(v, a))  # type: ignore[misc]
                )
        object.__setattr__(self, "checks", tuple(checks))

    def admits(self, view: TextView | None) -> bool:
        if view is None:
            return True
        if view.digits < self.min_digits or view.run < self.run:
            return False
        for check in self.checks:  # noqa: SIM110 (a plain loop: cheaper than all())
            if not check(view):
                return False
        return True


@dataclass(frozen=True)
class Either:
    """A pattern with alternative branches: it may match where any branch's gate admits."""

    gates: tuple[Gate, ...]

    def admits(self, view: TextView | None) -> bool:
        return any(gate.admits(view) for gate in self.gates)


def _meets(words: frozenset[str], view: TextView) -> bool:
    return not words.isdisjoint(view.words)


def _any_in(needles: tuple[str, ...], haystack: str) -> bool:
    if not needles:
        return True
    for needle in needles:  # noqa: SIM110 (a plain loop: cheaper than any() over a generator)
        if needle in haystack:
            return True
    return False


Typed = tuple[int, int, str]  # start, end, PHI type
Part = tuple[Callable[[str], list[Typed]], "Gate | Either"]


class GatedRecognizer(EntityRecognizer):
    """A Presidio recognizer made of parts: span finders, each with the Gate its matches need."""

    def __init__(self, entities: list[str], parts: list[Part], name: str) -> None:
        self.parts = parts
        super().__init__(supported_entities=entities, name=name)

    def load(self) -> None:
        """Nothing to load: the patterns are compiled at import."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        view = TextView.of(text)
        return [
            RecognizerResult(kind, start, end, SCORES[kind])
            for finder, gate in self.parts
            if gate.admits(view)
            for start, end, kind in finder(text)
        ]


class RegexGroupRecognizer(GatedRecognizer):
    """Runs regexes whose named group `v` (or `w`) is the identifier; the cue stays readable."""

    def __init__(
        self,
        entity: str,
        patterns: list[tuple[re.Pattern[str], Gate | Either]],
        validator: Validator | None = None,
        name: str | None = None,
    ) -> None:
        self.entity, self.validator = entity, validator
        parts: list[Part] = [(partial(self._spans, p), gate) for p, gate in patterns]
        super().__init__([entity], parts, name or f"Rounds{entity.title()}")

    def _spans(self, pattern: re.Pattern[str], text: str) -> list[Typed]:
        found = []
        for match in pattern.finditer(text):
            span = _value_span(match)
            if span and (self.validator is None or self.validator(match)):
                found.append((*span, self.entity))
        return found


_RELATIVES = _words(
    "daughter son wife husband spouse partner mother father sister brother caregiver niece "
    "nephew mom dad baby newborn infant"
)
# What NAME_TITLED and NAME_HON_LOWER need (lower-cased): a title, "pt"/"patient" or a relative.
_TITLE_WORDS = frozenset(("mr", "mrs", "ms", "mx", "miss", "mister", "pt", "patient", *_RELATIVES))


def _named(find: Callable[[str], Iterator[tuple[int, int]]]) -> Callable[[str], list[Typed]]:
    return lambda text: [(start, end, "NAME") for start, end in find(text)]


_CENSUS_PAIRS = _named(lambda text: _census_pairs(text))
_NAME_FINDER = _named(lambda text: phi_names.find(text))
LEXICON_FINDERS = (_CENSUS_PAIRS, _NAME_FINDER)  # the parts that weigh name lists


class NameRecognizer(GatedRecognizer):
    """Patient and family names: title cues, census first+last pairs, "Last, First" lists."""

    def __init__(self) -> None:
        parts: list[Part] = [
            (_named(_titled_names), Gate(words=(_TITLE_WORDS,))),
            (_CENSUS_PAIRS, Gate()),
            (_NAME_FINDER, Gate()),
            (_named(_last_first), Gate(cues=(",",))),
        ]
        super().__init__(["NAME"], parts, "RoundsName")

    def load(self) -> None:
        phi_names.kind_of("Warm")
        census_first_names()
        census_last_names()


class RoomOfNameRecognizer(GatedRecognizer):
    """ "Okafor in 412": a census name before "in <room>" is a patient's name and their room."""

    def __init__(self) -> None:
        super().__init__(
            ["ROOM", "NAME"],
            [(_room_of_name, Gate(1, words=(frozenset(("in", "from")),)))],
            "RoundsRoomOfName",
        )


def _room_of_name(text: str) -> list[Typed]:
    found: list[Typed] = []
    for match in ROOM_NAME_IN.finditer(text):
        if valid_single_name(match):
            found += [(*match.span("n"), "NAME"), (*match.span("v"), "ROOM")]
    return found


# --- name heuristics ------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\s]+")


def _is_blocked(word: str) -> bool:
    low = word.lower().rstrip(".")
    return low in NOT_NAMES or low in ALLOWED_TERMS or low in UNIT_WORDS


def _is_census(word: str) -> bool:
    low = word.lower()
    return low in census_first_names() or low in census_last_names()


def _titled_names(text: str) -> Iterator[tuple[int, int]]:
    for match in NAME_TITLED.finditer(text):
        start = match.start("v")
        tokens = list(_TOKEN.finditer(match.group("v")))
        kept = _leading_name_tokens([t.group() for t in tokens])
        if not kept:
            continue
        first = tokens[0].group()
        if match.group("rel") and not (_is_census(first) and first.lower() not in COMMON_WORDS):
            continue
        if match.group("pt") and phi_names.everyday_words([t.group() for t in tokens[:kept]]):
            continue  # "Patient: Fall Risk High"
        yield start, start + tokens[kept - 1].end()
    for match in NAME_HON_LOWER.finditer(text):
        if not _is_blocked(match.group("v")):
            yield match.span("v")


_PARTICLES = _words("de del la van von der da di le al bin ibn")


def _is_acronym(word: str) -> bool:
    """An all-caps clinical abbreviation ("NPO", "DNR"), not an all-caps surname ("LEE", "NG")."""
    core = word.strip(".,;:()")
    if not (core.isupper() and core.isalpha() and len(core) <= 6):
        return False
    if core.lower() in CLINICAL_ACRONYMS or (len(core) <= 2 and not set(core) & set("AEIOUY")):
        return True  # "NG", "OT": two capitals and no vowel are an abbreviation
    return not set(core) & set("AEIOUY") and not _is_census(core)


def _leading_name_tokens(words: list[str]) -> int:
    """How many leading words form the name (stops at the first workflow word)."""
    count = 0
    for word in words:
        if (_is_blocked(word) or _is_acronym(word)) and word.lower() not in _PARTICLES:
            break
        count += 1
    while count and words[count - 1].lower() in _PARTICLES:
        count -= 1
    return count


_CAP_WORD = re.compile(r"(?<![\w.-])(?<!\w['\u2019])[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]")


def _census_pairs(text: str) -> Iterator[tuple[int, int]]:
    """First name + surname, both in the census lists, not a clinician and not a product."""
    pos = 0
    for cap in _CAP_WORD.finditer(text):
        if cap.start() < pos:
            continue
        for pattern in (NAME_PAIR3, NAME_PAIR2):
            match = pattern.match(text, cap.start())
            if match and _valid_pair(text, match):
                pos = match.end()
                yield match.span()
                break


def _valid_pair(text: str, match: re.Match[str]) -> bool:
    first, last = match.group("f"), match.group("l").split()[-1]
    middle = match.groupdict().get("m")
    words = [first, last] + ([middle] if middle else [])
    if first.lower() not in census_first_names() or last.lower() not in census_last_names():
        return False
    if any(_is_blocked(w) for w in words) or _allowed_phrase(match.group()):
        return False
    return not (first.lower() in COMMON_WORDS and last.lower() in COMMON_WORDS)


def _allowed_phrase(phrase: str) -> bool:
    low = " ".join(phrase.lower().replace("-", " ").split())
    return any(p in low for p in ALLOWED_PHRASES)


def _is_clinician(text: str, start: int, end: int) -> bool:
    """Clinicians' names ("Dr. Ana Ruiz", "Maria Lopez, RN") are not patient PHI: kept."""
    before = text[max(0, start - 24) : start]
    return bool(CLINICIAN_BEFORE.search(before) or CLINICIAN_AFTER.match(text[end : end + 12]))


def _last_first(text: str) -> Iterator[tuple[int, int]]:
    """EHR list style "Lopez, Maria" or "LOPEZ, MARIA"."""
    for match in NAME_LAST_FIRST.finditer(text):
        last, first = match.group("l").lower(), match.group("f").lower()
        if last not in census_last_names() or first not in census_first_names():
            continue
        if (last in COMMON_WORDS and first in COMMON_WORDS) or _is_blocked(first):
            continue
        # "West, Delbert" is a name; "4 West, Maria said" is a unit followed by a first name.
        after_number = re.search(r"\d\s*$", text[: match.start()])
        if _is_blocked(last) and (last not in UNIT_WORDS or after_number):
            continue
        yield match.span()


def old_full_date(match: re.Match[str]) -> bool:
    """True when the date's year is old enough to be a birth date rather than a work date."""
    year = next(int(y) for y in match.group("y1", "y2", "y3", "y4") if y)
    return 1900 <= year <= date.today().year - OLD_YEARS_BEFORE


def valid_single_name(match: re.Match[str]) -> bool:
    """A lone capitalised word before "in 412" counts as a name only if the census knows it."""
    word = match.group("n")
    return _is_census(word) and word.lower() not in COMMON_WORDS and not _is_blocked(word)


class NoContextEnhancer(ContextAwareEnhancer):
    """Skips Presidio's context boosting: cues live in our regexes, and without an NLP model the
    default enhancer has no lemmas to use yet deep-copies every result (half the scan time)."""

    def __init__(self) -> None:
        super().__init__(0.0, 0.0, 0, 0)

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        return raw_results
