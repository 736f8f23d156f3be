"""Photo and screen pipeline: refuse unsafe uploads, decode once, orient, redact, resize, strip."""

from __future__ import annotations

import io
import itertools
import json
import math
import os
import struct
import warnings
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO, NoReturn

from PIL import Image, ImageCms, ImageMath, UnidentifiedImageError

from feedback.errors import InvalidImage, TooLarge, ValidationFailed

if TYPE_CHECKING:  # the detectors (OpenCV, Tesseract, the text guard) load only where used
    from feedback.photo_phi import AutoRedaction

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 50_000_000
# JPEG draft decodes only at 1/2, 1/4, 1/8. "full" is a maximum (long edge <= 2560), so a 4000 px
# photo is decoded at 1/2 (2000 px, 4x fewer pixels, no 12 MP resample) instead of full size
# and then resampled: 2000 px is ample for a ward photo, and the pipeline is ~2x faster.
DRAFT_FLOOR = 1920
SIZES = {"full": 2560, "web": 1280, "thumb": 320}  # long-edge limits; never upscaled
MAX_REDACTIONS = 50
# Every rendition is JPEG: one type for clients and caches. Screens (PNG sources) keep full chroma
# resolution (4:4:4) so coloured UI text stays legible; photos use the usual 4:2:0.
JPEG_QUALITY = 85
CONTENT_TYPE = "image/jpeg"

Rect = tuple[float, float, float, float]
# Finds what must be filled automatically (faces, PHI text) in an 8-bit copy of the photo the
# right way up, at the size it should be read: `photo_phi.find` for observation photos.
Detector = Callable[[Image.Image], Sequence["AutoRedaction"]]

ACCEPTED = "Upload a JPEG, PNG or WebP image of at most 20 MB and 50 megapixels."
_OPEN_AS = ("JPEG", "PNG", "WEBP")
_DECODED_AS = frozenset({"JPEG", "MPO", "PNG", "WEBP"})  # MPO: a phone JPEG with a depth map
# What a corrupt or hostile file makes Pillow raise while identifying, decoding or reading EXIF.
_DECODE_ERRORS = (
    OSError, SyntaxError, ValueError, TypeError, IndexError, KeyError, EOFError,
    struct.error, ZeroDivisionError, OverflowError, Image.DecompressionBombError,
)  # fmt: skip

_ORIENTATION_TAG = 0x0112
_TO_DISPLAY = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# Where a point (u, v), in fractions of the displayed photo, sits in the stored (raw) pixels.
_POINT_TO_RAW: dict[int, Callable[[float, float], tuple[float, float]]] = {
    1: lambda u, v: (u, v),
    2: lambda u, v: (1 - u, v),
    3: lambda u, v: (1 - u, 1 - v),
    4: lambda u, v: (u, 1 - v),
    5: lambda u, v: (v, u),
    6: lambda u, v: (v, 1 - u),
    7: lambda u, v: (1 - v, 1 - u),
    8: lambda u, v: (1 - v, u),
}

# Non-integer downscale (e.g. 4000 -> 2560) is the costliest step: Lanczos takes ~4.5x a full
# decode of a 12 MP photo here, Hamming half that, within 49 dB PSNR of Lanczos (invisible).
# Pillow releases the GIL while resampling, so large images are resized in parallel strips.
_FILTER = Image.Resampling.HAMMING
_WORKERS = min(4, os.cpu_count() or 1)
_PARALLEL_MIN_PIXELS = 4_000_000
_pool: ThreadPoolExecutor | None = None


@dataclass(frozen=True)
class Rendition:
    data: bytes
    width: int
    height: int
    content_type: str


@dataclass(frozen=True)
class ProcessedImage:
    full: Rendition
    web: Rendition
    thumb: Rendition
    auto_redacted: tuple[AutoRedaction, ...] = ()

    @property
    def width(self) -> int:
        return self.full.width

    @property
    def height(self) -> int:
        return self.full.height


