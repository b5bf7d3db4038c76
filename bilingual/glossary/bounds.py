"""How large one glossary folder may be: a curated termbase, not a bulk term dump.

A curated glossary holds hundreds to a few thousand rows (the built-in termbase: ~700 rows,
150 KB, ~220 bytes a row with its note, source and evidence URL); a large service's termbase
may reach tens of thousands. Every row is validated, compiled into the matcher and hashed on
every run, so a million-row CSV (38 MB) made ``translate`` take two minutes at 3 GB before it
wrote anything. A folder therefore holds at most :data:`MAX_ROWS` rows and :data:`MAX_BYTES`
bytes of ``*.csv`` (each layer — built-in termbase, project folder — on its own):

* the bytes are checked from the files' sizes before any of them is read, so an oversized
  folder costs a ``stat`` per file;
* the rows are counted as they are read, and reading stops at the first row past the bound
  (a file of a few bytes a row can be under the byte bound with millions of rows).

Past either bound the command stops with one line naming the file (exit 2; nothing is
written, as for any bad input). ``glossary check`` refuses the same way: it cannot list the
findings of a file it does not read.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from ..errors import BilingualError
from ..sizes import human_size

#: Rows (data rows, header and blank lines not counted) of all the ``*.csv`` of one folder.
MAX_ROWS = 100_000
#: Bytes of all the ``*.csv`` of one folder: 100,000 rows of ~330 bytes, 1.5× the built-in average.
MAX_BYTES = 32 << 20

_WHY = "a curated glossary holds hundreds to a few thousand terms"


class GlossaryTooLarge(BilingualError):
    """A glossary folder past :data:`MAX_ROWS` or :data:`MAX_BYTES`."""


def check_folder_bytes(paths: Sequence[Path]) -> None:
    """Refuse a folder whose CSV files together pass :data:`MAX_BYTES`, naming the file that passes it.

    A FIFO or a device has no size to add: its read is bounded by the rows and ``--max-size``.
    """
    total = 0
    limit = MAX_BYTES
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            continue  # the read reports a vanished or unreadable file in its own words
        total += info.st_size
        if total > limit:
            size = human_size(total) if human_size(total) != human_size(limit) else f"{total:,} bytes"
            what = f"is {size}" if total == info.st_size else f"brings its folder's CSV files to {size}"
            raise GlossaryTooLarge(f"glossary too large: {what}, over the {human_size(limit)} a glossary "
                                   f"folder may hold; {_WHY} (nothing was read)", path)


def too_many_rows(path: str | Path, line: int) -> GlossaryTooLarge:
    """The refusal when row :data:`MAX_ROWS` + 1 of a folder is at ``line`` of ``path``."""
    return GlossaryTooLarge(f"glossary too large: more than {MAX_ROWS:,} rows in its folder (the next one at "
                            f"line {line:,} of this file); {_WHY}", path)
