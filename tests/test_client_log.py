"""Log records reach the MCP clients that ask for them, in both protocol generations."""

from __future__ import annotations

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.types import LoggingMessageNotificationParams

from bigcommerce_b2b_mcp.client_log import mcp_level
from bigcommerce_b2b_mcp.server import build_server
from bigcommerce_b2b_mcp.simulator.app import create_app
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.conftest import TOKEN
from tests.tools.calls import fail
from tests.tools.conftest import settings

pytestmark = pytest.mark.anyio

WRONG_TOKEN = "not-the-token-" + "x" * 20


class Gate(httpx2.AsyncBaseTransport):
    """Holds every request until opened: nothing happens before the test is ready."""

    def __init__(self, inner: httpx2.AsyncBaseTransport) -> None:
        self.inner = inner
        self.open = anyio.Event()

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        await self.open.wait()
        return await self.inner.handle_async_request(request)


class Received:
    """Collects log messages; `until` waits for one that contains some text."""

    def __init__(self) -> None:
        self.messages: list[LoggingMessageNotificationParams] = []
        self._arrived = anyio.Event()

    async def __call__(self, params: LoggingMessageNotificationParams) -> None:
        self.messages.append(params)
        self._arrived.set()
        self._arrived = anyio.Event()

    async def until(self, text: str) -> LoggingMessageNotificationParams:
        with anyio.fail_after(10):
            while True:
                for message in self.messages:
                    if text in str(message.data):
                        return message
                await self._arrived.wait()


async def test_a_poller_stopped_by_a_refused_token_tells_clients_that_set_a_level(
    store: SimulatedStore,
) -> None:
    gate = Gate(httpx2.ASGITransport(app=create_app(store, rate_limit=10_000)))
    server = build_server(settings(access_token=WRONG_TOKEN), transport=gate)
    asked, silent, picky = Received(), Received(), Received()
    async with (
        Client(server, mode="legacy", logging_callback=asked) as client,
        Client(server, mode="legacy", logging_callback=silent),
        Client(server, mode="legacy", logging_callback=picky) as critical_only,
    ):
        await client.set_logging_level("warning")
        await critical_only.set_logging_level("critical")
        gate.open.set()
        stopped = await asked.until("Polling stopped")
        assert stopped.level == "error"
        assert stopped.logger is not None
        assert stopped.logger.startswith("bigcommerce_b2b_mcp.")
        assert "fix the credentials" in str(stopped.data)
    assert silent.messages == []  # never asked
    assert picky.messages == []  # asked for worse than errors only
    assert all(WRONG_TOKEN not in str(m.data) and TOKEN not in str(m.data) for m in asked.messages)


def _unreachable(request: httpx2.Request) -> httpx2.Response:
    raise httpx2.ConnectError("refused", request=request)


async def test_a_modern_client_gets_the_records_of_its_own_tool_call() -> None:
    server = build_server(settings(), transport=httpx2.MockTransport(_unreachable))
    received, unasked = Received(), Received()
    async with (
        Client(server, logging_callback=received, log_level="info") as client,
        Client(server, logging_callback=unasked) as other,
    ):
        text = await fail(client, "get_company", company_id=1001)
        assert "network" in text.lower() or "reach" in text.lower()
        warning = await received.until("failed: ConnectError")
        assert warning.level == "warning"
        await fail(other, "get_company", company_id=1001)
    assert unasked.messages == []  # 2026 delivery is opt-in per request


def test_python_levels_map_onto_the_mcp_scale() -> None:
    assert [mcp_level(n) for n in (5, 10, 20, 25, 30, 40, 50, 55, 60)] == [
        "debug",
        "debug",
        "info",
        "notice",
        "warning",
        "error",
        "critical",
        "alert",
        "emergency",
    ]
