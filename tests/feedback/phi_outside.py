"""The outside PHI evaluation corpus, built at test time from packages this team did not write.

Two generations of sources (all installed by `make install-test`; nothing is copied into the
repository). The first four were split once with SEED in 2026-12-04 and tuned on for six passes;
on 2026-12-06 their held-out part was declared read, so all their rows are "dev" now and
`first_split` keeps where they were ("dev"/"heldout": the report's "first held-out" column).
First sources:
- presidio-evaluator 0.3.2 (MIT): its sentence templates (`raw_data/templates.txt`) and its 3000
  generated identities (`raw_data/FakeNameGenerator.com_3000.csv`: names of 24 origins,
  international street addresses and phone numbers);
- Faker 40.63.0 (MIT): names from 25 locales, US phones/SSNs/addresses (military APO/FPO/DPO and
  multi-line ones included), other countries' phones and street addresses;
- deidgate 0.1.0 (MIT): 15 synthetic Safe Harbor notes with gold values;
- philter-ucsf 1.0.3 (package BSD-3): 5 clinical notes of the i2b2 2014 de-identification corpus
  with their gold tags (surrogate PHI). The notes' own terms are the n2c2 data-use agreement, so
  they are only read from the installed package, line by line, never stored here.

Second source, split once with SEED_2 before anyone scored the guard on it:
- meddeid-data 0.4.2 (AGPL-3.0-only; with meddeid-core 0.2.1 and meddeid-language-en 0.2.1, whose
  lookups come from SSA/Census names, Census TIGER roads and GeoNames places): synthetic English
  clinical notes (en-US and en-GB profiles: clinic notes, discharge summaries, A&E and nursing
  notes, referral letters, lab reports) with exact character-offset gold spans. Generated in a
  subprocess (its lookups take ~13 s and ~1.3 GB to load), seeded, no network.
- pii-anon 1.3.0 (Apache-2.0): the sentence templates of its evaluation-set generator
  (`eval_framework/datasets/generator.py`: records, claims, case files, "adversarial" lines), their
  non-PHI slots filled by its own generator functions, their PHI slots (names, phones, emails,
  dates of birth, addresses) by
- @faker-js/faker 10.6.0 (MIT, npm; `tests/feedback/js`): identities of 35 Latin-script locales,
  drawn by `node tests/feedback/js/identities.mjs`. SSNs and record numbers are pii-anon's own.

`rows()` returns every row once: {"text", "spans": [{"start", "end", "type"}], "ignored": bool,
"clean": bool, "source", "split", "first_split"}. `ignored` marks rows holding identifiers outside
the PHI types (a city, a visit date, a hospital): their spans still count, but the row is never a
clean row. Each split keeps every template, identity pool and note on one side; tune on "dev" only.
"""

from __future__ import annotations

import csv
import datetime
import importlib.util
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from faker import Faker

SEED = 20261204
# The second split (2026-12-06): the new sources' notes, drawn before anyone looked at a score.
SEED_2 = 20261206
# Fixed dates instead of Faker's "today": the corpus is the same on every day it is built.
TODAY = datetime.datetime(2026, 12, 4)
BORN_FROM, BORN_UNTIL = datetime.date(1931, 12, 5), datetime.date(2012, 12, 4)  # aged 14-95
FILLS_PER_TEMPLATE = 5
Row = dict[str, Any]

