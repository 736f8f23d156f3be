"""A larger development pool for tuning the PHI guard. Five sources, each printed on its own:
- templates: the outside corpus's *dev* templates, filled again many times from the *dev* half
  of every identity pool (presidio-evaluator, Faker), with another seed;
- addresses: the dev templates with an address slot, filled from more Faker (MIT) shapes: full
  addresses of six English-speaking locales (multi-line, military APO/FPO/DPO), a leading unit,
  street addresses of 30 other locales;
- streets: street names with no house number (Faker street_name, MIT, six English-speaking
  locales) in the dev templates with a street_name slot and in six frames of our own;
- fng: every dev-half presidio-evaluator (MIT) identity's street address, alone and with its town;
- records: record numbers after 36 cue phrases of our own ("MRN:", "Unit No:", glued "chartMRN"),
  the identifiers drawn from Faker's national-ID (20 locales), passport, bank and numerify shapes.
Never touches a held-out template or identity, so the held-out score stays an honest
measurement. Prints recall per type and per source, and the misses of the types asked for.

    .venv/bin/python bench/phi_dev_pool.py [--fills 40] [--types ADDRESS,PHONE] [--show 60]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings.test")

import django

django.setup()

from feedback.phi import scan  # noqa: E402
from tests.feedback import phi_outside as po  # noqa: E402
from tests.feedback.phi_scoring import covered  # noqa: E402


def pool(fills: int) -> list[dict]:
    path = po._package_dir("presidio_evaluator") / "data_generator/raw_data/templates.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    templates = [t.strip().replace("\\n", "\n").replace("\\,", ",") for t in lines if t.strip()]
    ids = po.Identities("dev")
    ids.rng = random.Random(f"{po.SEED}:devpool")
    for n, faker in enumerate(ids.fakers.values()):
        faker.seed_instance(po.SEED * 1000 + 7 + n)
    rows = []
    for n, template in enumerate(templates):
        if po._split_of(f"template{n}") != "dev" or not po.SLOT.search(template):
            continue
        for _ in range(fills):
            text, spans, _ignored = po._fill(template, ids)
            rows.append({"text": text, "spans": spans})
    return rows


# --- more outside shapes for the types with few development identifiers ----------------------
# Faker (MIT) generators only; the frames around record numbers are cue words of our own, the
# identifiers are Faker's national-ID, passport, bank and numerify shapes. Another seed again.
US_LIKE = ["en_US", "en_CA", "en_AU", "en_NZ", "en_IE", "en_PH"]
STREET_LOCALES = [
    "en_GB", "de_DE", "de_AT", "de_CH", "fr_FR", "fr_CH", "nl_NL", "nl_BE", "fi_FI", "sv_SE",
    "da_DK", "no_NO", "pl_PL", "cs_CZ", "sk_SK", "sl_SI", "hr_HR", "hu_HU", "ro_RO", "it_IT",
    "es_ES", "es_MX", "es_AR", "pt_BR", "pt_PT", "en_IN", "tr_TR", "id_ID", "vi_VN", "fil_PH",
]  # fmt: skip
ID_LOCALES = [
    "en_US", "en_CA", "en_GB", "nl_NL", "fi_FI", "sv_SE", "pl_PL", "it_IT", "hr_HR", "no_NO",
    "ro_RO", "hu_HU", "pt_BR", "dk_DK", "es_ES", "fr_FR", "de_DE", "cs_CZ", "sk_SK", "et_EE",
]  # fmt: skip
RECORD_FRAMES = [
    "MRN: {v}", "MRN {v}", "mrn {v} pulled twice", "MR# {v}", "MR #{v}", "Med Rec #: {v}",
    "Medical Record Number: {v}", "medical record no. {v} on the band", "Unit No: {v}",
    "Unit Number: {v}", "Acct #: {v}", "account no {v} was merged", "Account Number: {v}",
    "Encounter #: {v}", "enc# {v}", "FIN {v}", "CSN: {v}", "Hospital No. {v}",
    "Patient ID: {v}", "pt ID {v} on the label", "Chart # {v}", "chart no. {v}", "scanned MRN{v}",
    "(chartMRN{v})", "Record #{v}", "Visit #: {v}", "ID#: {v}", "MRN:{v} DOB: 03/02", "HAR {v}",
    # fifth pass: enterprise/master patient index, registration and admission numbers
    "EMPI {v} merged", "MPI: {v}", "Reg # {v}", "Registration No. {v}", "Admission #: {v}",
    "admit # {v} reprinted", "Unit #: {v}",
]  # fmt: skip


def _fakers(locales: list[str], seed: int) -> list:
    out = []
    for n, loc in enumerate(locales):
        try:
            faker = po.Faker(loc)
        except AttributeError:
            continue
        faker.seed_instance(seed + n)
        out.append(faker)
    return out


def _dev_address_frames() -> list[str]:
    """presidio-evaluator's templates in the dev half that have an {{address}} slot."""
    path = po._package_dir("presidio_evaluator") / "data_generator/raw_data/templates.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    templates = [t.strip().replace("\\n", "\n").replace("\\,", ",") for t in lines if t.strip()]
    return [
        t for n, t in enumerate(templates)
        if po._split_of(f"template{n}") == "dev" and "{{address}}" in t
    ]  # fmt: skip


