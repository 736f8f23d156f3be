"""Join codes are random, avoid look-alike characters, and tolerate how people type them."""

import pytest

from feedback import codes


def test_alphabet_has_no_look_alike_characters():
    for ch in "0O1IL2Z5S8B":
        assert ch not in codes.ALPHABET
    assert len(set(codes.ALPHABET)) == len(codes.ALPHABET)


def test_new_code_has_the_requested_length_and_only_alphabet_characters():
    for length in (4, 6, 8):
        code = codes.new_code(length)
        assert len(code) == length
        assert set(code) <= set(codes.ALPHABET)
    assert len(codes.new_code()) == 6


def test_new_codes_are_valid_and_practically_unique():
    made = [codes.new_code() for _ in range(2000)]
    assert all(codes.is_valid(code) for code in made)
    assert len(set(made)) >= 1995


def test_new_codes_use_the_whole_alphabet():
    assert set("".join(codes.new_code() for _ in range(500))) == set(codes.ALPHABET)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("ac3-k7q", "AC3K7Q"),
        (" AC3 K7Q ", "AC3K7Q"),
        ("ac3_k7.q", "AC3K7Q"),
        ("\uff21\uff23\uff13\uff2b\uff17\uff31", "AC3K7Q"),  # full-width, from some phone keyboards
    ],
)
def test_normalize_uppercases_and_strips_separators(typed, canonical):
    assert codes.normalize(typed) == canonical
    assert codes.is_valid(codes.normalize(typed))


def test_look_alike_typos_are_not_guessed_but_rejected():
    # The alphabet has neither O nor 0, so there is nothing correct to map an O to.
    assert codes.normalize("ac0-k7q") == "AC0K7Q"
    assert not codes.is_valid(codes.normalize("ac0-k7q"))


@pytest.mark.parametrize("code", ["", "AC3K7", "AC3K7QX", "ac3k7q", "AC3-K7", "AC3K7S"])
def test_is_valid_rejects_wrong_length_case_or_characters(code):
    assert not codes.is_valid(code)


def test_is_valid_honours_a_custom_length():
    assert codes.is_valid("AC3K", length=4)
    assert not codes.is_valid("AC3K")
