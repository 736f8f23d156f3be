"""A larger development pool for tuning the PHI guard. Its sources, each printed on its own:
- templates: the outside corpus's *dev* templates, filled again many times from the *dev* half
  of every identity pool (presidio-evaluator, Faker), with another seed;
- addresses: the dev templates with an address slot, filled from more Faker (MIT) shapes: full
  addresses of six English-speaking locales (multi-line, military APO/FPO/DPO), a leading unit,
  street addresses of 30 other locales;
- streets: street names with no house number (Faker street_name, MIT, six English-speaking
  locales) in the dev templates with a street_name slot and in six frames of our own;
- fng: every dev-half presidio-evaluator (MIT) identity's street address, alone and with its town;
- records: record numbers after 36 cue phrases of our own ("MRN:", "Unit No:", glued "chartMRN"),
  the identifiers drawn from Faker's national-ID (20 locales), passport, bank and numerify shapes;
- locales (sixth pass): Faker's addresses of all its 59 Latin-script locales, multi-line, on one
  line, the street alone and with a unit before it, in note lines of our own and the dev frames;
- mimesis: mimesis's (MIT) addresses of 27 locales, alone and with town and postcode;
- ids: record numbers from mimesis and Faker generators (identifier masks, PINs, passports,
  national IDs, licence plates, EAN-8) after cues the records source lacks and beside a name
  with no cue (wristband and label lines);
- fakerjs (seventh pass): @faker-js/faker (MIT) identities of the second split's 35 locales drawn
  with another seed, their phones and addresses in the second split's *dev* pii-anon templates;
- meddeid (seventh pass): meddeid-data (AGPL-3.0, test-only, in a child process) notes of both
  locales generated with another seed than the corpus's, one row per sentence;
- frames (seventh pass): 26 address frames and 30 phone frames of our own ("Ship to: …", "c/o …",
  "Tel. …"), filled with faker-js identities of another seed.
Never touches a held-out template or identity, so the held-out score stays an honest
measurement. Prints recall per type and per source, and the misses of the types asked for.

    .venv/bin/python bench/phi_dev_pool.py [--fills 40] [--types ADDRESS,PHONE] [--show 60]
        [--only chancefalso,frames]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
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


# --- sixth pass: every Latin-script Faker locale's addresses, mimesis addresses, record numbers
# from registry generators in labelled and unlabelled note lines ---------------------------------
LATIN_LOCALES = [
    "az_AZ", "bs_BA", "cs_CZ", "da_DK", "de_AT", "de_CH", "de_DE", "de_LI", "de_LU", "en_AU",
    "en_BD", "en_CA", "en_GB", "en_IE", "en_IN", "en_KE", "en_MS", "en_NG", "en_NZ", "en_PH",
    "en_PK", "en_US", "es_AR", "es_CL", "es_CO", "es_ES", "es_MX", "es_VE", "et_EE", "fi_FI",
    "fil_PH", "fr_BE", "fr_CA", "fr_CH", "fr_FR", "hr_HR", "hu_HU", "id_ID", "is_IS", "it_CH",
    "it_IT", "lt_LT", "lv_LV", "mt_MT", "nl_BE", "nl_NL", "no_NO", "pl_PL", "pt_BR", "pt_PT",
    "ro_RO", "sk_SK", "sl_SI", "sq_AL", "sv_SE", "tl_PH", "tr_TR", "vi_VN", "zu_ZA",
]  # fmt: skip
MIMESIS_LOCALES = [
    "en", "en-gb", "en-ca", "en-au", "de", "de-at", "de-ch", "fr", "it", "es", "es-mx", "nl",
    "nl-be", "pl", "cs", "sk", "pt", "pt-br", "sv", "da", "no", "fi", "hu", "hr", "et", "is", "tr",
]  # fmt: skip
# Note lines of our own around an address (the dev templates with an address slot are used too).
NOTE_FRAMES = [
    "Pt lives at {v}.", "Address: {v}", "discharged home to {v} with daughter",
    "home address on file:\n{v}\nPCP to follow up", "{v}", "family staying at {v} until Friday",
    "Sent the letter to {v} last week.", "Transport booked from {v} for 0800.",
]  # fmt: skip


def _framed(rng: random.Random, value: str, frames: list[str]) -> dict:
    frame = rng.choice(frames)
    if "{{address}}" in frame:
        ids = po.Identities("dev")
        ids.rng = rng
        ids.value = lambda slot, f=ids.value: value if slot == "address" else f(slot)  # type: ignore[method-assign]
        text, spans, _ignored = po._fill(frame, ids)
        return {"text": text, "spans": [s for s in spans if s["type"] == "ADDRESS"]}
    return _value_row(frame.format(v=value), value, "ADDRESS")


def locale_rows(fills: int) -> list[dict]:
    """Faker's (MIT) addresses of every Latin-script locale it has: the full address as it
    writes it (multi-line), on one line, the street address, and a unit before it."""
    rng = random.Random(f"{po.SEED}:devpool-locales")
    frames = [*NOTE_FRAMES, *_dev_address_frames()]
    rows = []
    for faker in _fakers(LATIN_LOCALES, po.SEED * 7000):
        for n in range(max(1, fills // 5)):
            shape = n % 4
            if shape == 3 and not hasattr(faker, "secondary_address"):
                shape = 0
            value = [
                faker.address,
                lambda f=faker: f.address().replace("\n", ", "),
                faker.street_address,
                lambda f=faker: f"{f.secondary_address()}, {f.street_address()}",
            ][shape]()
            rows.append(_framed(rng, value, frames))
    return rows


def mimesis_rows(fills: int) -> list[dict]:
    """mimesis's (MIT) addresses of 27 locales: the street address alone, then with its town and
    postcode on one line (town first) and on the next (postcode first)."""
    from mimesis import Address, Locale

    rng = random.Random(f"{po.SEED}:devpool-mimesis")
    frames = [*NOTE_FRAMES, *_dev_address_frames()]
    rows = []
    for n, code in enumerate(MIMESIS_LOCALES):
        gen = Address(Locale(code), seed=po.SEED * 8000 + n)
        for k in range(max(1, fills // 5)):
            value = [
                gen.address,
                lambda g=gen: f"{g.address()}, {g.city()} {g.postal_code()}",
                lambda g=gen: f"{g.address()}\n{g.postal_code()} {g.city()}",
            ][k % 3]()
            rows.append(_framed(rng, value, frames))
    return rows


# Record numbers in note lines: cues the other source lacks, and lines with no cue at all
# (wristbands, labels, headers: the number beside the name). {n}: a Faker name.
ID_FRAMES = [
    "Med Rec #: {v}", "Acct: {v}", "Acct No. {v}", "Encounter: {v}", "Encounter ID {v}",
    "Chart: {v}", "chart {v} pulled", "Hosp #: {v}", "Hosp# {v}", "Hosp No {v}", "MRN/{v}",
    "MR: {v}", "Rec # {v}", "visit {v} closed", "Pt Acct {v}",
    "{N}  {v}  F  67y", "Label: {N} {v}", "{n} #{v}", "{v} - {N}", "Patient: {n} ({v})",
    "Pt: {n} | {v} | Rm 412", "Name: {n}   MRN: {v}   DOB: 03/02/1950",
]  # fmt: skip


def id_rows(fills: int) -> list[dict]:
    """Identifiers from registry generators: mimesis (MIT) Person.identifier and Code.pin masks,
    Faker (MIT) passports, national IDs, licence plates, EAN-8, bothify/numerify shapes."""
    from mimesis import Code, Locale, Person

    rng = random.Random(f"{po.SEED}:devpool-ids")
    fakers = _fakers(ID_LOCALES, po.SEED * 9000)
    us = fakers[0]
    person, code = Person(Locale.EN, seed=po.SEED * 9100), Code(seed=po.SEED * 9200)
    masks = ["##-##/##", "@@-######", "####-####-##", "@#######", "##/####"]
    shapes = [
        lambda: person.identifier(mask=rng.choice(masks)),
        lambda: code.pin(mask=rng.choice(["######", "########", "@@######"])),
        lambda: rng.choice(fakers).ssn(),
        lambda: us.passport_number(),
        lambda: us.license_plate(),
        lambda: us.ean8(),
        lambda: us.numerify("#" * rng.randint(5, 10)),
        lambda: us.bothify(
            rng.choice(["?##-####-##", "##?####", "?#/######", "#####-?", "?-#######", "##-?-####"])
        ).upper(),
    ]
    rows = []
    for _ in range(fills):
        for frame in ID_FRAMES:
            value = rng.choice(shapes)()
            first, last = us.first_name(), us.last_name()
            text = frame.format(v=value, n=f"{first} {last}", N=f"{last.upper()}, {first.upper()}")
            rows.append(_value_row(text, value, "MRN"))
    return rows


FAKERJS_DEV_SEED = 7707  # not SEED_2: other identities than the held-out part's


def fakerjs_rows(fills: int) -> list[dict]:
    """faker-js phones and addresses of 35 locales in the dev pii-anon templates with a phone or
    an address slot; identities drawn with another seed than the corpus's."""
    people = po._fakerjs_people(seed=FAKERJS_DEV_SEED, per_locale=fills)
    for person in people:
        person["full"] = f"{person['first']} {person['last']}"
    return _in_dev_pii_anon_templates(people, f"{FAKERJS_DEV_SEED}:devpool")


