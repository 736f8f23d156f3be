"""Synthetic demo activity for `load_demo`: observations across units, a finished session with
ratings, comments and pins, and backlog items with evidence in every status — so each view of a
fresh install has something to show. Written through the services, as a user would; every line
is invented (no patient or staff data). Safe to run again: what exists is left alone."""

from __future__ import annotations

import datetime as dt
import io
import random
import uuid
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from feedback.context import Actor
from feedback.models import (
    BacklogItem,
    CodesignSession,
    Comment,
    Observation,
    Participant,
    Rating,
    Screen,
    Tool,
    Unit,
    User,
    Workflow,
)
from feedback.services import backlog as backlog_services
from feedback.services import instruments as instrument_services
from feedback.services import sessions as session_services
from feedback.services.observations import observation_sync
from feedback.services.screens import screen_create, screen_set_regions

_NAMESPACE = uuid.UUID("5b7d3f4e-2c1a-4e8b-9d6f-0a1b2c3d4e5f")
SESSION_TITLE = "Sepsis alert redesign: huddle 1 (demo)"

# One observation per entry: a line of fields (unit, workflow, role observed, severity, frequency,
# minutes lost or -, "safety" or -, AI tool or -), then its description indented below.
_OBSERVATION_TABLE = """
4W sepsis nurse 3 every_shift 10 - sepsis
    Sepsis BPA fired three times in one hour for the same patient; had to dismiss it each time
    during med pass.
4W sepsis nurse 2 daily 5 - sepsis
    Alert shows a risk score but not which vitals pushed it up, so the charge nurse re-checks the
    flowsheet.
MICU sepsis physician 3 daily 15 safety sepsis
    Sepsis alert arrived after antibiotics were already hung; the bundle timer restarted and
    confused the team.
MICU sepsis nurse 4 once 20 safety sepsis
    Alert was acknowledged on the workstation but kept firing on the tablet; lactate redraw was
    delayed.
ED sepsis physician 2 every_shift 8 - sepsis
    ED triage sees the sepsis banner for patients already on the sepsis pathway.
ED sepsis nurse 3 hourly 6 - sepsis
    Banner covers the MAR button on the small tablets in the ED hallway beds.
4W sepsis respiratory_therapist 2 daily - - sepsis
    RT is paged by the alert but cannot open the bundle checklist with their role.
MICU sepsis pharmacist 2 daily 10 - sepsis
    Pharmacy gets the sepsis alert without the current antibiotic orders in view.
ED sepsis nurse 1 daily 2 - sepsis
    Alert sound is the same as the IV pump alarm, so it gets ignored at the nurses' station.
4W sepsis nurse 3 every_shift 12 - sepsis
    Repeat alert after acknowledging: same score, same patient, within twenty minutes.
MICU discharge physician 3 daily 20 - discharge
    Discharge summary draft leaves out labs still pending at discharge.
4W discharge nurse 2 daily 10 - discharge
    Patient education section of the draft is copied from the admission note, not the discharge
    plan.
ED discharge physician 2 every_shift 15 - discharge
    Draft lists home medications twice when the med rec was done in two passes.
4W discharge clerk 1 daily 5 - -
    Discharge paperwork prints on the wrong printer after a unit transfer.
MICU discharge pharmacist 3 daily 20 safety discharge
    Draft summary shows the old insulin dose after it was changed on the last day.
4W discharge nurse 2 daily 8 - discharge
    Follow-up appointment section is empty in the draft even when clinic booked one.
ED discharge physician 1 once - - discharge
    Assistant took 40 seconds to produce a draft during a busy afternoon.
4W medrec pharmacist 3 every_shift 25 safety -
    Home medication list from the outside pharmacy does not match the admission list; two calls to
    resolve.
MICU medrec nurse 2 daily 15 - -
    Med rec at 0700 overlaps with shift change, so it is often done twice.
ED medrec physician 2 every_shift 10 - -
    Med rec screen is hard to read on the tablet: columns cut off at the right.
4W medrec nurse 2 daily 10 - -
    Cannot tell which home meds were already verified by pharmacy.
MICU medrec pharmacist 4 once 30 safety -
    Anticoagulant appeared on both the home and the inpatient list after a transfer from the ED.
ED medrec technician 1 daily 5 - -
    Pharmacy tech has to re-enter the same allergy information in two places.
4W handoff nurse 2 every_shift 10 - -
    Handoff report misses the latest sepsis screen result.
MICU handoff nurse 3 every_shift 15 safety -
    Transfer note from MICU to the floor lacks the pressor wean time.
ED handoff physician 2 every_shift 10 - -
    ED to inpatient handoff happens by phone with no structured checklist.
4W handoff nurse 1 daily 5 - -
    Handoff tool logs out after five minutes, mid report.
MICU handoff respiratory_therapist 2 every_shift 8 - -
    Ventilator settings are not part of the written handoff.
4W beds clerk 2 hourly 5 - -
    Bed board does not refresh after a transfer; clerk phones the unit to confirm.
ED beds nurse 3 daily 30 - -
    Admitted patients board in the ED for hours because clean beds show as dirty.
MICU beds nurse 2 daily 10 - -
    MICU step-down beds are not visible on the house-wide bed board.
4W beds technician 1 daily 5 - -
    Environmental services status does not reach the bed board until the next refresh.
ED beds clerk 2 every_shift 10 - -
    Two patients were assigned the same bed on the board during a surge.
MICU sepsis nurse 2 every_shift 5 - sepsis
    Sepsis alert text is too small to read from the doorway.
ED medrec pharmacist 2 daily 10 - -
    Outside records arrive as scanned PDFs; med rec has to retype them.
4W discharge physician 2 daily 10 - discharge
    Hospital course paragraph of the draft repeats the same event twice.
"""
_UNITS = {"4W": 0, "MICU": 1, "ED": 2}
_WORKFLOWS = {"medrec": 0, "discharge": 1, "sepsis": 2, "handoff": 3, "beds": 4}
_TOOLS = {"-": None, "sepsis": 0, "discharge": 1}


