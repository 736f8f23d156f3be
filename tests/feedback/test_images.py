"""The image pipeline: what is refused, what is stripped, orientation, redaction and heat maps."""

from __future__ import annotations

import io
import json
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops

from feedback import images
from feedback.errors import InvalidImage, TooLarge, ValidationFailed
from feedback.images import (
    MAX_UPLOAD_BYTES,
    SIZES,
    ProcessedImage,
    Rendition,
    heatmap,
    parse_redact,
    process,
)
from tests import imagedata

ORIENTATIONS = list(range(1, 9))
JFIF_ONLY = {"jfif", "jfif_version", "jfif_unit", "jfif_density"}


def opened(rendition: Rendition) -> Image.Image:
    im = Image.open(io.BytesIO(rendition.data))
    im.load()
    return im


def renditions(result: ProcessedImage) -> list[Rendition]:
    return [result.full, result.web, result.thumb]


def near(pixel: tuple[int, ...], colour: tuple[int, ...], tolerance: int = 60) -> bool:
    return sum(abs(a - b) for a, b in zip(pixel, colour, strict=False)) <= tolerance


def light_photo(width: int, height: int) -> Image.Image:
    """Photo-like detail with every channel >= ~120, so black redaction stands out."""
    white = Image.new("RGB", (width, height), (255, 255, 255))
    return Image.blend(imagedata.photographic(width, height), white, 0.5)


# --- metadata --------------------------------------------------------------------------------


def test_camera_jpeg_carries_gps_exif_and_xmp_before_processing():
    im = Image.open(io.BytesIO(imagedata.jpeg(orientation=6)))
    assert im.getexif().get_ifd(imagedata.GPS_IFD)[1] == "N"
    assert im.getexif()[0x010F] == imagedata.MAKE
    assert "xmp" in im.info and "comment" in im.info


@pytest.mark.parametrize(
    "upload",
    [
        pytest.param(lambda: imagedata.jpeg(orientation=6), id="jpeg"),
        pytest.param(lambda: imagedata.png(), id="png"),
        pytest.param(lambda: imagedata.webp(), id="webp"),
    ],
)
def test_no_metadata_survives_in_any_rendition(upload):
    result = process(upload())
    for rendition in renditions(result):
        im = opened(rendition)
        assert rendition.content_type == "image/jpeg" and im.format == "JPEG"
        assert set(im.info) <= JFIF_ONLY, im.info
        assert not im.getexif()
        assert [marker for marker, _ in im.applist] == ["APP0"]
        assert not [m for m in imagedata.LEAK_MARKERS if m in rendition.data]


def test_png_text_chunks_present_before_and_absent_after():
    data = imagedata.png()
    assert {"Comment", "Author", "XML:com.adobe.xmp"} <= set(Image.open(io.BytesIO(data)).info)
    for rendition in renditions(process(data)):
        assert set(opened(rendition).info) <= JFIF_ONLY


def test_embedded_colour_profile_is_converted_then_dropped():
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    buf = io.BytesIO()
    imagedata.photographic(64, 48).save(buf, "JPEG", icc_profile=icc)
    for rendition in renditions(process(buf.getvalue())):
        assert "icc_profile" not in opened(rendition).info


# --- sizes -----------------------------------------------------------------------------------


def test_renditions_fit_their_long_edge_and_follow_the_displayed_shape():
    data = imagedata.jpeg(imagedata.photographic(1500, 2400), orientation=8, metadata=False)
    result = process(data)
    assert (result.full.width, result.full.height) == (1500, 2400)
    assert (result.web.width, result.web.height) == (800, 1280)
    assert (result.thumb.width, result.thumb.height) == (200, 320)
    assert (result.width, result.height) == (1500, 2400)
    for rendition in renditions(result):
        assert opened(rendition).size == (rendition.width, rendition.height)


def test_large_jpeg_is_draft_decoded_to_the_full_size():
    result = process(imagedata.jpeg(imagedata.photographic(5200, 3900), metadata=False))
    assert (result.full.width, result.full.height) == (2560, 1920)
    assert max(result.web.width, result.web.height) == SIZES["web"]
    assert max(result.thumb.width, result.thumb.height) == SIZES["thumb"]


def test_small_images_are_never_upscaled():
    result = process(imagedata.png(imagedata.photographic(200, 100), metadata=False))
    assert {(r.width, r.height) for r in renditions(result)} == {(200, 100)}


