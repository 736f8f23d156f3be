"""Identifier shapes the first rules missed: international and labelled phones, street addresses of
many countries, military and multi-line addresses, short or glued record numbers."""

from __future__ import annotations

from collections.abc import Iterator

import regex

from feedback.phi_regex import Lowered

# --- phones: +cc, (0), area code in parentheses, 2-6 groups, an extension; labels glued on ------
PHONE_ANY = regex.compile(
    r"""(?x)(?<![\d./]|\d[ ,])
    (?P<v>\+\d{1,3}[ ]\d{1,4}/\d{2,4}-\d{2,5}  # "+36 70/253-4983"
    |\d{3}/\d{2,3}(?:[ ]\d{2,3}){1,2}  # "764/795 119", "697/40 57 95": a cue must go before
    |(?:\+\d{1,3}[ .-]?(?:\(0\)[ .-]?)?|\(\+\d{1,3}\)[ .-]?|00\d{1,3}[ ])?
      (?:\(\d{1,5}\)[ .-]?)?
      \d{1,15}(?:[ .-]\d{1,10}){0,5}
      (?:[ ]?(?:x|ext\.?)[ ]?\d{1,6})?)
    (?![\d/]|[.,]\d|[ ]?(?:mg|mcg|ml|mL|g|kg|mm|cm|units?|%|mmHg|min|hrs?|am|pm)\b)"""
)
_PHONE_CUE = regex.compile(
    r"(?i)(?:phone|tel|cell|mobile|mob|fax|desk|office|home|work|pager|call|reach|registered|"
    r"contact|answering|number|text|whatsapp|landline|\+)\W{0,3}$"
)
_TIME_RANGE = regex.compile(r"([01]\d|2[0-3])[0-5]\d-([01]\d|2[0-3])[0-5]\d")
_DATE_LIKE = regex.compile(
    r"\d{1,2}[.-]\d{1,2}[.-](?:\d{4}|\d{2})|\d{4}[.-]\d{1,2}[.-]\d{1,2}|\d{1,2}[.-]\d{4}"
)
_DECIMAL = regex.compile(r"\d+\.\d{1,2}")


_EXTENSION = regex.compile(r"[ ]?(?:x|ext\.?)[ ]?\d{1,6}\Z")
# A label glued on after a hyphen: "66 17 89-Office", "844-767-4257x56582-Fax".
_LABEL_AFTER = regex.compile(r"(?i)-(?:office|fax|cell|home|mobile|work|pager)\b")


# A contact named before the number: "Emergency contact: Tanya van de Merwe at 04789733",
# "called from 66179425".
_CONTACT_BEFORE = regex.compile(
    r"(?i)(?:\b(?:contact|next\s+of\s+kin|nok)\b[^.\n]{0,60}\b(?:at|on)"
    r"|\b(?:called|calling|rang|phoned|texted)\s+(?:from|on|at)"
    r"|\b(?:phone|tel|mobile|cell)\s+(?:for|of)\b[^.\n:]{1,50}:)\W{0,2}$"
)


def phone_like(text: str, start: int, value: str) -> bool:
    """A run of digit groups is a phone number when it has 7-15 digits before any extension (6
    after a phone cue or before a glued label) and is not a date, a time range or a decimal."""
    number: str = _EXTENSION.sub("", value)
    digits = sum(c.isdigit() for c in number)
    if _TIME_RANGE.fullmatch(value) or _DATE_LIKE.fullmatch(value) or _DECIMAL.fullmatch(value):
        return False
    if value.startswith("+") or value.startswith("("):
        return 6 <= digits <= 15
    grouped = any(c in " .-/" for c in value)
    if "/" in value:  # "764/795 119", "697/40 57 95"; "118/76 72 98" is a pressure and more
        return 8 <= digits <= 12 and bool(
            _PHONE_CUE.search(text[max(0, start - 16) : start])
            or _CONTACT_BEFORE.search(text[max(0, start - 90) : start])
        )
    if 7 <= digits <= 15 and (grouped or digits >= 9):
        return True
    if digits >= 6 and _LABEL_AFTER.match(text, start + len(value)):
        return True
    if digits >= 6 and _PHONE_CUE.search(text[max(0, start - 16) : start]):
        return True
    enough = digits >= 7 or (digits == 6 and grouped)  # "Phone for Pero Udvardi: 847 244"
    return enough and bool(_CONTACT_BEFORE.search(text[max(0, start - 90) : start]))


# A room word right before: "bed 3B Station" is a bed, "Room 12 Park" a room.
AFTER_ROOM = regex.compile(r"(?i)\b(?:bed|room|rm|bay|pod|stretcher|chair)\.?[ \t]*\#?[ \t]*\Z")

# --- record numbers: short ones after a strong cue, and cues glued to the digits -------------
_MRN_SHORT = r"""(?ix)(?:\b|(?<=[a-z]))(?:MRN|MR\#|med\s*rec\s*\#|chart\s*\#|acct\s*\#?|account\s*\#|
    pt\s*id|patient\s*id|id\s*\#|FIN|CSN|HAR|enc(?:ounter)?\s*\#)
    [\s:#=-]{0,3}(?P<v>(?=(?:[A-Z/-]*\d){2})
    # letters before the digits only after a separator or right after "MRN" ("MRNHT-4223391"):
    # glued to "HAR" of "chart" or "FIN" of "finals" they are the word's own letters
    (?:(?:(?<=[\s:#=-])|(?<=MRN))[A-Z]{1,6}-?)?\d[\dA-Z/-]{2,18}[\dA-Z]|[A-Z]{1,3}\d{3,}(?:/\d+)?)(?![\w-])"""