@dataclass(frozen=True)
class DemoObservation:
    unit: int
    workflow: int
    role: str
    severity: int
    frequency: str
    minutes: int | None
    safety: bool
    tool: int | None
    text: str


def _parse(table: str) -> list[DemoObservation]:
    rows: list[DemoObservation] = []
    fields: list[str] = []
    text: list[str] = []
    for line in [*table.strip().splitlines(), "END"]:
        if line.startswith(" "):
            text.append(line.strip())
            continue
        if fields:
            unit, workflow, role, severity, frequency, minutes, safety, tool = fields
            rows.append(
                DemoObservation(
                    unit=_UNITS[unit],
                    workflow=_WORKFLOWS[workflow],
                    role=role,
                    severity=int(severity),
                    frequency=frequency,
                    minutes=None if minutes == "-" else int(minutes),
                    safety=safety == "safety",
                    tool=_TOOLS[tool],
                    text=" ".join(text),
                )
            )
        fields, text = line.split(), []
    return rows


OBSERVATIONS = _parse(_OBSERVATION_TABLE)
CLINICIAN_OBSERVATIONS = {4, 19, 29}  # logged by the demo clinician (who sees only their own)

# Mock-ups of three screens of the sepsis tool (rated in the demo session) and one of the
# discharge assistant; regions are fractions of the 1024 x 640 drawing.
SCREENS: list[dict[str, Any]] = [
    {
        "tool": 0,
        "title": "Risk banner",
        "heading": "Sepsis risk: HIGH (0.82)",
        "alert": True,
        "rows": ["Rising since 06:00", "Last screen: 2 hours ago"],
        "buttons": ["Open bundle", "Dismiss"],
        "regions": [
            {"id": "banner", "label": "Risk banner", "box": [0.05, 0.125, 0.9, 0.19]},
            {"id": "bundle", "label": "Open bundle button", "box": [0.05, 0.72, 0.42, 0.16]},
            {"id": "dismiss", "label": "Dismiss button", "box": [0.53, 0.72, 0.42, 0.16]},
        ],
    },
    {
        "tool": 0,
        "title": "Why this alert",
        "heading": "Why this alert",
        "alert": False,
        "rows": ["Heart rate 118 (up from 92)", "Lactate 3.1 (up)", "Temperature 38.6"],
        "buttons": ["Open bundle", "Not sepsis"],
        "regions": [
            {"id": "reasons", "label": "Reasons list", "box": [0.05, 0.35, 0.9, 0.33]},
            {"id": "bundle", "label": "Open bundle button", "box": [0.05, 0.72, 0.42, 0.16]},
        ],
    },
    {
        "tool": 0,
        "title": "Bundle checklist",
        "heading": "Bundle timer 0:42 of 3:00",
        "alert": False,
        "rows": ["Lactate drawn", "Cultures before antibiotics", "Fluids started"],
        "buttons": ["Mark done", "Later"],
        "regions": [
            {"id": "timer", "label": "Bundle timer", "box": [0.05, 0.125, 0.9, 0.19]},
            {"id": "checklist", "label": "Checklist", "box": [0.05, 0.35, 0.9, 0.33]},
        ],
    },
    {
        "tool": 1,
        "title": "Draft summary",
        "heading": "Discharge summary (draft)",
        "alert": False,
        "rows": ["Pending labs: none listed", "Home medications: 12", "Follow-up: not booked"],
        "buttons": ["Accept draft", "Edit"],
        "regions": [
            {"id": "sections", "label": "Summary sections", "box": [0.05, 0.35, 0.9, 0.33]},
        ],
    },
]

