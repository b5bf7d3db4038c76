"""Sizes as people write them (``--max-size 50M``) and read them ("52 MB"): the limits of
:mod:`bilingual.fileio` in the units of ``head -c`` and ``du -h``, in one place."""

from __future__ import annotations

import re


def parse_size(text: str) -> int:
    """``"50M"`` → 52428800. Units K, M, G (powers of 1024, as ``head -c``); a plain number is bytes."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?)i?B?\s*", str(text), re.IGNORECASE)
    if not match:
        raise ValueError(f"not a size: {text!r} (use e.g. 50M, 2G, 800K)")
    number, unit = float(match.group(1)), match.group(2).upper()
    size = int(number * {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[unit])
    if size <= 0:
        raise ValueError(f"not a size: {text!r} (must be positive)")
    return size


def human_size(size: int) -> str:
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            value = size / factor
            return f"{value:.0f} {unit}" if value >= 10 or value == int(value) else f"{value:.1f} {unit}"
    return f"{size} bytes"
