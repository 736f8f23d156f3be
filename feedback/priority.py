"""Backlog priority: a pure, documented formula turning linked evidence into a named breakdown."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields

FREQUENCY_PER_WEEK: dict[str, float] = {
    "once": 1.0,
    "daily": 7.0,
    # Nursing units mostly run two 12-hour shifts a day.
    "every_shift": 14.0,
    "hourly": 168.0,
}
RATING_MIDPOINT = 3.0  # the middle of the 1..5 rating scale; only scores below it add priority
RATING_MIN = 1.0
SAFETY_SEVERITY = 4  # severity 4 means "patient-safety risk" even if the flag was left unticked
# Eighths are exact in binary floats *and* in three decimals, so the components add up to the
# total bit for bit in any order, in Python, JavaScript or SQL.
GRID = 8

COMPONENTS = (
    "safety",
    "severity",
    "reach_people",
    "reach_units",
    "reach_roles",
    "time_lost",
    "ratings",
    "comments",
    "ai_harm",
)
# AI-output flags: points per person for their worst flag, on the AHRQ harm scale. Harm that
# reached the patient counts double the same level only possible ("could have").
HARM_POINTS: dict[str, float] = {
    "none": 0.0,
    "mild": 1.0,
    "moderate": 2.0,
    "severe": 4.0,
    "death": 8.0,
}
REACHED_FACTOR = 2.0
# A flag is patient-safety evidence (like a severity-4 observation) when the harm it describes
# is severe or worse, or moderate or worse and it reached the patient.
SAFETY_HARMS = frozenset({"severe", "death"})
SAFETY_HARMS_REACHED = frozenset({"moderate", "severe", "death"})


@dataclass(frozen=True)
class ObservationEvidence:
    person_id: int
    unit_id: int | None
    # role_observed: nurse|physician|pharmacist|respiratory_therapist|technician|clerk|other
    role: str
    severity: int  # 1..4 (4 = patient-safety risk)
    frequency: str  # once|daily|every_shift|hourly
    minutes_lost: int | None  # 0..600
    patient_safety: bool


@dataclass(frozen=True)
class RatingEvidence:
    person_id: int
    mean_score: float  # mean over the rated dimensions, 1..5, low = bad


@dataclass(frozen=True)
class CommentEvidence:
    person_id: int


@dataclass(frozen=True)
class FlagEvidence:
    """A flag raised on an AI output; anonymous flags of one tool key share one person_id."""

    person_id: int
    harm: str | None  # none|mild|moderate|severe|death (AHRQ), None when not given
    harm_reached: bool


@dataclass(frozen=True)
class Evidence:
    observations: tuple[ObservationEvidence, ...] = ()
    ratings: tuple[RatingEvidence, ...] = ()
    comments: tuple[CommentEvidence, ...] = ()
    flags: tuple[FlagEvidence, ...] = ()


@dataclass(frozen=True)
class Weights:
    """Points per doubling of each evidence signal, plus the effort and confidence knobs."""

    safety: float = 6000.0
    severity: float = 20.0
    reach_people: float = 20.0
    reach_units: float = 10.0
    reach_roles: float = 10.0
    time_lost: float = 10.0
    ratings: float = 20.0
    comments: float = 5.0
    ai_harm: float = 10.0
    time_cap_hours: float = 40.0
    effort_exponent: float = 1.0
    confidence_weight: float = 0.5

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            # Negative weights would let new evidence lower a priority, which the SPEC forbids.
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise ValueError(
                    f"priority weight {f.name!r} must be a finite number >= 0, got {value!r}"
                )
        if self.confidence_weight > 2:
            raise ValueError(
                "priority weight 'confidence_weight' must be <= 2 so the factor stays >= 0"
            )

    @classmethod
    def from_mapping(cls, m: Mapping[str, float]) -> Weights:
        """Defaults overridden by `m` (settings.ROUNDS_PRIORITY_WEIGHTS); unknown names fail."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(m) - known)
        if unknown:
            raise ValueError(
                f"unknown priority weight(s) {unknown}; use only these names: {sorted(known)}"
            )
        return cls(**{name: float(value) for name, value in m.items()})


@dataclass(frozen=True)
class Breakdown:
    components: dict[str, float]
    total: float


def score(
    evidence: Evidence, *, effort: int = 3, confidence: float = 0.5, weights: Weights = Weights()
) -> Breakdown:
    """Priority of a backlog item: named, already scaled components summing exactly to the total."""
    _check_item(effort, confidence)
    for obs in evidence.observations:
        _check_observation(obs)
    for flag in evidence.flags:
        _check_flag(flag)
    raw = _raw_components(evidence, weights)
    factor = _scale(effort, confidence, weights)
    components = {name: _to_grid(raw[name] * factor) for name in COMPONENTS}
    return Breakdown(components=components, total=sum(components.values()))