# Run lower-cased (phi_rules.Lowered): the cue may be glued to the word before ("scannerMRN").
MRN_SHORT = Lowered(
    _MRN_SHORT.replace(r"(?:\b|(?<=[a-z]))", r"\b"), glued=True, original=regex.compile(_MRN_SHORT)
)
# Record, account and other identifiers after any common cue, with letters, slashes or dashes
# in them ("MRN: AB-1234567", "hospital no. 4471/22", "NHS number 943 476 5919" is a phone's
# shape and found there): the cue stays readable, the identifier is masked whole.
_ID_CUE = r"""(?:mrn|mr\s*\#|mr\s*no\.?|med(?:ical)?\s*rec(?:ord)?s?(?:\s*(?:number|num|no\.?|\#))?
    |hosp(?:ital)?\s*(?:number|num|no\.?|\#|id)|unit\s*(?:number|num|no\.?)
    |record\s*(?:number|num|no\.?|\#)|chart\s*(?:number|num|no\.?|\#|id)
    |patient\s*(?:number|num|no\.?|\#|id)|pt\s*(?:no\.?|\#|id)|case\s*(?:number|no\.?|\#)
    |nhs\s*(?:number|no\.?)|health\s*card(?:\s*(?:number|no\.?))?|(?:patient\s*)?identifier
    |id\s*(?:number|no\.?|\#)|acc(?:oun)?t\s*(?:number|num|no\.?|\#)?|fin|csn|har
    |enc(?:ounter)?\s*(?:number|num|no\.?|\#)?|visit\s*(?:number|num|no\.?|\#)
    |ref(?:erence)?\s*(?:number|no\.?|\#)|e?mpi|unit\s*\#
    |(?:reg(?:istration)?|adm(?:ission|it)?)\s*(?:number|num|no\.?|\#)
    |(?:accession|specimen|job|dictation|transcription|req(?:uisition)?|order|claim|member
    |subscriber|insurance|beneficiary|medicaid|medicare)\s*(?:number|num|no\.?|\#|id)
    |rec\s*\#|(?:enc(?:ounter)?|visit|acct|account)\s*id
    |professional\s*(?:id|number|no\.?|\#|registration)|(?:gmc|nmc|npi|dea|hcpc)(?:\s*(?:number|no\.?|\#))?
    |licen[cs]e\s*(?:number|num|no\.?|\#|id))"""
# Two short groups of letters and digits, as licence-plate-like record numbers are written
# ("MRN 8IW 406", "Enc 28O TT8", "MRN=229 ANB"); not a count and its unit ("mrn 104 min").
_SPACED_CODE = r"""(?:(?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{2,4}[ ][a-z0-9]{2,5}
    |(?!(?:on|in|at|to|of|is|by|for|the|and|was|x|q|pt|per|via|due|now|am|pm)[ ])[a-z0-9]{1,4}[ ]
    (?!\d+(?:am|pm|h|hr|hrs|min|mg|ml|x|d|wk|mo|yr)\b)(?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{2,5}
    |\d{2,4}[ ](?!(?:was|and|the|for|min|hrs|mcg|day|wks|yrs|per|not|due|via|sec|ago|bid|tid|qid|prn|
    mls|gtt|tab|cap|amp|bag|hrs)\b)[a-z]{3})"""
MRN_ANY = Lowered(
    rf"""(?ix)\b{_ID_CUE}\s*(?:is|was|[:=\#/-])?\s*
    (?P<v>(?=[a-z0-9/-]*\d)[a-z]{{0,6}}[-/]?\d[a-z0-9/-]{{2,18}}[a-z0-9]|[a-z]{{2,6}}-\d{{3}}
    # digit groups split by single spaces ("mrn zz 620878 t", "acct 12 345 678")
    |(?:(?!(?:on|in|at|to|of|is|by|for|the|and|was|x)[ ])[a-z]{{1,3}}[ ]\d{{2,}}(?:[ ]\d{{2,}}){{0,4}}
    |\d{{2,}}(?:[ ]\d{{2,}}){{1,4}})(?:[ ][a-z](?![\w-]))?|{_SPACED_CODE})(?![\w-])"""
)
MRN_CUE_STARTS = (
    "mr", "med", "hosp", "unit", "record", "chart", "patient", "pt", "case", "nhs", "health",
    "identifier", "id", "acc", "fin", "csn", "har", "enc", "visit", "ref", "specimen", "job",
    "dictation", "transcription", "req", "order", "claim", "member", "subscriber", "insurance",
    "beneficiary", "medicaid", "medicare", "empi", "mpi", "reg", "adm", "rec", "professional",
    "gmc", "nmc", "npi", "dea", "hcpc", "licen",
)  # fmt: skip
# A weaker cue (a bare "chart", "visit", "MR", "Rec", "Report", "identity confirmed with") only
# before an identifier with five or
# more digits that is no date or time range: "chart 81252 pulled", "MR: Y30805861".
MRN_SOFT = Lowered(
    r"""(?ix)\b(?:mr|chart|visit|rec|record|hosp|enc|encounter|acct|account|(?:lab\s+)?report
    |identity\s+(?:confirmed|verified|checked)\s+(?:with|using|against|by|via))(?:\s*[:\#]\s*|\s+)
    (?P<v>(?!\d{4}-\d{1,2}-\d{1,2}\b|\d{1,2}/\d{1,2}/\d{2,4}\b|\d{4}-\d{4}\b)
    (?=(?:[a-z/-]*\d){5})[a-z]{0,3}[-/]?\d[a-z0-9/-]{3,18}[a-z0-9])(?![\w-])"""
)
MRN_SOFT_STARTS = ("mr", "chart", "visit", "rec", "hosp", "enc", "acc", "report", "identity")
# After those cues, a code of capitals and digits with three digits or more: behind a colon or
# "#" ("Chart: SZC 668", "MR: 762 GYZ"), or, after a space, with letters and digits in one
# word ("visit 4F 72046", "chart 443-FZN"; not "visit ICU 412").
# A cue word is no part of the code after another cue: "chart: MRN 7730012".
_CUE_WORD = r"(?:MRN|MR|FIN|CSN|HAR|ID|DOB|SSN|ACCT|ENC|PT|RM)\b"
_SOFT_CODE_VALUE = regex.compile(
    rf"""(?x)(?:[ \t]*[:\#][ \t]*(?P<v>(?!{_CUE_WORD})(?=[A-Z0-9 -]*\d)(?=[A-Z0-9 -]*[A-Z])
      (?=(?:[A-Z -]*\d){{3}})[A-Z0-9]{{1,4}}[- ]?[A-Z0-9]{{2,7}})
    |[ \t]+(?P<v>(?=(?:[A-Z -]*\d){{3}})(?=[A-Z]*\d)(?=\d*[A-Z])[A-Z0-9]{{2,8}}(?:[- ][A-Z0-9]{{2,7}})?
    |\d{{3,6}}-[A-Z]{{2,4}}))(?![\w/-])"""
)


