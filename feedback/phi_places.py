"""Street addresses that carry no street word, found by weighing words: "Gilsbakka 57",
"Democracia 7069, Delta del Tigre", "Pod Floriánem 1677", "Trenerys gate 232".

A house number after one to four words is a street address when the words look like a place's
name and not like workflow language: at least one of them is no English or clinical word (an
unknown word, a name, letters no English word has, another script), none is a clinical term, a
role or an honorific, and they are not all capitals (a header, a score: "GCS 15"). The number
must end the phrase (end of text or line, a comma, a sentence's end): "Bay 12", "Room 12",
"Braden 14", "Station 4" are English or clinical words; "Okonjo 2 days" goes on in lower case.
A city after a comma is part of the address ("…, Delta del Tigre").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import regex

from feedback.phi_lexicon import fold, lexicon
from feedback.phi_names import Kind, _sentence_start, kind_of, tokens
from feedback.phi_terms import HONORIFICS, TITLES


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Lower-case words inside a street's or a town's name: particles and street words of several
# languages ("Trenerys gate 232", "Dayka Gábor u. 18", "Šmartno ob Paki").
CONNECTORS = _words(
    """
    de del della der den di da do dos das du des la las los le les lo el y e van von ten ter ob
    pod na nad u ul al pl os sur sous am an im zum zur bei og i et a au aux gate gata gaten vei
    veien vegen vej gade gatan vagen utca ut ter ulica ulice cesta z pri v rakpart út útja tér
    körút köz sétány sor
    """
)
# Words naming a kind of street in several languages, lower-cased: "Via", "C/", "Ctra.", "Rua",
# "ul.", "chemin", "Postbox". Before the name they belong to it whatever the lexicon says.
STREET_TYPES = _words(
    """
    via viale vicolo piazza piazzetta corso largo strada contrada rue avenue av avda avenida
    boulevard bd bld chemin faubourg impasse allee place quai route cours calle c ctra carretera
    camino paseo plaza ronda travesia rua r travessa estrada praca alameda condominio ul ulica
    al aleja pl plac os osiedle strasse str gasse platz weg postbox postboks postfach apartado
    caixa casilla rise close grove parade esplanade mews quay wynd crescent terrace gardens
    street road avenue lane drive tänav maantee puiestee põik terrasse avenija
    """
)
# After a house number, words that make it a count or a dose instead: "Okonjo 2 days".
QUANTITIES = _words(
    """
    day days d h hr hrs hour hours min mins minute minutes sec s week weeks wk wks month months
    year years yr yrs yo time times x mg mcg g kg ml l cc u unit units meq mmol mm cm in ft lb
    lbs oz percent pct patient patients pt pts bed beds room rooms call calls alarm alarms am pm
    of out more less left over th st nd rd per tab tabs tablet tablets cap caps capsule
    capsules puff puffs drop drops dose doses spray sprays gm liter liters vial vials amp amps
    µg μg ug µl μl ul µmol μmol nmol ng iu
    """
)
# Of those, the ones that cannot start a street name after its house number ("12 S Main", "3 St
# Kilda Road" and "4 In Dale" can).
_DOSE_FIRST = frozenset(w for w in QUANTITIES if len(w) > 1) - {"st", "nd", "rd", "th", "in", "of"}
# The gap after the street's last word: a house number that ends the phrase.
_GAP = re.compile(
    r"\.?[ \t]{1,2}(?P<num>\d{1,5})(?P<tail>[.?!]{0,2}[ \t]*(?P<sep>[,;)\n])?[ \t\n]*)\Z"
)
_OPEN = re.compile(r"[ \t]*\Z")  # a tail with no stop in it: the phrase goes on
_MAX_WORDS = 6
_ROOMS = _words("bed beds room rm bay pod unit station stretcher chair hall ward floor level tower")
_BOXES = frozenset(("postbox", "postboks", "postfach", "apartado", "casilla"))


def find(text: str) -> Iterator[tuple[int, int]]:
    """Spans of street addresses without a street word, in order."""
    toks = tokens(text)
    words, gaps, infos = toks.words, toks.gaps, toks.infos
    count = len(words)
    for i in range(count):
        match = _GAP.match(gaps[i + 1])
        if match is None:
            continue
        at_end = i + 1 == count
        ends = at_end or match.group("sep") or not _OPEN.match(match.group("tail"))
        if not ends and infos[i + 1].low in QUANTITIES:  # "Okonjo 2 days": a count
            continue
        first = _street_start(toks, i)
        if first is None:
            continue
        end = toks.ends[i] + match.end("num")
        if match.group("sep") in (",", "\n") and not at_end:
            end = _town_end(toks, i + 1, end)
        yield toks.starts[first], end


# The gap before a street's first word: a house number ("94 boulevard", "1570 Blanshard").
_NUMBER_BEFORE = re.compile(r"(?:\A|(?<=[\s,;:(]))(?P<num>\d{1,5})[ \t]{1,2}\Z")
_DIRECTIONS = frozenset(("north", "south", "east", "west", "n", "s", "e", "w"))
_END = re.compile(r"\.{0,2}[ \t]*(?:[,;)\n]|\Z)")


def find_number_first(text: str) -> Iterator[tuple[int, int]]:
    """ "94 boulevard Amiral Courbet", "251 Charilaou Trikoupi Str.", "1570 Blanshard, Victoria":
    a house number, then a street named by a street word or by words that weigh as a place."""
    toks = tokens(text)
    words, gaps, infos = toks.words, toks.gaps, toks.infos
    count = len(words)
    for i in range(count):
        number = _NUMBER_BEFORE.search(gaps[i])
        if number is None:
            continue
        if i == 0 and number.start() > 0 and not gaps[0][: number.start()].isspace():
            continue
        if i and not gaps[i][: number.start()].strip() and infos[i - 1].low in _ROOMS:
            continue  # "bed 11 Mr Geisler", "Room 4 Okafor": a room, not a house number
        if infos[i].low in _DOSE_FIRST:
            continue  # "5000 Units Via SubQ", "650 Mg Via NG": a dose, not a house number
        last, typed = None, False
        n = i
        while n < count and n - i < _MAX_WORDS + 1:
            if n > i and gaps[n] not in (" ", "\t", ". "):
                break
            info = infos[n]
            if info.low in STREET_TYPES or (typed and info.low in _DIRECTIONS):
                typed, last = True, n
            elif info.low in HONORIFICS or info.low in TITLES:
                break
            elif info.cap and info.kind != Kind.STOP:
                last = n
            elif info.low not in CONNECTORS:
                break
            n += 1
        if last is None:
            continue
        named = [k for k in range(i, last + 1) if infos[k].cap and infos[k].low not in STREET_TYPES]
        evidence = any(_place_like(words[k], infos[k], False) for k in named)
        if not named or all(words[k].isupper() for k in named):
            continue
        ends_phrase = _END.match(gaps[last + 1]) is not None
        if not (typed or (evidence and ends_phrase)):
            continue
        end = toks.ends[last]
        if last + 1 < count and re.match(r"\.?[ \t]*[,\n][ \t]*\Z", gaps[last + 1]):
            end = _town_end(toks, last + 1, end)
        yield toks.ends[i - 1] + number.start() if i else number.start(), end


def _street_start(toks: object, last: int) -> int | None:
    """The first word of the street name that ends at word `last`, if the words weigh as one."""
    words, gaps, infos = toks.words, toks.gaps, toks.infos  # type: ignore[attr-defined]
    first = last
    while first > 0 and last - first + 1 < _MAX_WORDS:
        prev = infos[first - 1]
        if prev.low in STREET_TYPES and gaps[first] in (" ", "\t", ". ", "/ ", "/", "."):
            first -= 1  # "Via Zannoni 49", "C/ Libertad 29", "Ctra. de Siles 1"
            continue
        if gaps[first] not in (" ", "\t", ". ") or not (prev.cap or prev.low in CONNECTORS):
            break
        if prev.kind == Kind.STOP or prev.low in HONORIFICS or prev.low in TITLES:
            break
        first -= 1
    while first <= last and not infos[first].cap and infos[first].low not in STREET_TYPES:
        first += 1  # a name starts with a capital
    if first > last:
        return None
    named = [n for n in range(first, last + 1) if infos[n].low not in STREET_TYPES]
    if any(infos[n].kind == Kind.STOP for n in named):
        return None
    if not named:  # "Postbox 115", "Apartado 12"; not "Via 4"
        return first if infos[last].low in _BOXES else None
    capitals = [n for n in named if infos[n].cap]
    if not capitals:
        return None
    if all(words[n].isupper() for n in capitals):
        return None
    typed = len(named) < last - first + 1  # a street word in it: "Frankfurter Allee 79"
    evidence = typed or any(
        _place_like(words[n], infos[n], _sentence_start(toks.text, toks.starts[n]))  # type: ignore[attr-defined]
        for n in capitals
    )
    return first if evidence else None


def _place_like(word: str, info: Any, at_start: bool) -> bool:
    """A word that weighs as a place's or person's name: letters no English word has, another
    script, a known name or a word in no list; at a sentence's start not an everyday word
    ("Huddle 2 moved to 1400")."""
    if not word.isascii() or info.kind == Kind.FOREIGN:
        return True
    return info.kind in (Kind.STRONG, Kind.UNKNOWN) and not (at_start and info.common)


def _town_end(toks: object, start: int, end: int) -> int:
    """Past a town after the comma: capitalised words and particles, up to four."""
    words, gaps, infos = toks.words, toks.gaps, toks.infos  # type: ignore[attr-defined]
    last = None
    n = start
    while n < len(words) and n - start < _MAX_WORDS:
        if n > start and gaps[n] not in (" ", "\t"):
            break
        if infos[n].cap and infos[n].kind != Kind.STOP:
            last = n
        elif infos[n].low not in CONNECTORS:
            break
        n += 1
    return toks.ends[last] if last is not None else end  # type: ignore[attr-defined]


# --- addresses after a cue that says one follows ----------------------------------------------
# "Address: Cl. 44 # 7-12 Este, Caloto", "lives at Harmica 6", "send it to Ulica 7. septembra 1b":
# the cue carries the evidence, so the address may have any country's shape. A label ("Address:")
# may put it on the next lines.
_CUE = regex.compile(
    r"""(?ix)
    (?:\b(?:(?:mailing|registered|postal|home|billing|correspondence|permanent|current|new|old)
      [ \t]+)?address(?:[ \t]+on[ \t]+file)?[ \t]*
      (?::|-|\bis\b[ \t]*:?|\?[ \t]*it[ \t]+is\b[ \t]*:?)
    |\baddress[ \t]+of[ \t]+[^.?!\n:]{1,60}?\bis\b
    |\b(?:addr|residence|domicile|home|billing|shipping|ship[ \t]+to|mailing)[ \t]*[:-]
    |\b(?:mailing|registered|postal|home|billing)[ \t]+address
    |\b(?:lives|living|resides|residing|staying|stays)[ \t]+at
    |\b(?:resides|residing)(?=[ \t]+\p{Lu})
    |\b(?:located|currently|based)[ \t]+at|\b(?:house|home|flat|apartment)[ \t]+at
    |\bmoved[ \t]+(?:to|into)|\bc/o|\bvisiting[ \t]+(?:\w+[ \t]+)?at
    |\bdischarged[ \t]+home[ \t]+to
    |\b(?:lived|live|lives|living)[ \t]+in
     (?=[ \t]+(?:\d|\p{Lu}[\p{L}\p{M}'-]*[ \t]+[\p{L}\p{M}'-]+[ \t]+\d))
    |\b(?:letter|taxi|cab)[ \t]+to
    |\b(?:flight|ticket|transport|ride)[ \t]+(?:booked[ \t]+)?(?:to|from)
    |\b(?:send|sent|mail|mailed|post|posted|ship|shipped|deliver|delivered|forward|forwarded)\b
     [^.?!\n]{0,30}?\bto\b
    )[ \t]*"""
)
_TOKEN = re.compile(r"\S+")
_EDGE = ".,;:()[]\"'"
_LABEL_LINE = re.compile(r"[^\n:]{1,20}:")  # "Mobile:", "Desk:": the next field, not the address
_MAX_LINES = 4
_MAX_LENGTH = 160


def find_after_cue(text: str) -> Iterator[tuple[int, int]]:
    """Spans of addresses of any shape after a cue that says an address follows."""
    for cue in _CUE.finditer(text):
        span = _clause(text, cue.end(), cue.group().rstrip().endswith(":"))
        if span is not None:
            yield span


def _clause(text: str, start: int, label: bool) -> tuple[int, int] | None:
    """From `start`, the words up to the clause's end: an everyday lower-case word ("with",
    "for"), a question or exclamation mark, a sentence's end, or (after a label) a blank line,
    the next field or the fourth line."""
    first = last = None
    lines, cursor, town = 1, start, False  # town: past "<number>," a town's name may hold any word
    previous = ""
    for match in _TOKEN.finditer(text, start, min(len(text), start + _MAX_LENGTH)):
        gap = text[cursor : match.start()]
        cursor = match.end()
        if "\n" in gap and not (first is None and label and gap.count("\n") == 1):
            # a line break ends the clause, unless a label's address goes on over lines
            # ("Address:\n27th Floor …"): not past a blank line, the next field or four lines
            ends = not label or first is None or gap.count("\n") > 1 or lines == _MAX_LINES
            if ends or _LABEL_LINE.match(text, match.start()):
                break
            lines += 1
        token = match.group()
        core = token.strip(_EDGE + "?!")
        if not core:
            break
        opening = first is None and _everyday(core)
        if opening and (
            core.lower() in _FUNCTION_WORDS or not _CAPITAL_NEXT.match(text, match.end())
        ):
            return None  # "Address: see chart", "lives at home", "address with …"
        numbered = core.lower() in _NUMBER_WORDS and _DIGIT_NEXT.match(text, match.end())
        abbreviated = token.rstrip(",;").endswith(".") and len(core) <= 4
        ends = core.lower() in _FUNCTION_WORDS if town else _everyday(core)
        if ends and core == "and" and _joins_a_place(previous, text, match.end()):
            ends = False  # "Tyne and Wear, …", "Trinidad and Tobago, 150123"
        previous = token
        if first is not None and ends and not (abbreviated or numbered):
            break  # "with", "for"; not "ray.", "pr." (abbreviations), "no 9" (a number)
        town = town or (token.endswith(",") and any(c.isdigit() for c in token))
        first = match.start() if first is None else first
        last = match.start() + len(token.rstrip(_EDGE + "?!"))
        if token[-1] in "?!" or _sentence_ends(text, token, match.end(), town):
            break
    if first is None or last is None or last <= first:
        return None
    return (first, last) if _weighs_as_address(text[first:last]) else None


# A region's or country's name that holds "and" ("Tyne and Wear", "Antigua and Barbuda", "Saint
# Kitts and Nevis"): a capitalised word before it (not a street word: "12 Oak Rd and Bed 4"), one
# or two capitalised words after it, then a comma (the rest of the address).
_PLACE_AFTER_AND = regex.compile(r"[ \t]+\p{Lu}[\p{L}\p{M}'-]+(?:[ \t]+\p{Lu}[\p{L}\p{M}'-]+)?,")


def _joins_a_place(previous: str, text: str, end: int) -> bool:
    """The "and" ending at `end` is inside a place's name: the word before it is capitalised and
    not the end of a part (no comma after it), and a place's name and the address go on after."""
    word = previous.strip(_EDGE)
    return (
        bool(word) and word[0].isupper() and not previous.endswith((",", ";", "."))
        and word.lower() not in STREET_TYPES
        and _PLACE_AFTER_AND.match(text, end) is not None
    )  # fmt: skip


