"""Writes duplicate_pairs.jsonl: synthetic backlog items, some with hand-written duplicate queries."""
# ruff: noqa: E501  (hand-written data rows read better unwrapped)

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).with_name("duplicate_pairs.jsonl")

# (title, description, [queries a product owner might type for the same problem]).
# Queries paraphrase with other words, abbreviations and typos; all content is invented.
TARGETS: list[tuple[str, str, list[str]]] = [
    (
        "Sepsis alert fires for patients already on antibiotics",
        "The sepsis BPA keeps interrupting nurses for patients whose antibiotics were started hours ago.",
        ["sepsis BPA pops up even though abx already running", "sepsis warning for pts on abx"],
    ),
    (
        "Sepsis alert fires repeatedly every time vitals are charted",
        "Each new set of vitals re-triggers the same sepsis warning within one shift.",
        ["sepsis bpa re-fires with each new set of vital signs"],
    ),
    (
        "Sepsis screening score hidden behind three clicks",
        "Nurses cannot see why the sepsis screen is positive without opening several tabs.",
        ["can't see why sepsis screen positive, too many clicks"],
    ),
    (
        "Discharge summary draft misses pending lab results",
        "The AI-drafted discharge summary leaves out labs that are still pending at discharge.",
        ["d/c summary doesnt mention pending labs", "dc summary omits outstanding lab results"],
    ),
    (
        "Discharge summary draft copies outdated medication list",
        "Generated summaries list medications that were stopped during the stay.",
        ["discharge summary shows meds that were discontinued during admission"],
    ),
    (
        "Discharge instructions too complex for patients",
        "Patient-facing discharge instructions are written at a college reading level.",
        ["pt discharge instructions reading level too high"],
    ),
    (
        "Medication reconciliation tool duplicates home medications",
        "Home meds imported from the pharmacy feed appear twice in med rec.",
        ["med rec shows home meds twice", "duplicate home medication entries in med rec"],
    ),
    (
        "Medication reconciliation at admission takes over 20 minutes",
        "Pharmacists spend 20+ minutes per admission reconciling outside medication lists.",
        ["admission med rec is really slow for pharmacy, 20 min each"],
    ),
    (
        "Med rec does not flag over-the-counter supplements",
        "Herbal and OTC supplements reported by patients never reach the reconciliation list.",
        ["OTC and herbal supplements missing from medication reconciliation"],
    ),
    (
        "Bed management board shows rooms as dirty after cleaning",
        "Environmental services marks rooms clean but the bed board still shows them dirty.",
        [
            "bed board not updating after EVS cleans room",
            "rooms still dirty on bed mgmt board after cleaning",
        ],
    ),
    (
        "Bed assignment suggestions ignore isolation requirements",
        "The bed placement AI proposes shared rooms for patients needing contact isolation.",
        ["bed placement suggests semi-private room for isolation pt"],
    ),
    (
        "Predicted discharge time on bed board is always wrong",
        "The expected discharge time estimate is off by hours, so bed huddles ignore it.",
        ["expected d/c time prediction inaccurate on bed board"],
    ),
    (
        "Deterioration index score not explained to nurses",
        "Nurses see a number but not which vitals or labs drove the deterioration score.",
        ["deterioration score no explanation which vitals drove it"],
    ),
    (
        "Early warning score alarms during routine repositioning",
        "Motion artifacts while turning patients trigger early warning score escalations.",
        ["EWS alarms when we reposition the pt"],
    ),
    (
        "Handoff report generator misses overnight events",
        "The AI shift handoff summary ignores events charted between 2300 and 0700.",
        [
            "handover summary leaves out what happened overnight",
            "hand off report missing night shift events",
        ],
    ),
    (
        "Handoff summary too long to read at shift change",
        "Generated handoff notes run several pages; nurses skip them during report.",
        ["shift change handoff note is way too long"],
    ),
    (
        "Ambient scribe note puts exam findings in the wrong section",
        "The ambient documentation tool writes physical exam findings under history.",
        ["AI scribe puts physical exam in HPI section"],
    ),
    (
        "Ambient scribe misses medication doses spoken in the room",
        "Doses said during the visit are dropped from the generated note.",
        ["ambient note drops the dosages the doctor says out loud"],
    ),
    (
        "Ambient scribe records side conversations with family",
        "Personal chat with family members ends up in the clinical note draft.",
        ["scribe transcribes small talk with family into note"],
    ),
    (
        "In-basket message triage marks urgent results as routine",
        "Critical lab messages are sorted into the low-priority inbox folder.",
        [
            "inbasket AI sorts critical labs as low priority",
            "urgent result messages triaged as routine in inbox",
        ],
    ),
    (
        "Patient portal reply drafts sound robotic",
        "AI-drafted replies to patient portal messages are stiff and need full rewrites.",
        ["mychart reply drafts sound like a robot"],
    ),
    (
        "Insulin dosing suggestion ignores NPO status",
        "The glucose management tool recommends full-dose insulin for patients who are nil by mouth.",
        [
            "insulin recommendation doesnt account for npo pts",
            "insulin calc ignores nothing-by-mouth",
        ],
    ),
    (
        "Hypoglycemia prediction alert arrives after the low",
        "The hypoglycemia risk alert often fires after the glucose has already dropped.",
        ["low blood sugar prediction comes too late"],
    ),
    (
        "Anticoagulation dosing tool uses outdated weight",
        "Heparin dose suggestions use the admission weight instead of today's weight.",
        ["heparin dosing calculator uses old weight from admit"],
    ),
    (
        "Fall risk score not updated after sedation",
        "The fall risk model keeps a low score after a patient receives sedatives.",
        ["falls risk doesnt change when pt gets sedated"],
    ),
    (
        "Fall risk alert fires for bedbound patients",
        "Bedbound and paralysed patients trigger fall risk reminders every shift.",
        ["fall alert for patients who cant get out of bed"],
    ),
    (
        "Pressure injury risk tool needs manual Braden entry",
        "Nurses must re-enter Braden subscores that are already charted elsewhere.",
        ["pressure ulcer tool makes us retype braden score"],
    ),
    (
        "Wound photo classifier fails on darker skin tones",
        "Stage classification of wound photos is unreliable on darker skin.",
        ["wound image staging inaccurate for dark skin"],
    ),
    (
        "Restraint order renewal reminder comes too late",
        "Renewal reminders for restraint orders arrive after the order has expired.",
        ["restraints renewal reminder after order already expired"],
    ),
    (
        "ED triage acuity suggestion under-triages elderly patients",
        "The triage model assigns ESI 4 to frail elderly patients with vague complaints.",
        [
            "emergency dept triage AI under-triages older adults",
            "ER triage score too low for frail elderly",
        ],
    ),
    (
        "ED wait time display not updated",
        "The waiting room board shows wait times that are hours old.",
        ["waiting room wait times on screen are stale"],
    ),
    (
        "Readmission risk score shown too late to act",
        "Readmission risk appears only on the day of discharge, after planning is done.",
        ["30 day readmit risk only visible on discharge day"],
    ),
    (
        "Readmission model flags every dialysis patient",
        "All dialysis patients are labelled high readmission risk, so the flag is ignored.",
        ["readmission prediction marks all dialysis pts as high risk"],
    ),
    (
        "Chest X-ray AI flags old lines and tubes as new findings",
        "Existing central lines and tubes are reported as new abnormal findings.",
        ["CXR algorithm calls existing lines/tubes new findings"],
    ),
    (
        "Radiology AI triage flag not visible in worklist",
        "Radiologists cannot see the AI priority flag in their reading worklist.",
        ["rads worklist doesnt show the AI prioritization flag"],
    ),
    (
        "Stroke detection alert goes to the wrong pager",
        "Large vessel occlusion alerts are paged to the general neurology pager, not the stroke team.",
        ["LVO alert paging wrong team", "stroke AI notification sent to wrong pager"],
    ),
    (
        "Lab result summary omits reference ranges",
        "The summarised lab view drops reference ranges so abnormal values are hard to judge.",
        ["lab summary missing normal ranges"],
    ),
    (
        "Critical lab callback documentation takes too many steps",
        "Documenting a critical value callback needs five screens.",
        ["too many steps to document crit lab call back"],
    ),
    (
        "Chart summarization misses allergies",
        "The AI chart summary leaves out documented allergies.",
        ["patient summary AI doesn't list allergies", "chart summary omits allergy list"],
    ),
    (
        "Chart summary cites notes from the wrong patient encounter",
        "The summary mixes in notes from an unrelated prior admission.",
        ["chart summary pulls notes from a previous unrelated admission"],
    ),
    (
        "Blood transfusion checklist duplicated on paper",
        "Nurses complete the transfusion verification both in the tool and on paper.",
        ["double documentation of blood transfusion check paper and electronic"],
    ),
    (
        "Barcode medication scanning fails on small vials",
        "Barcodes on small vials cannot be read by the handheld scanners.",
        ["BCMA scanner cant read barcodes on little vials"],
    ),
    (
        "Infusion pump integration drops rate changes",
        "Rate changes programmed on the pump do not flow into the MAR.",
        [
            "pump rate changes not showing up in MAR",
            "IV pump integration misses titrations in med admin record",
        ],
    ),
    (
        "Telemetry alarm fatigue from leads-off alerts",
        "Leads-off alarms make up most telemetry alarms on the unit.",
        ["tele alarms mostly lead off, alarm fatigue"],
    ),
    (
        "Respiratory therapy ventilator weaning suggestion ignores sedation",
        "The weaning readiness tool recommends trials for deeply sedated patients.",
        [
            "vent weaning readiness AI ignores sedation level",
            "SBT suggestion for heavily sedated pts",
        ],
    ),
    (
        "Oxygen titration recommendation too aggressive for COPD patients",
        "Target saturations for COPD patients are set too high by the titration tool.",
        ["O2 titration targets too high for copd"],
    ),
    (
        "Pharmacy verification queue sorted by time instead of urgency",
        "Stat orders sit behind routine orders in the pharmacist verification queue.",
        ["pharmacist verify queue doesnt prioritize stat orders"],
    ),
    (
        "Drug interaction alerts for topical medications",
        "Interaction alerts fire for topical creams with negligible systemic absorption.",
        ["DDI warnings for topical creams are noise"],
    ),
    (
        "Antibiotic stewardship suggestion ignores culture results",
        "De-escalation suggestions do not use the latest culture and sensitivity results.",
        ["abx stewardship recs dont use culture sensitivities"],
    ),
    (
        "VTE prophylaxis reminder fires for patients on therapeutic anticoagulation",
        "Patients already fully anticoagulated still get DVT prophylaxis prompts.",
        [
            "VTE ppx reminder for patients already on full anticoagulation",
            "dvt prophylaxis alert despite therapeutic heparin",
        ],
    ),
    (
        "Pain reassessment reminder interrupts medication pass",
        "Pain reassessment pop-ups appear in the middle of administering other meds.",
        ["pain reassessment popup during med pass"],
    ),
    (
        "Opioid risk score not shown on prescribing screen",
        "Prescribers cannot see the opioid overdose risk score while ordering.",
        ["opioid overdose risk not visible when ordering"],
    ),
    (
        "Delirium screening prompt repeats after every assessment",
        "The CAM-ICU prompt reappears even when the screen was just completed.",
        ["delirium screen reminder keeps coming back after done"],
    ),
    (
        "Nurse staffing forecast ignores admissions from the ED",
        "The staffing model underestimates census because boarding ED patients are not counted.",
        ["staffing prediction doesn't count ED boarders"],
    ),
    (
        "Staffing tool cannot handle split shifts",
        "Four-hour split shifts cannot be entered, so the forecast shows false gaps.",
        ["staffing software no option for partial shifts"],
    ),
    (
        "Transport request status not visible to nurses",
        "Nurses cannot tell whether patient transport has been dispatched.",
        ["can't see if transport is on the way for my pt"],
    ),
    (
        "Consult request routing sends cardiology consults to fellows on leave",
        "Consult routing uses an outdated on-call schedule.",
        ["consult routing uses old on call schedule"],
    ),
    (
        "Order set recommendations include discontinued products",
        "Suggested order sets contain formulary items that are no longer stocked.",
        ["order set suggestions have non formulary products"],
    ),
    (
        "Clinical decision support panel covers the order entry button",
        "On tablets the CDS side panel hides the sign order button.",
        ["CDS sidebar hides sign button on tablet"],
    ),
    (
        "Login timeout logs nurses out during documentation",
        "Sessions time out after five minutes and unsaved notes are lost.",
        ["auto logout loses unsaved nursing notes"],
    ),
    (
        "Voice dictation does not recognise drug names",
        "Speech recognition garbles common drug names like metoprolol.",
        ["speech to text mangles medication names"],
    ),
    (
        "Sepsis model performance drops at the pediatric campus",
        "The adult-trained sepsis model is used on pediatric wards with many false alarms.",
        ["sepsis alert not validated for kids, lots of false alarms on peds"],
    ),
    (
        "AI-generated patient education not available in Spanish",
        "Education materials from the assistant are English only.",
        ["patient education AI only english no spanish"],
    ),
    (
        "Interpreter request not linked to patient language preference",
        "Staff re-enter the language for every interpreter request.",
        ["have to retype preferred language each interpreter request"],
    ),
    (
        "Nursing documentation assistant suggests wrong flowsheet rows",
        "Suggested flowsheet rows do not match the unit's documentation standard.",
        ["charting assistant recommends incorrect flowsheet rows"],
    ),
    (
        "Intake and output totals calculated over wrong time window",
        "I&O totals use calendar days instead of the 0700-0700 nursing day.",
        ["I/O totals use midnight instead of 7am"],
    ),
    (
        "Code status not visible on the patient banner",
        "The resuscitation status is buried in the chart instead of the banner.",
        ["DNR status not shown in header"],
    ),
    (
        "Isolation status missing from transport requests",
        "Transport staff arrive without knowing the patient needs isolation precautions.",
        ["transporters not told about contact precautions"],
    ),
    (
        "Patient identification photo missing from medication administration",
        "The MAR shows no patient photo, making two-identifier checks slower.",
        ["no pt photo on med administration screen"],
    ),
    (
        "Lab draw timing suggestions conflict with dialysis schedule",
        "Suggested blood draw times fall while the patient is off the unit at dialysis.",
        ["phlebotomy timing recommendations during dialysis"],
    ),
    (
        "Glucose meter results not flowing into the chart",
        "Point-of-care glucose readings must be typed in manually.",
        [
            "POC glucose not interfacing, manual entry",
            "fingerstick glucose results have to be entered by hand",
        ],
    ),
    (
        "Sitter need prediction not shared with charge nurse",
        "The one-to-one observation prediction is visible only to managers.",
        ["charge RN can't see sitter prediction"],
    ),
    (
        "Advance care planning prompt shown to ED physicians",
        "ACP documentation prompts interrupt emergency physicians during resuscitation.",
        ["advance directive prompt annoys ER docs during codes"],
    ),
    (
        "Clinical trial eligibility alert triggers for ineligible patients",
        "The trial matching tool flags patients who fail basic exclusion criteria.",
        ["research study matching alerts for patients excluded"],
    ),
    (
        "Pediatric weight-based dosing rounds incorrectly",
        "Dose suggestions round to adult vial sizes for small children.",
        ["peds dose calculator rounds to adult vials"],
    ),
    (
        "Neonatal jaundice tool uses wrong age in hours",
        "Bilirubin risk uses admission time instead of birth time.",
        ["bili nomogram uses admit time not time of birth"],
    ),
    (
        "Postpartum hemorrhage risk score not updated after delivery",
        "The PPH risk stays at the antenatal value after delivery.",
        ["PPH risk doesnt recalc post delivery"],
    ),
    (
        "Mental health crisis flag visible to all staff",
        "Sensitive behavioural health flags appear on every user's screen.",
        ["psych crisis flag shown to everyone, privacy concern"],
    ),
    (
        "Device integration shows vitals from the previous patient",
        "After a bed move, monitor data from the previous occupant is associated with the new patient.",
        [
            "monitor vitals from prior patient after room change",
            "vital signs from wrong pt after bed transfer",
        ],
    ),
    (
        "Printer for wristbands not selectable from tablet",
        "Nurses must walk to a workstation to print ID bands.",
        ["cant print armbands from ipad"],
    ),
    (
        "Dietary order changes not sent to the kitchen",
        "Diet changes in the chart do not reach food services before the next meal.",
        ["diet order updates dont reach food service"],
    ),
    (
        "Physical therapy referral suggestion ignores weight-bearing restrictions",
        "PT referral prompts appear for patients who are non-weight-bearing.",
        ["physio referral for NWB patients"],
    ),
    (
        "Heart failure readmission coaching calls duplicated",
        "Two programmes call the same heart failure patients after discharge.",
        ["CHF patients getting two follow up calls post discharge"],
    ),
    (
        "Post-operative nausea prediction not used in recovery",
        "PACU nurses never see the PONV risk score calculated before surgery.",
        ["PONV risk not shown in PACU"],
    ),
    (
        "Surgical site infection surveillance misses outpatient follow-up",
        "Infections diagnosed in clinic after discharge are not captured by the SSI tool.",
        ["SSI tracking doesnt capture infections found in clinic"],
    ),
    (
        "Bed management: ICU transfer requests not prioritised by acuity",
        "ICU bed requests are handled first come first served regardless of acuity.",
        ["ICU transfer queue first-come-first-served not by severity"],
    ),
    (
        "Alert override reasons list is too long",
        "Clinicians scroll through 25 override reasons for every alert.",
        ["too many override reason options when dismissing alerts"],
    ),
]

