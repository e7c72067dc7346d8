"""`python -m desktop`: the same program as the `township-desk` command."""

import sys

from desktop.cli import main

sys.exit(main())