_NUMBER_WORDS = frozenset(("no", "nr", "num", "number"))
_DIGIT_NEXT = re.compile(r"\.?[ \t]*\d")
_CAPITAL_NEXT = regex.compile(r"[ \t]+\p{Lu}")
# English street words written in lower case inside other countries' addresses ("Csonka park 300",
# "Rotonda Martelli 53, Eloisa lido"): they do not end the clause.
_STREET_LOWER = _words(
    "park street road lane square place avenue hill gardens court close drive terrace crescent "
    "grove row green bridge mill market quay walk gate lido marina plaza parade bis ter tv th mf"
)
# In a town's name after "<number>," only these end the clause ("…, Eloisa lido with …").
_FUNCTION_WORDS = _words(
    """
    with for until till from by on at in to and or but the an of last next this that these
    those when while since before after please is was are were has had have will would can could
    should so then also if because via per as
    """
)


def _everyday(core: str) -> bool:
    """A lower-case word of everyday English that no street or town name holds: the clause ends."""
    low = core.lower()
    if not core.isascii() or not core.isalpha() or not core.islower() or len(core) < 2:
        return False
    if low in CONNECTORS or low in STREET_TYPES or low in QUANTITIES or low in _STREET_LOWER:
        return False
    return kind_of(core) <= Kind.WEAK and fold(core) in lexicon().common


