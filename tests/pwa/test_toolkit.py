"""The PWA's one toolkit (pwa/static/pwa/js/dom.js): views import `h`, `esc` and `uuid` from it
instead of keeping copies, and no markup is built from interpolated values."""

from __future__ import annotations

import re
from pathlib import Path

JS = Path(__file__).resolve().parents[2] / "pwa" / "static" / "pwa" / "js"
COPIES = re.compile(r"^\s*(?:export\s+)?function\s+(h|esc|escapeHtml|uuid)\s*\(", re.M)
# `x.innerHTML = `…${value}…`` / `insertAdjacentHTML(…)` with an interpolation not passed to esc().
INTERPOLATED = re.compile(
    r"(?:innerHTML\s*=|insertAdjacentHTML\()\s*[^;]*?`[^`]*\$\{(?!esc\()[^`]*`", re.S
)


def _modules() -> list[Path]:
    files = sorted(JS.rglob("*.js"))
    assert len(files) > 10, f"no PWA modules found under {JS}"
    return files


def test_helpers_live_only_in_dom_js() -> None:
    found = {
        f"{p.relative_to(JS)}: {m}"
        for p in _modules()
        if p.name != "dom.js"
        for m in COPIES.findall(p.read_text())
    }
    assert found == set()


def test_no_markup_is_built_from_interpolated_values() -> None:
    found = [
        f"{p.relative_to(JS)}: {m.group(0)[:80]!r}"
        for p in _modules()
        for m in INTERPOLATED.finditer(p.read_text())
    ]
    assert found == []
