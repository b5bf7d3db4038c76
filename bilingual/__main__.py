"""``python -m bilingual`` runs the CLI."""

from .cli import entry

entry()
