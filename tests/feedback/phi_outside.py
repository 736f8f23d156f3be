"""The outside PHI evaluation corpus, built at test time from packages this team did not write.

Sources (all installed by `make install-test`; nothing is copied into the repository):
- presidio-evaluator 0.3.2 (MIT): its sentence templates (`raw_data/templates.txt`) and its 3000
  generated identities (`raw_data/FakeNameGenerator.com_3000.csv`: names of 24 origins,
  international street addresses and phone numbers);
- Faker 40.63.0 (MIT): names from 25 locales, US phones/SSNs/addresses (military APO/FPO/DPO and
  multi-line ones included), other countries' phones and street addresses;
- deidgate 0.1.0 (MIT): 15 synthetic Safe Harbor notes with gold values;
- philter-ucsf 1.0.3 (package BSD-3): 5 clinical notes of the i2b2 2014 de-identification corpus
  with their gold tags (surrogate PHI). The notes' own terms are the n2c2 data-use agreement, so
  they are only read from the installed package, line by line, never stored here.

`rows()` returns every row once: {"text", "spans": [{"start", "end", "type"}], "ignored": bool,
"clean": bool, "source", "split"}. `ignored` marks rows holding identifiers outside the PHI types
(a city, a visit date, a hospital): their spans still count, but the row is never a clean row.
The split is made once with SEED, by template, identity pool and note, so no template, identity or
note is in both parts; tune on "dev" only.
"""

from __future__ import annotations

import csv
import datetime
import importlib.util
import json
import random
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from faker import Faker

SEED = 20261204
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


def _split_of(key: str) -> str:
    return "dev" if random.Random(f"{SEED}:{key}").random() < 0.5 else "heldout"


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


def _row(text: str, spans: list[dict[str, Any]], ignored: bool, source: str, split: str) -> Row:
    clean = not spans and not ignored
    return {"text": text, "spans": spans, "ignored": ignored, "clean": clean, "source": source,
            "split": split}  # fmt: skip


@lru_cache(maxsize=1)
def _all_rows() -> tuple[Row, ...]:
    return (*template_rows(), *deidgate_rows(), *i2b2_rows())


def rows(split: str | None = None) -> list[Row]:
    """The corpus (or one split of it); built once per process, about a second."""
    return [r for r in _all_rows() if split is None or r["split"] == split]
