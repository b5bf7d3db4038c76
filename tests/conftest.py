"""Shared pytest fixtures.

Generic helpers (use them in any test file):

* ``repo_root`` — the repository root (a ``Path``).
* ``run_cli`` — ``run_cli(["translate", ...], env={...}, cwd=..., input=...)`` runs
  ``python -m bilingual ...`` in a subprocess and returns the ``CompletedProcess``
  (text mode, stdout/stderr captured, never raises on a non-zero exit). ``env``
  entries are *added* to the current environment (value ``None`` removes one).

Argos model (real CTranslate2 + SentencePiece, random weights, ~0.5 MB):

* ``argos_package`` (session) — path of the tiny zh→en ``.argosmodel`` built by
  ``tests/tinymodel.py`` from the shipped Shanghai document; cached in
  ``tests/.model-cache/`` keyed by a hash of tinymodel.py + parameters + text.
* ``argos_packages_dir`` — a fresh packages folder with that package installed;
  ``ARGOS_PACKAGES_DIR`` points at it for the test (in-process code and
  ``run_cli`` subprocesses alike, since ``run_cli`` inherits ``os.environ``).
  It also sets ``ARGOS_INTRA_THREADS=1``: on the 2-core CI machine one thread is
  ~10x faster than CTranslate2's default for this tiny model.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# CI (CI=true, as .ci/run is run) replays the same examples every time: a red CI must mean a
# regression, not a new random draw. Locally hypothesis keeps exploring (and saves what it finds).
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None)
# Mutation testing (mutmut sets MUTANT_UNDER_TEST) needs the same examples in every run too: a
# mutant must be killed or survive for what it changed, not for the examples drawn.
settings.load_profile("ci" if os.environ.get("CI") or "MUTANT_UNDER_TEST" in os.environ else "dev")

REPO_ROOT = Path(__file__).resolve().parent.parent
# .ci/run exports CI=true. There a missing external tool (msgfmt, chromium, nginx, CJK fonts) fails
# the tests that need it instead of skipping them: a skip would hide a broken promise behind a green run.
IN_CI = bool(os.environ.get("CI"))


def need(available: bool, what: str) -> None:
    """Skip a test locally when an external tool is missing; fail it in CI, which installs the tool."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing: .ci/run installs it, so CI does not skip this test")
    pytest.skip(f"{what} is missing (.ci/run installs it)")
MODEL_CACHE = Path(__file__).resolve().parent / ".model-cache"
SHANGHAI_SOURCE = REPO_ROOT / "translations" / "shanghai-port-2025" / "source.zh.txt"
TINY_MODEL_PARAMS = {"num_layers": 2, "d_model": 64, "num_heads": 4, "ffn": 128, "quantization": "int8", "seed": 0}