# Session participants: display name, role, unit index (guests and the demo clinician).
PARTICIPANTS = [
    ("Night RN", "nurse", 0),
    ("Charge RN", "nurse", 1),
    ("Hospitalist", "physician", 0),
    ("ED pharmacist", "pharmacist", 2),
    ("RT", "respiratory_therapist", 1),
]
# (participant index or -1 for the demo clinician, screen index, text, pin or region)
COMMENTS: list[tuple[int, int, str, Any]] = [
    (
        0,
        0,
        "Dismiss is right next to Open bundle; easy to hit the wrong one with gloves on.",
        {"x": 0.52, "y": 0.8},
    ),
    (1, 0, "The score alone does not tell me what to do next.", {"x": 0.4, "y": 0.2}),
    (2, 0, "Please say since when the risk has been rising, in hours.", "banner"),
    (-1, 0, "Red banner is good; it should not cover the MAR button.", {"x": 0.7, "y": 0.18}),
    (2, 1, "This is the screen I want first: the reasons, not the number.", "reasons"),
    (3, 1, "Add the current antibiotics here so pharmacy sees them.", {"x": 0.5, "y": 0.62}),
    (4, 2, "Bundle timer should not restart after antibiotics are already hung.", "timer"),
    (1, 2, "Checklist boxes are too small on the tablet.", {"x": 0.3, "y": 0.55}),
]

# Backlog: title, workflow index, tool index, effort, statuses in order, note, evidence picks.
ITEMS: list[dict[str, Any]] = [
    {
        "title": "Stop repeat sepsis alerts for the same patient after acknowledgement",
        "description": "Acknowledged once, the alert stays quiet for that score on every device.",
        "workflow": 2,
        "tool": 0,
        "effort": 3,
        "path": ["triaged", "planned", "in_progress"],
        "observations": [0, 3, 9],
        "comments": [1],
    },
    {
        "title": "Show which vitals and labs raised the sepsis risk",
        "description": "Lead with the reasons (vitals, labs, trend); the number second.",
        "workflow": 2,
        "tool": 0,
        "effort": 2,
        "path": ["triaged", "planned"],
        "observations": [1],
        "comments": [4, 2],
        "ratings": [(2, 1)],
    },
    {
        "title": "Discharge summary draft: include labs pending at discharge",
        "description": "List labs pending at discharge in the draft, with who follows them up.",
        "workflow": 1,
        "tool": 1,
        "effort": 3,
        "path": ["triaged"],
        "observations": [10, 15],
    },
    {
        "title": "Med rec screen readable on tablets",
        "description": "Columns fit a 10-inch tablet; verified home medications are marked.",
        "workflow": 0,
        "tool": None,
        "effort": 2,
        "path": [],
        "observations": [19, 20],
    },
    {
        "title": "Bed board refreshes after a transfer",
        "description": "Transfers show on the bed board within seconds, without a manual refresh.",
        "workflow": 4,
        "tool": None,
        "effort": 2,
        "path": ["triaged", "planned", "in_progress", "shipped"],
        "observations": [28, 31],
        "note": "The bed board now refreshes within 10 seconds of a transfer (release 4.2).",
    },
    {
        "title": "Change the sepsis alert sound",
        "description": "Give the sepsis alert a sound distinct from IV pump alarms.",
        "workflow": 2,
        "tool": 0,
        "effort": 1,
        "path": ["declined"],
        "observations": [8],
        "note": "Alarm sounds are set hospital-wide by the alarm committee; raised it with them.",
    },
    {
        "title": "Structured checklist for ED to inpatient handoff",
        "description": "A short structured checklist for the ED to inpatient handoff call.",
        "workflow": 3,
        "tool": None,
        "effort": 4,
        "path": [],
        "observations": [25, 23],
    },
    {
        "title": "Sepsis alert keeps firing on the tablet after it was acknowledged",
        "description": "Acknowledging on the workstation does not stop the alert on the tablet.",
        "workflow": 2,
        "tool": 0,
        "effort": 3,
        "path": [],
        "observations": [3],
        "merge_into": 0,
    },
]


