"""Build the project's wheel and install it into a fresh virtual environment, quickly and honestly.

* **Build**: ``pip wheel --no-deps`` on a copy of the repository (the build writes
  ``build/`` and ``*.egg-info`` into the tree it builds; the copy keeps the checkout clean),
  with build isolation, as pip and pipx build from source: pip fetches the declared
  ``build-system.requires`` (setuptools, wheel) from the index — about 14 s on the CI
  machine, against 4 s for ``--no-build-isolation``, which would need setuptools ≥ 68 and
  wheel in the test environment and would not test that the build requirements are declared.
* **Fresh environment**: ``python -m venv --without-pip`` (no system site-packages), the wheel
  installed by pip (``pip --python VENV/bin/python install --no-deps``). Downloading and
  unpacking its ~580 MB of dependencies again would take minutes, so the environment sees the
  test environment's copies of **exactly the declared runtime dependencies and theirs**
  (``Requires-Dist`` of the built wheel, markers evaluated, extras followed): each
  distribution's top-level files are linked into one folder that a ``.pth`` file adds to the
  new environment's path. Nothing else of the test environment is visible — not the editable
  ``bilingual``, not the test tools — so an import of an undeclared dependency fails here, and
  ``pip check`` in the new environment confirms every requirement is met.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

IGNORED = {".git", ".venv", "build", "dist", ".pytest_cache", ".ruff_cache", ".model-cache", ".work",
           "__pycache__", ".hypothesis"}


def build_wheel(repo: Path, workdir: Path) -> Path:
    """The wheel of a copy of ``repo`` (every file of the checkout but caches and environments)."""
    source = workdir / "source"
    shutil.copytree(repo, source, symlinks=True,
                    ignore=lambda _d, names: [n for n in names if n in IGNORED or n.endswith(".egg-info")])
    out = workdir / "dist"
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check",
                             "-q", "-w", str(out), str(source)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = out.glob("bilingual-*.whl")
    return wheel


def wheel_requirements(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        text = archive.read(metadata).decode("utf-8")
    return [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Requires-Dist:")]


def dependency_closure(requirements: list[str]) -> dict[str, importlib.metadata.Distribution]:
    """The installed distributions the requirements need, transitively (markers and extras honoured)."""
    found: dict[str, importlib.metadata.Distribution] = {}
    todo = [(Requirement(r), "") for r in requirements]
    while todo:
        requirement, extra = todo.pop()
        environment = default_environment() | {"extra": extra}
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        name = canonicalize_name(requirement.name)
        extras = sorted(requirement.extras)
        key = name + "[" + ",".join(extras) + "]"
        if key in found:
            continue
        dist = importlib.metadata.distribution(requirement.name)
        assert requirement.specifier.contains(dist.version, prereleases=True), (requirement, dist.version)
        found[key] = dist
        for text in dist.requires or ():
            for wanted in ["", *extras]:
                todo.append((Requirement(text), wanted))
    return {key.split("[")[0]: dist for key, dist in found.items()}


def link_dependencies(dists, folder: Path) -> None:
    """Link each distribution's top-level files and folders (packages, modules, dist-info) into ``folder``."""
    folder.mkdir()
    for dist in dists:
        for file in dist.files or ():
            top = file.parts[0]
            if top in ("..", "__pycache__") or (folder / top).exists():
                continue
            (folder / top).symlink_to(Path(dist.locate_file(top)).resolve())


def fresh_venv(wheel: Path, workdir: Path) -> Path:
    """A new virtual environment with the wheel installed; returns its folder."""
    venv = workdir / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    deps = workdir / "dependencies"
    link_dependencies(dependency_closure(wheel_requirements(wheel)).values(), deps)
    Path(purelib, "bilingual-test-dependencies.pth").write_text(f"{deps}\n", encoding="utf-8")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "--disable-pip-version-check"]
    installed = subprocess.run([*pip, "install", "--no-deps", "--no-index", "-q", str(wheel)],
                               capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    checked = subprocess.run([*pip, "check"], capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    return venv


def venv_env(venv: Path, home: Path) -> dict[str, str]:
    """The environment of a user of that venv: its bin first, no PYTHONPATH, a home of its own."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "BILINGUAL_BUILTIN_GLOSSARY")}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", HOME=str(home),
               XDG_CACHE_HOME=str(home / ".cache"), XDG_DATA_HOME=str(home / ".local" / "share"),
               ARGOS_PACKAGES_DIR=str(home / "argos-packages"))
    return env