def pytest_collection_modifyitems(config, items):
    """Under ``make mutation`` (mutmut sets MUTANT_UNDER_TEST) the tests that run the CLI in a
    subprocess (``run_cli``) are left out: mutmut credits a test only with the functions it calls
    in its own process, so such a test would be run for the wrong mutants and never for the right
    ones. The in-process tests (``tests/inproc.py`` for the CLI) are what kills mutants."""
    mutant = os.environ.get("MUTANT_UNDER_TEST")
    if mutant is None:
        return
    files = None
    if "__mutmut_" in mutant:  # a mutant's run: only the test files that may tell it (tests/mutation/run.py)
        sys.path.insert(0, str(Path(__file__).parent / "mutation"))
        from run import tests_for_mutant

        files = tests_for_mutant(mutant)

    def wanted(item) -> bool:
        if "run_cli" in getattr(item, "fixturenames", ()):
            return False
        return files is None or item.path.name in files

    dropped = [item for item in items if not wanted(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if wanted(item)]
    if files is not None:  # fastest first: the run stops at the first failure (-x)
        items.sort(key=lambda item: _clean_durations().get(item.nodeid, 0.0))


def _clean_durations() -> dict[str, float]:
    """How long each test took in mutmut's clean run (``mutmut-stats.json``, in the mutants copy)."""
    try:
        return json.loads(Path("mutmut-stats.json").read_text(encoding="utf-8"))["duration_by_test"]
    except (OSError, ValueError, KeyError):
        return {}


def pytest_sessionstart(session):
    """Under mutmut the fork server collects the tests once and forks a process per mutant: the
    spaCy pipeline (seconds to build, and no mutated code in it) is built there, once."""
    if "MUTANT_UNDER_TEST" in os.environ:
        from bilingual.segment import sentence_pipeline

        sentence_pipeline()


def _mutated_package(mutant: str) -> str | None:
    """``bilingual.po.merge.x_plan__mutmut_3`` → ``bilingual.po`` (None: not a mutant's run)."""
    if "__mutmut_" not in mutant:
        return None
    module = mutant.split(".x", 1)[0]
    return module.rsplit(".", 1)[0] if module.count(".") > 1 else module


@pytest.fixture(autouse=True)
def _no_cached_results_under_mutation():
    """Under mutmut each mutant's test runs in a process forked after the clean run, so a
    function's ``lru_cache`` would answer with the original code's results and the mutant would
    never run: the caches of the mutated package's functions are emptied before every test there
    (only those: the spaCy pipeline and the glossary stay built)."""
    package = _mutated_package(os.environ.get("MUTANT_UNDER_TEST", ""))
    if package is not None:
        for name, module in list(sys.modules.items()):
            if name == package or name.startswith(package + "."):
                for value in list(vars(module).values()):
                    clear = getattr(value, "cache_clear", None)
                    if callable(clear):
                        clear()
    yield


@pytest.fixture(autouse=True)
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Each test has its own ``$XDG_CACHE_HOME``: the MT cache and the run state of SOURCE runs
    live there, and a test must neither read what another left nor write to the user's ~/.cache.
    (A test that sets XDG_CACHE_HOME itself overrides this one.)"""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    yield


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def run_cli() -> Callable[..., subprocess.CompletedProcess]:
    """Run ``python -m bilingual ARGS`` as a subprocess; see the module docstring."""

    def run(
        args: Sequence[str],
        env: Mapping[str, str | None] | None = None,
        cwd: str | Path | None = None,
        input: str | None = None,
        timeout: float = 300,
    ) -> subprocess.CompletedProcess:
        full_env = dict(os.environ)
        full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), full_env.get("PYTHONPATH")]))
        for key, value in (env or {}).items():
            if value is None:
                full_env.pop(key, None)
            else:
                full_env[key] = value
        return subprocess.run(
            [sys.executable, "-m", "bilingual", *map(str, args)],
            env=full_env,
            cwd=str(cwd or REPO_ROOT),
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run


def build_cached_package(cache_dir: Path = MODEL_CACHE, *, source: Path = SHANGHAI_SOURCE, **params) -> Path:
    """Build (or reuse) a tiny package; the cache key covers tinymodel.py, params and text."""
    tests_dir = str(Path(__file__).resolve().parent)
    if tests_dir not in sys.path:
        sys.path.insert(0, tests_dir)
    import tinymodel

    params = {**TINY_MODEL_PARAMS, **params}
    text = source.read_text(encoding="utf-8")
    key = hashlib.sha256()
    key.update(Path(tinymodel.__file__).read_bytes())
    key.update(json.dumps(params, sort_keys=True).encode())
    key.update(text.encode("utf-8"))
    target = cache_dir / f"translate-zh_en-tiny-{key.hexdigest()[:16]}.argosmodel"
    if not target.exists():
        tinymodel.build_argos_package(target, source_text=text, **params)  # written atomically
    return target


@pytest.fixture(scope="session")
def argos_package() -> Path:
    """The cached tiny zh→en ``.argosmodel`` (built on first use)."""
    return build_cached_package()


@pytest.fixture
def argos_packages_dir(argos_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A packages folder holding the tiny package; ``ARGOS_PACKAGES_DIR`` points at it."""
    from bilingual.packages import install_from_file

    directory = tmp_path / "argos-packages"
    directory.mkdir()
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(directory))
    monkeypatch.setenv("ARGOS_INTRA_THREADS", "1")
    install_from_file(argos_package)
    return directory