class CuedCode:
    """A case-insensitive cue found fast (`Lowered`), then a case-sensitive value right after it:
    one case-insensitive regex with a leading \\b would scan the whole note slowly."""

    def __init__(self, cue: Lowered, value: regex.Pattern[str]) -> None:
        self.cue, self.value = cue, value

    def finditer(self, text: str) -> Iterator[regex.Match[str]]:
        for cue in self.cue.finditer(text):
            match = self.value.match(text, cue.end())
            if match:
                yield match


MRN_SOFT_CODE = CuedCode(
    Lowered(r"(?ix)\b(?:record|rec|encounter|enc|account|acct|chart|visit|hosp|mr)"),
    _SOFT_CODE_VALUE,
)
# Dashed numbers in groupings no phone, date or SSN has: "560-40-78-5".
ID_DASHED = regex.compile(r"(?<![\w-])(?P<v>\d{2,6}(?:-\d{1,6}){3,5})(?![\w-])")
# A code of capitals glued to digits, a slash and more digits, with no cue: "XW277/90683" on a
# signature line. Four or more digits after the slash: a pressure ("SBP180/100") has three at most;
# not a fiscal or academic year ("FY2024/2025").
ID_SLASHED = regex.compile(
    r"(?<![\w/-])(?P<v>(?!(?:FY|CY|AY|SY)\d)\p{Lu}{1,4}\d{3,8}/\d{4,8})(?![\w/-])"
)

# --- street addresses -------------------------------------------------------------------------
# USPS Publication 28 street suffixes (common ones), as written in addresses.
_USPS = (
    "Alley|Aly|Annex|Arcade|Avenue|Ave|Bayou|Beach|Bend|Bluffs?|Bottom|Boulevard|Blvd|Branch|Br|"
    "Bridge|Brg|Brooks?|Burgs?|Bypass|Camp|Canyon|Cape|Causeway|Centers?|Ctr|Circles?|Cir|Cliffs?|"
    "Club|Common|Corners?|Course|Courts?|Ct|Coves?|Creek|Crescent|Cres|Crest|Crossing|Xing|"
    "Crossroad|Curve|Dale|Dam|Divide|Drives?|Dr|Estates?|Expressway|Expy|Extensions?|Falls?|"
    "Ferry|Fields?|Flats?|Fords?|Forest|Forges?|Forks?|Fort|Ft|Freeway|Fwy|Gardens?|Gateway|"
    "Glens?|Greens?|Groves?|Harbors?|Haven|Heights|Hts|Highway|Hwy|Hills?|Hollow|Inlet|Islands?|"
    "Isle|Junctions?|Keys?|Knolls?|Lakes?|Land|Landing|Lane|Ln|Light|Lights|Loaf|Locks?|Lodge|"
    "Loop|Mall|Manors?|Meadows?|Mews|Mill|Mills|Mission|Motorway|Mount|Mountains?|Mtn|Neck|"
    "Orchard|Oval|Overpass|Park|Parks|Parkways?|Pkwy|Pass|Passage|Path|Pike|Pines?|Place|Pl|Plains?|"
    "Plaza|Plz|Points?|Ports?|Prairie|Radial|Ramp|Ranch|Rapids?|Rest|Ridges?|River|Road|Roads|Rd|"
    "Route|Rte|Row|Rue|Run|Shoals?|Shores?|Skyway|Springs?|Spurs?|Squares?|Sq|Station|Sta|"
    "Stravenue|Stream|Streets?|St|Summit|Terrace|Ter|Throughway|Trace|Track|Trafficway|Trail|"
    "Trl|Trailer|Tunnel|Turnpike|Underpass|Unions?|Valleys?|Viaduct|Views?|Villages?|Ville|"
    "Vista|Walks?|Wall|Way|Ways|Wells?"
)


def _forms(alternatives: str) -> frozenset[str]:
    """The words an alternation of plain words (with optional final letters, "Bluffs?") matches."""
    out: set[str] = set()
    for alt in alternatives.split("|"):
        out |= {alt[:-2], alt[:-1]} if alt.endswith("?") else {alt}
    return frozenset(out)


