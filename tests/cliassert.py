"""The CLI's failure contract, as one assertion: exactly one stderr line, naming the file, the exit code."""

from __future__ import annotations

import subprocess
from pathlib import Path


def one_line_error(result: subprocess.CompletedProcess, named: Path | str, *fragments: str, code: int = 2) -> str:
    """``bilingual: error: <file>: <problem>`` alone on stderr, exit ``code`` (2: bad input or environment)."""
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("bilingual: error: ") and str(named) in lines[0], lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]