def _in_dev_pii_anon_templates(people: list[dict], seed: str) -> list[dict]:
    """Each identity once, in a dev pii-anon template with a phone or an address slot; another
    identity is the contact; the other slots take pii-anon's own values (an identity's SSN, when
    it has one, replaces pii-anon's)."""
    generator = po._pii_anon_generator()
    rng = random.Random(seed)
    templates = [
        t for t in po._pii_anon_templates(generator)
        if po._split_of(f"pii-anon:{t['id']}", po.SEED_2) == "dev"
        and {"phone", "address"} & set(po._PII_ANON_SLOT.findall(t["template"]))
    ]  # fmt: skip
    rows = []
    for person in people:
        template = rng.choice(templates)
        slots = sorted(set(po._PII_ANON_SLOT.findall(template["template"])))
        values = po._pii_anon_values(generator, slots, rng)
        contact = rng.choice(people)
        address = rng.choice([person["street"], person["street_unit"]])
        values.update({
            "name": person["full"], "contact_name": contact["full"],
            "email": person["email"], "email2": contact["email"],
            "phone": person["phone"], "phone2": contact["phone"],
            "dob": person["born"], "address": f"{address}, {person['city']}",
        })  # fmt: skip
        if person.get("ssn"):
            values["ssn"] = person["ssn"]
        text, spans, _ignored = po._fill_pii_anon(template["template"], values)
        rows.append({"text": text, "spans": spans})
    return rows


