"""Read the words in a photo and their boxes with Debian's Tesseract, in a bounded subprocess."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass

from PIL import Image

from feedback.errors import InvalidImage, Unavailable

# A ward photo's text reads in 0.3-0.8 s at 1600-2560 px here; dense noise can keep Tesseract busy
# for 15 s or more. Past this the photo is refused rather than stored unchecked.
TIMEOUT_SECONDS = 10.0
# At most this many Tesseract processes per server process; more uploads wait (up to the timeout)
# instead of starting a process each and starving the machine.
MAX_RUNNING = max(1, os.cpu_count() or 1)
# --psm 11: sparse text in no particular order (whiteboards, wristbands, labels, screens).
_COMMAND = ("tesseract", "stdin", "stdout", "-l", "eng", "--psm", "11", "tsv")
_slots = threading.BoundedSemaphore(MAX_RUNNING)
INSTALL_HINT = (
    "Install Debian's tesseract-ocr and tesseract-ocr-eng packages "
    "(apt-get install tesseract-ocr tesseract-ocr-eng) on the server."
)


@dataclass(frozen=True)
class Word:
    """One word Tesseract read: its text and box in pixels; `line` groups the words of a line."""

    text: str
    left: int
    top: int
    width: int
    height: int
    line: tuple[int, int, int]  # (block, paragraph, line) numbers from Tesseract


def available() -> bool:
    return shutil.which(_COMMAND[0]) is not None


def read(gray: Image.Image, *, timeout: float | None = None) -> list[Word]:
    """Words in `gray` (8-bit, the right way up); the pixels go through a pipe, never a file."""
    timeout = TIMEOUT_SECONDS if timeout is None else timeout
    if not available():
        raise Unavailable(f"Photos cannot be checked for patient details: {INSTALL_HINT}")
    if not _slots.acquire(timeout=timeout):
        raise Unavailable("The server is busy checking other photos; send this one again shortly.")
    try:
        tsv = _run(_pgm(gray), timeout)
    finally:
        _slots.release()
    return parse_tsv(tsv)


def _pgm(gray: Image.Image) -> bytes:
    # Binary PGM: a few bytes of header and the raw pixels, no compression to spend time on.
    buf = io.BytesIO()
    gray.convert("L").save(buf, "PPM")
    return buf.getvalue()


def _run(image: bytes, timeout: float) -> str:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OMP_THREAD_LIMIT": "1"}
    if "TESSDATA_PREFIX" in os.environ:
        env["TESSDATA_PREFIX"] = os.environ["TESSDATA_PREFIX"]
    with subprocess.Popen(
        _COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    ) as proc:
        try:
            out, err = proc.communicate(image, timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise InvalidImage(
                f"The photo could not be checked for patient details within {timeout:.0f} s "
                "(it is mostly fine detail or noise). Retake it closer, or crop it to what matters."
            ) from None
    if proc.returncode != 0:
        problem = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise Unavailable(f"Tesseract could not read the photo ({problem[0]}). {INSTALL_HINT}")
    return out.decode("utf-8", "replace")


def parse_tsv(tsv: str) -> list[Word]:
    """Word rows (level 5) of Tesseract's TSV output that hold text."""
    words = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) != 12 or cells[0] != "5" or not cells[11].strip():
            continue
        try:
            block, par, line, _n, left, top, width, height = (int(c) for c in cells[2:10])
        except ValueError:
            continue
        words.append(Word(cells[11].strip(), left, top, width, height, (block, par, line)))
    return words
