"""Real test photos for the photo PHI checks: a bundled portrait with a face, and a synthetic
patient label drawn in a real font. Every name and number here is made up."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from tests import imagedata
from tests.conftest import need

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# Synthetic identity: the name is not a real patient's, the MRN is random digits.
NAME = "Maria Kowalski"
MRN = "40817263"
CLEAN = "Bed 4 West fall risk"
# Where the face sits in scikit-image's 512 px astronaut() portrait (forehead to chin, cheek to
# cheek), measured by eye on the image; the detector's own box is not used as the truth.
ASTRONAUT_FACE = (180, 75, 275, 185)

Box = tuple[float, float, float, float]  # left, top, right, bottom as fractions


@dataclass(frozen=True)
class Sample:
    image: Image.Image  # as displayed
    regions: dict[str, Box]  # what must not be legible after upload, in fractions
    kept: dict[str, Box] | None = None  # what must stay legible (cue words), in fractions


def astronaut() -> Image.Image:
    from skimage import data  # test-only dependency: scikit-image ships this photo (public domain)

    return Image.fromarray(data.astronaut())


def face_photo(size: tuple[int, int] = (4000, 3000), scale: float = 2.0) -> Sample:
    """A 12 MP photo-like scene with the astronaut's portrait in it (a real face)."""
    scene = imagedata.photographic(*size, seed=21)
    portrait = astronaut()
    side = round(512 * scale)
    left, top = size[0] * 3 // 10, size[1] // 5
    scene.paste(portrait.resize((side, side), Image.Resampling.LANCZOS), (left, top))
    x0, y0, x1, y1 = (v * scale for v in ASTRONAUT_FACE)
    face = (
        (left + x0) / size[0],
        (top + y0) / size[1],
        (left + x1) / size[0],
        (top + y1) / size[1],
    )
    return Sample(scene, {"face": face})


def label_photo(size: tuple[int, int] = (4000, 3000), font_px: int = 90) -> Sample:
    """A 12 MP photo-like scene with a whiteboard label: a cue and a synthetic name, an MRN, and a
    clean line that must stay legible. `regions` holds the ink of the name and of the number."""
    need(FONT.exists(), f"DejaVu Sans not found at {FONT}: apt-get install fonts-dejavu-core")
    scene = imagedata.photographic(*size, seed=22)
    draw = ImageDraw.Draw(scene)
    font = ImageFont.truetype(str(FONT), font_px)
    left, top = size[0] // 6, size[1] // 6
    draw.rectangle(
        (left - 60, top - 60, left + 26 * font_px, top + 6 * font_px), fill=(246, 246, 240)
    )
    regions: dict[str, Box] = {}
    kept: dict[str, Box] = {}
    lines = [("Patient: ", NAME, "name"), ("MRN: ", MRN, "mrn"), (CLEAN, "", "")]
    for number, (cue, value, key) in enumerate(lines):
        y = top + number * round(font_px * 1.7)
        draw.text((left, y), cue + value, font=font, fill=(25, 25, 30))
        if value:
            x0 = left + draw.textlength(cue, font=font)
            _l, t, r, b = draw.textbbox((x0, y), value, font=font)
            regions[key] = (x0 / size[0], t / size[1], r / size[0], b / size[1])
            x0, t, r, b = draw.textbbox((left, y), cue.strip(), font=font)
            kept[cue.strip()] = (x0 / size[0], t / size[1], r / size[0], b / size[1])
    return Sample(scene, regions, kept)


def ward_photo(size: tuple[int, int] = (3000, 4000)) -> Image.Image:
    """A 12 MP portrait-format scene with both: the astronaut's face and the synthetic label."""
    need(FONT.exists(), f"DejaVu Sans not found at {FONT}: apt-get install fonts-dejavu-core")
    scene = label_photo(size, font_px=size[0] // 40).image
    side = size[0] // 3
    scene.paste(
        astronaut().resize((side, side), Image.Resampling.LANCZOS), (size[0] // 2, size[1] // 2)
    )
    return scene