# Street words of Australia, New Zealand and Britain that are also common English words: only
# after at least one capitalised word ("836 Henry Round", not "2 Rounds"). Left out: words that
# follow a count or a value on a ward ("15 Min Break", "12 Normal Range", "Left Upper Quadrant").
# "Via" too, unless a dose ("650 Mg Via NG", "2 Units Via PICC") is what it follows; a capitalised
# word after "Via" ends the match unless it is a unit word ("05446 Meyer Via Suite 731").
_STREET_MORE = (
    "Lookout|Round|Gates?|Rise|Close|Crossway|Circuit|Grange|Wynd|Retreat|Reserve|Rosebowl|"
    "Outlook|Strand|Glade|Brae|Chase|Vale|Villas|Concourse|Nook|Ridgeway|Parade|Promenade|"
    "Esplanade|Quays?|Ramble|Cul-de-sac|Parklands|Thoroughfare|Roadway|Amble|Alleyway|Laneway|"
    "Walkway|Pathway|Driveway|Highroad|Footway|Tollway|Riverway|Broadway|Byway|Copse|Courtyard|"
    "Colonnade|Foreshore|"
    r"(?<!\b(?:Mg|Mcg|Ml|ML|Units?|Tabs?|Tablets?|Caps?|Capsules?|Puffs?|Drops?|Doses?|G|Gm|Meq|"
    r"MEq|L|Liters?|Sprays?)[ \t])Via(?![ \t]+(?!(?:Apt|Apartment|Unit|Suite|Ste|Bldg|Building|Fl|Floor)\b)\p{Lu})"
)
# For gates: a street suffix standing as a word of its own.
USPS_WORDS = _forms(_USPS) | _forms(_STREET_MORE.split("(?<!")[0] + "Via")

