"""Seeded synthetic ~300-character observation notes for the PHI guard benchmark (no real PHI)."""

from __future__ import annotations

import random

# Fragments an observer might type; identifiers are invented. About a third carry PHI.
CLEAN = [
    "BPA fired 3 times during med rec at 0700 on 4 West.",
    "Pyxis override needed for the 0900 heparin; pharmacy callback took 20 min.",
    "Morse 45 and Braden 12 charted twice because the flowsheet did not save.",
    "Vocera dropped the call to the charge nurse during shift handoff.",
    "Label printer jammed again, 2 RNs waited for the tech.",
    "Epic timed out while scanning the wristband; had to log in 3 times.",
    "Omnicell drawer stuck, Foley kit not available on MICU.",
    "Family asked why the portal shows the wrong discharge time.",
    "Glasgow score field is hidden below the fold on the tablet view.",
    "Apgar 8/9 entered late because the baby warmer screen froze.",
    "Night shift skipped the q4h reassessment prompt, it fired at 0330.",
    "The whiteboard in the hallway still lists yesterday's staffing.",
]
PHI = [
    "Mrs. Okonkwo in 412B waited 40 min for transport.",
    "MRN 00482913 was keyed into the wrong encounter.",
    "Daughter asked us to call (555) 201-3344 after rounds.",
    "Pt Maria Lopez refused the 2200 dose and asked for Dr. Chen.",
    "DOB 03/14/1952 did not match the banner.",
    "Email sent to jo.okafor@example.org by mistake.",
    "Lives at 1420 Maple Ave, Springfield, IL 62704.",
    "Follow up with Tomasz Wiśniewski next week about the pump.",
]


def notes(count: int, seed: int = 7, length: int = 300) -> list[str]:
    """`count` notes of about `length` characters, each joined from random fragments."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < length:
            parts.append(rng.choice(PHI if rng.random() < 0.3 else CLEAN))
        out.append(" ".join(parts)[:length])
    return out
