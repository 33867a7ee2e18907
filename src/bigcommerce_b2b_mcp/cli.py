"""Command line: `serve` the MCP server, `check` credentials, run the API `simulator`."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    logging.basicConfig(
        level=getattr(args, "log_level", "WARNING").upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    command: int = args.run(args)
    return command


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bigcommerce-b2b-mcp",
        description="MCP server for BigCommerce B2B Edition.",
    )
    parser.set_defaults(command=None)
    commands = parser.add_subparsers(title="commands")

    simulator = commands.add_parser(
        "simulator",
        help="serve a simulated B2B Edition API (no store or credentials needed)",
        description="Serve a faithful simulator of the B2B Edition API on a local port.",
    )
    simulator.add_argument("--host", default="127.0.0.1")
    simulator.add_argument("--port", type=int, default=8765)
    simulator.add_argument("--store-hash", default="demo")
    simulator.add_argument("--access-token", default="demo-token")
    simulator.add_argument(
        "--token-without-scope",
        default=None,
        help="a second token the simulator accepts but answers 403 (no B2B Edition scope)",
    )
    simulator.add_argument("--no-seed", action="store_true", help="start with an empty store")
    simulator.add_argument("--rate-limit", type=int, default=150, help="requests per window")
    simulator.add_argument("--rate-window", type=float, default=60.0, help="window in seconds")
    simulator.add_argument("--log-level", default="WARNING")
    simulator.set_defaults(command="simulator", run=_run_simulator)
    return parser


def _run_simulator(args: argparse.Namespace) -> int:
    import uvicorn

    from .simulator.app import API_PREFIX, create_app
    from .simulator.seed import describe, seed
    from .simulator.store import SimulatedStore

    store = SimulatedStore(
        store_hash=args.store_hash,
        access_token=args.access_token,
        token_without_scope=args.token_without_scope,
    )
    if not args.no_seed:
        seed(store)
    app = create_app(store, rate_limit=args.rate_limit, rate_window=args.rate_window)
    print(
        f"B2B Edition API simulator ({describe(store)})\n"
        f"  base URL:   http://{args.host}:{args.port}{API_PREFIX}\n"
        f"  headers:    X-Auth-Token: {args.access_token}   X-Store-Hash: {args.store_hash}\n"
        f"  try:        curl -H 'X-Auth-Token: {args.access_token}' "
        f"-H 'X-Store-Hash: {args.store_hash}' http://{args.host}:{args.port}{API_PREFIX}/companies",
        flush=True,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level.lower())
    return 0


if __name__ == "__main__":
    sys.exit(main())