_STATE = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|"
    "NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|AS|GU|MP|PR|VI|FM|MH|PW|AA|"
    "AE|AP|AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT|NSW|VIC|QLD|TAS|ACT|SA"
)
_CAP = r"\p{Lu}[\p{L}\p{M}'.-]*"
# The unit word ends a word: "Fl" of "Flynnshire" on the next line is a city, not a floor.
_UNIT = (
    r"(?:,?[ \t]*\n?[ \t]*(?:(?:Apt|Apartment|Unit|Suite|Ste|Bldg|Building|Fl|Floor)\b|\#)"
    r"\.?[ \t]*\#?[ \t]*[\w-]{1,6})"
)
# A US ZIP, a Canadian postal code ("T1X 7J3"), a four-digit one (Australia, much of Europe).
_POSTCODE = r"(?:\d{5}(?:-\d{4})?|\d{4}|[A-Z]\d[A-Z][ ]?\d[A-Z]\d)(?![\w-])"
_CITY = (
    rf"(?:(?:,[ \t]*\n?|[ \t]*\n)[ \t]*{_CAP}(?:[ \t]+{_CAP}){{0,3}}"
    rf"(?:(?:,[ \t]*|[ \t]*\n[ \t]*|[ \t]+)(?:{_STATE})\b)?(?:,?[ \t]*\n?[ \t]*{_POSTCODE})?)"
)
ADDRESS_US = regex.compile(
    rf"""(?x)(?<![\w\#-])(?P<v>
    (?:(?:Apt|Apartment|Unit|Suite|Ste|Flat|Level|Floor|Bldg|Building|Lot)\b\.?[ \t]*\#?[ \t]*
    [\w-]{{1,6}},?[ \t]+)?
    \d{{1,6}}(?:/\d{{1,6}}|-[A-Z](?=[ \t]))?[A-Za-z]?[ \t]+
    (?:(?:(?:[NSEW]\.?|{_CAP}|\d+(?:st|nd|rd|th))[ \t]+){{0,3}}(?:{_USPS})
    |(?:(?:[NSEW]\.?|{_CAP}|\d+(?:st|nd|rd|th))[ \t]+){{1,3}}(?:{_STREET_MORE}))
    \.?(?![\w-])(?:[ \t]+(?:North|South|East|West|NE|NW|SE|SW)\b)?{_UNIT}?{_CITY}?)"""
)
ADDRESS_MILITARY = regex.compile(
    r"""(?x)(?<!\w)(?P<v>
    (?:(?:PSC|CMR|Unit)[ \t]+\d{3,5},?[ \t]+Box[ \t]+\d{1,5}|US[A-Z]{1,3}[ \t]+\p{Lu}[\p{L}.-]*)
    [ \t]*[,\n]?[ \t]*(?:APO|FPO|DPO)[ \t]+(?:AA|AE|AP)[ \t]+\d{5})"""
)
# Street words of other countries, before or inside the street name, then a house number.
_INTL_BEFORE = (
    r"Via|Viale|Piazza|Corso|Strada|Rue|Avenue|Av|Avda|Avenida|Calle|C/|Carrer|Camino|Paseo|"
    r"Plaza|Rua|R|Travessa|Largo|Bairro|Ul|ul|ulica|Ulica|Aleja|al|Straße|Strasse|Gl|Boulevard|"
    r"Plazuela|Praça|Praca|Alameda|Rodovia|Vereda|Viaduto|Travesía|Travesia|Ronda|Rambla|Pasaje|"
    r"Andador|Circuito|Periférico|Diag|Glorieta|Callejón|Cerrada|Privada|Contrada|"
    r"Rotonda|Vicolo|Borgo|Lungomare|Bulevardul|Intrarea|Calea|Aleea|Splaiul|Strada|Sokak|Rúa|Carretera|"
    r"avenue|boulevard|chemin|impasse|allée|plac|aleja|Plac|Aleja|Chemin|Impasse|Allée|"
    r"Jl|Jln|Jalan|Gg|Gang|Lorong|Lrg"
)
# Floor, door and block parts after the house number: "Piazza Tasca, 875 Piano 6".
_INTL_UNIT = (
    r"(?:,?[ \t]+(?:Piano|Interior|Int|Puerta|Piso|Depto|Dpto|Apto|Ap|Bl|Sc|Et|Esc|Andar|"
    r"Sala|Escalera|Bloque|Lok|Apt|Whg)\.?[ \t]*[\w/-]{1,5}){0,4}"
)
_INTL_SUFFIX = (
    r"stra(?:ß|ss)e|str|weg|gasse|platz|allee|ring|damm|vej|vænget|gade|gatan|vägen|katu|tie|"
    r"straat|laan|plein|gracht|utca|ulica|cesta|ulice|sokak|caddesi|veien|gata|polku|torget|stigen|"
    r"gränd|backen|steeg|singel|dreef|kade|kuja"
)
# ", Torino", ", San Martino In Pedriolo", ", Castilleja de Guzmán"
_TAIL = (
    r"(?:,[ \t]*\p{Lu}[\p{L}\p{M}'-]*"
    r"(?:[ \t](?:(?:de|del|la|di|da|do|sur|am|an|im|na|nad|pod)[ \t])?\p{Lu}[\p{L}\p{M}'-]*){0,3})?"
)
ADDRESS_INTL_BEFORE = regex.compile(
    rf"""(?x)(?<![\w-])(?P<v>
    (?:\d{{1,5}}[ \t]+)?(?:{_INTL_BEFORE})\.?[ \t]+(?:[\p{{L}}\p{{M}}'.-][\p{{L}}\p{{M}}\d'.-]*,?[ \t]+){{0,6}}
    (?:(?:N[°º]|No\.?|Nr\.?|nº)[ \t]*)?\d{{1,5}}(?:/\d{{1,5}})?[A-Za-z]?\b{_INTL_UNIT}
    {_TAIL})"""
)
ADDRESS_INTL_SUFFIX = regex.compile(
    rf"""(?x)(?<![\w-])(?P<v>
    (?:\p{{Lu}}[\p{{L}}\p{{M}}'.-]*[ \t]+){{0,3}}[\p{{L}}\p{{M}}-]*(?i:{_INTL_SUFFIX})\.?[ \t]+\d{{1,5}}(?:/\d{{1,5}})?[A-Za-z]?\b{_TAIL})"""
)
_INTL_AFTER = (
    "rue|via|calle|avenida|rua|strada|ulica|avenue|boulevard|chemin|impasse|allée|allé|rang"
)
# The street's name: capitalised words (not acronyms: "650 via NG tube" is a dose), particles and
# elisions ("50 rue Porte d'Orange", "40 rue des six frères Ruellan").
_NAME_WORD = r"(?:\p{Lu}[\p{Ll}\p{M}'-][\p{L}\p{M}'-]*|\p{Lu}|[dl]['\u2019]\p{Lu}[\p{L}\p{M}'-]*)"
_PARTICLE = r"(?:de|del|de la|la|da|do|du|des|di|della|dos|das|le|les|aux)"
ADDRESS_INTL_AFTER = regex.compile(
    rf"""(?x)(?<![\w-])(?P<v>
    \d{{1,5}},?[ \t]+(?:(?i:rue|calle|avenida|rua|strada|ulica|avenue|boulevard|chemin|impasse|allée|allé|rang)|Via|VIA)[ \t]+
    (?:{_PARTICLE}[ \t]+[\p{{L}}\p{{M}}'\u2019-]+|{_NAME_WORD})
    (?:[ \t]+(?:{_PARTICLE}[ \t]+)?(?:\p{{Ll}}[\p{{L}}\p{{M}}'-]*[ \t]+){{0,2}}{_NAME_WORD}){{0,3}}{_TAIL})"""
)
# For gates: the words these need, as ASCII letter runs.
INTL_BEFORE_WORDS = _forms(_INTL_BEFORE.replace("C/", "C"))
_SUFFIX_FORMS = _forms(_INTL_SUFFIX.replace("stra(?:ß|ss)e", "strasse|straße"))
# Capitalised too: "Bernt-Hein-Weg 6/8" ends its last letter run with "Weg".
INTL_SUFFIXES = tuple(sorted(_SUFFIX_FORMS | {w.capitalize() for w in _SUFFIX_FORMS}))
# The suffix inside a lower-case word ("Door Van dijckstraat 430"): the longer forms, anywhere.
INTL_SUFFIX_CUES = tuple(sorted(f for f in _SUFFIX_FORMS if len(f) >= 5))
INTL_AFTER_WORDS = _forms(_INTL_AFTER)
# Places on a ward that end in a street suffix: "located at the Nurses Station".
_WARD_PLACE = r"(?:Nurses?'?|Nursing|Charge|Central|Work|Med(?:ication)?|Supply|Charting)[ \t]+(?:Station|Center|Centre)\b"
# A street named after a cue, with no house number: "lives on the north side of Jeffery Road".
ADDRESS_NAMED = regex.compile(
    rf"""(?x)(?i:\b(?:lives?|living|resides?|residing|located|address(?:\s+is)?|moved|side\s+of|
    staying|home\s+(?:is\s+)?(?:on|at)))(?:[ \t]+(?:on|at|in|to|of|the|is|:))*[ \t]*:?[ \t]*
    (?!{_WARD_PLACE})(?P<v>{_CAP}(?:[ \t]+{_CAP}){{0,2}}[ \t]+(?:{_USPS}|Via)\.?)(?![\w-])"""
)
# A street with no house number after a preposition: "enter on Tate Extension St.". Only suffixes
# that name streets and little else on a ward ("on Morse Falls precautions", "at the Nurses
# Station", "Epic Way" and "Park" stay readable).
_STREET_ONLY = (
    "Alley|Avenue|Ave|Boulevard|Blvd|Bypass|Causeway|Circles?|Courts?|Crescent|Drives?|Estates|"
    "Expressway|Expy|Extensions?|Freeway|Fwy|Gardens|Heights|Highway|Hwy|Junctions?|Lane|Ln|"
    "Manors?|Meadows|Motorway|Orchard|Oval|Overpass|Parkway|Pkwy|Pike|Plains|Plaza|Ridges?|"
    "Road|Roads|Rd|Shores|Spurs?|Squares?|Stravenue|Streets?|Terrace|Throughway|Trafficway|"
    "Turnpike|Underpass|Valleys?|Viaduct|Villages?|Vista"
)
ADDRESS_AFTER_PREPOSITION = regex.compile(
    rf"""(?x)\b(?:on|onto|at|to|from|off|along|near|via|down|up|across)[ \t]+
    (?P<v>{_CAP}(?:[ \t]+{_CAP}){{0,2}}[ \t]+(?:{_STREET_ONLY})\b\.?
    (?:[ \t]+(?:St|Street|Ave|Rd)\b\.?)?)"""
)
STREET_ONLY_WORDS = _forms(_STREET_ONLY)
# A street name ending in any street suffix, then a short street word, after a preposition:
# "enter on Miller Green St.", "turn onto Becker View Rd". "St." must not begin a saint's
# name ("at Mercy St. Joseph"): no capitalised word may follow it; "Dr." is a doctor, left out.
ADDRESS_NAME_THEN_ST = regex.compile(
    rf"""(?x)\b(?:on|onto|at|to|from|off|along|near|via|down|up|across)[ \t]+
    (?P<v>{_CAP}(?:[ \t]+{_CAP}){{0,2}}[ \t]+(?:St|Ave|Rd|Ln|Blvd)\b(?!\.?[ \t]+\p{{Lu}})\.?)"""
)
SHORT_STREET_WORDS = frozenset(("St", "Ave", "Rd", "Ln", "Blvd"))
# Two streets that meet, neither with a house number: "the corner of Osborn Loaf St. and David
# Drives St.", "intersection of Mary Hollow and Dustin Avenue". Each is capitalised words ending in a
# street suffix; the "and" between them is masked with them.
_STREET_NAMED = (
    rf"{_CAP}(?:[ \t]+{_CAP}){{0,2}}[ \t]+(?:{_USPS}|Via)\b\.?(?:[ \t]+(?:St|Ave|Rd)\b\.?)?"
)
ADDRESS_CORNER = regex.compile(
    rf"""(?x)\b(?i:corner|intersection|junction|crossroads?)[ \t]+of[ \t]+(?:the[ \t]+)?
    (?P<v>{_STREET_NAMED}[ \t]+(?:and|&)[ \t]+{_STREET_NAMED})"""
)
# "Gosposka ulica 58": a street word of another country standing as a word of its own.
ADDRESS_INTL_SUFFIX_WORD = regex.compile(
    rf"""(?x)(?<![\w-])(?P<v>
    \p{{Lu}}[\p{{L}}\p{{M}}'-]*[ \t]+(?:[\p{{L}}\p{{M}}'-]+[ \t]+)?(?:ulica|cesta|ulice|utca|gata|gatan|vej|gade|
    straat|weg|gasse|katu|tie|veien|sokak|caddesi|u\.|útja|út|tér|körút|sétány|rakpart|köz)
    [ \t]+\d{{1,5}}(?:/\d{{1,5}})?[A-Za-z]?\.?{_TAIL})"""
)
INTL_SUFFIX_WORDS = frozenset(
    [
        "ulica",
        "cesta",
        "ulice",
        "utca",
        "gata",
        "gatan",
        "vej",
        "gade",
        "straat",
        "weg",
        "gasse",
        "katu",
        "tie",
        "veien",
        "sokak",
        "caddesi",
        "u",
        "utca",
        "rakpart",
    ]
)
# "Apt. 605" or "Suite 798" on a line of its own (a multi-line address's second line).
ADDRESS_UNIT_LINE = regex.compile(
    r"(?m)^[^\w\n]*(?P<v>(?:Apt|Apartment|Suite|Ste)\.?[ \t]*\#?[ \t]*\d{1,5}[A-Za-z]?)[ \t]*$"
)