@dataclass
class _Refs:
    units: list[Unit]
    workflows: list[Workflow]
    tools: list[Tool]
    people: dict[str, User]


def load(*, people: dict[str, User]) -> dict[str, int]:
    """Load what is missing of the demo activity; returns how many of each kind were added."""
    refs = _Refs(
        units=list(Unit.objects.order_by("id")[:3]),
        workflows=list(Workflow.objects.order_by("id")[:5]),
        tools=list(Tool.objects.order_by("id")[:2]),
        people=people,
    )
    added = {"observation": _observations(refs)}
    added["finished session"] = _session(refs)
    added["backlog item"] = _backlog(refs)
    return added


def _client_id(n: int) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"observation-{n}")


def _observations(refs: _Refs) -> int:
    now = timezone.now()
    batches_in_order: list[tuple[str, dict[str, Any]]] = []
    stored = set(Observation.objects.values_list("client_id", flat=True))
    for n, row in enumerate(OBSERVATIONS):
        if _client_id(n) in stored:
            continue
        item = {
            "client_id": str(_client_id(n)),
            # Spread over the last three weeks, at plausible times of a shift.
            "captured_at": (now - dt.timedelta(days=21 - n * 0.55, hours=n % 5)).isoformat(),
            "unit": refs.units[row.unit].pk,
            "workflow": refs.workflows[row.workflow].pk,
            "role_observed": row.role,
            "severity": row.severity,
            "frequency": row.frequency,
            "patient_safety": row.safety,
            "description": row.text,
            "tags": ["demo"],
        }
        if row.minutes is not None:
            item["minutes_lost"] = row.minutes
        if row.tool is not None:
            item["tool"] = refs.tools[row.tool].pk
        batches_in_order.append(("clinician" if n in CLINICIAN_OBSERVATIONS else "observer", item))
    created = 0
    for who, item in sorted(batches_in_order, key=lambda pair: pair[1]["captured_at"]):
        # One at a time, oldest first: ids then follow capture time, as on a real install.
        (result,) = observation_sync(actor=Actor(user=refs.people[who]), items=[item])
        created += result.status == "created"
    return created


def _observation_ids(picks: list[int]) -> list[int]:
    keys = [_client_id(n) for n in picks]
    found = dict(Observation.objects.filter(client_id__in=keys).values_list("client_id", "pk"))
    return [found[k] for k in keys if k in found]


def screen_png(spec: dict[str, Any]) -> bytes:
    """A plain mock-up of a tablet screen (synthetic: invented numbers, no names)."""
    width, height = 1024, 640
    navy, red = (32, 60, 110), (200, 40, 40)
    image = Image.new("RGB", (width, height), (245, 247, 250))
    draw = ImageDraw.Draw(image)
    big, small = ImageFont.load_default(size=40), ImageFont.load_default(size=28)
    draw.rectangle((0, 0, width, 60), fill=navy)
    draw.text((24, 12), f"{spec['tool_name']} - {spec['title']}", font=small, fill="white")
    alert = spec["alert"]
    draw.rectangle((50, 80, width - 50, 200), fill=red if alert else "white", outline=navy)
    draw.text((80, 115), spec["heading"], font=big, fill="white" if alert else "black")
    for n, line in enumerate(spec["rows"]):
        top = 240 + n * 60
        draw.rectangle((80, top + 8, 100, top + 28), outline=navy, width=3)
        draw.text((120, top), line, font=small, fill=(30, 30, 30))
    for n, label in enumerate(spec["buttons"]):
        left = 50 + n * 493
        draw.rounded_rectangle((left, 460, left + 430, 560), 16, fill=navy)
        draw.text((left + 40, 492), label, font=small, fill="white")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _screens(refs: _Refs, actor: Actor) -> list[Screen]:
    """Every demo screen (made if missing); the sepsis tool's come first, in order."""
    screens = []
    for spec in SCREENS:
        tool = refs.tools[spec["tool"]]
        screen = Screen.objects.filter(tool=tool, title=spec["title"]).first()
        if screen is None:
            png = screen_png({**spec, "tool_name": tool.name})
            screen, _ = screen_create(actor=actor, tool=tool, image=png, title=spec["title"])
            screen_set_regions(actor=actor, screen=screen, regions=spec["regions"])
        screens.append(screen)
    return screens


