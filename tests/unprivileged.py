"""Run a subprocess without root's power over file permissions (the suite runs as root).

``preexec()`` returns a ``preexec_fn`` for :mod:`subprocess`:

* when the interpreter can be run as ``nobody`` (a system Python), the child
  becomes ``nobody``/``nogroup``;
* otherwise (an interpreter under ``/root``, which ``nobody`` cannot reach) the
  child stays uid 0 but loses ``CAP_DAC_OVERRIDE``, ``CAP_DAC_READ_SEARCH`` and
  ``CAP_FOWNER`` (``prctl(PR_CAPBSET_DROP)`` before ``exec``), so permission bits
  bind it like any user: a ``0o000`` file cannot be read, a ``0o555`` folder
  cannot be written.

Either way the child can no longer read a file the test made unreadable; the
tests check that it cannot (``assert_really_unprivileged``) before they trust it.
"""

from __future__ import annotations

import ctypes
import functools
import os
import subprocess
import sys
from collections.abc import Callable

_PR_CAPBSET_DROP = 24
_CAPS = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER


def _become_nobody() -> None:
    import pwd

    user = pwd.getpwnam("nobody")
    os.setgroups([])
    os.setgid(user.pw_gid)
    os.setuid(user.pw_uid)


def _drop_dac_capabilities() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in _CAPS:
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@functools.cache
def preexec() -> Callable[[], None] | None:
    """A ``preexec_fn`` that removes root's file-permission override, or ``None`` if impossible here."""
    if os.name != "posix" or os.geteuid() != 0:
        return (lambda: None) if os.name == "posix" else None
    for candidate in (_become_nobody, _drop_dac_capabilities):
        try:
            probe = subprocess.run([sys.executable, "-c", "pass"], preexec_fn=candidate, capture_output=True,
                                   timeout=60, check=False)
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0:
            return candidate
    return None