# --- an address's own continuation: its house number, postcode and town; its unit before it ---
# Postcodes of several countries: UK ("SE4N 2YH", "B7G 8PL"), Canada ("T1X 7J3"), Ireland's
# Eircode ("C82 84H3", "E23KEKD"), the Netherlands ("1765 BJ"), Poland ("47-865"), Czechia,
# Slovakia, Sweden ("656 81"), Brazil and Portugal ("01310-100"), US ZIP+4, and 4-7 digits.
_POSTCODE_ANY = (
    r"(?:[A-Z]{1,2}\d[A-Z\d]?[ ]?\d[A-Z]{2}|[A-Z]\d[A-Z][ ]?\d[A-Z]\d|[A-Z]\d{2}[ ]?[A-Z\d]{4}"
    r"|(?:[A-Z]{1,2}-)?(?:\d{4}[ ]?[A-Z]{2}|\d{2}-\d{3}|\d{3}[ ]\d{2}|\d{4,5}-\d{3,4}|\d{4,8}))"
    r"(?![\w-])"
)
# A postcode alone is a place small enough to name a household (HIPAA counts ZIP codes; a full UK
# postcode covers about 15 addresses). Written in the strict national shapes, with the space, a UK
# or Canadian postcode is masked wherever it stands; after a postcode or ZIP cue, any postcode.
_UK_POSTCODE = (
    r"(?:[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?)[ ]\d[ABD-HJLNP-UW-Z]{2})"
)
_CA_POSTCODE = r"(?:[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ ]\d[ABCEGHJ-NPRSTV-Z]\d)"
POSTCODE_ALONE = regex.compile(rf"(?<![\w-])(?:{_UK_POSTCODE}|{_CA_POSTCODE})(?![\w-])")
POSTCODE_CUED = regex.compile(
    rf"""(?xi)(?<![\w-])(?:zip(?:[ ]?code)?|post(?:al)?[ ]?code|postcode|eircode)
    [ \t]*(?:[:\#][ \t]*|(?:is|was|of)[ \t]+)?(?-i:(?P<v>{_POSTCODE_ANY}))"""
)


