"""The AI-output flag vocabulary: verdicts, the error taxonomy and the AHRQ harm scale (pure)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

VERDICTS = ("helpful", "not_helpful")

# What went wrong with the output (docs/output-feedback.md has the definitions shown to users).
CATEGORIES: dict[str, str] = {
    "hallucination": "Hallucinated fact: states something not in the record or not true",
    "omission": "Omission: leaves out something that matters",
    "wrong_context": "Wrong patient or context",
    "unsafe_suggestion": "Unsafe suggestion",
    "outdated": "Outdated guidance",
    "workflow_interruption": "Interrupts the workflow",
    "alert_fatigue": "Alert fatigue: fires too often or for the wrong thing",
    "other": "Other",
}

# AHRQ Common Formats Harm Scale (v1.2), lowest first; the index is the rank filters use.
HARMS: tuple[str, ...] = ("none", "mild", "moderate", "severe", "death")
HARM_LABELS: dict[str, str] = {
    "none": "No harm",
    "mild": "Mild harm",
    "moderate": "Moderate harm",
    "severe": "Severe harm",
    "death": "Death",
}

MAX_OUTPUT_REF = 200
MAX_MODEL_VERSION = 40
MAX_COMMENT = 2000
# An opaque id, not the output itself: no spaces, so a sentence of generated text cannot pass.
OUTPUT_REF = re.compile(r"^[A-Za-z0-9._:/#@+=~-]{1," + str(MAX_OUTPUT_REF) + r"}$")
MODEL_VERSION = re.compile(r"^[A-Za-z0-9._:+-]{1," + str(MAX_MODEL_VERSION) + r"}$")


DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_origin(value: Any) -> str | None:
    """`scheme://host[:port]` as browsers send it in `Origin` (lower case, default port left
    out), or None when `value` is not a bare http(s) origin."""
    if not isinstance(value, str) or len(value) > 200:
        return None
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    bare = not (parts.path.strip("/") or parts.query or parts.fragment or parts.username)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or not bare:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    shown = f":{port}" if port and port != DEFAULT_PORTS[parts.scheme] else ""
    return f"{parts.scheme}://{host}{shown}"


def harm_rank(harm: str | None) -> int:
    """0 for no harm level given or "none", up to 4 for "death"."""
    return HARMS.index(harm) if harm else 0


def problems(
    *,
    output_ref: str,
    model_version: str,
    verdict: str,
    categories: Sequence[str],
    harm: str | None,
    harm_reached: bool | None,
) -> dict[str, list[str]]:
    """Field errors of a flag (empty when it is valid), each saying how to fix it."""
    errors: dict[str, list[str]] = {}
    if not OUTPUT_REF.match(output_ref or ""):
        errors["output_ref"] = [
            f"Send the tool's opaque id for the output (1-{MAX_OUTPUT_REF} characters: letters,"
            " digits and ._:/#@+=~-), never the output's text."
        ]
    if not MODEL_VERSION.match(model_version or ""):
        errors["model_version"] = [
            f"Send the model version (1-{MAX_MODEL_VERSION} characters: letters, digits, ._:+-)."
        ]
    if verdict not in VERDICTS:
        errors["verdict"] = [f"Use one of {list(VERDICTS)}."]
    unknown = [c for c in categories if c not in CATEGORIES]
    if unknown or len(set(categories)) != len(categories):
        errors["categories"] = [
            f"Use distinct categories from {list(CATEGORIES)}; unknown: {unknown}."
        ]
    if harm is not None and harm not in HARMS:
        errors["harm"] = [f"Use the AHRQ harm scale: one of {list(HARMS)}."]
    if harm_reached and harm is None:
        errors["harm_reached"] = ["Say how much harm (harm) when it reached the patient."]
    return errors
