"""A generated mix of floor evidence around known problems, for the themes tests and bench.

Each problem has pools of interchangeable phrases (who, what goes wrong, where, how often);
a seeded generator combines them, so the same problem arrives in many wordings, as it does from
different people on different units. Some one-off complaints are mixed in as noise.
"""

from __future__ import annotations

import random

PROBLEMS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "scanner": (
        ["the barcode scanner", "the scanner gun", "BCMA scanning", "the handheld scanner"],
        [
            "won't read patient wristbands",
            "fails on armbands",
            "can't pick up the ID band",
            "needs three or four tries on the wristband barcode",
        ],
        ["during med pass", "at the bedside", "on night shift", "for every patient"],
    ),
    "sepsis": (
        ["the sepsis alert", "the sepsis BPA", "the sepsis screening popup"],
        [
            "fires for patients already on antibiotics",
            "keeps firing after abx were started",
            "pops up again even though treatment is running",
        ],
        ["so nurses dismiss it", "and interrupts charting", "several times a shift"],
    ),
    "discharge": (
        ["the discharge summary", "the AVS", "the discharge paperwork draft"],
        [
            "leaves out pending lab results",
            "misses labs still outstanding",
            "doesn't list results that are not back yet",
        ],
        ["so follow-up gets lost", "and the PCP is not told", "at discharge"],
    ),
    "transport": (
        ["transport requests", "the patient transport board", "escort status"],
        [
            "show no status to the nurse",
            "don't say when someone is coming",
            "give no ETA for the porter",
        ],
        ["so we keep calling dispatch", "and patients wait in the hallway", "for CT trips"],
    ),
    "pump": (
        ["the infusion pump integration", "the IV pump interface", "smart pump auto-documentation"],
        ["drops rate changes", "misses titrations", "does not send new rates to the MAR"],
        ["so I chart them by hand", "on drips", "during heparin titration"],
    ),
    "login": (
        ["logging in to the workstation", "badge tap login", "single sign-on at the WOW"],
        ["takes over a minute", "is so slow", "times out and asks for the password again"],
        ["between every patient", "at shift start", "in isolation rooms"],
    ),
}

NOISE = [
    "The breakroom microwave is broken again",
    "Parking garage elevator out of service since Monday",
    "Printer on the unit is out of toner",
    "Need more chairs in the family waiting area",
    "Hand sanitizer dispensers empty in the east hallway",
]


def generate(per_problem: int = 8, seed: int = 3) -> list[tuple[str, str | None]]:
    """(text, problem) pairs, `per_problem` distinct wordings per problem plus the noise
    (problem None), shuffled."""
    rnd = random.Random(seed)
    out: list[tuple[str, str | None]] = []
    for name, (who, what, where) in PROBLEMS.items():
        texts: set[str] = set()
        while len(texts) < per_problem:
            text = f"{rnd.choice(who)} {rnd.choice(what)} {rnd.choice(where)}"
            texts.add(text[0].upper() + text[1:])
        out.extend((t, name) for t in sorted(texts))
    out.extend((t, None) for t in NOISE)
    rnd.shuffle(out)
    return out