def find_postcodes(text: str) -> Iterator[tuple[int, int]]:
    """Postcodes standing alone in their strict shapes, and any postcode after its cue."""
    for match in POSTCODE_ALONE.finditer(text):
        yield match.span()
    for match in POSTCODE_CUED.finditer(text):
        yield match.span("v")


_TOWN_WORD = r"\p{Lu}[\p{L}\p{M}'.-]*"
_TOWN_PARTICLE = (
    r"(?:de|del|de[ ]la|la|las|los|el|di|da|do|dos|sur|sous|le|les|en|am|an[ ]der|an|im|ob|"
    r"na|nad|pod|on|upon|in|op|aan|och|og|i)"
)
_TOWN = rf"(?:{_TOWN_PARTICLE}[ \t]+)?{_TOWN_WORD}(?:[ \t]+(?:{_TOWN_PARTICLE}[ \t]+)?{_TOWN_WORD}){{0,3}}"
_LINE_BREAK = r"(?:[ \t]*,[ \t]*\n?[ \t]*|[ \t]*\n[ \t]*)"
# After a street: its house number if the street ended before it ("Na Pomezí" + " 7"), then a
# postcode line, town first or postcode first ("\n656 81 Břidličná", ", Bytów 96-362"); or the
# house number alone where the phrase ends there.
_HOUSE_NUMBER = r",?[ \t]+(?:N[°º][ \t]*)?\d{1,5}[A-Za-z]?(?:[/-]\d{1,5}[A-Za-z]?)?(?![\w-])"
# A province or state after the town: "San Bernardino (PC)", "Pastor Paulista / TO".
_PROVINCE = r"(?:[ \t]+\([A-Z]{2}\)|[ \t]*/[ \t]*[A-Z]{2}\b)"
ADDRESS_TAIL = regex.compile(
    rf"""(?x)(?:{_HOUSE_NUMBER})?
    (?:{_LINE_BREAK}(?:{_TOWN}(?:,?[ \t]+|{_LINE_BREAK})){{0,3}}{_POSTCODE_ANY}
      (?:,?[ \t]+{_TOWN}|[ \t]*\n[ \t]*{_TOWN}(?=[ \t]*(?:\n|\Z|[,.;]))(?<=\n[ \t]*{_POSTCODE_ANY}[ \t]*\n[^\n]*))?
    |(?:[ \t]+(?:{_TOWN_PARTICLE}[ \t]+)?{_TOWN_WORD})*,?[ \t]+{_POSTCODE_ANY}){_PROVINCE}?
    |{_PROVINCE}"""
)
# The house number alone, or the rest of one ("Istarska 3c" + "/9"), where the phrase ends.
ADDRESS_NUMBER_TAIL = regex.compile(
    rf"(?:{_HOUSE_NUMBER}|[/-]\d{{1,5}}[A-Za-z]?)(?=[ \t]*(?:[,;.)\n]|\Z))"
)
# Before a postcode line: the street line it belongs to, named by capitalised words and the
# particles of street names ("Berkenbrücker Steig 846\n", "al. Rogozińska 1223, ").
_STREET_PARTICLE = (
    r"(?:de|del|della|degli|dei|di|da|do|dos|das|du|des|la|las|los|le|les|el|van|von|der|den|"
    r"am|an|im|na|nad|pod|u|och|y|e|ul\.|al\.|os\.|pl\.|avenue|boulevard|chemin|impasse|allée|"
    r"rue|plac|aleja|ulica|via|viale|calle|rua|strada)"
)
_STREET_LINE = (
    rf"(?:{_STREET_PARTICLE}[ \t]+)?{_TOWN_WORD}(?:[ \t]+(?:{_STREET_PARTICLE}|{_TOWN_WORD})){{0,5}}"
    rf"{_HOUSE_NUMBER}{_LINE_BREAK}(?:\d{{1,4}}[ ])?\Z"
)
ADDRESS_STREET_LINE = regex.compile(rf"(?r)(?<![\w-]){_STREET_LINE}")
# Before a street: its unit, flat, block or lot ("Studio 4\n", "Flat 96 , Level 4 ",
# "Block 07 Lot 83 ", "B11 L87 ", "Piso 3 Dto. 3, ", "H.No. 92, ").
_UNIT_WORD = (
    r"(?:Apt|Apartment|Unit|Suite|Ste|Studio|Flat|Level|Floor|Block|Blk|Lot|Bldg|Building|"
    r"Room|Piso|Dto|Depto|Dpto|Casa|Torre|Oficina|Bodega|Edif|Interior|H\.No|B(?=\d)|L(?=\d))"
)
# Or its house number before a comma ("78, Chaudhuri Nagar", "No. 3, Jln 1"), or the unit word
# whose number the street match began with ("Block 7 Lot" + "12 Mabini Street").
ADDRESS_HEAD = regex.compile(
    rf"""(?x)(?<![\w-])(?:{_UNIT_WORD}\.?[ \t]*\#?[ \t]*[\w-]{{1,6}}[ \t]*,?[ \t]*\n?[ \t]*)*
    (?:(?:No\.[ \t]*)?\d{{1,5}}(?:/\d{{1,5}})?[A-Za-z]?,[ \t]*|(?:{_UNIT_WORD}|B|L)\.?[ \t]*\#?[ \t]*)?\Z"""
)


