"""Session join codes: short, random, and typeable from a projector across the room."""

from __future__ import annotations

import secrets
import unicodedata

# Both members of every look-alike pair are left out (0/O, 1/I/L, 2/Z, 5/S, 8/B), so a code read
# off a screen has only one plausible spelling. 25 symbols ** 6 = 244 million codes.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
LENGTH = 6

_SEPARATORS = str.maketrans("", "", " -_.\t\r\n")


def new_code(length: int = LENGTH) -> str:
    """A fresh random code; uniqueness among open sessions is the caller's (database's) job."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalize(code: str) -> str:
    """Canonical form of what a person typed: NFKC, upper-case, no spaces, dashes, dots or `_`.

    Look-alike typos (O for 0 and so on) are not remapped: the alphabet contains neither member
    of any look-alike pair, so there is no correct character to map them to, and a code that
    contains one simply fails is_valid().
    """
    # NFKC turns full-width letters and digits from phone keyboards into plain ASCII.
    return unicodedata.normalize("NFKC", code).upper().translate(_SEPARATORS)


def is_valid(code: str, length: int = LENGTH) -> bool:
    """True if `code` is already canonical: `length` characters, all from ALPHABET.

    Call is_valid(normalize(raw)) on user input; exact matching here keeps lookups by code exact.
    """
    return len(code) == length and all(ch in ALPHABET for ch in code)
