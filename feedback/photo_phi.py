"""Find what identifies a patient in a photo: faces, and text that OCR reads and the guard flags."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from PIL import Image

from feedback import faces, ocr, phi

Rect = tuple[float, float, float, float]

# A text box grows by this fraction of its line's height on every side: OCR boxes hug the ink,
# and anti-aliased edges, accents and descenders must go too.
TEXT_PAD = 0.25
_ROUND = 10_000  # boxes are reported to 1/10000 of the photo, rounded outwards
# OCR swaps look-alike characters. In a token that is mostly digits, letters that look like
# digits are read as digits ("4O81726" -> "4081726"); in a token that is mostly letters, digits
# that look like letters are read as letters ("J0hn" -> "John"). Same length, so offsets hold.
_AS_DIGIT = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1",
                           "i": "1", "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2"})  # fmt: skip
_AS_LETTER = str.maketrans({"0": "o", "1": "l", "5": "s", "8": "B", "|": "l"})
_TOKEN = re.compile(r"\S+")
_pool = ThreadPoolExecutor(max_workers=ocr.MAX_RUNNING, thread_name_prefix="ocr")


@dataclass(frozen=True)
class AutoRedaction:
    """A region filled automatically: a face, or text holding PHI of `type`."""

    kind: str  # "face" | "text"
    box: Rect  # x, y, w, h in fractions of the displayed photo
    type: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.type is not None:
            out["type"] = self.type
        out["box"] = list(self.box)
        return out


def find(gray: Image.Image) -> list[AutoRedaction]:
    """Faces and PHI text in `gray`: an 8-bit copy of the photo the right way up, at the size
    OCR should read. Tesseract runs in its own process while the face detector runs here."""
    reading = _pool.submit(ocr.read, gray)
    try:
        found = [AutoRedaction("face", _outwards(box)) for box in faces.find(gray)]
    finally:
        words = reading.result()  # always collected, so no Tesseract outlives the request
    return found + text_redactions(words, gray.size)


def text_redactions(words: Sequence[ocr.Word], size: tuple[int, int]) -> list[AutoRedaction]:
    """Boxes over the words the PHI guard flags, scanned line by line and block by block."""
    flagged: dict[int, str] = {}
    for group in _groups(words):
        for index, kind in _flag(group, words):
            flagged.setdefault(index, kind)
    return _line_boxes(words, flagged, size)


def _groups(words: Sequence[ocr.Word]) -> list[list[list[int]]]:
    """Each line alone, and each block of lines stacked under one another (a name or a cue and
    its number broken over two lines is still read as one text)."""
    lines: dict[tuple[int, int, int], list[int]] = {}
    for index, word in enumerate(words):
        lines.setdefault(word.line, []).append(index)
    ordered = sorted(lines.values(), key=lambda ix: (words[ix[0]].top, words[ix[0]].left))
    groups: list[list[list[int]]] = [[line] for line in ordered]
    blocks: list[list[list[int]]] = []
    for line in ordered:
        block = next((b for b in blocks if _continues(words, b[-1], line)), None)
        if block is None:
            blocks.append([line])
        else:
            block.append(line)
    groups += [block for block in blocks if len(block) > 1]
    return groups


def _continues(words: Sequence[ocr.Word], above: list[int], line: list[int]) -> bool:
    """`line` sits right under `above`: a gap under 1.2 line heights and overlapping columns."""
    a_left, a_top, a_right, a_bottom = _extent(words[i] for i in above)
    left, top, right, bottom = _extent(words[i] for i in line)
    height = max(a_bottom - a_top, bottom - top)
    return 0 <= top - a_bottom <= 1.2 * height and left < a_right and a_left < right


def _flag(group: list[list[int]], words: Sequence[ocr.Word]) -> list[tuple[int, str]]:
    """(word index, PHI type) for each word of the group inside a span the guard flags."""
    text, starts = "", []
    for number, line in enumerate(group):
        if number:
            text += "\n"
        for position, index in enumerate(line):
            if position:
                text += " "
            starts.append((len(text), len(text) + len(words[index].text), index))
            text += words[index].text
    hits = []
    for variant in {
        text,
        _normalised(text, _AS_DIGIT, digits=True),
        _normalised(text, _AS_LETTER, digits=False),
    }:
        for span in phi.scan(variant):
            hits += [(index, span.type) for start, end, index in starts
                     if start < span.end and span.start < end]  # fmt: skip
    return hits


def _normalised(text: str, table: dict[int, str], *, digits: bool) -> str:
    def fix(match: re.Match[str]) -> str:
        token = match.group()
        counted = sum(c.isdigit() for c in token) if digits else sum(c.isalpha() for c in token)
        return token.translate(table) if counted * 2 >= len(token) else token

    return _TOKEN.sub(fix, text)


def _line_boxes(
    words: Sequence[ocr.Word], flagged: dict[int, str], size: tuple[int, int]
) -> list[AutoRedaction]:
    """One box per line and type, from the first flagged word to the last (words between go too)."""
    runs: dict[tuple[tuple[int, int, int], str], list[ocr.Word]] = {}
    for index, kind in sorted(flagged.items()):
        runs.setdefault((words[index].line, kind), []).append(words[index])
    out = []
    for (_line, kind), run in runs.items():
        left, top, right, bottom = _extent(run)
        pad = TEXT_PAD * max(w.height for w in run)
        box = _fraction((left - pad, top - pad, right + pad, bottom + pad), size)
        out.append(AutoRedaction("text", _outwards(box), kind))
    return sorted(out, key=lambda a: (a.box[1], a.box[0]))


def _extent(run: Iterable[ocr.Word]) -> tuple[int, int, int, int]:
    items = list(run)
    return (
        min(w.left for w in items),
        min(w.top for w in items),
        max(w.left + w.width for w in items),
        max(w.top + w.height for w in items),
    )


def _fraction(edges: tuple[float, float, float, float], size: tuple[int, int]) -> Rect:
    width, height = size
    left, top = max(0.0, edges[0]) / width, max(0.0, edges[1]) / height
    right, bottom = min(float(width), edges[2]) / width, min(float(height), edges[3]) / height
    return (left, top, right - left, bottom - top)


def _outwards(box: Rect) -> Rect:
    """Round to 1/10000, never shrinking the box, and keep it inside the photo."""
    x, y, w, h = box
    left, top = math.floor(x * _ROUND) / _ROUND, math.floor(y * _ROUND) / _ROUND
    right = min(1.0, math.ceil((x + w) * _ROUND) / _ROUND)
    bottom = min(1.0, math.ceil((y + h) * _ROUND) / _ROUND)
    return (left, top, round(right - left, 4), round(bottom - top, 4))
