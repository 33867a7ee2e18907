"""How API-side failures read to the model: credentials, scope, rate limits, outages."""

from __future__ import annotations

import httpx2
import pytest
from mcp import Client

from bigcommerce_b2b_mcp.server import build_server
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.conftest import SCOPELESS_TOKEN, TOKEN
from tests.tools.calls import fail
from tests.tools.conftest import server_for, settings

pytestmark = pytest.mark.anyio


async def test_a_wrong_token_says_the_credentials_need_fixing(store: SimulatedStore) -> None:
    store.access_token = "rotated"
    async with Client(server_for(store)) as client:
        text = await fail(client, "list_companies")
    assert "401" in text
    assert "BIGCOMMERCE_ACCESS_TOKEN" in text
    assert TOKEN not in text


async def test_a_token_without_the_scope_says_so(store: SimulatedStore) -> None:
    async with Client(server_for(store, access_token=SCOPELESS_TOKEN)) as client:
        text = await fail(client, "get_company", company_id=min(store.companies))
    assert "B2B Edition scope" in text


async def test_an_outage_after_a_create_warns_against_repeating_it() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(502, text="<html>Bad gateway</html>")

    server = build_server(settings(), transport=httpx2.MockTransport(handler))
    async with Client(server) as client:
        text = await fail(
            client, "create_invoice", company_id=1, invoice_number="X", original_balance=5
        )
    assert "may have been applied" in text
    assert "Bad gateway" not in text


async def test_rate_limit_says_when_to_retry() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        body = {"code": 429, "data": {}, "meta": {"message": "Too Many Requests"}}
        return httpx2.Response(429, json=body, headers={"X-Request-Window-Resets-After": "90 s"})

    server = build_server(settings(), transport=httpx2.MockTransport(handler))
    async with Client(server) as client:
        text = await fail(client, "list_orders")
    assert "Try again in 90 seconds" in text