def extend_address(text: str, start: int, end: int) -> tuple[int, int]:
    """An address finding grown over what belongs to it on either side: a house number or a
    postcode and town after it, the street line or a unit before it. Only ever grows a finding,
    so a clean text (no finding) stays as it was."""
    return _grow_start(text, start), _grow_end(text, end)


def _grow_end(text: str, end: int) -> int:
    word = end
    while word > 0 and text[word - 1].isalnum():
        word -= 1  # retry from the last word: "… Nuneaton TS" of "TS4T 4WP", "Hembrug 1975" + " XD"
    while word > 0 and text[word - 1] in " \t\n,":
        word -= 1
    best = end
    while best < len(text) and text[best].isalnum() and text[best - 1].isalnum():
        best += 1  # never stop inside a word
    for at in {end, word, best}:
        tail = ADDRESS_TAIL.match(text, at) or ADDRESS_NUMBER_TAIL.match(text, at)
        if tail:
            best = max(best, tail.end())
    return best


# What any head needs, checked before the head's own (slower) search: a unit word, B/L and a
# digit, or a house number and comma right before the street.
_HEAD_HINT = regex.compile(
    r"(?i:apt|apartment|unit|suite|ste|studio|flat|level|floor|block|blk|lot|bldg|building|room|"
    r"piso|dto|depto|dpto|casa|torre|oficina|bodega|edif|interior|h\.no)|\b[BL]\d|\d[A-Za-z]?,[ \t]*\Z"
)


def _grow_start(text: str, start: int) -> int:
    lo = max(0, start - 48)
    head = ADDRESS_HEAD.search(text, lo, start) if _HEAD_HINT.search(text, lo, start) else None
    if head and head.start() < start:
        start = head.start()
    if start and text[start].isdigit() and text[start - 1] in ",\n \t":
        line = ADDRESS_STREET_LINE.search(text, max(0, start - 80), start)
        if line:
            start = line.start()
    return start


# --- a record number beside a name, with no cue: a wristband or label line ---------------------
# "DOE, JANE  88125668  F", "Jane Doe #K2077003", "Patient: Jane Doe (53081)", "60-84/39 - DOE,
# JANE", "Pt: Doe, Jane | 43-09/20 |". Five digits or more (four after "#"), no date or time range.
_ID_BESIDE = (
    r"(?!\d{4}-\d{1,2}-\d{1,2}(?![\w/-])|\d{1,2}(?P<sep>[/.-])\d{1,2}(?P=sep)\d{2,4}(?![\w/-])|\d{4}-\d{4}(?![\w/-]))"
    r"(?=(?:[A-Za-z/-]*\d){5})[A-Za-z]{0,3}[-/]?\d[A-Za-z0-9/-]{3,18}[A-Za-z0-9]"
)
# Inside a label's delimiters ("#", "(", "|") or before " - ", a shorter code with capitals and
# digits is a record number too: "#RUZ 380", "(AZL-669)", "| 6NJ 506 |", "92Y 7636 - DOE, J".
_CODE_BESIDE = r"(?!(?:MRN|MR|FIN|CSN|HAR|ID|DOB|SSN|ACCT|ENC|PT|RM)\b)(?=[A-Z0-9 -]*\d)(?=[A-Z0-9 -]*[A-Z])(?=(?:[A-Z -]*\d){3})[A-Z0-9]{1,4}[- ]?[A-Z0-9]{2,7}"
# The name finder may stop before a surname that is also a word ("Jorge [Murphy] (45868172)"):
# up to two capitalised words may stand between the name and the number.
ID_AFTER_NAME = regex.compile(
    rf"""(?x)(?:[ \t]+\p{{Lu}}[\p{{L}}'-]*(?![\w/-])){{0,2}}
    (?:[ \t]*(?:[,|(/:-][ \t]*){{0,2}}\#?(?P<v>{_ID_BESIDE})
    |[ \t]*(?:[,/:-][ \t]*)?[|(\#][ \t]*(?P<v>\d{{4}}|{_CODE_BESIDE}))(?![\w/-])"""
)
ID_BEFORE_NAME = regex.compile(
    rf"""(?xr)(?<![\w/-])(?:(?P<v>{_ID_BESIDE})[ \t]*(?:[|/,(-][ \t]*){{0,2}}
    |(?P<v>{_CODE_BESIDE})[ \t]*(?:[|-][ \t]*))(?:\p{{Lu}}[\p{{L}}'-]*,?[ \t]+){{0,2}}\Z"""
)


def ids_beside_names(text: str, names: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Record numbers written right before or after a name with no cue between them."""
    out: list[tuple[int, int]] = []
    for start, end in names:
        after = ID_AFTER_NAME.match(text, end)
        if after and not _zip_like(text, after):
            out.append(after.span("v"))
        before = ID_BEFORE_NAME.search(text, max(0, start - 32), start)
        if before:
            out.append(before.span("v"))
    return out


def _zip_like(text: str, match: regex.Match[str]) -> bool:
    """Five bare digits after one space: a town's ZIP code ("West Andrea 39285"), not a record
    (a label's columns are set apart by two spaces or more: "DOE, JANE  57348  F")."""
    value = match.group("v")
    return (
        value.isdigit()
        and len(value) == 5
        and text[: match.start("v")].endswith(("\t", " "))
        and not text[: match.start("v")].endswith("  ")
    )
