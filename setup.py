"""Build hook: the curated termbase ships in the wheel.

The repository edits the termbase in its top-level ``glossary/`` folder; a wheel
carries a copy of it as the package data ``bilingual/termbase_data/``, made here
at build time, so git holds one copy and every release carries the termbase of
its commit. An editable install copies nothing: ``bilingual.glossary_layers``
then reads ``glossary/`` in place. Everything else is declared in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

GLOSSARY = Path(__file__).resolve().parent / "glossary"
DATA_DIR = Path("bilingual") / "termbase_data"  # bilingual.glossary_layers.DATA_DIR
FILES = ("*.csv", "left-to-mt.txt", "README.md")


class BuildPyWithTermbase(build_py):
    """``build_py`` that also copies ``glossary/`` into the built package."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        files = sorted({f for pattern in FILES for f in GLOSSARY.glob(pattern) if f.is_file()})
        if not any(f.suffix == ".csv" for f in files):
            raise SystemExit(f"error: no glossary CSV files in {GLOSSARY}: a wheel without its termbase "
                             "would not translate a single name")
        target = Path(self.build_lib) / DATA_DIR
        self.mkpath(str(target))
        for path in files:
            self.copy_file(str(path), str(target / path.name))


setup(cmdclass={"build_py": BuildPyWithTermbase})
