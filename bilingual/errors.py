"""One exception type for every user-facing failure.

The CLI turns a :class:`BilingualError` into a single line on stderr and a
non-zero exit, so every stage raises it with the file and the problem named,
instead of letting a traceback reach a translator or a CI log.
"""

from __future__ import annotations

from pathlib import Path


class BilingualError(Exception):
    """A problem the user can fix: bad input, missing model, broken PO file."""

    exit_code = 2

    def __init__(self, message: str, path: str | Path | None = None):
        self.path = str(path) if path is not None else None
        self.message = message
        super().__init__(f"{self.path}: {message}" if self.path else message)


class ModelMissingError(BilingualError):
    """No zh→en Argos package is installed."""

    exit_code = 3
