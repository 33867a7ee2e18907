"""An MCP server wired to the simulated store, and in-memory clients of it in both protocol eras."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from mcp import Client

from bigcommerce_b2b_mcp.config import Settings
from bigcommerce_b2b_mcp.server import B2BServer, build_server
from bigcommerce_b2b_mcp.simulator.app import API_PREFIX, create_app
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.conftest import STORE_HASH, TOKEN


def settings(**overrides: Any) -> Settings:
    """Test settings; `poll_interval` may go below the 5 s users are held to."""
    poll_interval = overrides.pop("poll_interval", None)
    fields: dict[str, Any] = {
        "store_hash": STORE_HASH,
        "access_token": TOKEN,
        "api_url": f"http://simulator{API_PREFIX}",
        **overrides,
    }
    configured = Settings(_env_file=None, **fields)
    if poll_interval is not None:
        configured = configured.model_copy(update={"poll_interval": poll_interval})
    return configured


def server_for(store: SimulatedStore, **overrides: Any) -> B2BServer:
    transport = httpx2.ASGITransport(app=create_app(store, rate_limit=10_000))
    return build_server(settings(**overrides), transport=transport)


@pytest.fixture(params=["auto", "legacy"])
async def mcp(request: pytest.FixtureRequest, store: SimulatedStore) -> AsyncIterator[Client]:
    """A client of the server in the 2026-07-28 ("auto") and the 2025-11-25 ("legacy") era."""
    async with Client(server_for(store), mode=request.param) as client:
        yield client
