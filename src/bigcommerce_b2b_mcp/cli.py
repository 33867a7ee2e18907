"""Command line: `serve` the MCP server, `check` credentials, run the API `simulator`."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from . import __version__
from .config import MISSING_CREDENTIALS, Settings
from .errors import ConfigError
from .tools import TOOLSET_NAMES


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    configure_logging(getattr(args, "log_level", "WARNING"))
    try:
        command: int = args.run(args)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return command


# Libraries that log request URLs (whose query strings hold searched names and emails) or
# the text of tool results at INFO: they stay at WARNING unless the user asks for DEBUG.
_VERBOSE_LIBRARIES = ("httpx2", "httpcore2", "mcp", "uvicorn.access")


class _Redact(logging.Filter):
    """Replaces every secret (the access token, the HTTP token) in a log line by ***."""

    def __init__(self, secrets: Sequence[str]) -> None:
        super().__init__()
        self._secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self._secrets):
            for secret in self._secrets:
                message = message.replace(secret, "***")
            record.msg, record.args = message, None
        return True


def configure_logging(level: str, secrets: Sequence[str] = ()) -> None:
    """One stderr handler for everything (stdout may be the MCP stream), secrets redacted."""
    numeric = logging.getLevelNamesMapping().get(level.upper(), logging.WARNING)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_Redact(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(numeric)
    for name in _VERBOSE_LIBRARIES:
        logging.getLogger(name).setLevel(
            numeric if numeric <= logging.DEBUG else max(numeric, logging.WARNING)
        )


def _secrets(settings: Settings) -> list[str]:
    secrets = [
        secret.get_secret_value()
        for secret in (settings.access_token, settings.http_token)
        if secret is not None
    ]
    if settings.redis_url is not None:
        secrets.append(settings.redis_url.get_secret_value())
        if password := urlsplit(settings.redis_url.get_secret_value()).password:
            secrets.append(password)
    return secrets


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bigcommerce-b2b-mcp",
        description="MCP server for BigCommerce B2B Edition.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.set_defaults(command=None)
    commands = parser.add_subparsers(title="commands")

    serve = commands.add_parser(
        "serve",
        help="run the MCP server (stdio by default)",
        description="Run the MCP server. Credentials come from BIGCOMMERCE_STORE_HASH and "
        "BIGCOMMERCE_ACCESS_TOKEN (environment or .env); --demo needs none.",
    )
    serve.add_argument("--transport", choices=("stdio", "sse", "streamable-http"), default="stdio")
    serve.add_argument("--host", default="127.0.0.1", help="HTTP transports: address to bind")
    serve.add_argument("--port", type=int, default=8000, help="HTTP transports: port")
    serve.add_argument(
        "--stateless-http",
        action="store_true",
        default=None,
        help="streamable-http: no sessions, so any replica answers any request (tools-only "
        "deployments; 2025-era clients then get no notifications)",
    )
    serve.add_argument(
        "--demo", action="store_true", help="use a seeded in-process simulator, no store needed"
    )
    serve.add_argument(
        "--read-only", action="store_true", default=None, help="hide every tool that writes"
    )
    serve.add_argument(
        "--toolsets",
        help="comma-separated toolsets to expose (default: all): " + ", ".join(TOOLSET_NAMES),
    )
    serve.add_argument(
        "--dynamic-toolsets",
        action="store_true",
        default=None,
        help="start with only list_available_toolsets and enable_toolset (and get_trigger_events);"
        " the model switches toolsets on as it needs them",
    )
    serve.add_argument("--api-url", help="B2B Edition API base URL (default: the real API)")
    serve.add_argument(
        "--api-share",
        type=float,
        help="part of the store's API rate limit this server may use (default 0.5); "
        "the merchant's other integrations keep the rest",
    )
    serve.add_argument(
        "--no-triggers",
        dest="triggers",
        action="store_false",
        default=None,
        help="no trigger resources and no polling",
    )
    serve.add_argument(
        "--poll-interval", type=float, help="seconds between trigger polls (default 30, min 5)"
    )
    serve.add_argument(
        "--state-dir", help="where trigger events are kept (default: the user state directory)"
    )
    serve.add_argument(
        "--trigger-backfill",
        help="on first start, report records created this long ago too (e.g. 24h, 7d)",
    )
    serve.add_argument("--event-retention", type=int, help="events kept per trigger (1000)")
    serve.add_argument(
        "--redis-url",
        help="keep trigger state, the polling lease and the request budget in Redis, shared "
        "by several replicas (e.g. redis://redis:6379/0); default: SQLite in --state-dir",
    )
    serve.add_argument(
        "--demo-activity-interval",
        type=float,
        help="demo: seconds between simulated changes (default 4, 0 turns it off)",
    )
    serve.add_argument("--log-level", default="WARNING", help="stderr log level")
    serve.set_defaults(command="serve", run=_run_serve)

    check = commands.add_parser(
        "check",
        help="check the configured credentials with one cheap API call",
        description="Check BIGCOMMERCE_STORE_HASH and BIGCOMMERCE_ACCESS_TOKEN against the API "
        "(and Redis, with --redis-url).",
    )
    check.add_argument("--api-url", help="B2B Edition API base URL (default: the real API)")
    check.add_argument("--api-share", type=float, help="as for serve: shown with the budget")
    check.add_argument("--redis-url", help="as for serve: also check that Redis answers")
    check.add_argument("--log-level", default="ERROR")
    check.set_defaults(command="check", run=_run_check)

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
    simulator.add_argument(
        "--require-quote-date",
        action="store_true",
        help="answer GET /rfq/{id} only with the quote's creation day (`date`), as the spec says",
    )
    simulator.add_argument("--rate-limit", type=int, default=150, help="requests per window")
    simulator.add_argument("--rate-window", type=float, default=60.0, help="window in seconds")
    simulator.add_argument("--log-level", default="WARNING")
    simulator.set_defaults(command="simulator", run=_run_simulator)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    """Settings from the environment, with the flags that were given taking precedence."""
    overrides: dict[str, Any] = {}
    for flag in (
        "api_url",
        "toolsets",
        "read_only",
        "dynamic_toolsets",
        "triggers",
        "api_share",
        "poll_interval",
        "state_dir",
        "trigger_backfill",
        "event_retention",
        "demo_activity_interval",
        "redis_url",
        "stateless_http",
    ):
        value = getattr(args, flag, None)
        if value is not None:
            overrides[flag] = value
    if getattr(args, "demo", False):
        overrides["demo"] = True
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid settings: {problems}") from None


def _run_serve(args: argparse.Namespace) -> int:
    import anyio

    settings = _settings(args)
    configure_logging(args.log_level, _secrets(settings))
    if not settings.demo and not settings.has_credentials:
        raise ConfigError(MISSING_CREDENTIALS)  # before the slow imports below

    from .server import build_server

    server = build_server(settings)
    if args.transport == "stdio":
        anyio.run(server.run_stdio_async)
        return 0

    import uvicorn

    from .transports import http_app

    app = http_app(server, settings, transport=args.transport, host=args.host, port=args.port)
    path = "/mcp" if args.transport == "streamable-http" else "/sse"
    print(f"MCP server ({args.transport}) on http://{args.host}:{args.port}{path}", file=sys.stderr)
    # log_config=None: uvicorn logs through the handler configured above (redacted, stderr).
    config = uvicorn.Config(
        app, host=args.host, port=args.port, log_level=args.log_level.lower(), log_config=None
    )
    anyio.run(uvicorn.Server(config).serve)
    return 0


def _run_check(args: argparse.Namespace) -> int:
    import anyio

    from .check import check_credentials

    settings = _settings(args)
    configure_logging(args.log_level, _secrets(settings))
    ok, message = anyio.run(check_credentials, settings)
    print(message, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


def _run_simulator(args: argparse.Namespace) -> int:
    import uvicorn

    from .simulator.app import API_PREFIX, create_app
    from .simulator.seed import describe, seed
    from .simulator.store import SimulatedStore

    store = SimulatedStore(
        store_hash=args.store_hash,
        access_token=args.access_token,
        token_without_scope=args.token_without_scope,
        require_quote_date=args.require_quote_date,
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
    # The simulator sends its own Date header, from its own clock.
    uvicorn.run(
        app, host=args.host, port=args.port, log_level=args.log_level.lower(), date_header=False
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
