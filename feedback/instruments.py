"""Validated questionnaires, each scored by its published rule (pure functions, no ORM).

- SUS (Brooke 1996): ten 1-5 items, 0-100.
- UMUX-Lite (Lewis, Utesch & Maher 2013): two 1-7 items, (i1 + i2 - 2) x 100/12, 0-100; its
  regression-adjusted SUS equivalent 0.65 x score + 22.9 is reported alongside.
- SEQ, Single Ease Question (Sauro & Dumas 2009): one 1-7 item per task ("Overall, this task
  was..." very difficult .. very easy); the score is the answer.
- Raw NASA-TLX (Hart 2006, "NASA-TLX: 20 years later"): six 0-100 subscale ratings on the
  21-mark scale (steps of 5); the raw TLX is their unweighted mean. Performance runs from
  perfect (0) to failure (100), so higher is worse workload everywhere.
- PDQI-9 (Stetson et al. 2012): nine 1-5 attributes of a clinical note; the total is their sum,
  9-45.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from feedback import sus

NAMES = ("sus", "umux_lite", "seq", "nasa_tlx", "pdqi9")
PER_TASK = frozenset({"seq"})  # answered per screen (task); the others once per session

UMUX_LITE_ITEMS = (
    "This system's capabilities meet my requirements.",
    "This system is easy to use.",
)
SEQ_ITEM = "Overall, how difficult or easy was this task to complete?"
NASA_TLX_SUBSCALES: dict[str, str] = {
    "mental": "Mental demand: how mentally demanding was the task?",
    "physical": "Physical demand: how physically demanding was the task?",
    "temporal": "Temporal demand: how hurried or rushed was the pace of the task?",
    "performance": "Performance: how successful were you (0 perfect .. 100 failure)?",
    "effort": "Effort: how hard did you have to work to accomplish your level of performance?",
    "frustration": "Frustration: how insecure, discouraged, irritated, stressed and annoyed?",
}
PDQI9_ATTRIBUTES: dict[str, str] = {
    "up_to_date": "Up-to-date: contains the most recent test results and recommendations",
    "accurate": "Accurate: true; free of incorrect information",
    "thorough": "Thorough: complete and documents all of the issues of importance",
    "useful": "Useful: relevant, providing valuable information and/or analysis",
    "organized": "Organized: well-formed and structured so the reader understands the care",
    "comprehensible": "Comprehensible: clear, without ambiguity or hard-to-follow sections",
    "succinct": "Succinct: brief, to the point, without redundancy",
    "synthesized": "Synthesized: reflects the author's understanding of the patient's status",
    "internally_consistent": "Internally consistent: no part contradicts any other part",
}
# (lowest, highest) possible score of each instrument: clips confidence intervals.
RANGES: dict[str, tuple[float, float]] = {
    "sus": (0.0, 100.0),
    "umux_lite": (0.0, 100.0),
    "seq": (1.0, 7.0),
    "nasa_tlx": (0.0, 100.0),
    "pdqi9": (9.0, 45.0),
}


@dataclass(frozen=True)
class Scored:
    score: float
    subscales: dict[str, float] = field(default_factory=dict)


def _whole(value: Any, low: int, high: int, where: str, step: int = 1) -> int:
    # bool is an int subclass; a checkbox's True must not pass as an answer of 1.
    ok = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
    if not ok or (value - low) % step:
        steps = f" in steps of {step}" if step > 1 else ""
        raise ValueError(
            f"{where} must be a whole number from {low} to {high}{steps}; got {value!r}."
        )
    return int(value)


def _items(answers: Any, count: int, name: str) -> list[Any]:
    if not isinstance(answers, list) or len(answers) != count:
        raise ValueError(f"{name} needs a list of exactly {count} answers, one per item in order.")
    return answers


def score_sus(answers: Any) -> Scored:
    return Scored(sus.score(_items(answers, len(sus.ITEMS), "SUS")))


def score_umux_lite(answers: Any) -> Scored:
    a, b = (
        _whole(v, 1, 7, f"UMUX-Lite item {i}")
        for i, v in enumerate(_items(answers, 2, "UMUX-Lite"), 1)
    )
    value = (a + b - 2) * 100 / 12
    return Scored(value, {"sus_predicted": 0.65 * value + 22.9})


def score_seq(answers: Any) -> Scored:
    return Scored(float(_whole(_items(answers, 1, "SEQ")[0], 1, 7, "The SEQ answer")))


def score_nasa_tlx(answers: Any) -> Scored:
    if not isinstance(answers, Mapping) or set(answers) != set(NASA_TLX_SUBSCALES):
        raise ValueError(
            f"Raw NASA-TLX needs all six subscales: {list(NASA_TLX_SUBSCALES)}, 0-100."
        )
    subs = {
        k: float(_whole(answers[k], 0, 100, f"NASA-TLX {k}", step=5)) for k in NASA_TLX_SUBSCALES
    }
    return Scored(sum(subs.values()) / len(subs), subs)


def score_pdqi9(answers: Any) -> Scored:
    if not isinstance(answers, Mapping) or set(answers) != set(PDQI9_ATTRIBUTES):
        raise ValueError(f"PDQI-9 needs all nine attributes: {list(PDQI9_ATTRIBUTES)}, each 1-5.")
    subs = {k: float(_whole(answers[k], 1, 5, f"PDQI-9 {k}")) for k in PDQI9_ATTRIBUTES}
    return Scored(sum(subs.values()), subs)


SCORERS: dict[str, Callable[[Any], Scored]] = {
    "sus": score_sus,
    "umux_lite": score_umux_lite,
    "seq": score_seq,
    "nasa_tlx": score_nasa_tlx,
    "pdqi9": score_pdqi9,
}


def score(name: str, answers: Any) -> Scored:
    """Score one respondent's answers; ValueError (saying how to fix it) when they are invalid."""
    if name not in SCORERS:
        raise ValueError(f"Unknown instrument {name!r}; use one of {list(NAMES)}.")
    return SCORERS[name](answers)


def definitions() -> dict[str, dict[str, Any]]:
    """What a client needs to ask each questionnaire: wording, scale and end labels."""
    agree = ["Strongly disagree", "Strongly agree"]
    return {
        "sus": {"title": "System Usability Scale", "items": list(sus.ITEMS), "scale": [1, 5, 1],
                "labels": agree},
        "umux_lite": {"title": "UMUX-Lite", "items": list(UMUX_LITE_ITEMS), "scale": [1, 7, 1],
                      "labels": agree},
        "seq": {"title": "Single Ease Question", "items": [SEQ_ITEM], "scale": [1, 7, 1],
                "labels": ["Very difficult", "Very easy"], "per_task": True},
        "nasa_tlx": {"title": "NASA Task Load Index (raw)", "fields": dict(NASA_TLX_SUBSCALES),
                     "scale": [0, 100, 5], "labels": ["Very low", "Very high"],
                     "field_labels": {"performance": ["Perfect", "Failure"]}},
        "pdqi9": {"title": "PDQI-9: quality of the AI-drafted note",
                  "fields": dict(PDQI9_ATTRIBUTES), "scale": [1, 5, 1],
                  "labels": ["Not at all", "Extremely"]},
    }  # fmt: skip
