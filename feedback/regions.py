"""Named regions of a screen for pointer-free pins (pure: checking them, finding their centre)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

MAX_REGIONS = 50
MAX_LABEL = 80
REGION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


def problems(regions: Any) -> list[str]:
    """What is wrong with a list of {id, label, box: [x, y, w, h]} (fractions), or []."""
    if not isinstance(regions, list) or len(regions) > MAX_REGIONS:
        return [f"Send a list of at most {MAX_REGIONS} regions {{id, label, box}}."]
    found, seen = [], set()
    for n, region in enumerate(regions, start=1):
        where = f"region {n}"
        if not isinstance(region, dict) or set(region) - {"id", "label", "box"}:
            found.append(f"{where}: send an object with id, label and box only.")
            continue
        rid, label, box = region.get("id"), region.get("label"), region.get("box")
        if not isinstance(rid, str) or not REGION_ID.match(rid) or rid in seen:
            found.append(f"{where}: id must be unique, 1-40 letters, digits, _ or -.")
        seen.add(rid)
        if not isinstance(label, str) or not 0 < len(label.strip()) <= MAX_LABEL:
            found.append(
                f"{where}: label must be 1-{MAX_LABEL} characters (read aloud by screen readers)."
            )
        if not _valid_box(box):
            found.append(f"{where}: box must be [x, y, w, h], fractions of the screen, inside it.")
    return found


def _valid_box(box: Any) -> bool:
    if not isinstance(box, list) or len(box) != 4:
        return False
    if not all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in box
    ):
        return False
    x, y, w, h = box
    return bool(
        x >= 0 and y >= 0 and w > 0 and h > 0 and x + w <= 1.0 + 1e-9 and y + h <= 1.0 + 1e-9
    )


def clean(regions: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"id": r["id"], "label": r["label"].strip(), "box": [float(v) for v in r["box"]]}
        for r in regions
    ]


def centre(regions: Sequence[dict[str, Any]], region_id: str) -> tuple[float, float] | None:
    """Where a pick of the region counts on the heat map: its centre (None: no such region)."""
    for region in regions:
        if region.get("id") == region_id:
            x, y, w, h = region["box"]
            return (x + w / 2, y + h / 2)
    return None
