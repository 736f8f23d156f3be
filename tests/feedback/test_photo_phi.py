"""photo_phi, faces and ocr as pure functions: which OCR words get boxed, faces on a real photo."""

from __future__ import annotations

import pytest
from PIL import Image

from feedback import faces, ocr, photo_phi
from tests import imagedata, photo_samples

H = 40  # line height of the synthetic OCR words, in pixels
SIZE = (2000, 1500)


def line(y: int, *texts: str, block: int, x: int = 100) -> list[ocr.Word]:
    """OCR words laid out left to right on one line, 30 px per character plus a gap."""
    words = []
    for number, text in enumerate(texts):
        words.append(ocr.Word(text, x, y, 30 * len(text), H, (block, 1, number)))
        x += 30 * len(text) + 25
    return [ocr.Word(w.text, w.left, w.top, w.width, w.height, (block, 1, 1)) for w in words]


def boxed(found: list[photo_phi.AutoRedaction], word: ocr.Word) -> list[str]:
    """Types of the boxes that cover the whole word."""
    x, y = word.left / SIZE[0], word.top / SIZE[1]
    r, b = (word.left + word.width) / SIZE[0], (word.top + word.height) / SIZE[1]
    return [a.type or a.kind for a in found
            if a.box[0] <= x and a.box[1] <= y and a.box[0] + a.box[2] >= r
            and a.box[1] + a.box[3] >= b]  # fmt: skip


def test_a_flagged_number_is_boxed_and_its_cue_word_is_not():
    words = line(100, "MRN:", "40817263", block=1)
    found = photo_phi.text_redactions(words, SIZE)
    assert boxed(found, words[1]) == ["MRN"]
    assert not boxed(found, words[0])


def test_ocr_look_alikes_in_a_number_still_flag_it():
    words = line(100, "MRN:", "4O8l7263", block=1)  # letter O and letter l read for 0 and 1
    assert photo_phi.text_redactions(words, SIZE)[0].type == "MRN"


def test_a_cue_and_its_number_on_the_next_line_are_read_together():
    cue, number = line(100, "MRN:", block=1), line(100 + H + 15, "40817263", block=2)
    found = photo_phi.text_redactions(cue + number, SIZE)
    assert boxed(found, number[0]) == ["MRN"]


def test_lines_far_apart_or_in_another_column_are_not_joined():
    below = line(100 + 5 * H, "40817263", block=2)
    beside = line(100 + H + 15, "40817263", block=3, x=1500)
    found = photo_phi.text_redactions(line(100, "MRN:", block=1) + below + beside, SIZE)
    assert found == []


def test_words_between_flagged_words_of_a_line_are_boxed_too():
    words = line(100, "Patient:", "Maria", "de", "la", "Cruz", "bed", "4", block=1)
    found = photo_phi.text_redactions(words, SIZE)
    names = [a for a in found if a.type == "NAME"]
    assert len(names) == 1
    for word in words[1:5]:
        assert boxed(names, word) == ["NAME"]


def test_clean_ward_text_is_not_boxed():
    words = line(100, "Bed", "4", "West", "-", "fall", "risk", block=1)
    words += line(200, "BPA", "fired", "3", "times", "at", "0700", block=2)
    assert photo_phi.text_redactions(words, SIZE) == []


def test_boxes_are_padded_and_stay_inside_the_photo():
    words = [ocr.Word("40817263", 1700, 1470, 290, 30, (1, 1, 1))]
    words = line(1470 - H - 10, "MRN:", block=0, x=1700) + words
    (found,) = photo_phi.text_redactions(words, SIZE)
    x, y, w, h = found.box
    assert x < 1700 / SIZE[0] and y < 1470 / SIZE[1]
    assert x + w <= 1.0 and y + h <= 1.0 and y + h == pytest.approx(1.0)


def test_tsv_parsing_keeps_word_rows_and_skips_garbage():
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "1\t1\t0\t0\t0\t0\t0\t0\t2000\t1500\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t329\t283\t163\t35\t95.6\tPatient:\n"
        "5\t1\t1\t1\t1\t2\t515\t283\t117\t35\t96.1\t \n"
        "5\t1\tx\t1\t1\t3\t515\t283\t117\t35\t96.1\tbroken\n"
        "5\t1\t1\t1\t1\n"
    )
    assert ocr.parse_tsv(tsv) == [ocr.Word("Patient:", 329, 283, 163, 35, (1, 1, 1))]


def test_the_face_in_a_real_portrait_is_found_and_padded():
    portrait = photo_samples.astronaut().convert("L")
    (box,) = faces.find(portrait)
    left, top, right, bottom = (v / 512 for v in photo_samples.ASTRONAUT_FACE)
    assert box[0] <= left and box[1] <= top
    assert box[0] + box[2] >= right and box[1] + box[3] >= bottom
    assert box[2] * box[3] < 0.25, "the box is the face and its surroundings, not the photo"


def test_no_face_is_found_in_a_scene_without_one():
    assert faces.find(imagedata.photographic(1600, 1200, seed=4).convert("L")) == []


def test_a_large_photo_is_read_downscaled_so_the_largest_box_is_the_face():
    # Read at full 2048 px, the cascade's largest box lands on the background (shared notes).
    big = photo_samples.astronaut().resize((2048, 2048), Image.Resampling.LANCZOS).convert("L")
    largest = max(faces.find(big), key=lambda b: b[2] * b[3])
    left, top, right, bottom = (v / 512 for v in photo_samples.ASTRONAUT_FACE)
    assert largest[0] <= left and largest[1] <= top
    assert largest[0] + largest[2] >= right and largest[1] + largest[3] >= bottom
