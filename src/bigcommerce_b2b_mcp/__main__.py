"""`python -m bigcommerce_b2b_mcp`."""

import sys

from .cli import main

sys.exit(main())
