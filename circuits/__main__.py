"""``python -m circuits`` runs the ``vicarious`` command line."""

import sys

from circuits.cli import main

sys.exit(main())
