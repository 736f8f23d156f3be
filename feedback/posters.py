"""The one-page "You said, we did" poster, drawn with ReportLab (pure: a dict in, PDF bytes out)."""

from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache
from pathlib import Path
from typing import Any

import reportlab
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

MARGIN = 54  # points: 3/4 inch, inside every office printer's unprintable edge
INK, MUTED, SHIPPED, DECLINED = (HexColor(c) for c in ("#111111", "#444444", "#0b6e4f", "#8a4b08"))
STATUS = {"shipped": ("DONE", SHIPPED), "declined": ("NOT DOING", DECLINED)}


@lru_cache(maxsize=1)
def fonts() -> tuple[str, str]:
    """Bitstream Vera (shipped inside ReportLab) for text beyond Latin-1, e.g. em dashes."""
    folder = Path(str(reportlab.__file__)).parent / "fonts"
    pdfmetrics.registerFont(TTFont("Vera", str(folder / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("VeraBd", str(folder / "VeraBd.ttf")))
    return "Vera", "VeraBd"


def _counts(c: dict[str, int]) -> str:
    parts = [(c.get("observations", 0), "observation"), (c.get("ratings", 0), "rating"),
             (c.get("comments", 0), "comment")]  # fmt: skip
    said = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in parts if n]
    return "From this unit: " + (", ".join(said) or "linked feedback")


def render(page: dict[str, Any], *, link: str = "") -> bytes:
    """One Letter page: the unit, the week, then each item (status, title, what was done and
    why, this unit's evidence) as long as it fits; the rest is counted with `link` to see it."""
    regular, bold = fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=letter, pageCompression=1)
    unit = page["unit"]
    canvas.setTitle(f"You said, we did: {unit['name']}")
    canvas.setAuthor("Rounds")
    width, height = letter
    text_width = width - 2 * MARGIN
    y = height - MARGIN
    canvas.setFillColor(INK)
    canvas.setFont(bold, 30)
    canvas.drawString(MARGIN, y - 24, "You said, we did")
    y -= 52
    canvas.setFont(regular, 15)
    where = f"{unit['name']}" + (f" · {unit['site']}" if unit.get("site") else "")
    canvas.drawString(MARGIN, y, where)
    y -= 20
    canvas.setFillColor(MUTED)
    canvas.setFont(regular, 11)
    week = dt.date.fromisoformat(page["generated_at"][:10])
    canvas.drawString(MARGIN, y, f"Week of {week:%d %B %Y}. Thank you for every report and rating.")
    y -= 28
    items = page["items"]
    shown = 0
    for item in items:
        block = _item_lines(item, text_width, regular, bold)
        needed = sum(size + 4 for _, _, size, _ in block) + 14
        if y - needed < MARGIN + 24:  # room left for the "and N more" line
            break
        y = _draw_item(canvas, block, y)
        shown += 1
    canvas.setFont(regular, 11)
    canvas.setFillColor(MUTED)
    if not items:
        canvas.drawString(MARGIN, y, "Nothing shipped or declined from this unit's feedback yet.")
    elif shown < len(items):
        rest = len(items) - shown
        canvas.drawString(MARGIN, MARGIN + 18, f"…and {rest} more" + (f": {link}" if link else "."))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _item_lines(item: dict[str, Any], width: float, regular: str, bold: str) -> list[Any]:
    label, color = STATUS.get(item["status"], (item["status"].upper(), INK))
    lines: list[Any] = [(f"{label}  ", bold, 10, color)]
    lines += [(t, bold, 14, INK) for t in simpleSplit(item["title"], bold, 14, width)]
    note = item.get("resolution_note") or ""
    lines += [(t, regular, 12, INK) for t in simpleSplit(note, regular, 12, width)]
    lines.append((_counts(item.get("evidence_counts", {})), regular, 10, MUTED))
    return lines


def _draw_item(canvas: Canvas, lines: list[Any], y: float) -> float:
    for text, font, size, color in lines:
        canvas.setFont(font, size)
        canvas.setFillColor(color)
        y -= size + 4
        canvas.drawString(MARGIN, y, text)
    canvas.setStrokeColor(HexColor("#cccccc"))
    canvas.line(MARGIN, y - 7, letter[0] - MARGIN, y - 7)
    return y - 14