def _value_row(text: str, value: str, kind: str) -> dict:
    """A row whose one span is `value`'s first occurrence in `text`."""
    start = text.index(value)
    return {"text": text, "spans": [{"start": start, "end": start + len(value), "type": kind}]}


def address_rows(fills: int) -> list[dict]:
    """Dev templates with an {{address}} slot, filled from more Faker address shapes: US-like
    full addresses (military and multi-line ones included), a leading unit, foreign streets."""
    frames = _dev_address_frames()
    rng = random.Random(f"{po.SEED}:devpool-address")
    us_like = _fakers(US_LIKE, po.SEED * 3000)
    streets = _fakers(STREET_LOCALES, po.SEED * 4000)
    us = us_like[0]
    shapes = [
        lambda: rng.choice(us_like).address(),
        lambda: rng.choice(us_like).address().replace("\n", ", "),
        lambda: f"{us.secondary_address()}, {us.street_address()}",
        lambda: f"{us.military_apo()}\nAPO {us.military_state()} {us.postcode()}",
        lambda: f"{us.military_dpo()}, DPO {us.military_state()} {us.postcode()}",
        lambda: f"{us.military_ship()} {us.last_name()}\nFPO {us.military_state()} {us.postcode()}",
        lambda: rng.choice(streets).street_address(),
        lambda: rng.choice(streets).street_address(),
    ]
    rows = []
    for _ in range(fills):
        for frame in frames:
            ids = po.Identities("dev")
            ids.rng = rng
            value = rng.choice(shapes)()
            ids.value = lambda slot, v=value, f=ids.value: v if slot == "address" else f(slot)  # type: ignore[method-assign]
            text, spans, _ignored = po._fill(frame, ids)
            rows.append({"text": text, "spans": [s for s in spans if s["type"] == "ADDRESS"]})
    return rows


# Frames of our own around a street named with no house number (fifth pass).
STREET_FRAMES = [
    "turn onto {s} St. at the light", "the shuttle leaves from {s} Ave every hour",
    "parking along {s} Rd is closed", "she walked home along {s} St.",
    "family is staying near {s} Ln this week", "pick up at {s} Blvd, not the main door",
]  # fmt: skip


def street_rows(fills: int) -> list[dict]:
    """Street names with no house number (Faker's street_name of six English-speaking locales,
    whose last word is any street suffix: "Miller Green", "Devin Via"), in the dev templates with
    a {{street_name}} slot and in frames of our own."""
    path = po._package_dir("presidio_evaluator") / "data_generator/raw_data/templates.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    templates = [t.strip().replace("\\n", "\n").replace("\\,", ",") for t in lines if t.strip()]
    frames = [
        t for n, t in enumerate(templates)
        if po._split_of(f"template{n}") == "dev" and "{{street_name}}" in t
    ]  # fmt: skip
    rng = random.Random(f"{po.SEED}:devpool-street")
    fakers = _fakers([*US_LIKE[:5], "en_GB"], po.SEED * 6000)
    rows = []
    for _ in range(fills):
        for frame in frames:
            ids = po.Identities("dev")
            ids.rng = rng
            value = rng.choice(fakers).street_name()
            ids.value = lambda slot, v=value, f=ids.value: v if slot == "street_name" else f(slot)  # type: ignore[method-assign]
            text, spans, _ignored = po._fill(frame, ids)
            start = text.find(value)
            rows.append({"text": text, "spans": [s for s in spans if s["start"] == start != -1]})
        for frame in STREET_FRAMES:
            value = rng.choice(fakers).street_name()
            rows.append(_value_row(frame.format(s=value), value, "ADDRESS"))
    return rows


