"""``python -m dbssim COMMAND ...``: the same as the ``dbssim`` command."""

import sys

from dbssim.cli import main

sys.exit(main())
