"""The server over real HTTP: Streamable HTTP and SSE, bearer auth, DNS-rebinding protection."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client
from mcp.client.subscriptions import ResourceUpdated
from mcp.types import ResourceUpdatedNotification

from bigcommerce_b2b_mcp.errors import ConfigError
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from bigcommerce_b2b_mcp.transports import HttpTransport, http_app
from tests.conftest import Clock, free_port, new_company, serving
from tests.tools.calls import call, until_first_poll
from tests.tools.conftest import server_for, settings

pytestmark = pytest.mark.anyio

SECRET = "http-secret-for-tests"
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "t", "version": "0"},
    },
}
MCP_HEADERS = {"accept": "application/json, text/event-stream", "content-type": "application/json"}


@asynccontextmanager
async def server_over_http(
    store: SimulatedStore, transport: HttpTransport, **overrides: Any
) -> AsyncIterator[str]:
    """The server's HTTP app on a free loopback port, for the test's duration."""
    port = free_port()
    app = http_app(
        server_for(store, **overrides),
        settings(**overrides),
        transport=transport,
        host="127.0.0.1",
        port=port,
    )
    async with serving(app, port) as base:
        yield base


def bearer(token: str = SECRET) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_streamable_http_with_the_token(store: SimulatedStore, mode: str) -> None:
    async with (
        server_over_http(store, "streamable-http", http_token=SECRET) as base,
        bearer() as http,
        Client(streamable_http_client(f"{base}/mcp", http_client=http), mode=mode) as client,
    ):
        assert client.protocol_version == ("2026-07-28" if mode == "auto" else "2025-11-25")
        page = await call(client, "list_companies", limit=3)
    assert page["total"] == len(store.companies)


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_sse_with_the_token(store: SimulatedStore, mode: str) -> None:
    async with server_over_http(store, "sse", http_token=SECRET) as base:
        transport = sse_client(f"{base}/sse", headers={"Authorization": f"Bearer {SECRET}"})
        async with Client(transport, mode=mode) as client:
            company = await call(client, "get_company", company_id=min(store.companies))
    assert company["company_id"] == min(store.companies)


@pytest.mark.parametrize(
    ("transport", "path", "method"),
    [("streamable-http", "/mcp", "POST"), ("sse", "/sse", "GET")],
)
async def test_requests_without_the_right_token_get_401(
    store: SimulatedStore, transport: HttpTransport, path: str, method: str
) -> None:
    async with (
        server_over_http(store, transport, http_token=SECRET) as base,
        httpx2.AsyncClient() as http,
    ):
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": SECRET}):
            response = await http.request(
                method, f"{base}{path}", json=INITIALIZE, headers={**MCP_HEADERS, **headers}
            )
            assert response.status_code == 401
            assert SECRET not in response.text


async def test_dns_rebinding_is_refused(store: SimulatedStore) -> None:
    async with server_over_http(store, "streamable-http") as base, httpx2.AsyncClient() as http:
        evil_host = await http.post(
            f"{base}/mcp", json=INITIALIZE, headers={**MCP_HEADERS, "host": "evil.example"}
        )
        assert evil_host.status_code == 421
        evil_origin = await http.post(
            f"{base}/mcp", json=INITIALIZE, headers={**MCP_HEADERS, "origin": "http://evil.example"}
        )
        assert evil_origin.status_code == 403
        fine = await http.post(f"{base}/mcp", json=INITIALIZE, headers=MCP_HEADERS)
        assert fine.status_code == 200


async def test_configured_hosts_are_allowed(store: SimulatedStore) -> None:
    async with (
        server_over_http(store, "streamable-http", allowed_hosts=("mcp.example.com",)) as base,
        httpx2.AsyncClient() as http,
    ):
        response = await http.post(
            f"{base}/mcp", json=INITIALIZE, headers={**MCP_HEADERS, "host": "mcp.example.com"}
        )
    assert response.status_code == 200


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10"])  # noqa: S104 - never bound
def test_a_public_address_needs_a_token(store: SimulatedStore, host: str) -> None:
    server = server_for(store)
    with pytest.raises(ConfigError, match="B2B_MCP_HTTP_TOKEN"):
        http_app(server, settings(), transport="streamable-http", host=host, port=8000)


@pytest.mark.parametrize("token", ["x", "a" * 31])
def test_a_public_address_needs_a_long_token(store: SimulatedStore, token: str) -> None:
    with pytest.raises(ConfigError, match="at least 32 characters") as caught:
        http_app(
            server_for(store),
            settings(http_token=token),
            transport="streamable-http",
            host="0.0.0.0",  # noqa: S104 - refused before binding
            port=8000,
        )
    assert "secrets.token_urlsafe" in str(caught.value)
    assert token not in str(caught.value).replace("at least", "")


def test_a_long_token_serves_a_public_address(store: SimulatedStore) -> None:
    long_token = "k" * 32
    http_app(
        server_for(store),
        settings(http_token=long_token),
        transport="streamable-http",
        host="0.0.0.0",  # noqa: S104 - built, never bound
        port=8000,
    )


@pytest.mark.parametrize(
    "headers",
    [
        [("Authorization", "Bearer wrong"), ("Authorization", f"Bearer {SECRET}")],
        [("Authorization", f"Bearer {SECRET}"), ("Authorization", "Bearer wrong")],
        [("Authorization", f"Bearer {SECRET}"), ("Authorization", f"Bearer {SECRET}")],
    ],
)
async def test_two_authorization_headers_are_refused(
    store: SimulatedStore, headers: list[tuple[str, str]]
) -> None:
    async with (
        server_over_http(store, "streamable-http", http_token=SECRET) as base,
        httpx2.AsyncClient() as http,
    ):
        response = await http.post(
            f"{base}/mcp",
            json=INITIALIZE,
            headers=httpx2.Headers([*MCP_HEADERS.items(), *headers]),
        )
    assert response.status_code == 400
    assert "exactly one Authorization header" in response.text


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_trigger_notifications_over_streamable_http(
    store: SimulatedStore, clock: Clock, mode: str
) -> None:
    uri = "b2b://triggers/new-companies"
    arrived = anyio.Event()

    async def on_message(message: Any) -> None:
        if isinstance(message, ResourceUpdatedNotification) and message.params.uri == uri:
            arrived.set()

    async with server_over_http(store, "streamable-http", poll_interval=0.05) as base:
        client = Client(f"{base}/mcp", mode=mode, message_handler=on_message)
        async with client:
            await until_first_poll(client, uri)
            if mode == "legacy":
                await client.subscribe_resource(uri)
                clock.advance(1)
                new_company(store)
                with anyio.fail_after(10):
                    await arrived.wait()
            else:
                async with client.listen(resource_subscriptions=[uri]) as updates:
                    clock.advance(1)
                    new_company(store)
                    with anyio.fail_after(10):
                        assert await anext(aiter(updates)) == ResourceUpdated(uri=uri)


async def test_health_probes_answer_without_the_token_and_readiness_says_why_not(
    store: SimulatedStore,
) -> None:
    async with (
        server_over_http(store, "streamable-http", http_token=SECRET) as base,
        httpx2.AsyncClient(base_url=base) as anonymous,
    ):
        assert (
            await anonymous.post("/mcp", json=INITIALIZE, headers=MCP_HEADERS)
        ).status_code == 401
        health = await anonymous.get("/healthz")
        assert (health.status_code, health.json()) == (200, {"status": "ok"})
        ready = await anonymous.get("/readyz")
        assert (ready.status_code, ready.json()) == (200, {"status": "ready"})

    # A store that refuses the token: alive, but not ready, and saying why.
    async with (
        server_over_http(store, "streamable-http", access_token="revoked-token") as base,
        httpx2.AsyncClient(base_url=base) as anonymous,
        Client(streamable_http_client(f"{base}/mcp")) as client,
    ):
        assert (await client.call_tool("list_companies", {})).is_error
        assert (await anonymous.get("/healthz")).status_code == 200
        ready = await anonymous.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["problems"] == {"store": "the store refused the access token (401)"}
        assert "revoked-token" not in ready.text


def test_stateless_http_is_for_streamable_http_only(store: SimulatedStore) -> None:
    with pytest.raises(ConfigError, match="streamable-http only"):
        http_app(
            server_for(store),
            settings(stateless_http=True),
            transport="sse",
            host="127.0.0.1",
            port=free_port(),
        )