SUBJECTS = [
    "Sepsis alert",
    "Sepsis prediction model",
    "Discharge summary draft",
    "Discharge planning tool",
    "Medication reconciliation assistant",
    "Med rec screen",
    "Bed management board",
    "Bed placement AI",
    "Deterioration index",
    "Early warning score",
    "Handoff report generator",
    "Ambient scribe",
    "In-basket triage",
    "Insulin dosing tool",
    "Fall risk model",
    "Pressure injury risk tool",
    "ED triage assistant",
    "Readmission risk score",
    "Chest X-ray AI",
    "Lab result summary",
    "Chart summarization",
    "Barcode medication scanning",
    "Infusion pump integration",
    "Telemetry monitoring",
    "Ventilator weaning tool",
    "Pharmacy verification queue",
    "Drug interaction checker",
    "Antibiotic stewardship tool",
    "VTE prophylaxis reminder",
    "Staffing forecast",
    "Transport request tool",
    "Order set recommender",
    "Voice dictation",
    "Patient education generator",
    "Nursing documentation assistant",
    "Stroke detection alert",
]
PROBLEMS = [
    ("loads slowly on workstations on wheels", "Takes 10-15 seconds to open on older carts."),
    ("font too small on the tablet", "Text is unreadable at arm's length in bright rooms."),
    ("no audit trail of who acknowledged it", "Managers cannot tell who reviewed each item."),
    ("not available on night shift downtime", "Nightly maintenance window overlaps night rounds."),
    ("training materials out of date", "Tip sheets show screens from the previous version."),
    ("crashes when switching between patients", "Switching charts quickly freezes the app."),
    (
        "colour coding not accessible for colour-blind users",
        "Red and green are the only difference between states.",
    ),
    ("no way to give feedback from inside the tool", "Staff email complaints that get lost."),
    ("does not work with the unit's shared login", "Float staff cannot open it on shared devices."),
    ("settings reset after every software update", "Personal preferences are lost monthly."),
    ("duplicate notifications on phone and desktop", "Each notice arrives twice."),
    ("cannot be printed for paper downtime procedures", "Downtime binders lack this information."),
    ("shows times in UTC instead of local time", "Timestamps are off by several hours."),
    ("requires a separate password", "Another login on top of the EHR single sign-on."),
    (
        "not validated for the cardiac step-down unit",
        "Thresholds come from a general medicine unit.",
    ),
    ("metrics dashboard not shared with frontline staff", "Only managers see performance numbers."),
    ("unclear who owns fixing its errors", "Tickets bounce between IT and the vendor."),
    ("scroll position lost after refreshing", "Users lose their place every minute."),
    (
        "does not support the unit's workflow for float nurses",
        "Float nurses lack the unit-specific view.",
    ),
    ("no offline mode during network outages", "Wifi dead zones in the unit make it unusable."),
]
# Written after feedback/similarity.py was frozen and never used to tune it: an honest check.
HELD_OUT: dict[str, list[str]] = {
    "Sepsis alert fires for patients already on antibiotics": [
        "septic alert nags us after antibiotics given"
    ],
    "Discharge summary draft misses pending lab results": [
        "discharge note draft forgets labs not back yet"
    ],
    "Medication reconciliation tool duplicates home medications": [
        "home med list doubled in reconciliation"
    ],
    "Bed management board shows rooms as dirty after cleaning": [
        "cleaned rooms stay marked dirty on bed board"
    ],
    "Handoff report generator misses overnight events": ["shift report tool skips night events"],
    "Ambient scribe note puts exam findings in the wrong section": [
        "scribe AI files exam under wrong heading"
    ],
    "Insulin dosing suggestion ignores NPO status": [
        "insulin dose advice for fasting patients is too high"
    ],
    "Fall risk alert fires for bedbound patients": ["falls alert fires on immobile patients"],
    "ED triage acuity suggestion under-triages elderly patients": [
        "triage acuity too low for old frail pts in ED"
    ],
    "Telemetry alarm fatigue from leads-off alerts": ["too many lead-off alarms on telemetry"],
    "Login timeout logs nurses out during documentation": [
        "session timeout while charting, lose work"
    ],
    "Barcode medication scanning fails on small vials": ["scanner won't read tiny vial barcodes"],
    "Chart summarization misses allergies": ["allergies left out of AI summary"],
    "Stroke detection alert goes to the wrong pager": [
        "stroke alert pages general neuro not stroke team"
    ],
    "Glucose meter results not flowing into the chart": [
        "glucometer readings not crossing into EHR"
    ],
    "Code status not visible on the patient banner": ["can't see code status in banner"],
    "Pharmacy verification queue sorted by time instead of urgency": [
        "stat meds stuck behind routine in pharmacy queue"
    ],
    "Voice dictation does not recognise drug names": ["dictation software misspells drugs"],
    "Drug interaction alerts for topical medications": ["interaction alert on skin creams"],
    "Readmission risk score shown too late to act": [
        "readmission risk appears too late for planning"
    ],
}
UNITS = [
    "4 West Med-Surg",
    "5 East Cardiac",
    "MICU",
    "ED",
    "Labor and Delivery",
    "7 North Oncology",
]


def pool() -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    for title, description, queries in TARGETS:
        held_out = HELD_OUT.get(title, [])
        items.append(
            {"title": title, "description": description, "queries": queries, "held_out": held_out}
        )
    rnd = random.Random(20251125)
    combos = [(s, p) for s in SUBJECTS for p in PROBLEMS]
    for subject, (problem, detail) in rnd.sample(combos, 340):
        items.append({
            "title": f"{subject} {problem}",
            "description": f"Seen on {rnd.choice(UNITS)}. {detail}",
            "queries": [],
            "held_out": [],
        })  # fmt: skip
    rnd.shuffle(items)
    return [{"id": i + 1, **item} for i, item in enumerate(items)]


def main() -> None:
    with OUT.open("w", encoding="utf-8") as out:
        for item in pool():
            out.write(json.dumps(item, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