NAME_SLOTS = {
    "person", "name", "first_name", "last_name", "name_female", "name_male", "first_name_male",
    "first_name_female", "first_name_nonbinary", "last_name_male", "last_name_female",
}  # fmt: skip
TYPED_SLOTS = {
    "phone_number": "PHONE", "email": "EMAIL", "ssn": "SSN", "date_of_birth": "DOB",
    "address": "ADDRESS", "street_name": "ADDRESS", "building_number": "ADDRESS",
    "secondary_address": "ADDRESS",
}  # fmt: skip
# Identifiers Rounds does not mask as such (HIPAA lists some: a city, a ZIP, a date that is not a
# birth date): filled in, unlabelled, and the row is marked `ignored`.
IGNORED_SLOTS = {
    "city", "country", "postcode", "zipcode", "state_abbr", "credit_card_number", "iban", "url",
    "ip_address", "us_driver_license", "organization", "age", "year", "date_time", "nationality",
    "nation_woman", "nation_plural", "job", "day_of_week",
}  # fmt: skip
NAME_LOCALES = [
    "en_US", "en_GB", "en_IE", "ga_IE", "pl_PL", "cs_CZ", "sk_SK", "hu_HU", "hr_HR", "sl_SI",
    "es_ES", "es_MX", "pt_BR", "fr_FR", "it_IT", "de_DE", "nl_NL", "tr_TR", "vi_VN", "fil_PH",
    "yo_NG", "en_IN", "ro_RO", "zh_CN", "ko_KR",
]  # fmt: skip
PHONE_LOCALES = ["en_GB", "de_DE", "fr_FR", "es_ES", "pl_PL", "it_IT", "nl_NL", "en_IN", "pt_BR"]
I2B2_TYPES = {
    "PATIENT": "NAME", "DOCTOR": "NAME", "MEDICALRECORD": "MRN", "IDNUM": "MRN",
    "PHONE": "PHONE", "FAX": "PHONE", "EMAIL": "EMAIL", "STREET": "ADDRESS",
}  # fmt: skip
DEIDGATE_TYPES = {
    "name": "NAME", "mrn": "MRN", "account": "MRN", "phone": "PHONE", "fax": "PHONE",
    "email": "EMAIL", "ssn": "SSN",
}  # fmt: skip
SLOT = re.compile(r"\{\{(\w+)\}\}")


def _package_dir(name: str) -> Path:
    """A package's folder without importing it (presidio-evaluator's import pulls in spaCy)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{name} is not installed: run `make install-test`")
    return Path(next(iter(spec.submodule_search_locations)))


def _split_of(key: str, seed: int = SEED) -> str:
    return "dev" if random.Random(f"{seed}:{key}").random() < 0.5 else "heldout"


# --- identities -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _fng_people() -> list[dict[str, str]]:
    path = _package_dir("presidio_evaluator") / "data_generator/raw_data"
    with open(path / "FakeNameGenerator.com_3000.csv", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


class Identities:
    """Fills template slots for one split, from that split's half of every identity pool."""

    def __init__(self, split: str) -> None:
        self.rng = random.Random(f"{SEED}:{split}")
        self.people = [p for p in _fng_people() if _split_of("fng" + p["Number"]) == split]
        seed = SEED + (0 if split == "dev" else 1)
        # Sorted: a set's order changes with each process's string hashing, and so did the seed
        # each locale got (until 2026-12-04 every run filled the templates differently).
        self.fakers = {loc: Faker(loc) for loc in sorted({*NAME_LOCALES, *PHONE_LOCALES})}
        for n, faker in enumerate(self.fakers.values()):
            faker.seed_instance(seed * 100 + n)
        self.us = self.fakers["en_US"]

    def name(self, slot: str) -> str:
        use_fng = self.rng.random() < 0.5
        person = self.rng.choice(self.people)
        faker = self.fakers[self.rng.choice(NAME_LOCALES)]
        first = person["GivenName"] if use_fng else faker.first_name()
        last = person["Surname"] if use_fng else faker.last_name()
        if slot.startswith("first_name"):
            return first
        if slot.startswith("last_name"):
            return last
        return f"{first} {last}"

    def value(self, slot: str) -> str:
        rng, us, person = self.rng, self.us, self.rng.choice(self.people)
        fills: dict[str, Callable[[], str]] = {
            "phone_number": lambda: rng.choice(
                [
                    us.phone_number,
                    lambda: person["TelephoneNumber"],
                    lambda: f"+{person['TelephoneCountryCode']} {person['TelephoneNumber']}",
                    self.fakers[rng.choice(PHONE_LOCALES)].phone_number,
                ]
            )(),
            "email": lambda: rng.choice([us.email, lambda: person["EmailAddress"]])(),
            "ssn": us.ssn,
            "date_of_birth": lambda: us.date_between_dates(BORN_FROM, BORN_UNTIL).strftime(
                rng.choice(["%m/%d/%Y", "%B %d, %Y", "%Y-%m-%d", "%d %b %Y"])
            ),
            "address": lambda: rng.choice(
                [
                    us.address,
                    us.address,
                    lambda: us.address().replace("\n", ", "),
                    lambda: person["StreetAddress"],
                    lambda: f"{person['StreetAddress']}, {person['City']}",
                ]
            )(),
            "street_name": us.street_name,
            "building_number": us.building_number,
            "secondary_address": us.secondary_address,
            "prefix_male": lambda: rng.choice(["Mr.", "Mr", "Dr."]),
            "prefix_female": lambda: rng.choice(["Ms.", "Mrs.", "Dr."]),
            "prefix": lambda: rng.choice(["Mr.", "Ms.", "Dr.", "Mx."]),
            "ip_address": us.ipv4,
            "organization": us.company,
            "us_driver_license": lambda: us.bothify("?#######").upper(),
            "date_time": lambda: str(us.date_time_between(BORN_FROM, TODAY)),
            "age": lambda: str(rng.randint(18, 95)),
            "nationality": lambda: rng.choice(["Czech", "Polish", "Irish", "Vietnamese"]),
            "nation_woman": lambda: rng.choice(["Czech", "Polish", "Irish", "Vietnamese"]),
            "nation_plural": lambda: rng.choice(["Czechs", "Poles", "Irish", "Vietnamese"]),
        }
        if slot in fills:
            return fills[slot]()
        return str(getattr(us, slot)())