def parse_redact(value: str | list[Any] | tuple[Any, ...] | None) -> list[Rect]:
    """Validate the `redact` field: a JSON string or list of [x, y, w, h] fractions in 0..1."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return []
    if isinstance(value, str):
        if len(value) > 100 * MAX_REDACTIONS:
            _bad_redact(f"redact is too long; send at most {MAX_REDACTIONS} rectangles.")
        try:
            value = json.loads(value)
        except ValueError:
            _bad_redact("redact is not valid JSON.")
    if not isinstance(value, list | tuple):
        _bad_redact("redact must be a list of rectangles.")
    if len(value) > MAX_REDACTIONS:
        _bad_redact(f"redact has {len(value)} rectangles; send at most {MAX_REDACTIONS}.")
    return [_rect(item, index) for index, item in enumerate(value)]


def _rect(item: Any, index: int) -> Rect:
    numbers = item if isinstance(item, list | tuple) and len(item) == 4 else None
    if numbers is None or not all(_is_fraction(n) for n in numbers):
        _bad_redact(f"redact[{index}] must be [x, y, w, h] with four numbers between 0 and 1.")
    x, y, w, h = (float(n) for n in numbers)
    # A little slack for rounding in clients that compute x + w from pixel positions.
    if x + w > 1 + 1e-6 or y + h > 1 + 1e-6:
        _bad_redact(f"redact[{index}] reaches past the photo's edge: x + w and y + h must be <= 1.")
    return (x, y, min(w, 1 - x), min(h, 1 - y))


def _is_fraction(n: Any) -> bool:
    return isinstance(n, int | float) and not isinstance(n, bool) and 0 <= n <= 1


def _bad_redact(problem: str) -> NoReturn:
    hint = "Send redact as a JSON list of [x, y, w, h] fractions, e.g. [[0.1, 0.2, 0.3, 0.25]]."
    raise ValidationFailed(problem, errors={"redact": [f"{problem} {hint}"]})


def process(
    source: bytes | BinaryIO, redact: Sequence[Rect] = (), *, detect: Detector | None = None
) -> ProcessedImage:
    """Validate and decode an upload once; return redacted, oriented, metadata-free renditions.

    With `detect`, what it finds is filled like the `redact` rectangles and listed in
    `auto_redacted`.
    """
    full, subsampling, found = _full_rendition(_read(source), redact, detect)
    # The full-size encode overlaps with deriving and encoding the two smaller sizes.
    encoding_full = _workers().submit(_encode, full, subsampling)
    web = _shrink(full, _fit(full.size, SIZES["web"]))
    thumb = _shrink(web, _fit(web.size, SIZES["thumb"]))
    return ProcessedImage(
        encoding_full.result(), _encode(web, subsampling), _encode(thumb, subsampling), found
    )


def suggest(source: bytes | BinaryIO, detect: Detector) -> list[AutoRedaction]:
    """What `process(source, detect=detect)` would fill, without encoding or keeping anything."""
    im = _decode(_read(source), draft_to=DRAFT_FLOOR)
    orientation = _orientation(im)
    return list(detect(_reading_copy(_flatten(im), orientation)))


def _full_rendition(
    data: bytes, redact: Sequence[Rect], detect: Detector | None
) -> tuple[Image.Image, int, tuple[AutoRedaction, ...]]:
    """Redacted, oriented, sRGB pixels at the full size, the JPEG chroma subsampling to use, and
    what `detect` found and was filled.

    A function of its own so the decoded upload (48 MB for 12 MP) is freed when it returns.
    """
    im = _decode(data, draft_to=DRAFT_FLOOR)
    orientation, icc = _orientation(im), im.info.get("icc_profile")
    subsampling = 0 if im.format == "PNG" else 2
    pixels = _flatten(im)
    pixels.info = {}  # nothing from the upload may ride along into derived images
    # Black out in stored pixel space before any resampling, so no rendition can blend those
    # pixels. The user's boxes go first, so detection does not read (or list) what they hid.
    for rect in redact:
        _black_out(pixels, _rect_to_raw(rect, orientation))
    found = tuple(detect(_reading_copy(pixels, orientation))) if detect else ()
    for auto in found:
        _black_out(pixels, _rect_to_raw(auto.box, orientation))
    raw = _shrink(pixels, _fit(pixels.size, SIZES["full"]))
    del im, pixels
    return _to_srgb(_orient(raw, orientation), icc), subsampling, found


def _reading_copy(pixels: Image.Image, orientation: int) -> Image.Image:
    """Grey pixels at the stored full size, the right way up: what detection and OCR read.

    OCR reads at the largest size that is stored, so text legible in any stored size is read,
    and no more: 12 MP photos decode at 2000 px (see DRAFT_FLOOR), where Tesseract takes about
    half a second and reads ward text as well as at 4000 px, where it takes over 6 s.
    """
    gray = pixels.convert("L")
    return _orient(_shrink(gray, _fit(gray.size, SIZES["full"])), orientation)


def read(source: bytes | bytearray | memoryview | BinaryIO) -> bytes:
    """An upload's bytes, refused when empty or over MAX_UPLOAD_BYTES (before any decoding)."""
    return _read(source)


