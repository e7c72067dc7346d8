"""The frozen program's entry point: the same as `township-desk` and `python -m desktop`."""

import sys

from desktop.cli import main

sys.exit(main())
