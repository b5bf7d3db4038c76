"""The invariant every structure test checks: a block's text is text of the source.

A block's text is a piece of one cleaned line, or — a title broken over lines, which
structure joins into one block — the concatenation of up to three consecutive lines starting
at the block's line.
"""

from __future__ import annotations


def is_source_text(block, clean) -> bool:
    if any(block.text in line for line in clean.lines):
        return True
    for i, number in enumerate(clean.line_numbers):
        if number == block.line:
            return any(block.text == "".join(clean.lines[i : i + k]) for k in (2, 3))
    return False
