"""``python -m aipower`` runs the command line."""

from aipower.cli import entry

entry()