CHANCE_FALSO_SEED = 8101


def _pool_people(seed: int, count: int) -> list[dict]:
    """chance's and @ngneat/falso's identities (tests/feedback/js/pool_identities.mjs)."""
    done = subprocess.run(
        ["node", "pool_identities.mjs", str(seed), str(count)], cwd=po.JS_FOLDER, check=True,
        capture_output=True, text=True,
    )  # fmt: skip
    return list(json.loads(done.stdout))


def chance_falso_rows(fills: int) -> list[dict]:
    """Phones and addresses from two generators used nowhere else (chance: syllable-built street
    and town names, US/UK/French/Brazilian phone shapes; @ngneat/falso: phones of 25 countries,
    addresses with county and country), in the dev pii-anon templates as fakerjs_rows places
    faker-js's."""
    people = _pool_people(CHANCE_FALSO_SEED, fills * 10)
    return _in_dev_pii_anon_templates(people, f"{CHANCE_FALSO_SEED}:devpool")


def meddeid_rows(fills: int) -> list[dict]:
    """meddeid notes drawn with another seed: other patients, values and notes than the corpus's
    (the same six document layouts)."""
    docs = po._meddeid_docs(count=fills * 10, seed=FAKERJS_DEV_SEED)
    return [r for r in po.meddeid_rows(docs) if r["spans"]]