def test_strip_parallel_resize_matches_one_resize_without_seams():
    im = imagedata.photographic(1500, 1001)
    expected = im.resize((960, 641), images._FILTER)
    difference = ImageChops.difference(images._shrink_in_strips(im, (960, 641)), expected)
    assert all(high <= 1 for _, high in difference.getextrema())


# --- orientation -----------------------------------------------------------------------------


@pytest.mark.parametrize("orientation", ORIENTATIONS)
def test_exif_orientation_is_applied_to_the_pixels(orientation):
    data = imagedata.jpeg(imagedata.marked(300, 200), orientation=orientation)
    for rendition in renditions(process(data)):
        im = opened(rendition).convert("RGB")
        assert im.width > im.height
        w, h = im.width - 1, im.height - 1
        assert near(im.getpixel((2, 2)), imagedata.RED)
        assert near(im.getpixel((w - 2, 2)), imagedata.GREEN)
        assert near(im.getpixel((2, h - 2)), imagedata.BLUE)
        assert near(im.getpixel((w - 2, h - 2)), imagedata.WHITE)


# --- redaction -------------------------------------------------------------------------------


def assert_redacted(rendition: Rendition, rect: tuple[float, float, float, float]) -> None:
    im = opened(rendition).convert("L")
    x, y, w, h = rect
    # Sample the interior; the outermost pixel or two blend with neighbours in JPEG blocks.
    left, top = round((x + w * 0.1) * im.width) + 2, round((y + h * 0.1) * im.height) + 2
    right, bottom = round((x + w * 0.9) * im.width) - 2, round((y + h * 0.9) * im.height) - 2
    assert right > left and bottom > top
    assert im.crop((left, top, right, bottom)).getextrema()[1] <= 20
    outside = im.crop((0, round(0.85 * im.height), im.width // 3, im.height))
    assert outside.getextrema()[0] >= 80


@pytest.mark.parametrize("orientation", ORIENTATIONS)
def test_redaction_uses_displayed_coordinates_in_every_size(orientation):
    rect = (0.5, 0.1, 0.3, 0.5)
    data = imagedata.jpeg(light_photo(1200, 900), orientation=orientation)
    for rendition in renditions(process(data, redact=[rect])):
        assert_redacted(rendition, rect)


def test_redaction_survives_draft_decode_and_parallel_resize():
    rect = (0.05, 0.2, 0.25, 0.4)
    data = imagedata.jpeg(light_photo(5200, 3900), orientation=6, metadata=False)
    result = process(data, redact=[rect, (0.9, 0.0, 0.1, 0.1)])
    assert (result.width, result.height) == (2560, 1920)
    for rendition in renditions(result):
        assert_redacted(rendition, rect)


def test_redaction_hides_detail_not_just_darkens_it():
    rect = (0.25, 0.25, 0.5, 0.5)
    data = imagedata.png(imagedata.photographic(800, 600), metadata=False)
    full = opened(process(data, redact=[rect]).full)
    assert full.crop((220, 170, 580, 430)).getextrema() == ((0, 0), (0, 0), (0, 0))


# --- refused uploads -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "upload",
    [
        pytest.param(imagedata.png_bomb, id="bomb-10-gigapixels"),
        pytest.param(lambda: imagedata.png_declaring(10_000, 10_000, rows=1), id="bomb-100-MP"),
        pytest.param(imagedata.png_over_limit, id="png-50.4-MP"),
        pytest.param(imagedata.truncated_jpeg, id="truncated-jpeg"),
        pytest.param(imagedata.pdf_bytes, id="pdf"),
        pytest.param(imagedata.svg_bytes, id="svg"),
        pytest.param(lambda: imagedata.encoded("GIF"), id="gif"),
        pytest.param(lambda: imagedata.encoded("BMP"), id="bmp"),
        pytest.param(lambda: imagedata.encoded("TIFF"), id="tiff"),
        pytest.param(lambda: imagedata.encoded("ICO"), id="ico"),
        pytest.param(lambda: b"", id="empty"),
        pytest.param(imagedata.random_bytes, id="random-bytes"),
        pytest.param(lambda: imagedata.jpeg()[:200], id="jpeg-header-only"),
    ],
)
def test_unusable_uploads_are_invalid_images_that_say_what_is_accepted(upload):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Pillow's bomb warning must not leak out either
        with pytest.raises(InvalidImage) as caught:
            process(upload())
    assert caught.value.code == "invalid_image" and caught.value.http_status == 400
    assert "JPEG, PNG or WebP" in caught.value.detail


def test_bombs_and_huge_images_say_megapixels():
    for upload in (imagedata.png_bomb(), imagedata.png_over_limit()):
        with pytest.raises(InvalidImage, match="megapixels"):
            process(upload)


def test_upload_over_20_mb_is_too_large_before_decoding():
    with pytest.raises(TooLarge) as caught:
        process(imagedata.oversize_upload())
    assert caught.value.http_status == 413


class CountingStream(io.BytesIO):
    """Records how many bytes were asked for, and hands them out in short reads."""

    requested = 0

    def read(self, size: int | None = -1) -> bytes:
        self.requested += size if size and size > 0 else 1 << 40
        return super().read(min(size, 65536) if size and size > 0 else size)


def test_oversize_file_is_read_no_further_than_the_limit():
    stream = CountingStream(imagedata.oversize_upload())
    with pytest.raises(TooLarge):
        process(stream)
    assert stream.tell() == MAX_UPLOAD_BYTES + 1


def test_file_like_uploads_with_short_reads_are_accepted():
    result = process(CountingStream(imagedata.jpeg(orientation=3)))
    assert (result.width, result.height) == (640, 480)


def test_exactly_the_size_limit_is_accepted():
    result = process(imagedata.oversize_upload(MAX_UPLOAD_BYTES))  # a JPEG padded to 20 MB
    assert (result.width, result.height) == (64, 48)


FUZZ_SEEDS = [
    imagedata.jpeg(imagedata.photographic(48, 32), orientation=6),
    imagedata.png(imagedata.photographic(48, 32)),
    imagedata.webp(imagedata.photographic(48, 32)),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(FUZZ_SEEDS),
    edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=8),
    cut=st.floats(0.05, 1),
)
def test_corrupted_uploads_never_raise_anything_but_invalid_image(seed, edits, cut):
    data = bytearray(seed[: max(1, int(len(seed) * cut))])
    for where, value in edits:
        data[int(where * len(data))] = value
    try:
        result = process(bytes(data))
    except InvalidImage:
        return
    assert opened(result.thumb).format == "JPEG"