# --- the sources ------------------------------------------------------------------------------


def _fill(template: str, ids: Identities) -> tuple[str, list[dict[str, Any]], bool]:
    parts: list[str] = []
    spans: list[dict[str, Any]] = []
    ignored, cursor, length = False, 0, 0
    for match in SLOT.finditer(template):
        literal = template[cursor : match.start()]
        parts.append(literal)
        length += len(literal)
        slot = match.group(1)
        value = ids.name(slot) if slot in NAME_SLOTS else ids.value(slot)
        kind = "NAME" if slot in NAME_SLOTS else TYPED_SLOTS.get(slot)
        ignored |= slot in IGNORED_SLOTS
        if kind:
            spans.append({"start": length, "end": length + len(value), "type": kind})
        parts.append(value)
        length += len(value)
        cursor = match.end()
    parts.append(template[cursor:])
    text = "".join(parts)
    return text, _merge(text, spans), ignored


def _merge(text: str, spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Adjacent spans of one type split only by spaces or a comma ("{{first}} {{last}}") are one."""
    merged: list[dict[str, Any]] = []
    for span in spans:
        prev = merged[-1] if merged else None
        gap = text[prev["end"] : span["start"]] if prev else "x"
        if prev and prev["type"] == span["type"] and re.fullmatch(r"[ ,]*", gap):
            prev["end"] = span["end"]
        else:
            merged.append(dict(span))
    return merged


def template_rows() -> Iterator[Row]:
    path = _package_dir("presidio_evaluator") / "data_generator/raw_data/templates.txt"
    # The file writes line breaks inside a template as "\\n" and some commas as "\\,".
    lines = path.read_text(encoding="utf-8").splitlines()
    templates = [t.strip().replace("\\n", "\n").replace("\\,", ",") for t in lines if t.strip()]
    identities = {split: Identities(split) for split in ("dev", "heldout")}
    for n, template in enumerate(templates):
        split = _split_of(f"template{n}")
        fills = FILLS_PER_TEMPLATE if SLOT.search(template) else 1
        for _ in range(fills):
            text, spans, ignored = _fill(template, identities[split])
            yield _row(text, spans, ignored, "presidio-evaluator templates", split)


def deidgate_rows() -> Iterator[Row]:
    path = _package_dir("deidgate") / "data" / "safeharbor_seed.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        note = json.loads(line)
        text, spans, ignored = note["text"], [], False
        for phi in note["phi"]:
            kind = DEIDGATE_TYPES.get(phi["category"])
            geo_street = phi["category"] == "geo" and re.match(r"\d+\s+\w", phi["value"])
            kind = "ADDRESS" if geo_street else kind
            ignored |= kind is None
            start = text.find(phi["value"])
            if kind and start >= 0:
                spans.append({"start": start, "end": start + len(phi["value"]), "type": kind})
        yield _row(text, spans, ignored, "deidgate seed", _split_of("deidgate" + note["id"]))


def i2b2_rows() -> Iterator[Row]:
    """Each non-blank line of the notes is one row, with the gold tags that fall in it. Lines,
    not notes, are split: five notes would put most clean lines on one side."""
    folder = _package_dir("philter_ucsf") / "data" / "i2b2_xml"
    for path in sorted(folder.glob("*.xml")):
        root = ET.parse(path).getroot()
        text = root.findtext("TEXT") or ""
        tags = [
            (int(t.get("start", 0)), int(t.get("end", 0)), t.get("TYPE", ""))
            for t in root.find("TAGS") or []
        ]
        offset = 0
        for number, line in enumerate(text.split("\n")):
            split = _split_of(f"i2b2{path.stem}:{number}")
            start, end = offset, offset + len(line)
            offset = end + 1
            inside = [(s - start, e - start, k) for s, e, k in tags if start <= s and e <= end]
            if not line.strip():
                continue
            spans = [
                {"start": s, "end": e, "type": I2B2_TYPES[k]}
                for s, e, k in inside
                if k in I2B2_TYPES
            ]
            ignored = any(k not in I2B2_TYPES for _, _, k in inside)
            yield _row(line, spans, ignored, "i2b2 notes (philter-ucsf)", split)


# --- the second split's source: meddeid-data's synthetic clinical notes -------------------------

MEDDEID_LOCALES = ("en-GB", "en-US")
MEDDEID_NOTES = 400  # per locale
MEDDEID_SOURCE = "meddeid-data notes"
_MEDDEID_SCRIPT = """
import json, sys
from meddeid_data.generation_profiles import resolve_generation_profile as profile
count, seed, locales = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
json.dump({loc: profile(loc).generate_documents(count, seed=seed) for loc in locales}, sys.stdout)
"""
# Rounds keeps titles and cue words readable ("Dr [REDACTED-NAME]", "MRN [REDACTED-MRN]"), so a
# title at the start of a gold name ("Dr Rue Garner") and a cue word glued before an identifier
# with a dash or space ("MRN-07789731", "GMC 0982438") are not part of the gold span.
_TITLE = re.compile(r"(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Nurse|Sister)\.?\s+")
_ID_CUE = re.compile(r"(?:MRN|GMC)[-\s]")
# A row is one sentence of one line: a full stop, ! or ? then a capital, never inside a gold span.
_PIECE_END = re.compile(r"\n|(?<=[.!?])[ \t]+(?=[A-Z])")


def _meddeid_docs(
    count: int = MEDDEID_NOTES, seed: int = SEED_2
) -> dict[str, list[dict[str, Any]]]:
    """Generated in a child process: its lookups hold ~1.3 GB while loaded, and it runs in an
    empty folder (the package reads a `.env` of the working directory in some commands).
    bench/phi_dev_pool.py draws other notes with another seed."""
    with tempfile.TemporaryDirectory() as folder:
        args = [str(count), str(seed), *MEDDEID_LOCALES]
        done = subprocess.run(
            [sys.executable, "-c", _MEDDEID_SCRIPT, *args], cwd=folder, check=True,
            capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"},
        )  # fmt: skip
    docs: dict[str, list[dict[str, Any]]] = json.loads(done.stdout)
    return docs


def _meddeid_span(text: str, gold: dict[str, Any]) -> dict[str, Any] | None:
    """The Rounds type of one gold span, trimmed as above; None for what Rounds does not mask as
    such (dates of visits, ages, towns, hospitals, occupations)."""
    start, end, category = gold["begin"], gold["end"], gold["label"].split(":")[0]
    value = text[start:end]
    kind = None
    if category == "Name":
        kind, lead = "NAME", _TITLE.match(value)
    elif category == "ID":
        ssn = re.fullmatch(r"\d{3}-\d{2}-\d{4}", value)
        kind, lead = ("SSN" if ssn else "MRN"), _ID_CUE.match(value)
    else:
        lead = None
        if category == "Contactdetails" and "@" in value:
            kind = "EMAIL"
        elif category == "Contactdetails" and len(re.findall(r"\d", value)) >= 7:
            kind = "PHONE"
        elif category == "Age_Birthdate" and re.search(r"\d{4}", value):
            kind = "DOB"  # a date of birth; "74-year-old" is an age
        elif category == "Address_Location" and re.search(r"\d", value):
            kind = "ADDRESS"  # a street address; a town alone is not
    if kind is None:
        return None
    return {"start": start + (lead.end() if lead else 0), "end": end, "type": kind}


def _pieces(text: str, golds: list[dict[str, Any]]) -> Iterator[tuple[int, int]]:
    cuts = [0]
    for match in _PIECE_END.finditer(text):
        if not any(g["begin"] < match.start() < g["end"] for g in golds):
            cuts += [match.start(), match.end()]
    cuts.append(len(text))
    for start, end in zip(cuts[::2], cuts[1::2], strict=True):
        if text[start:end].strip():
            yield start, end


def meddeid_rows(docs: dict[str, list[dict[str, Any]]] | None = None) -> Iterator[Row]:
    """One row per sentence of each note. Notes are split with SEED_2 by locale and note, so no
    note (and no patient: one a note) is in both parts. A sentence with no gold span at all is a
    clean row; the same clean sentence recurs in many notes ("Assessment: gout flare."), so each
    one is kept once and split by its own text instead."""
    clean_seen: set[str] = set()
    for locale, notes in sorted((docs or _meddeid_docs()).items()):
        for doc in notes:
            text, golds = doc["text"], doc["spans"]
            split = _split_of(f"meddeid:{locale}:{doc['document_id']}", SEED_2)
            for start, end in _pieces(text, golds):
                inside = [g for g in golds if start <= g["begin"] and g["end"] <= end]
                piece = text[start:end]
                if not inside:
                    if piece not in clean_seen:
                        clean_seen.add(piece)
                        yield _row(piece, [], False, MEDDEID_SOURCE,
                                   _split_of(f"meddeid-clean:{piece}", SEED_2))  # fmt: skip
                    continue
                spans = []
                for gold in inside:
                    span = _meddeid_span(text, gold)
                    if span:
                        spans.append({**span, "start": span["start"] - start,
                                      "end": span["end"] - start})  # fmt: skip
                ignored = len(spans) < len(inside)
                yield _row(piece, spans, ignored, MEDDEID_SOURCE, split)


# --- the second split's templates: pii-anon's, with @faker-js/faker identities ------------------

PII_ANON_SOURCE = "pii-anon templates + faker-js"
PII_ANON_FILLS = 15  # per template
FAKERJS_PER_LOCALE = 20
FAKERJS_LOCALES = [
    "en_US", "en_GB", "en_AU", "en_CA", "en_IE", "en_IN", "en_NG", "en_ZA", "de", "de_AT",
    "de_CH", "fr", "fr_BE", "it", "es", "es_MX", "pt_BR", "pt_PT", "nl", "pl", "cs_CZ", "sk",
    "hu", "ro", "hr", "sl_SI", "sv", "nb_NO", "da", "fi", "lv", "tr", "vi", "id_ID", "af_ZA",
]  # fmt: skip
PII_ANON_SLOTS = {
    "name": "NAME", "contact_name": "NAME", "email": "EMAIL", "email2": "EMAIL", "phone": "PHONE",
    "phone2": "PHONE", "ssn": "SSN", "dob": "DOB", "address": "ADDRESS", "mrn": "MRN",
}  # fmt: skip
JS_FOLDER = Path(__file__).with_name("js")
_PII_ANON_SLOT = re.compile(r"\{(\w+)\}")


def _fakerjs_people(
    seed: int = SEED_2, per_locale: int = FAKERJS_PER_LOCALE
) -> list[dict[str, Any]]:
    """faker-js identities, `per_locale` of each locale (bench/phi_dev_pool.py draws others with
    another seed)."""
    if not (JS_FOLDER / "node_modules" / "@faker-js" / "faker").is_dir():
        raise RuntimeError("@faker-js/faker is not installed: run `make install-test`")
    args = [str(seed), str(per_locale), *FAKERJS_LOCALES]
    done = subprocess.run(
        ["node", "identities.mjs", *args], cwd=JS_FOLDER, check=True, capture_output=True,
        text=True,
    )  # fmt: skip
    people: list[dict[str, Any]] = json.loads(done.stdout)
    return people


def _pii_anon_generator() -> Any:
    """pii-anon's generator module alone (its package import pulls in its whole engine)."""
    path = _package_dir("pii_anon") / "eval_framework/datasets/generator.py"
    spec = importlib.util.spec_from_file_location("pii_anon_eval_generator", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pii_anon_templates(generator: Any) -> list[dict[str, Any]]:
    """Its templates with at least one PHI slot. One of them is written as a format string
    ("{{" for "{"); its own filler does not unescape it, this does."""
    templates = [
        {**t, "template": t["template"].replace("{{", "\x00").replace("}}", "\x01")}
        for t in generator._TEMPLATES
        if set(_PII_ANON_SLOT.findall(t["template"])) & set(PII_ANON_SLOTS)
    ]
    return sorted(templates, key=lambda t: t["id"])


def _pii_anon_values(generator: Any, slots: list[str], rng: random.Random) -> dict[str, str]:
    """pii-anon's own value for each slot, through its own filler, one slot at a time (it fills
    placeholders in the order of its value table, so a template in another order keeps some)."""
    values = {}
    for slot in slots:
        alone = {"id": slot, "template": f"{{{slot}}}", "entity_types": [], "difficulty": "easy"}
        values[slot] = generator._fill_template(alone, rng, "en", 0)["text"]
    return values


def pii_anon_rows() -> Iterator[Row]:
    """Templates are split with SEED_2 by template id, identities by locale and index, so no
    template or identity is in both parts. The PHI slots take a faker-js identity (the contact
    another one); an address is the street (with its unit or not), a comma and the town, the
    shape pii-anon's own addresses have."""
    generator = _pii_anon_generator()
    people = _fakerjs_people()
    pools = {
        split: [p for p in people if _split_of(f"fakerjs:{p['locale']}:{p['index']}", SEED_2)
                == split]
        for split in ("dev", "heldout")
    }  # fmt: skip
    for template in _pii_anon_templates(generator):
        split = _split_of(f"pii-anon:{template['id']}", SEED_2)
        rng = random.Random(f"{SEED_2}:pii-anon:{template['id']}")
        slots = sorted(set(_PII_ANON_SLOT.findall(template["template"])))
        for _ in range(PII_ANON_FILLS):
            person, contact = rng.sample(pools[split], 2)
            values = _pii_anon_values(generator, slots, rng)
            address = rng.choice([person["street"], person["street_unit"]])
            values.update({
                "name": f"{person['first']} {person['last']}",
                "contact_name": f"{contact['first']} {contact['last']}",
                "email": person["email"], "email2": contact["email"],
                "phone": person["phone"], "phone2": contact["phone"],
                "dob": person["born"], "address": f"{address}, {person['city']}",
            })  # fmt: skip
            text, spans, ignored = _fill_pii_anon(template["template"], values)
            yield _row(text, spans, ignored, PII_ANON_SOURCE, split)


def _fill_pii_anon(template: str, values: dict[str, str]) -> tuple[str, list[dict[str, Any]], bool]:
    parts: list[str] = []
    spans: list[dict[str, Any]] = []
    cursor = length = 0
    ignored = False
    for match in _PII_ANON_SLOT.finditer(template):
        literal = template[cursor : match.start()].replace("\x00", "{").replace("\x01", "}")
        parts.append(literal)
        length += len(literal)
        slot, value = match.group(1), values[match.group(1)]
        kind = PII_ANON_SLOTS.get(slot)
        lead = _ID_CUE.match(value) if kind == "MRN" else None
        if kind:
            spans.append({"start": length + (lead.end() if lead else 0),
                          "end": length + len(value), "type": kind})  # fmt: skip
        ignored |= kind is None and not slot.startswith("filler")
        parts.append(value)
        length += len(value)
        cursor = match.end()
    parts.append(template[cursor:].replace("\x00", "{").replace("\x01", "}"))
    return "".join(parts), spans, ignored


def _row(text: str, spans: list[dict[str, Any]], ignored: bool, source: str, split: str) -> Row:
    clean = not spans and not ignored
    return {"text": text, "spans": spans, "ignored": ignored, "clean": clean, "source": source,
            "split": split, "first_split": None}  # fmt: skip


@lru_cache(maxsize=1)
def _all_rows() -> tuple[Row, ...]:
    # The first sources' held-out part was read (2026-12-06): every row of theirs is dev now.
    first = [{**r, "split": "dev", "first_split": r["split"]}
             for r in (*template_rows(), *deidgate_rows(), *i2b2_rows())]  # fmt: skip
    new = [*meddeid_rows(), *pii_anon_rows()]
    # A few lines recur word for word in notes of both parts (a 555-01xx phone, the 100 numbers
    # set aside for fiction; a date line): the held-out copy is left out, so nothing held out was
    # seen in dev.
    dev_texts = {r["text"] for r in (*first, *new) if r["split"] == "dev"}
    return (*first, *[r for r in new if r["split"] == "dev" or r["text"] not in dev_texts])


def rows(split: str | None = None) -> list[Row]:
    """The corpus (or one split of it); built once per process, about 15 seconds."""
    return [r for r in _all_rows() if split is None or r["split"] == split]


def first_heldout_rows() -> list[Row]:
    """The first held-out part (split with SEED, read after six tuning passes): now dev rows."""
    return [r for r in _all_rows() if r["first_split"] == "heldout"]
