"""``python -m aipower`` runs the command line."""

import sys

from aipower.cli import main

sys.exit(main())
