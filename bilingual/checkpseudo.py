"""How ``bilingual check`` reads pseudo output: a dry run's findings must be real.

``--engine pseudo`` writes ``[zh:16]`` for each run of Chinese (bilingual/engines/pseudo.py).
Read as English, the markers are numbers the source does not give ("not in the source 16"),
loops (``[zh:4] [zh:4] [zh:4]``) and a translation far too short: hundreds of false
findings on one dry run, which hide the real ones. So ``check`` tells pseudo output by its
provenance and reads it for what it is:

* a **pseudo draft** is an unreviewed machine translation whose ``origin:`` line names the
  pseudo engine (fuzzy, ``origin: machine translation (pseudo/…)``: po.machine_identity).
  It gets no ``fuzzy`` finding of its own: the file gets one ``pseudo`` line that counts
  them (a warning; an error with ``--strict``, as ``fuzzy`` is), since the file is a dry
  run, not a translation to publish. Its numbers are read with the markers taken out, loops
  between markers only (a ``repetition`` warning), its ``mt-check:`` lines that measure the
  English (:data:`bilingual.mtcheck.MARKER_READ_CODES`, which an older version read out of
  the markers) are left to those checks, and a policy phrase the marker stands in for is no
  glossary finding (phrases are never sent as placeholders, so the pseudo engine cannot carry
  them). A number is missing from it only when its digits are (:func:`digits_missing`).
  Everything else is checked as on any entry: a lost name placeholder, Chinese left,
  brackets, a number in the text between the markers.
* **Any other entry** — reviewed (a person removed ``fuzzy``, whatever its comments say),
  edited (``origin: edited``), another engine's, or fuzzy without provenance (``msgmerge``
  removed it: nobody can tell it was pseudo output) — is checked in full, and a marker left
  in it is a ``pseudo`` finding of its own (an error when reviewed): the Chinese it stands
  for was never translated. Its numbers too are read without the markers (the finding says
  what is wrong there).
"""

from __future__ import annotations

import re

from .engines.pseudo import is_pseudo, markers
from .po import machine_identity

_DIGITS = re.compile(r"\d+")


def is_pseudo_draft(entry) -> bool:
    """Unreviewed pseudo-engine output (its ``origin:`` line says so)."""
    return is_pseudo(machine_identity(entry))


def marker_problem(target: str) -> str:
    """What a marker left in a translation that is not a pseudo draft means ("" when none is)."""
    found = markers(target)
    if not found:
        return ""
    shown = ", ".join(found[:5]) + (" …" if len(found) > 5 else "")
    return (f"pseudo-translation marker{'s' if len(found) > 1 else ''} left in the translation: {shown} "
            "(Chinese never translated: translate it)")


def file_problem(drafts: list[str]) -> str:
    """The one line for a file holding pseudo drafts (their ids, the first few named)."""
    shown = ", ".join(drafts[:3]) + (" …" if len(drafts) > 3 else "")
    return (f"{len(drafts)} entr{'y is' if len(drafts) == 1 else 'ies are'} pseudo-translation ({shown}): "
            "a dry run's markers, not English, not fit to publish; translate with a real engine")


def digits_missing(numbers: list[str], plain: str) -> list[str]:
    """Of the ``numbers`` missing from a pseudo draft (``plain``: without markers), those whose digits
    are missing too. The engine copies digits and turns the words around them into markers, so a
    rendering only a translation makes (〔2025〕181号 → "[2025] No. 181") is no finding of a dry
    run; a digit lost or changed on the way is."""
    have = set(_DIGITS.findall(plain))
    return [number for number in numbers if not set(_DIGITS.findall(number)) <= have]
