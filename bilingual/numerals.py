"""Numbering helpers shared by several stages (a leaf module, like model.py).

Roman numerals are the one place where ingest (DOCX list numbering), structure
(the English heading convention) and render agree on how 4 is written.
"""

from __future__ import annotations

_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
          (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip


def roman(number: int) -> str:
    """1 → I, 4 → IV, 1994 → MCMXCIV (upper case; ``.lower()`` for (i), (iv))."""
    out = []
    for value, letters in _ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)