# --- accepted formats ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "upload",
    [
        pytest.param(lambda: imagedata.webp(), id="webp-lossy"),
        pytest.param(lambda: imagedata.webp(lossless=True), id="webp-lossless"),
        pytest.param(lambda: imagedata.png(mode="P"), id="png-palette"),
        pytest.param(lambda: imagedata.png(mode="L"), id="png-grey"),
        pytest.param(lambda: imagedata.png(mode="LA"), id="png-grey-alpha"),
        pytest.param(lambda: cmyk_jpeg(), id="jpeg-cmyk"),
        pytest.param(lambda: mpo(), id="mpo"),
    ],
)
def test_jpeg_png_and_webp_variants_are_accepted(upload):
    result = process(upload())
    assert all(opened(r).format == "JPEG" for r in renditions(result))


def cmyk_jpeg() -> bytes:
    buf = io.BytesIO()
    imagedata.photographic(64, 48).convert("CMYK").save(buf, "JPEG")
    return buf.getvalue()


def mpo() -> bytes:
    buf = io.BytesIO()
    first, second = imagedata.photographic(64, 48), imagedata.photographic(64, 48, seed=2)
    first.save(buf, "MPO", save_all=True, append_images=[second])
    return buf.getvalue()


def test_transparency_is_flattened_onto_white():
    im = Image.new("RGBA", (40, 40), (255, 0, 0, 255))
    im.paste((0, 0, 0, 0), (0, 0, 20, 40))
    result = opened(process(imagedata.png(im, metadata=False, mode="RGBA")).full)
    assert near(result.getpixel((5, 20)), (255, 255, 255))
    assert near(result.getpixel((35, 20)), (255, 0, 0))


def test_sixteen_bit_grey_png_keeps_its_brightness():
    im = Image.new("I;16", (32, 32), 32768)
    result = opened(process(imagedata.png(im, metadata=False, mode="I;16")).full)
    assert 120 <= result.convert("L").getpixel((16, 16)) <= 136


# --- redact parameter ------------------------------------------------------------------------


