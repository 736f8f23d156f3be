"""Writes phi_eval.jsonl: seeded synthetic observation notes with exact, labelled PHI spans.

Run: .venv/bin/python tests/feedback/data/make_phi_eval.py
Every name, number and address is invented (names are random census first/last combinations or
made-up surnames). Templates marked "heldout" were written after the rules were frozen and were
scored blind once before any further change (see docs/phi.md).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path

SEED = 20250601
OUT = Path(__file__).with_name("phi_eval.jsonl")
MARK = re.compile(r"⟦(?P<type>[A-Z]+)\|(?P<value>[^⟧]*)⟧")

R = random.Random(SEED)


def _words(text: str) -> list[str]:
    return text.split()


def _census(filename: str, top: int) -> list[str]:
    text = resources.files("names").joinpath(filename).read_text(encoding="utf-8")
    return [line.split()[0].title() for line in text.splitlines()[:top] if line.strip()]


FIRST = _census("dist.male.first", 600) + _census("dist.female.first", 900)
LAST = _census("dist.all.last", 6000)
# Made-up surnames, mostly absent from the census list, so titles and cues have to carry them.
INVENTED_LAST = _words(
    "Okonkwo-Reyes Quillfeather Thistlewood Abernathy-Cole Nakashima-Ruiz Varga-Lind Oyelaran "
    "Delacroix-Mbeki Szymanowska Haverbrook Ferreira-Lund Kowalczuk O'Donaghue Papadakis "
    "Mbatha Tran-Whitfield Ilunga Achterberg Vukovic Farouk Lindqvist Castellanos-Ibe"
)


def first() -> str:
    return R.choice(FIRST)


def last() -> str:
    return R.choice(LAST + INVENTED_LAST)


def t(kind: str, value: str) -> str:
    """Mark `value` as a gold span of `kind`."""
    return f"⟦{kind}|{value}⟧"


# --- fillers: each returns text containing exactly one marked span (cues stay unmarked) -------

TITLES = ["Mr.", "Mrs.", "Ms.", "Mr", "Mrs", "Ms", "Mx.", "Miss"]


def name_filler() -> str:
    f, la = first(), last()
    forms: list[Callable[[], str]] = [
        lambda: f"{R.choice(TITLES)} {t('NAME', la)}",
        lambda: f"{R.choice(['pt', 'patient', 'Pt'])} {t('NAME', f + ' ' + la)}",
        lambda: t("NAME", f"{f} {la}"),
        lambda: t("NAME", f"{f} {R.choice('ABCDEJKLMRST')}. {la}"),
        lambda: t("NAME", f"{la}, {f}"),
        lambda: f"{R.choice(['daughter', 'son', 'wife', 'husband'])} {t('NAME', f)}",
        lambda: f"{R.choice(['mrs', 'mr', 'ms'])} {t('NAME', la.lower())}",
        lambda: f"{R.choice(['Mrs.', 'Mr.'])} {t('NAME', f + ' ' + la)}",
        lambda: f"{R.choice(['Mr.', 'Ms.'])} {t('NAME', R.choice(INVENTED_LAST))}",
    ]
    return R.choice(forms)()


def _digits(n: int) -> str:
    return "".join(R.choice("0123456789") for _ in range(n))


def mrn_filler() -> str:
    num = _digits(R.choice([6, 7, 8, 9, 10]))
    cue = R.choice(
        [
            "MRN",
            "MRN:",
            "MRN#",
            "MR#",
            "MRN #",
            "medical record number",
            "med rec #",
            "MRN is",
            "FIN",
            "acct #",
            "Medical Record No.",
        ]
    )
    return f"{cue} {t('MRN', num)}"


def _date() -> str:
    y, m, d = R.randint(1928, 2004), R.randint(1, 12), R.randint(1, 28)
    months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    return R.choice(
        [
            f"{m:02d}/{d:02d}/{y}",
            f"{m}/{d}/{y % 100:02d}",
            f"{y}-{m:02d}-{d:02d}",
            f"{months[m - 1][:3]} {d}, {y}",
            f"{d} {months[m - 1]} {y}",
            f"{m}-{d}-{y}",
            f"{months[m - 1]} {d} {y}",
            f"{m:02d}.{d:02d}.{y}",
        ]
    )


def dob_filler() -> str:
    cue = R.choice(
        [
            "DOB",
            "DOB:",
            "D.O.B.",
            "date of birth",
            "born",
            "born on",
            "DOB is",
            "birthdate",
            "Date of Birth:",
            "dob",
        ]
    )
    return f"{cue} {t('DOB', _date())}"


def phone_filler() -> str:
    a, b, c = f"{R.randint(201, 989)}", f"{R.randint(200, 999)}", _digits(4)
    forms = [
        f"({a}) {b}-{c}",
        f"{a}-{b}-{c}",
        f"{a}.{b}.{c}",
        f"+1 {a} {b} {c}",
        f"{a}{b}{c}",
        f"{a}-{b}-{c} x{R.randint(10, 999)}",
        f"1-{a}-{b}-{c}",
    ]
    if R.random() < 0.25:
        cue = R.choice(["ext", "ext.", "pager", "cell", "callback"])
        return f"{cue} {t('PHONE', _digits(R.choice([4, 5])))}"
    if R.random() < 0.15:
        return f"phone {t('PHONE', f'{b}-{c}')}"
    return t("PHONE", R.choice(forms))


def email_filler() -> str:
    f, la = first().lower(), last().lower().replace("'", "").replace("-", "")
    user = R.choice([f"{f}.{la}", f"{f[0]}{la}", f"{f}_{la}{R.randint(1, 99)}", f"{la}.{f[0]}"])
    host = R.choice(
        [
            "example.org",
            "mail.example.com",
            "stmarys-health.example",
            "example.net",
            "hosp.example.edu",
            "EXAMPLE.COM",
        ]
    )
    return t("EMAIL", f"{user}@{host}")


def ssn_filler() -> str:
    a, b, c = f"{R.randint(100, 899)}", f"{R.randint(10, 99)}", _digits(4)
    forms = [
        lambda: t("SSN", f"{a}-{b}-{c}"),
        lambda: f"SSN {t('SSN', f'{a} {b} {c}')}",
        lambda: f"SSN: {t('SSN', a + b + c)}",
        lambda: f"social security number {t('SSN', f'{a}-{b}-{c}')}",
        lambda: f"SSN {t('SSN', f'{a}-{b}-{c}')}",
        lambda: t("SSN", "123-45-6789"),
    ]
    return R.choice(forms)()


STREETS = _words(
    "Maple Oak Birch Cedar Elm Willow Juniper Chestnut Harbor Lakeview Ridge Sycamore "
    "Magnolia Orchard Hawthorn Fairview Prospect Linden Cypress Aspen"
)
SUFFIXES = _words("Ave Avenue St Street Rd Road Blvd Lane Ln Ct Court Dr Drive Way Pl Terrace Cir")
CITIES = (
    "Springfield, IL 62704",
    "Dayton, OH 45402",
    "Fairview, TN 37062",
    "Riverton, WY 82501",
    "Greenville, SC 29601",
    "Lakewood, CO 80226",
    "Salem, OR 97301",
)


def address_filler() -> str:
    num = R.choice([str(R.randint(1, 99)), str(R.randint(100, 9999)), str(R.randint(10, 999))])
    street = f"{num} {R.choice(['', 'N ', 'West ', 'E. '])}{R.choice(STREETS)} {R.choice(SUFFIXES)}"
    forms = [
        lambda: t("ADDRESS", street),
        lambda: t("ADDRESS", f"{street}, Apt {R.randint(1, 40)}"),
        lambda: t("ADDRESS", f"{street}, {R.choice(CITIES)}"),
        lambda: t(
            "ADDRESS", f"{street}, Unit {R.randint(1, 9)}{R.choice('ABC')}, {R.choice(CITIES)}"
        ),
        lambda: t("ADDRESS", f"PO Box {R.randint(10, 9999)}, {R.choice(CITIES)}"),
        lambda: "lives at " + t("ADDRESS", street.lower()),
    ]
    return R.choice(forms)()


def _room_id() -> str:
    return R.choice(
        [
            f"{R.randint(301, 918)}{R.choice(['A', 'B', ''])}",
            f"{R.randint(10, 48)}",
            f"{R.randint(1, 12)}-{R.choice('AB')}",
        ]
    )


def room_filler() -> str:
    rid = _room_id()
    lettered = f"{R.randint(301, 918)}{R.choice('AB')}"
    forms = [
        lambda: f"pt in {t('ROOM', lettered)}",
        lambda: f"patient in {t('ROOM', f'room {R.randint(1, 30)} bed {R.randint(1, 4)}')}",
        lambda: f"{t('ROOM', f'bed {R.randint(1, 30)}')} Mr {last()}",
        lambda: f"{t('ROOM', f'Room {rid}')} patient",
        lambda: f"pt in {t('ROOM', f'rm {rid}')}",
        lambda: f"the {t('ROOM', lettered)} patient",
        lambda: f"patient from {t('ROOM', f'bay {R.randint(1, 20)}')}",
        lambda: f"Mrs. {last()} ({t('ROOM', f'rm {rid}')})",
        lambda: f"{t('ROOM', f'bed {R.randint(1, 30)}')} patient",
        lambda: f"pt in {t('ROOM', f'room {rid}')}",
    ]
    return R.choice(forms)()


FILLERS: dict[str, Callable[[], str]] = {
    "NAME": name_filler,
    "MRN": mrn_filler,
    "DOB": dob_filler,
    "PHONE": phone_filler,
    "EMAIL": email_filler,
    "SSN": ssn_filler,
    "ADDRESS": address_filler,
    "ROOM": room_filler,
}

# --- PHI templates (dev) ---------------------------------------------------------------------
PHI_TEMPLATES = [
    "{NAME} waited {n} min for pain meds because Pyxis was down on 4 West",
    "Charge RN had to call {PHONE} twice to reach transport for {NAME}",
    "Label printer put the wrong wristband on {NAME}, {MRN}",
    "Nurse re-entered {MRN} three times; Epic kept timing out",
    "Admission screen forced a re-type of {DOB} for {NAME}",
    "Pharmacy faxed the wrong MAR for {NAME}; {DOB}; caught at med rec",
    "Family asked us to email {EMAIL} the discharge packet; no secure option in Epic",
    "Registration pasted {SSN} into the free-text comment field",
    "Discharge summary listed {ADDRESS} but home health had the old address",
    "Sepsis BPA fired {n} times for {ROOM} in one shift",
    "{ROOM} had the bed alarm silenced for 2 hours, nobody got the Vocera alert",
    "Vocera call for {NAME} went to the wrong RN at 0300",
    "Transport was paged for {ROOM} at 1400 and arrived at 1525",
    "Rapid response called on {NAME} ({MRN}) after the early warning score hit 7",
    "Callback number on the order was {PHONE}, which is the old cardiology line",
    "RN copied {EMAIL} into the sticky note so night shift could reach the case manager",
    "Facesheet still shows {SSN} unmasked on the printed label",
    "Home health referral bounced: {ADDRESS} failed validation",
    "{NAME} asked why the portal shows a different {DOB}",
    "Two patients with similar names, {NAME} and {NAME}, on the same unit; banner alert missing",
    "Bed board showed {ROOM} as clean but EVS had not been in yet",
    "Unit clerk keyed {MRN} into the wrong encounter, fixed after 40 min",
    "{NAME} {ROOM_BARE} insulin held, glucometer would not sync to Epic",
    "Med rec for {NAME}: outside list faxed from {PHONE}, 14 meds, took 35 min",
    "Interpreter line requested for {NAME}, waited 25 min",
    "Wound photo uploaded to the wrong chart ({MRN}) because barcode scan failed",
    "Patient gave {ADDRESS} as the pharmacy address; Surescripts rejected it",
    "Night RN emailed {EMAIL} from personal phone to get the consent form",
    "Verified identity with {DOB} and {MRN} before transfusion, scanner failed twice",
    "{ROOM} call light on for 22 minutes during shift change",
]
# Written after the rules were frozen; scored blind once (docs/phi.md).
HELDOUT_TEMPLATES = [
    "Sticky note on the WOW: '{NAME} \u2013 {PHONE}' left in the hallway",
    "Huddle: {NAME} is a fall risk, Morse 55, {ROOM}",
    "Team couldn't find the POLST for {NAME}, scanned under {MRN}",
    "Lab called {PHONE} with a critical K+ for {NAME}, line was busy",
    "ED boarder {ROOM} waited 6 h for a tele bed on 5 East",
    "Case mgmt: discharge to {ADDRESS}, needs DME delivered by 1600",
    "ID band reprinted, old one had {DOB} wrong",
    "Wife at bedside asked to be reached at {EMAIL} or {PHONE}",
    "Insurance verification needed {SSN}; clerk read it aloud at the desk",
    "{NAME}'s daughter wanted the room moved; we were full on 6 North",
    "Handoff sheet listed {NAME} under {ROOM}, but Epic had bed 3",
    "Prior auth form asked for {DOB} and {ADDRESS} again even though both are in Epic",
    "Tele monitor tech called {PHONE} for {ROOM} V-tach alarm, nobody picked up",
    "Duplicate chart created: {MRN} and {MRN}",
    "Sitter assigned to {NAME} left at 1900 without relief",
]
# Second blind batch, hand-written in full (markers give the gold spans), scored once as-is;
# afterwards only label slips were corrected (titles are never part of a NAME span).
HELDOUT2_PHI = [
    "Asked ⟦NAME|Josefina Alvarado⟧ to confirm her ⟦DOB|4/22/1939⟧ twice, the scanner failed",
    "Mr. ⟦NAME|Kwame⟧ wait no, ⟦NAME|Kwame Mensah⟧ \u2013 bed alarm off, pt in ⟦ROOM|room 18⟧",
    "pharmacy called the patient's son at ⟦PHONE|414 555 0198⟧ about the copay",
    "RN wrote ⟦EMAIL|rn.floatpool@metro-hosp.org⟧ on the whiteboard for schedule swaps",
    "Consent scanned to the wrong chart: MRN ⟦MRN|7730012⟧ instead of MRN ⟦MRN|7730021⟧",
    "Pt ⟦NAME|Hollis⟧ in ⟦ROOM|522A⟧ refused the 2200 heparin, RN documented at 2245",
    "Facesheet: ⟦ADDRESS|909 Cottonwood Dr, Apt 12B, Mesa, AZ 85201⟧, phone ⟦PHONE|480-555-0144⟧",
    "DOB on the wristband read ⟦DOB|1950-11-03⟧ but Epic had ⟦DOB|1950-03-11⟧",
    "⟦NAME|Ramona Whitaker⟧, ⟦NAME|Ellis Whitaker⟧ (husband) both asked for updates",
    "Paged the on-call at pager ⟦PHONE|7712⟧ three times for ⟦ROOM|bed 9⟧ pt's pressures",
    "SSN ⟦SSN|512-44-9087⟧ printed on the insurance card copy left at the nurses' station",
    "Sticky: call Mrs ⟦NAME|Delgado⟧'s niece, ⟦PHONE|(312) 555-0177⟧",
    "Transfer from ⟦ROOM|rm 14⟧ to 6 North delayed for Mr. ⟦NAME|Abernathy⟧",
    "⟦NAME|Nguyen, Thanh⟧ and ⟦NAME|Tran, Linh⟧ share a last-name alert on 3 West",
    "Home address ⟦ADDRESS|27 Quarry Rd, Barre, VT 05641⟧ missing from the DME order",
    "Caller gave social security number ⟦SSN|401 88 2376⟧ on an unsecured line",
    "Discharge instructions emailed to ⟦EMAIL|g.ostrowski@example.com⟧ unencrypted",
    "Account # ⟦MRN|88120044⟧ merged with the newborn's encounter by mistake",
    "Mom of baby girl ⟦NAME|Castillo⟧ in ⟦ROOM|NICU pod 3 bed 7⟧ could not badge in",
    "⟦NAME|Dorothy Pruitt⟧ fell at 0410, Morse 65, bed alarm was on",
    "the patient in ⟦ROOM|room 1204⟧ waited 3 h for a Foley",
    "Registration typed ⟦DOB|12 Aug 1961⟧ as the admit date",
    "Nurse called Mr. ⟦NAME|Oduya⟧'s cell ⟦PHONE|555-301-7789⟧ after the AMA",
    "Lives at ⟦ADDRESS|4410 Prairie View Blvd⟧, no elevator, PT wants home eval",
    "ED board shows ⟦NAME|Horvat, Ivana⟧ in hall ⟦ROOM|bed 3⟧ for 14 h",
]
HELDOUT2_CLEAN = [
    "Call light answered in 3 min in room 18 during the pilot, down from 9",
    "Pyxis in 4 West med room B stocked out of ondansetron 4 mg twice",
    "RN wrote the Vocera group name on the whiteboard for schedule swaps",
    "Consent form version 7 still in the ED printer tray",
    "Dr. ⟦NAME|Mensah⟧ rounds on 6 North at 0800 and 1600",
    "Night shift: 3 admits between 0100 and 0400, 1 RN short",
    "Bed 9 to 12 on 5 East share one vitals machine",
    "Pt education video in Spanish is 14 minutes long, most stop at 3",
    "Labs drawn at 0430 on 22 of 28 patients so results are ready for 0700 rounds",
    "Nurse ⟦NAME|Whitaker⟧ said the Alaris drug library update came without notice",
    "Sepsis bundle compliance 71% in May, target 80%",
    "Patient Transport queue had 19 requests at 1100",
    "PACU bay 6 monitor cable frayed, biomed ticket 55123",
    "Epic downtime 0200-0330, BCA reports printed at 0145",
    "The NICU pod 3 badge reader rejects float staff",
]
ROOM_BARE_FORMS = ("in 41{d}B", "in 30{d}", "in bed {d}")

# --- clean workflow texts (no PHI) -----------------------------------------------------------
CLEAN = [
    "BPA fired 3 times during med rec at 0700 on 4 West",
    "Epic timed out twice during discharge, 2 RNs lost about 15 min each",
    "Pyxis override needed for q4h Tylenol 650 mg, pharmacy verification took 40 min",
    "MAR showed the 0900 dose as due although it was given at 0845",
    "Omnicell in the 5 East med room was down from 1300 to 1530",
    "Vocera badges dropped calls in the stairwell near room 3 supply closet",
    "Morse Fall Scale reassessment prompt fires every 4h even for patients scored 0",
    "Braden score flowsheet requires 6 clicks, charge nurse wants a single row",
    "Jackson Pratt drain output column missing in the I&O flowsheet since version 2.3.1",
    "Foley removal reminder came 12 h late, CAUTI bundle due at 24 h",
    "Apgar entry in L&D uses a different time picker than the rest of Epic",
    "Cerner interface queue backed up, 120 results delayed by 35 minutes",
    "Alaris pump library still has the old heparin concentration, 25,000 units/250 mL",
    "Sepsis alert fired on 6 patients in 2 hours, only 1 met criteria",
    "Rapid Response was called twice on 7 North night shift",
    "Code Blue cart checklist is paper; 3 missing signatures this week",
    "Mark Complete button greyed out until the whole task list is scrolled",
    "Will Call pharmacy pickup queue shows 14 items waiting",
    "Patient Portal messages routed to the wrong pool since the 03/02 upgrade",
    "Patient Education tab takes 8 seconds to load on the WOWs",
    "Dr. ⟦NAME|Patel⟧ asked for the early warning score to be shown on the handoff report",
    "Nurse ⟦NAME|Kelly⟧ said the new sepsis screen adds 4 minutes per admission",
    "Dr. ⟦NAME|Amara Obi⟧ and Dr. ⟦NAME|Liu⟧ both rejected the alert as noise in the 0730 huddle",
    "Charge RN ⟦NAME|Maria Lopez⟧ reported that bed assignments lag 20 min behind the board",
    "Room 4 in PACU has no working wall suction since Tuesday",
    "Clean utility room 2 badge reader fails about 1 in 5 swipes",
    "Bed 12 on the bed board shows dirty for 3 hours after EVS finished",
    "Med-surg staffing: 5 RNs, 2 CNAs for 28 patients, ratio 1:5.6",
    "Insulin sliding scale order set v4.2 defaults to the wrong range",
    "Glucometer docking station in 4 West offline, 11 readings not uploaded",
    "Handoff took 45 minutes because the SBAR tool does not pull overnight vitals",
    "CIWA protocol q1h checks clash with the 2200 med pass",
    "Go-live for the new discharge navigator is 2025-04-01",
    "Since 03/02 the lab label printer in 6 South prints 2 labels per order",
    "Telemetry alarms: 312 alarms per patient day, 85% non-actionable",
    "eMAR scanning compliance dropped to 91% on nights",
    "Kardex printout is 14 pages for a 24-bed unit",
    "The discharge med list and the AVS disagree on 2 of 9 items",
    "Respiratory therapy q6h nebs are charted in two places",
    "ICU RN spends about 30 min per shift reconciling drips against Alaris",
    "Pharmacist verification queue peaked at 87 orders at 1000",
    "Transport request to CT took 50 min, 3 calls to dispatch",
    "Unit clerk re-prints wristbands 6 to 8 times per shift",
    "Bed 14 alarm volume cannot be changed from the central station",
    "Room 7 TV remote is also the call light, confusing for older adults",
    "Fall risk banner covers the allergy banner at 1280x800",
    "Haiku on the iPhone does not show the MAR due times",
    "Pain reassessment reminder at 30 and 60 min after IV dose is duplicated",
    "Stroke alert page went to 4 pagers, 2 of them retired",
    "New restraint order set requires renewal every 24 h, prompt comes at 23 h 55 min",
    "NIHSS calculator totals wrong when item 1a is left blank",
    "Blood bank called back at 0610 about type and screen",
    "Night shift on 5 West used paper for 2 hours during downtime 0200-0400",
    "Discharge before noon rate 18% on 4 East in March",
    "Wound care consult takes 2 days to be seen, nurses want a photo workflow",
    "Dietary tray tickets print allergies in 6 pt font",
    "Cardiac monitor leads shortage, 10 sets for 32 beds",
    "Hand hygiene audit: 42 of 50 observations compliant",
    "Sepsis bundle timer resets if the lactate order is modified",
    "Admission navigator requires home meds before allergies, order is reversed on paper",
    "3 West float pool nurses cannot see the unit's Vocera groups",
    "Patient Experience survey tablet in the lobby has been dead since 03/11",
    "Fowler position reminder shows for patients on bed rest flat",
    "Trendelenburg not an option in the positioning dropdown",
    "Baxter pump tubing back-ordered, using Alaris sets on 2 units",
    "Welch Allyn vitals monitor sends temps in Celsius to a Fahrenheit field",
    "The 1500 IV antibiotic was 90 min late due to pharmacy batch at 1400",
    "Ward clerk said the Kronos clock-in kiosk freezes at 0645 every day",
    "Observation unit census 22, 9 awaiting MRI",
    "HL7 ADT feed drops the attending field for transfers from the ED",
    "Order for PT/OT eval defaults to 'routine', therapists want 'today'",
    "Chaplain paging list last updated in 2021",
    "Rounding checklist in Epic has 19 items, team uses 6",
    "The 0800 labs were drawn at 0520 to make rounds, patients complain",
    "BMAT mobility score not carried over on transfer to 6 North",
    "Pharmacy tech restocks Pyxis at 1100 and 2300, stockouts at 2100",
    "Omnicell drawer 4 sticks, biomed ticket INC0042213 open for 9 days",
    "ServiceNow ticket RITM0019384 for scanner replacement still pending",
    "ED to floor handoff call takes 12 min on average, 4 West target is 5",
    "Grace period for late med administration is 60 min, audit flags at 30",
    "Early Warning Score threshold of 5 triggers too often on post-op day 1",
    "Version 3.14 of the mobile app lost the barcode scanner button",
    "Epic In Basket has 230 unread messages for the unit pool",
    "Pyxis on 8 South asks for a witness for every insulin pull",
    "2 of 4 bladder scanners on 3 East broken, wait 25 min",
    "Med pass at 0900 and 2100 overlaps with breakfast and visiting hours",
    "Room 3 supply closet badge access removed for float staff",
    "Tuesday huddle: 11 falls YTD on 7 West, 3 with injury",
    "IV pump channel B shows 'occlusion' false alarm about 5 times a shift",
    "Nurse ⟦NAME|Jordan Kim⟧ and Dr. ⟦NAME|Shah⟧ piloted the new discharge checklist",
    "Vocera Engage sent 47 low-priority alerts in 1 hour",
    "Speech therapy swallow screen result not visible to dietary until 2 h later",
    "Isolation sign printer in the 4 West hallway out of paper twice this week",
    "Stryker bed exit alarm zone 3 too sensitive for patients who shift in bed",
    "Sequential compression device pumps: 6 of 20 missing tubing",
    "Meds-to-beds program filled 14 of 20 discharges before 1300",
    "Palliative consult order needs 3 free-text fields, takes 6 min",
    "CAUTI rate 1.2 per 1000 catheter days in Q3",
    "The 5 East charge phone is a shared Vocera, not a handset",
    "About 1 in 10 barcode scans fail on the new wristband stock",
    "Attending Dr. ⟦NAME|Okafor⟧ wants sepsis alerts batched every 2 h",
    "Spectralink phones reboot during the 1900 shift change",
    "Bedside shift report done in 6 of 12 rooms observed",
    "Eight RNs trained on the new order set on 04/15, 4 more next week",
    "Glucose POC result 212 mg/dL charted twice",
    "The 2 West pod B computer takes 4 min to log in",
    "Tylenol 1 g q6h PRN and scheduled both active, pharmacy flag missed",
    "Heparin drip nomogram in the order set is the 2019 version",
    "Morphine PCA lockout 10 min, basal 0, pump library mismatch",
    "Rover app scans fail in rooms 401-420 on the west corridor",
    "Cerner to Epic migration left 3,400 orphaned orders",
    "Sitter request approvals take 2 h overnight",
    "Patient Safety Net report category list has 64 options",
    "5 patients on 4 West awaiting SNF placement over 3 days",
    "Restraint documentation q2h compliance 78%",
    "Admit orders arrive at 2300 on average, pharmacy verification backlog after",
    "New MEWS column added to the patient list, RNs like it",
    "Bair Hugger units: only 2 on the surgical floor",
    "Salem sump to LIWS order default wrong in the NG order panel",
    "Miami J collar care instructions missing from the nursing order",
    "Pt/OT shared goals note not visible in the nursing Kardex",
    "Case Management sees the discharge date change 2 h after nursing does",
    "Nurse ⟦NAME|Patel⟧ trialled the scanner on night shift, 9 of 10 scans worked",
    "Huddle board on 6 South still lists last week's census of 26",
    "Dr. ⟦NAME|Nguyen⟧'s team rounds at 0830, nurses asked to join at 0900",
    "Mobility tech covers 2 units, 40 patients, 7a-3p only",
    "Lift equipment room 2 key is held by the charge nurse",
    "Smart pump compliance 94% on 3 West in April",
    "Average call light response 4 min 30 s on days, 7 min on nights",
    "Bed 2 in the step-down unit has a broken rail, biomed aware",
    "Pod C workstation shows the wrong time zone, timestamps off by 1 h",
    "Cross-cover page volume 60 per night for 1 resident",
    "MAR hold reason picklist lacks 'patient off unit'",
    "Capnography alarms 18 per hour on PCA patients",
    "Discharge teach-back documented in 12 of 30 charts",
    "Pharmacy robot down 0400-0600, 35 first doses late",
    "Stat CT read time 55 min on weekend nights",
    "Telehealth cart in room 5 conference area has no camera drivers",
    "EVS turnaround for isolation rooms 90 min vs 45 target",
    "Pediatric weight-based dosing calculator rounds 12.5 kg to 13 kg",
    "Apgar 8 and 9 entered but flowsheet shows 8 and 8",
    "Nurse manager ⟦NAME|Lee⟧ approved overtime for 3 RNs",
    "Foley bag holders missing on 12 of 30 beds",
    "Warm blankets cabinet at 4 West is set to 130 F",
    "ED tracking board colors changed in version 2024.2 without training",
    "NPO after midnight orders left active on 7 patients after surgery was cancelled",
    "Epic Secure Chat notifications delayed 3-5 min on iPhones",
    "Scheduled meds at 0600 wake patients, team wants 0800",
    "Hospitalist group uses 3 different admission templates",
    "Vital signs machine on cart 2 sends results to the wrong unit",
    "Family lounge on 9 North closed for renovation until June",
    "Overflow unit opened with 8 beds and 2 RNs on Friday",
]
HELDOUT_CLEAN = [
    "Sepsis screen at triage added 90 seconds per patient, ED nurses want it at 2nd vitals",
    "The 4 West Pyxis asks for a reason code on every PRN pull, 40 pulls a night",
    "Dr. ⟦NAME|Greene⟧ said the alert fired for the 3rd time while she was consenting",
    "Med room 2 door propped open twice today, badge reader broken",
    "2 new grads orienting on 6 North, preceptor ratio 1:2",
    "Discharge lounge opened at 1000 but transport started at 1200",
    "Hourly rounding log: 17 of 24 hours signed on days",
    "Room 11 in the ED fast track used for storage since Monday",
    "Bed 6 exit alarm volume stuck at level 1",
    "Omnicell count discrepancy for hydromorphone 2 mg, resolved by pharmacy in 20 min",
    "Vocera badge 5 on 3 East keeps logging out",
    "Wound vac supply order takes 3 days from central supply",
    "Blood culture set x2 drawn at 1320 and 1335, labels printed at 1400",
    "CNA staffing 1:12 on nights, turning schedule q2h not met in 5 of 12 checks",
    "Patient Portal enrollment at discharge 64% on 5 West",
    "Nurse ⟦NAME|Ramirez⟧ piloted the new pain scale, liked the 0-10 slider",
    "Epic hyperspace freezes when 3 flowsheets are open",
    "Insulin pen storage: 14 pens unlabeled in the med fridge",
    "Early mobility goal 3 walks a day, achieved in 8 of 22 patients",
    "Alaris channel labels print too small to read at 2 m",
]


def render(template: str) -> dict[str, object]:
    """Fill a template's slots and return the text with its gold spans."""

    def fill(slot: re.Match[str]) -> str:
        kind = slot.group(1)
        if kind == "n":
            return str(R.randint(2, 55))
        if kind == "ROOM_BARE":
            return "in " + t("ROOM", R.choice(ROOM_BARE_FORMS).format(d=R.randint(1, 9))[3:])
        return FILLERS[kind]()

    marked = re.sub(r"\{([A-Za-z_]+)\}", fill, template)
    text, spans, cursor = "", [], 0
    for m in MARK.finditer(marked):
        text += marked[cursor : m.start()]
        spans.append({"start": len(text), "end": len(text) + len(m["value"]), "type": m["type"]})
        text += m["value"]
        cursor = m.end()
    return {"text": text + marked[cursor:], "spans": spans}


def _with_slot(templates: list[str], kind: str) -> list[str]:
    return [t_ for t_ in templates if "{" + kind + "}" in t_]


def build() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    batches = (("dev", PHI_TEMPLATES, 18), ("heldout", HELDOUT_TEMPLATES, 9))
    for split, templates, per_type in batches:
        for kind in FILLERS:
            choices = _with_slot(templates, kind) or templates
            count = per_type * (2 if kind == "NAME" else 1)
            for _ in range(count):
                rows.append({**render(R.choice(choices)), "split": split})
    rows += [{**render(text), "split": "heldout2"} for text in HELDOUT2_PHI]
    # Staff names in these lines are marked: since issue 8 every person's name is masked.
    rows += [{**render(c), "split": "heldout2"} for c in HELDOUT2_CLEAN]
    rows += [{**render(c), "split": "dev"} for c in CLEAN]
    rows += [{**render(c), "split": "heldout"} for c in HELDOUT_CLEAN]
    return rows


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