def _read(source: bytes | bytearray | memoryview | BinaryIO) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        if len(source) > MAX_UPLOAD_BYTES:
            raise TooLarge(_too_large_detail())
        data = bytes(source)
    else:
        data = _read_at_most(source, MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise TooLarge(_too_large_detail())
    if not data:
        raise InvalidImage(f"The upload is empty. {ACCEPTED}")
    return data


def _read_at_most(stream: BinaryIO, limit: int) -> bytes:
    # Raw streams may return short reads before the end, so loop rather than trust one read().
    chunks, remaining = [], limit
    while remaining > 0:
        chunk = stream.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _too_large_detail() -> str:
    return f"The image is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB. {ACCEPTED}"


def _decode(data: bytes, *, draft_to: int | None) -> Image.Image:
    """Identify, size-check and decode; JPEGs decode at the smallest DCT scale still >= draft_to."""
    try:
        # Pillow only warns between 89 and 179 MP; a warning must refuse the upload, not pass it.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data), formats=_OPEN_AS)
            _check_header(im)
            if draft_to and im.format in ("JPEG", "MPO"):
                im.draft(None, _fit(im.size, draft_to))
            im.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise InvalidImage(_too_many_pixels_detail()) from exc
    except UnidentifiedImageError as exc:
        raise InvalidImage(f"The file is not a JPEG, PNG or WebP image. {ACCEPTED}") from exc
    except _DECODE_ERRORS as exc:
        raise InvalidImage(f"The file is not a readable image or is truncated. {ACCEPTED}") from exc
    return im


def _check_header(im: Image.Image) -> None:
    if im.format not in _DECODED_AS:
        raise InvalidImage(f"{im.format} images are not accepted. {ACCEPTED}")
    if im.width * im.height > MAX_PIXELS:
        raise InvalidImage(_too_many_pixels_detail(im.width, im.height))


def _too_many_pixels_detail(width: int = 0, height: int = 0) -> str:
    size = f" ({width} x {height})" if width else ""
    return f"The image has more than {MAX_PIXELS // 1_000_000} megapixels{size}. {ACCEPTED}"


def _orientation(im: Image.Image) -> int:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns on every damaged EXIF tag; handled here
            value = im.getexif().get(_ORIENTATION_TAG, 1)
    except _DECODE_ERRORS:
        return 1  # unreadable EXIF: show the pixels as stored rather than refuse the photo
    return value if isinstance(value, int) and value in _POINT_TO_RAW else 1


def _flatten(im: Image.Image) -> Image.Image:
    """RGB or L pixels; transparency is composited onto white, as a JPEG cannot carry it."""
    if im.mode in ("RGB", "L"):
        return im
    if im.mode.startswith("I;16") or im.mode == "I":
        return im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info:
        rgba = im.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return im.convert("L" if im.mode == "1" else "RGB")


def _rect_to_raw(rect: Rect, orientation: int) -> Rect:
    x, y, w, h = rect
    to_raw = _POINT_TO_RAW[orientation]
    (u0, v0), (u1, v1) = to_raw(x, y), to_raw(x + w, y + h)
    return (min(u0, u1), min(v0, v1), abs(u1 - u0), abs(v1 - v0))


def _black_out(im: Image.Image, rect: Rect) -> None:
    x, y, w, h = rect
    # Round outwards: a fraction of a pixel too much is hidden rather than too little.
    left, top = max(0, math.floor(x * im.width)), max(0, math.floor(y * im.height))
    right = min(im.width, math.ceil((x + w) * im.width))
    bottom = min(im.height, math.ceil((y + h) * im.height))
    if right > left and bottom > top:
        im.paste(0 if im.mode == "L" else (0, 0, 0), (left, top, right, bottom))


def _fit(size: tuple[int, int], long_edge: int) -> tuple[int, int]:
    width, height = size
    if max(width, height) <= long_edge:
        return size
    scale = long_edge / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _shrink(im: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Downscale: integer box reduction first (what JPEG draft does), then Hamming for the rest."""
    factors = (max(1, im.width // size[0]), max(1, im.height // size[1]))
    if factors != (1, 1):
        im = im.reduce(factors)
    if im.size == size:
        return im
    if im.width * im.height < _PARALLEL_MIN_PIXELS or _WORKERS == 1:
        return im.resize(size, _FILTER)
    return _shrink_in_strips(im, size)


def _shrink_in_strips(im: Image.Image, size: tuple[int, int]) -> Image.Image:
    # Each strip reads its source band through `box`, and Pillow takes the filter's support from
    # the whole image, so there are no seams: the result is within float rounding (one level on a
    # handful of pixels) of a single resize call.
    width, height = size
    scale = im.height / height
    bands = [(height * i // _WORKERS, height * (i + 1) // _WORKERS) for i in range(_WORKERS)]

    def strip(band: tuple[int, int]) -> Image.Image:
        top, bottom = band
        box = (0.0, top * scale, float(im.width), bottom * scale)
        return im.resize((width, bottom - top), _FILTER, box=box)

    out = Image.new(im.mode, size)
    for (top, _), part in zip(bands, _workers().map(strip, bands), strict=True):
        out.paste(part, (0, top))
    return out


def _workers() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:  # a race here only creates a spare pool
        _pool = ThreadPoolExecutor(_WORKERS, thread_name_prefix="images")
    return _pool


def _orient(im: Image.Image, orientation: int) -> Image.Image:
    method = _TO_DISPLAY.get(orientation)
    return im.transpose(method) if method is not None else im


def _to_srgb(im: Image.Image, icc: bytes | None) -> Image.Image:
    """Bake an embedded colour profile (e.g. Display P3) into sRGB pixels, since it is dropped."""
    if not icc or im.mode != "RGB":
        return im
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if ImageCms.getProfileDescription(profile).strip().startswith("sRGB"):
            return im
        srgb = ImageCms.createProfile("sRGB")
        converted = ImageCms.profileToProfile(im, profile, srgb, outputMode="RGB")
    except (ImageCms.PyCMSError, *_DECODE_ERRORS):
        return im  # a broken profile: keep the pixels as they are rather than refuse the photo
    return converted if converted is not None else im


def _encode(im: Image.Image, subsampling: int) -> Rendition:
    buf = io.BytesIO()
    # exif=b"" and an empty info dict: Pillow writes no EXIF, XMP, ICC or comment segment.
    im.save(buf, "JPEG", quality=JPEG_QUALITY, subsampling=subsampling, exif=b"")
    return Rendition(buf.getvalue(), im.width, im.height, CONTENT_TYPE)


# --- heat map -----------------------------------------------------------------------------------

_HEAT_GRID = 256  # long edge of the density grid; blobs are smooth, so full resolution is waste
_HEAT_SIGMA = 0.03  # blob spread as a fraction of the screen's long edge
# (position 0..1, (r, g, b, alpha)) stops of the colour ramp, cold to hot.
_HEAT_STOPS = (
    (0.0, (0, 0, 255, 0)),
    (0.2, (0, 160, 255, 90)),
    (0.45, (0, 220, 80, 140)),
    (0.7, (255, 220, 0, 170)),
    (1.0, (230, 20, 20, 200)),
)


def heatmap(image_bytes: bytes, pins: Sequence[tuple[float, float]]) -> bytes:
    """PNG of the screen with pins (x, y fractions of it) drawn as a deterministic heat map."""
    base = _flatten(_decode(_read(image_bytes), draft_to=None))
    base = _orient(base, _orientation(base)).convert("RGBA")
    level = _heat_level(base.size, pins)
    bands = [level.point(_ramp_lut(channel)) for channel in range(4)]
    out = Image.alpha_composite(base, Image.merge("RGBA", bands)).convert("RGB")
    buf = io.BytesIO()
    out.save(buf, "PNG")
    return buf.getvalue()


def _heat_level(size: tuple[int, int], pins: Sequence[tuple[float, float]]) -> Image.Image:
    """0..255 density of pins at the screen's size, 255 at the densest spot."""
    grid = _fit(size, _HEAT_GRID) if max(size) > _HEAT_GRID else size
    sigma = max(1.0, _HEAT_SIGMA * max(grid))
    kernel, radius = _gaussian(sigma), math.ceil(3 * sigma)
    density = Image.new("F", grid, 0.0)
    for (gx, gy), count in _binned(pins, grid).items():
        box = (gx - radius, gy - radius, gx + radius + 1, gy + radius + 1)
        summed = ImageMath.lambda_eval(
            lambda a: a["region"] + a["kernel"] * a["count"],
            region=density.crop(box),
            kernel=kernel,
            count=count,
        )
        density.paste(summed, box[:2])
    peak = density.getextrema()[1]
    scale = 255 / peak if isinstance(peak, float | int) and peak > 0 else 0.0
    level = density.point(lambda v: v * scale).convert("L")
    return level.resize(size, Image.Resampling.BILINEAR)


def _binned(pins: Sequence[tuple[float, float]], grid: tuple[int, int]) -> Counter[tuple[int, int]]:
    cells: Counter[tuple[int, int]] = Counter()
    for x, y in pins:
        if math.isfinite(x) and math.isfinite(y):
            u, v = min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0)
            cells[(min(grid[0] - 1, int(u * grid[0])), min(grid[1] - 1, int(v * grid[1])))] += 1
    return cells


def _gaussian(sigma: float) -> Image.Image:
    radius = math.ceil(3 * sigma)
    side = 2 * radius + 1
    values = array(
        "f",
        (
            math.exp(-((i - radius) ** 2 + (j - radius) ** 2) / (2 * sigma * sigma))
            for j in range(side)
            for i in range(side)
        ),
    )
    return Image.frombytes("F", (side, side), values.tobytes())


def _ramp_lut(channel: int) -> list[int]:
    return [_ramp(level / 255)[channel] for level in range(256)]


def _ramp(t: float) -> tuple[int, int, int, int]:
    if t < 0.01:
        return (0, 0, 0, 0)  # no pins nearby: leave the screen untouched
    for (t0, low), (t1, high) in itertools.pairwise(_HEAT_STOPS):
        if t <= t1:
            mix = (t - t0) / (t1 - t0)
            r, g, b, a = (
                round(lo * (1 - mix) + hi * mix) for lo, hi in zip(low, high, strict=True)
            )
            return (r, g, b, a)
    return _HEAT_STOPS[-1][1]
