"""Means with 95% confidence intervals (Student's t), for instrument results split by group."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist, fmean, stdev

# Two-sided 95% critical values of Student's t for 1..30 degrees of freedom (standard tables).
T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


def t975(df: int) -> float:
    """t(0.975, df): the table up to 30, then a Cornish-Fisher expansion of the normal quantile
    (off by less than 0.0005 from 31 degrees of freedom on)."""
    if df < 1:
        raise ValueError("a t interval needs at least 1 degree of freedom (2 answers)")
    if df <= len(T975):
        return T975[df - 1]
    z = NormalDist().inv_cdf(0.975)
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )


@dataclass(frozen=True)
class Estimate:
    score: float  # the mean
    n: int
    ci95: tuple[float, float] | None  # None with fewer than 2 answers

    def public(self, digits: int = 2) -> dict[str, object]:
        ci = [round(self.ci95[0], digits), round(self.ci95[1], digits)] if self.ci95 else None
        return {"score": round(self.score, digits), "n": self.n, "ci95": ci}


def estimate(values: Sequence[float], *, lower: float, upper: float) -> Estimate | None:
    """Mean and 95% t interval of `values`, the interval clipped to the scale [lower, upper]."""
    if not values:
        return None
    mean = fmean(values)
    if len(values) < 2:
        return Estimate(score=mean, n=1, ci95=None)
    half = t975(len(values) - 1) * stdev(values) / math.sqrt(len(values))
    return Estimate(
        score=mean, n=len(values), ci95=(max(lower, mean - half), min(upper, mean + half))
    )