def _raw_components(evidence: Evidence, w: Weights) -> dict[str, float]:
    obs = evidence.observations
    people = {o.person_id for o in obs} | {r.person_id for r in evidence.ratings}
    people |= {c.person_id for c in evidence.comments} | {f.person_id for f in evidence.flags}
    safety_people = {o.person_id for o in obs if _is_safety(o)}
    safety_people |= {f.person_id for f in evidence.flags if flag_is_safety(f)}
    units = {o.unit_id for o in obs if o.unit_id is not None}
    severity = sum(_max_by_person(obs, lambda o: o.severity).values())
    return {
        "safety": w.safety * _damp(len(safety_people)),
        "severity": w.severity * _damp(severity),
        "reach_people": w.reach_people * _damp(len(people)),
        "reach_units": w.reach_units * _damp(len(units)),
        "reach_roles": w.reach_roles * _damp(len({o.role for o in obs})),
        "time_lost": w.time_lost * _damp(_hours_lost_per_week(obs, w.time_cap_hours)),
        "ratings": w.ratings * _damp(_rating_deficit(evidence.ratings)),
        "comments": w.comments * _damp(len({c.person_id for c in evidence.comments})),
        "ai_harm": w.ai_harm * _damp(_harm_points(evidence.flags)),
    }


def _damp(amount: float) -> float:
    """log2(1 + x): 0 for nothing, 1 for one unit, +1 for every doubling after that."""
    return math.log2(1.0 + amount)


def _is_safety(obs: ObservationEvidence) -> bool:
    return obs.patient_safety or obs.severity >= SAFETY_SEVERITY


def flag_is_safety(flag: FlagEvidence) -> bool:
    if flag.harm is None:
        return False
    return flag.harm in (SAFETY_HARMS_REACHED if flag.harm_reached else SAFETY_HARMS)


def _harm_points(flags: Iterable[FlagEvidence]) -> float:
    """Per person their worst flag (reached counts double), summed: each reporter counts once."""
    worst: dict[int, float] = {}
    for flag in flags:
        points = HARM_POINTS[flag.harm] if flag.harm else 0.0
        points *= REACHED_FACTOR if flag.harm_reached else 1.0
        worst[flag.person_id] = max(worst.get(flag.person_id, 0.0), points)
    return math.fsum(worst.values())


def _max_by_person(
    observations: Iterable[ObservationEvidence], value: Callable[[ObservationEvidence], float]
) -> dict[int, float]:
    """Each person counts once, with their worst report, so repeating a report adds nothing."""
    best: dict[int, float] = {}
    for obs in observations:
        best[obs.person_id] = max(best.get(obs.person_id, 0.0), value(obs))
    return best


def _hours_lost_per_week(observations: Iterable[ObservationEvidence], cap_hours: float) -> float:
    def weekly_hours(obs: ObservationEvidence) -> float:
        minutes = (obs.minutes_lost or 0) * FREQUENCY_PER_WEEK[obs.frequency]
        # Nobody loses more than a working week, however often a problem recurs.
        return min(minutes / 60.0, cap_hours)

    # fsum is exact, so the result does not depend on the order evidence arrives in.
    return math.fsum(_max_by_person(observations, weekly_hours).values())


def _rating_deficit(ratings: Iterable[RatingEvidence]) -> float:
    """Per person, how far their worst score sits below the midpoint: 0 (>= 3) .. 1 (all 1s)."""
    worst: dict[int, float] = {}
    for rating in ratings:
        worst[rating.person_id] = min(worst.get(rating.person_id, math.inf), rating.mean_score)
    span = RATING_MIDPOINT - RATING_MIN
    return math.fsum(min(1.0, max(0.0, RATING_MIDPOINT - s) / span) for s in worst.values())


def _scale(effort: int, confidence: float, w: Weights) -> float:
    """Effort divides; confidence nudges by at most +-confidence_weight/2 around 0.5."""
    return (1.0 + w.confidence_weight * (confidence - 0.5)) / math.pow(effort, w.effort_exponent)


def _to_grid(value: float) -> float:
    # round() is monotone, so a larger raw value never rounds to a smaller component.
    return round(value * GRID) / GRID


def _check_item(effort: int, confidence: float) -> None:
    if not 1 <= effort <= 5:
        raise ValueError(f"effort must be 1..5 (1 = trivial, 5 = very large), got {effort!r}")
    if not 0.0 <= confidence <= 1.0:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")


def _check_observation(obs: ObservationEvidence) -> None:
    if obs.frequency not in FREQUENCY_PER_WEEK:
        raise ValueError(f"frequency {obs.frequency!r} is not one of {sorted(FREQUENCY_PER_WEEK)}")
    if not 1 <= obs.severity <= 4:
        raise ValueError(f"severity must be 1..4, got {obs.severity!r}")
    if obs.minutes_lost is not None and obs.minutes_lost < 0:
        raise ValueError(f"minutes_lost must be >= 0 or None, got {obs.minutes_lost!r}")


def _check_flag(flag: FlagEvidence) -> None:
    if flag.harm is not None and flag.harm not in HARM_POINTS:
        raise ValueError(f"harm {flag.harm!r} is not one of {list(HARM_POINTS)} (AHRQ scale)")
