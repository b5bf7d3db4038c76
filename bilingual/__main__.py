"""``python -m bilingual`` runs the CLI (as the console script does: bilingual/launch.py)."""

from .launch import entry

entry()
