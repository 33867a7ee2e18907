"""The bundle's entry point: `bigcommerce-b2b-mcp serve`, configured by the environment the
host sets from the user's answers (see manifest.json)."""

import sys

from bigcommerce_b2b_mcp.cli import main

sys.exit(main(["serve", *sys.argv[1:]]))