def test_parse_redact_accepts_json_lists_and_nothing():
    assert parse_redact(None) == [] and parse_redact("") == [] and parse_redact("[]") == []
    assert parse_redact("[[0.1, 0.2, 0.3, 0.4]]") == [(0.1, 0.2, 0.3, 0.4)]
    assert parse_redact([[0, 0, 1, 1], (0.5, 0.5, 0.5, 0.5)]) == [
        (0, 0, 1, 1),
        (0.5, 0.5, 0.5, 0.5),
    ]


@pytest.mark.parametrize(
    "value",
    [
        "not json",
        "{}",
        '"text"',
        "[0.1, 0.2, 0.3, 0.4]",
        "[[0.1, 0.2, 0.3]]",
        "[[0.1, 0.2, 0.3, 0.4, 0.5]]",
        "[[0.1, 0.2, 0.3, 1.5]]",
        "[[-0.1, 0.2, 0.3, 0.4]]",
        "[[0.9, 0.0, 0.2, 0.1]]",
        "[[0.0, 0.95, 0.1, 0.1]]",
        '[["0.1", 0.2, 0.3, 0.4]]',
        "[[true, 0.2, 0.3, 0.4]]",
        "[[NaN, 0.2, 0.3, 0.4]]",
        "[[1e400, 0.2, 0.3, 0.4]]",
        json.dumps([[0.1, 0.1, 0.1, 0.1]] * 51),
        "[" + " " * 10_000 + "]",
    ],
)
def test_bad_redact_values_fail_validation_on_the_redact_field(value):
    with pytest.raises(ValidationFailed) as caught:
        parse_redact(value)
    assert caught.value.errors is not None and caught.value.errors["redact"]


# --- heat map --------------------------------------------------------------------------------


def test_heatmap_is_a_png_of_the_screen_size_hotter_at_the_pins():
    screen = imagedata.screen_png(400, 300)
    out = Image.open(io.BytesIO(heatmap(screen, [(0.5, 0.5), (0.5, 0.5), (0.2, 0.8)])))
    assert out.format == "PNG" and out.size == (400, 300)
    base = Image.open(io.BytesIO(screen)).convert("RGB")
    hottest, warm = out.getpixel((200, 150)), out.getpixel((80, 240))
    assert hottest[0] > 180 and hottest[2] < 100  # red at the double pin
    assert warm != base.getpixel((80, 240))  # a single pin still shows
    assert out.getpixel((390, 290)) == base.getpixel((390, 290))  # far away: untouched


def test_heatmap_is_deterministic_and_plain_without_pins():
    screen = imagedata.screen_png(320, 200)
    pins = [(0.1, 0.1), (0.9, 0.5), (0.3, 0.7)]
    assert heatmap(screen, pins) == heatmap(screen, list(pins))
    empty = Image.open(io.BytesIO(heatmap(screen, [])))
    assert (
        ImageChops.difference(empty, Image.open(io.BytesIO(screen)).convert("RGB")).getbbox()
        is None
    )


def test_heatmap_tolerates_edge_and_junk_pins_on_a_jpeg_screen():
    screen = imagedata.jpeg(imagedata.photographic(1600, 1000), metadata=False)
    pins = [(0.0, 0.0), (1.0, 1.0), (1.5, -3.0), (float("nan"), 0.5)] + [(0.5, 0.5)] * 500
    out = Image.open(io.BytesIO(heatmap(screen, pins)))
    assert out.size == (1600, 1000)


def test_heatmap_refuses_what_process_refuses():
    with pytest.raises(InvalidImage):
        heatmap(imagedata.pdf_bytes(), [(0.5, 0.5)])


def test_large_jpeg_decodes_in_draft_at_half_scale_when_that_still_fills_full():
    # 4000 px -> draft 1/2 = 2000 px (>= DRAFT_FLOOR): stored full is 2000 px, never upscaled.
    result = process(imagedata.jpeg(imagedata.photographic(4000, 3000), orientation=1))
    assert (result.full.width, result.full.height) == (2000, 1500)
    assert max(result.web.width, result.web.height) == 1280


def test_jpeg_too_small_for_draft_is_resampled_to_the_full_limit():
    # 3000 px at 1/2 would be 1500 px (< DRAFT_FLOOR), so it decodes fully and shrinks to 2560.
    result = process(imagedata.jpeg(imagedata.photographic(3000, 2000), orientation=1))
    assert max(result.full.width, result.full.height) == 2560