_SENTENCE_AFTER = regex.compile(r"[ \t]+(?P<w>\p{Lu}[\p{L}\p{M}]*)")


def _sentence_ends(text: str, token: str, end: int, town: bool) -> bool:
    """A period, then a capitalised word: the sentence ends unless the period closes a short
    abbreviation ("Av. Jujuy", "Priv. Barrio", "b. 5") and no sentence starts ("… Kiệt. Please
    call me" ends; "… 62704. Vocera dropped" and, in the town, "…, Łazy. DOB" end)."""
    if not token.endswith("."):
        return False
    core = token.rstrip(".").strip(_EDGE)
    after = _SENTENCE_AFTER.match(text, end)
    if after is None:
        return end >= len(text.rstrip())
    if any(c.isdigit() for c in core) or len(core) >= 5 or (town and len(core) >= 3):
        return True  # "… 62704. Vocera", "…, Łazy. DOB"
    return len(core) >= 3 and after.group("w").lower() in _SENTENCE_STARTERS


# Capitalised words that start a sentence after a short word and a period ("… Kiệt. Please call
# me"); after "Priv. Barrio" or "Esc. 442" the address goes on.
_SENTENCE_STARTERS = _words(
    """
    please call i we he she it they you the this that there then later thanks thank also and but
    so pt patient family note see our his her their my your a an in on at if when
    """
)


_LETTERS = re.compile(r"[^\W\d_]+")
_NO_NUMBER = re.compile(r"(?i)(?<![\w/])s/n\b")  # "sin número": a house with no number


def _weighs_as_address(span: str) -> bool:
    """A digit, and a word that names a place: a street word, letters no English word has, a
    known name or a word in no list ("4 West", "Pyxis 2", "Bed 12" are not addresses)."""
    if not any(c.isdigit() for c in span) and not _NO_NUMBER.search(span):
        return False
    for word in _LETTERS.findall(span):
        if word.lower() in STREET_TYPES and len(word) > 2:
            return True
        if not word[0].isupper() and word.isascii():
            continue
        named = not word.isascii() or kind_of(word) in (Kind.STRONG, Kind.UNKNOWN, Kind.FOREIGN)
        if named and not (word.isupper() and len(word) <= 3):
            return True
    return False