def fng_rows() -> list[dict]:
    """Every dev-half presidio-evaluator identity's street address, alone and with its town,
    each in a dev frame drawn at random."""
    frames = _dev_address_frames()
    rng = random.Random(f"{po.SEED}:devpool-fng")
    rows = []
    for person in po.Identities("dev").people:
        for value in (person["StreetAddress"], f"{person['StreetAddress']}, {person['City']}"):
            frame = rng.choice(frames).replace("{{address}}", "\0", 1)
            frame = po.SLOT.sub(
                lambda m, v=value: "Blanchard Inc" if m.group(1) == "organization" else v, frame
            )
            start = frame.index("\0")
            text = frame.replace("\0", value)
            rows.append(
                {
                    "text": text,
                    "spans": [{"start": start, "end": start + len(value), "type": "ADDRESS"}],
                }
            )
    return rows


def record_rows(fills: int) -> list[dict]:
    """Record numbers after common cue words: Faker's ID shapes (national IDs of 20 locales,
    passports, bank numbers, 4-12 digit numbers, letters + digits)."""
    rng = random.Random(f"{po.SEED}:devpool-record")
    fakers = _fakers(ID_LOCALES, po.SEED * 5000)
    us = fakers[0]
    ids = [
        lambda: rng.choice(fakers).ssn(),
        lambda: us.passport_number(),
        lambda: us.bban()[:12],
        lambda: us.numerify("#" * rng.randint(4, 12)),
        lambda: us.bothify(
            rng.choice(["??-#######", "?#######", "??######", "###-##-##", "#######-#"])
        ).upper(),
        lambda: us.numerify(rng.choice(["##-###-####", "###-####-#", "####/##", "#### ####"])),
    ]
    rows = []
    for _ in range(fills):
        for frame in RECORD_FRAMES:
            value = rng.choice(ids)()
            rows.append(_value_row(frame.format(v=value), value, "MRN"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fills", type=int, default=40)
    parser.add_argument("--types", default="ADDRESS,PHONE")
    parser.add_argument("--show", type=int, default=60)
    args = parser.parse_args()
    kinds = set(args.types.split(","))
    gold: dict[str, int] = {}
    found: dict[str, int] = {}
    misses: list[str] = []
    sources = {
        "templates": pool(args.fills),
        "addresses": address_rows(args.fills),
        "fng": fng_rows(),
        "streets": street_rows(args.fills),
        "records": record_rows(args.fills),
    }
    for source, row in ((k, r) for k, rows in sources.items() for r in rows):
        spans = scan(row["text"])
        for g in row["spans"]:
            gold[f"{g['type']} {source}"] = gold.get(f"{g['type']} {source}", 0) + 1
            if covered(row["text"], g, spans):
                found[f"{g['type']} {source}"] = found.get(f"{g['type']} {source}", 0) + 1
            gold[g["type"]] = gold.get(g["type"], 0) + 1
            if covered(row["text"], g, spans):
                found[g["type"]] = found.get(g["type"], 0) + 1
            elif g["type"] in kinds:
                value = row["text"][g["start"] : g["end"]]
                misses.append(f"{g['type']}: {value!r}  <<  {row['text']!r}")
    for kind in sorted(gold):
        print(f"{kind:20s} {found.get(kind, 0) / gold[kind]:.3f} ({gold[kind]})")
    seen = set()
    for m in misses:
        if m not in seen and len(seen) < args.show:
            seen.add(m)
            print(m)


if __name__ == "__main__":
    main()
