"""``python -m cppanalytics.cli``: the same as the ``cppanalytics`` command."""

import sys

from cppanalytics.cli import run

sys.exit(run())
