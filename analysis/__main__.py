"""``python -m analysis`` runs the command line (``analysis.cli``: thin until it runs)."""

import sys

from analysis.cli import main

sys.exit(main())