def _session(refs: _Refs) -> int:
    if CodesignSession.objects.filter(title=SESSION_TITLE).exists():
        return 0
    facilitator = Actor(user=refs.people["observer"])
    screens = [s for s in _screens(refs, facilitator) if s.tool_id == refs.tools[0].pk]
    session = session_services.session_create(
        actor=facilitator,
        title=SESSION_TITLE,
        tool=refs.tools[0],
        screen_ids=[s.pk for s in screens],
        allow_guests=True,
        instruments=["sus", "umux_lite"],
    )
    people = _participants(session, refs)
    _ratings(people, screens)
    for who, screen, text, where in COMMENTS:
        place = {"region": where} if isinstance(where, str) else {"pin": where}
        session_services.comment_add(
            participant=people[who], screen_id=screens[screen].pk, text=text, **place
        )
    _questionnaires(people)
    host = Participant.objects.get(session=session, is_facilitator=True)
    session_services.session_end(actor=facilitator, participant=host, collect_sus=True)
    return 1


def _participants(session: CodesignSession, refs: _Refs) -> dict[int, Participant]:
    people: dict[int, Participant] = {}
    for n, (name, role, unit) in enumerate(PARTICIPANTS):
        guest = session_services.session_join(session=session, display_name=name)
        people[n] = instrument_services.participant_describe(
            participant=guest, role=role, unit_id=refs.units[unit].pk
        )
    clinician = session_services.session_join(session=session, user=refs.people["clinician"])
    people[-1] = instrument_services.participant_describe(
        participant=clinician, role="nurse", unit_id=refs.units[2].pk
    )
    return people


def _ratings(people: dict[int, Participant], screens: list[Screen]) -> None:
    rng = random.Random(2026)  # fixed: the demo looks the same on every machine
    leaning = [(2, 3), (4, 5), (3, 4)]  # the banner rates low, the reasons screen high
    for participant in people.values():
        for screen, (low, high) in zip(screens, leaning, strict=True):
            scores = {d: rng.randint(low, high) for d in participant.session.dimensions}
            session_services.rating_submit(
                participant=participant, screen_id=screen.pk, scores=scores
            )


def _questionnaires(people: dict[int, Participant]) -> None:
    rng = random.Random(9)
    for participant in people.values():
        # SUS alternates positive and negative items: agree with odd ones, disagree with even.
        sus = [rng.randint(3, 5) if n % 2 == 0 else rng.randint(1, 3) for n in range(10)]
        instrument_services.instrument_submit(
            participant=participant, instrument="sus", answers=sus
        )
        umux = [rng.randint(4, 7), rng.randint(3, 6)]
        instrument_services.instrument_submit(
            participant=participant, instrument="umux_lite", answers=umux
        )


def _session_evidence(spec: dict[str, Any]) -> dict[str, list[int]]:
    session = CodesignSession.objects.filter(title=SESSION_TITLE).first()
    if session is None:
        return {}
    comments = list(Comment.objects.filter(session=session).order_by("id"))
    picked = {"comments": [comments[i].pk for i in spec.get("comments", []) if i < len(comments)]}
    screens = list(session.screens.order_by("sessionscreen__position"))
    ratings = []
    for who, screen in spec.get("ratings", []):
        name = PARTICIPANTS[who][0]
        found = Rating.objects.filter(
            session=session, screen=screens[screen], participant__display_name=name
        ).first()
        if found:
            ratings.append(found.pk)
    picked["ratings"] = ratings
    return picked


def _backlog(refs: _Refs) -> int:
    titles = [spec["title"] for spec in ITEMS]
    if BacklogItem.objects.filter(title__in=titles).exists():
        return 0
    owner = Actor(user=refs.people["owner"])
    made: list[BacklogItem] = []
    for spec in ITEMS:
        data = {
            "title": spec["title"],
            "description": spec["description"],
            "effort": spec["effort"],
            "workflow": refs.workflows[spec["workflow"]],
            "tool": refs.tools[spec["tool"]] if spec["tool"] is not None else None,
        }
        evidence = {"observations": _observation_ids(spec.get("observations", []))}
        evidence.update(_session_evidence(spec))
        item = backlog_services.backlog_create(actor=owner, data=data, evidence=evidence)
        for status in spec["path"]:
            change: dict[str, Any] = {"status": status}
            if status in ("shipped", "declined"):
                change["resolution_note"] = spec["note"]
            item = backlog_services.backlog_update(actor=owner, item=item, data=change)
        made.append(item)
    for spec, item in zip(ITEMS, made, strict=True):
        if "merge_into" in spec:
            backlog_services.backlog_merge(
                actor=owner, source=item, into_id=made[spec["merge_into"]].pk
            )
    return len(made)
