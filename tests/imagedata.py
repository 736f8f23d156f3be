"""Synthetic test images built in memory: photos with metadata, screens, bombs, wrong formats."""

from __future__ import annotations

import io
import random
import struct
import zlib

import numpy as np
from PIL import Image, ImageDraw, PngImagePlugin

# Tags and values planted in test uploads; tests assert none of them survive processing.
GPS_IFD = 0x8825
EXIF_IFD = 0x8769
ORIENTATION = 0x0112
MAKE = "SynthCam"
MODEL = "Rounds Test Unit 9"
MAKER_NOTE = b"SYNTHETIC-MAKER-NOTE serial=RT-000042"
COMMENT = "synthetic comment: bed 12 patient photo"
XMP = (
    b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"'
    b' dc:creator="Synthetic Observer"/>'
    b"</rdf:RDF></x:xmpmeta>"
    b'<?xpacket end="w"?>'
)
# Strings whose presence anywhere in an output file means metadata leaked.
LEAK_MARKERS = (
    b"Exif",
    b"SynthCam",
    b"Rounds Test Unit",
    b"SYNTHETIC-MAKER-NOTE",
    b"xmpmeta",
    b"Synthetic Observer",
    b"bed 12 patient",
    b"ns.adobe.com",
)

# Transpose that turns a displayed image into the raw pixels a camera stores with each orientation.
# Orientations 6 and 8 undo each other; the rest are their own inverse.
TO_RAW = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}

RED, GREEN, BLUE, WHITE = (230, 20, 20), (20, 200, 20), (20, 20, 230), (245, 245, 245)


def photographic(width: int = 640, height: int = 480, seed: int = 1) -> Image.Image:
    """A photo-like RGB image: smooth gradients, shapes with edges and sensor-like noise."""
    rng = random.Random(seed)
    red = Image.linear_gradient("L").resize((width, height))
    green = Image.radial_gradient("L").resize((width, height))
    blue = Image.linear_gradient("L").rotate(90).resize((width, height))
    im = Image.merge("RGB", (red, green, blue))
    draw = ImageDraw.Draw(im)
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(max(2, min(width, height) // 20), max(3, min(width, height) // 5))
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)  # type: ignore[arg-type]
    # Seeded: Image.effect_noise draws from C's rand(), so every run would see a different photo.
    grain = np.random.default_rng(seed).normal(128, 18, (height, width)).clip(0, 255)
    noise = Image.fromarray(grain.astype(np.uint8), "L").convert("RGB")
    return Image.blend(im, noise, 0.15)


def marked(width: int = 300, height: int = 200) -> Image.Image:
    """White image as displayed: red block top-left, green top-right, blue bottom-left."""
    im = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(im)
    bw, bh = width // 4, height // 4
    draw.rectangle((0, 0, bw - 1, bh - 1), fill=RED)
    draw.rectangle((width - bw, 0, width - 1, bh - 1), fill=GREEN)
    draw.rectangle((0, height - bh, bw - 1, height - 1), fill=BLUE)
    return im


def exif_block(orientation: int = 1, gps: bool = True) -> Image.Exif:
    """EXIF with camera make/model, a maker note, the orientation tag and (optionally) GPS."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = MAKE
    exif[0x0110] = MODEL
    exif.get_ifd(EXIF_IFD)[0x927C] = MAKER_NOTE
    if gps:
        exif.get_ifd(GPS_IFD).update(
            {1: "N", 2: (42.0, 21.0, 30.0), 3: "W", 4: (71.0, 3.0, 36.0), 5: 0, 6: 12.0}
        )
    return exif


def jpeg(
    im: Image.Image | None = None,
    *,
    orientation: int = 1,
    metadata: bool = True,
    quality: int = 90,
) -> bytes:
    """JPEG bytes of `im` (displayed orientation) stored raw with the given EXIF orientation tag."""
    im = im if im is not None else photographic()
    method = TO_RAW[orientation]
    raw = im.transpose(method) if method is not None else im
    buf = io.BytesIO()
    extra: dict[str, object] = {}
    if metadata:
        extra = {"exif": exif_block(orientation).tobytes(), "xmp": XMP, "comment": COMMENT}
    elif orientation != 1:
        extra = {"exif": exif_block(orientation, gps=False).tobytes()}
    raw.convert("RGB").save(buf, "JPEG", quality=quality, **extra)
    return buf.getvalue()


def png(im: Image.Image | None = None, *, metadata: bool = True, mode: str = "RGB") -> bytes:
    """PNG bytes with tEXt/iTXt/zTXt chunks, XMP and eXIf when `metadata`."""
    im = (im if im is not None else photographic()).convert(mode)
    buf = io.BytesIO()
    if not metadata:
        im.save(buf, "PNG")
        return buf.getvalue()
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", COMMENT)
    info.add_text("Author", MODEL, zip=True)
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    im.save(buf, "PNG", pnginfo=info, exif=exif_block(1).tobytes())
    return buf.getvalue()


def webp(im: Image.Image | None = None, *, metadata: bool = True, lossless: bool = False) -> bytes:
    """WebP bytes, with EXIF and XMP chunks when `metadata`."""
    im = im if im is not None else photographic()
    buf = io.BytesIO()
    extra = {"exif": exif_block(1).tobytes(), "xmp": XMP} if metadata else {}
    im.save(buf, "WEBP", lossless=lossless, quality=90, **extra)
    return buf.getvalue()


def encoded(fmt: str, size: tuple[int, int] = (64, 48)) -> bytes:
    """A valid image of a format the pipeline must refuse (GIF, BMP, TIFF, ICO...)."""
    buf = io.BytesIO()
    photographic(*size).save(buf, fmt)
    return buf.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_declaring(width: int, height: int, *, rows: int | None = None) -> bytes:
    """A grey PNG of the given size; with `rows`, only that many rows of pixel data (a bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte 0 then one grey byte per pixel
    parts = [compressor.compress(row) for _ in range(height if rows is None else rows)]
    idat = b"".join(parts) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )


def png_bomb() -> bytes:
    """A few hundred bytes declaring 100000 x 100000 pixels (10 gigapixels)."""
    return png_declaring(100_000, 100_000, rows=1)


def png_over_limit() -> bytes:
    """A real, complete PNG of 7200 x 7000 = 50.4 megapixels (small because it is flat grey)."""
    return png_declaring(7200, 7000)


def truncated_jpeg() -> bytes:
    data = jpeg(photographic(320, 240), metadata=False)
    return data[: len(data) * 2 // 3]


def oversize_upload(size: int = 25 * 1024 * 1024) -> bytes:
    """Bytes that start as a JPEG but are `size` long: refused by size before anything decodes."""
    head = jpeg(photographic(64, 48), metadata=False)
    return head + b"\x00" * (size - len(head))


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def svg_bytes() -> bytes:
    return (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
        b'<rect width="100" height="100" fill="red"/></svg>'
    )


def random_bytes(n: int = 4096, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(n)


def screen_png(width: int = 400, height: int = 300) -> bytes:
    """A flat, mid-grey UI-like screen, so heat-map colour is easy to detect against it."""
    im = Image.new("RGB", (width, height), (128, 128, 128))
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 0, width - 1, height // 10), fill=(40, 60, 90))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()