_PHONE_FRAMES = [
    "Tel: {p}", "Tel. {p}", "Ph: {p}", "ph {p}", "Cell #: {p}", "Mob: {p}", "reach me at {p}",
    "You can reach her on {p}.", "contact no. {p}", "Contact: {p}", "phone number is {p}",
    "Call {p} to confirm", "Please call back on {p}.", "WhatsApp {p}", "tel/fax {p}", "{n} ({p})",
    "{n}, {p}", "{n} - {p}", "Phone: {p} (home)", "phone: {p}, email {e}", "Number on file {p}",
    "text {p} when ready", "Caller ID showed {p}", "dial {p}", "at {p} or {q}", "{n}: {p}",
    "My number is {p}", "His phone {p} is off", "pager/phone {p}", "Contact {n} on {p}",
]  # fmt: skip
_ADDRESS_FRAMES = [
    "Residence: {a}", "Home: {a}", "Ship to: {a}", "Mailing address {a}", "located at {a}",
    "visiting her at {a} today", "{n}, {a}", "{n} ({a})", "She moved to {a} last month",
    "address {a}", "Address - {a}", "home {a}", "currently at {a}", "Deliver to {a}.", "from {a}",
    "Billing: {a}", "Domicile: {a}", "Lives in {a}", "Resides {a}", "c/o {a}",
    "Registered address: {a}", "{a}", "Addr: {a}", "the house at {a}", "Pt resides at {a}.",
    "new address: {a}; old address: {b}",
]  # fmt: skip


def frame_rows(fills: int) -> list[dict]:
    """Phones and addresses of faker-js identities (another seed) in frames of our own."""
    people = po._fakerjs_people(seed=9191, per_locale=6)
    rng = random.Random(5)
    rows = []
    for kind, frames in (("PHONE", _PHONE_FRAMES), ("ADDRESS", _ADDRESS_FRAMES)):
        for frame in frames:
            for _ in range(max(1, fills // 7)):
                p, q = rng.sample(people, 2)
                address = f"{rng.choice([p['street'], p['street_unit']])}, {p['city']}"
                values = {
                    "p": p["phone"], "q": q["phone"], "n": f"{p['first']} {p['last']}",
                    "e": p["email"], "a": address, "b": f"{q['street']}, {q['city']}",
                }  # fmt: skip
                text = frame.format(**values)
                secret = values["p"] if kind == "PHONE" else values["a"]
                rows.append(_value_row(text, secret, kind))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fills", type=int, default=40)
    parser.add_argument("--types", default="ADDRESS,PHONE")
    parser.add_argument("--show", type=int, default=60)
    parser.add_argument("--only", default="", help="comma-separated sources (default: all)")
    args = parser.parse_args()
    kinds = set(args.types.split(","))
    gold: dict[str, int] = {}
    found: dict[str, int] = {}
    misses: list[str] = []
    builders = {
        "templates": lambda: pool(args.fills),
        "addresses": lambda: address_rows(args.fills),
        "fng": fng_rows,
        "streets": lambda: street_rows(args.fills),
        "records": lambda: record_rows(args.fills),
        "locales": lambda: locale_rows(args.fills),
        "mimesis": lambda: mimesis_rows(args.fills),
        "ids": lambda: id_rows(args.fills),
        "fakerjs": lambda: fakerjs_rows(args.fills),
        "meddeid": lambda: meddeid_rows(args.fills),
        "frames": lambda: frame_rows(args.fills),
        "chancefalso": lambda: chance_falso_rows(args.fills),
    }
    only = set(args.only.split(",")) if args.only else set(builders)
    sources = {name: build() for name, build in builders.items() if name in only}
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
