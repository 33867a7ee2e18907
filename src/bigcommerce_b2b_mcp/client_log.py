"""The server's own log records, sent to the MCP clients that ask for them.

2025-era clients ask with `logging/setLevel`: from then on their connection receives
`notifications/message` for every record at or above that level, whatever caused it (a
poller stopped by a refused token, backing off, waiting for the request budget, polling
again). 2026-07-28 clients ask per request (the SDK's `log_level`): they receive the
records a tool call of theirs caused, on that call's stream.

Only records at INFO and above leave the process: this server's debug records may hold
query strings (names, emails). Records never hold the token; the text is the message
alone, without a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections.abc import Coroutine, Iterator
from typing import Any, get_args

from mcp.server import MCPServer
from mcp.server.context import ServerRequestContext
from mcp.server.mcpserver import Context
from mcp.server.session import ServerSession
from mcp.types import EmptyResult, LoggingLevel, SetLevelRequestParams
from mcp.types.version import MODERN_PROTOCOL_VERSIONS

PACKAGE = __name__.rpartition(".")[0]
MAX_TEXT = 1000
# The MCP (RFC 5424) levels, by the Python level each starts at.
_THRESHOLDS: dict[str, int] = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "notice": logging.INFO + 5,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "critical": logging.CRITICAL,
    "alert": logging.CRITICAL + 5,
    "emergency": logging.CRITICAL + 10,
}
assert set(_THRESHOLDS) == set(get_args(LoggingLevel))

# The tool call being served in this task, for request-scoped (2026) delivery.
_request: contextvars.ContextVar[tuple[ServerSession, str] | None] = contextvars.ContextVar(
    "b2b_mcp_request", default=None
)


def mcp_level(levelno: int) -> LoggingLevel:
    """The MCP level of a Python log level."""
    level: LoggingLevel = "debug"
    for name, threshold in _THRESHOLDS.items():
        if levelno >= threshold:
            level = name  # type: ignore[assignment]  # a key of _THRESHOLDS: a LoggingLevel
    return level


@contextlib.contextmanager
def serving(context: Context[Any, Any] | None) -> Iterator[None]:
    """Within a tool call: its records also go to the calling 2026-era client, if it asked."""
    if context is None or context.protocol_version not in MODERN_PROTOCOL_VERSIONS:
        yield
        return
    token = _request.set((context.request_context.session, str(context.request_id)))
    try:
        yield
    finally:
        _request.reset(token)


class ClientLog(logging.Handler):
    """Forwards this package's log records to the sessions that asked for them."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        # Per 2025-era connection: its session and the lowest Python level it wants.
        self._connections: dict[Any, tuple[ServerSession, int]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def install(self, server: MCPServer[Any]) -> None:
        """Serve `logging/setLevel` (and so declare the logging capability)."""
        low = server._lowlevel_server  # no public hook in mcp 2.3 (see subscriptions.py)
        low.add_request_handler("logging/setLevel", SetLevelRequestParams, self.on_set_level)

    @contextlib.contextmanager
    def attached(self) -> Iterator[None]:
        """Forward records while the server runs (in this event loop)."""
        self._loop = asyncio.get_running_loop()
        package = logging.getLogger(PACKAGE)
        package.addHandler(self)
        try:
            yield
        finally:
            package.removeHandler(self)
            self._loop = None

    async def on_set_level(
        self, ctx: ServerRequestContext[Any, Any], params: SetLevelRequestParams
    ) -> EmptyResult:
        if ctx.protocol_version in MODERN_PROTOCOL_VERSIONS:
            return EmptyResult()  # no such method at 2026: delivery is asked per request
        # `ctx.session` is a fresh proxy per message; its connection is the stable key.
        connection = ctx.session._connection
        if connection not in self._connections:
            connection.exit_stack.callback(self._connections.pop, connection, None)
        self._connections[connection] = (ctx.session, _THRESHOLDS[params.level])
        return EmptyResult()

    def emit(self, record: logging.LogRecord) -> None:
        sessions = [s for s, lowest in self._connections.values() if record.levelno >= lowest]
        request = _request.get()
        if not sessions and request is None:
            return
        try:
            text = record.getMessage()[:MAX_TEXT]
        except Exception:  # a malformed record must not break the code that logged it
            return
        level = mcp_level(record.levelno)
        deliveries = [self._send(session, level, text, record.name) for session in sessions]
        if request is not None:
            deliveries.append(self._send(request[0], level, text, record.name, request[1]))
        for delivery in deliveries:
            self._spawn(delivery)

    def _spawn(self, delivery: Coroutine[Any, Any, None]) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # logged from a worker thread
            loop = None
        if loop is not None and loop is self._loop:
            task = loop.create_task(delivery)
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        elif self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._spawn, delivery)
        else:
            delivery.close()

    async def _send(
        self,
        session: ServerSession,
        level: LoggingLevel,
        text: str,
        logger: str,
        request_id: str | None = None,
    ) -> None:
        # A client gone or a stream closed costs only that message; logging about it
        # here would come straight back.
        with contextlib.suppress(Exception):
            await session.send_log_message(level, text, logger, related_request_id=request_id)
