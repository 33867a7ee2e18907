"""The simulator's gate: header auth, store hash, scope, rate limit, unknown routes."""

from __future__ import annotations

import httpx2
import pytest

from bigcommerce_b2b_mcp.simulator.app import API_PREFIX, create_app
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.conftest import SCOPELESS_TOKEN, STORE_HASH, TOKEN, Clock

pytestmark = pytest.mark.anyio


def http(store: SimulatedStore, headers: dict[str, str], **limits: float) -> httpx2.AsyncClient:
    app = create_app(store, **limits)  # type: ignore[arg-type]
    return httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=app), base_url=f"http://sim{API_PREFIX}", headers=headers
    )


async def test_a_missing_token_gets_the_documented_401(store: SimulatedStore) -> None:
    async with http(store, {"X-Store-Hash": STORE_HASH}) as client:
        response = await client.get("/companies")
    assert response.status_code == 401
    assert response.json() == {
        "code": 401,
        "data": {"errMsg": "Invalid token header. No credentials provided."},
        "meta": {"message": "Invalid token header. No credentials provided."},
    }


async def test_a_token_without_the_b2b_scope_gets_403(store: SimulatedStore) -> None:
    async with http(store, {"X-Auth-Token": SCOPELESS_TOKEN, "X-Store-Hash": STORE_HASH}) as client:
        response = await client.get("/companies")
    assert response.status_code == 403
    assert response.json()["code"] == 403


async def test_a_mismatched_store_hash_is_a_server_error(store: SimulatedStore) -> None:
    async with http(store, {"X-Auth-Token": TOKEN, "X-Store-Hash": "other"}) as client:
        response = await client.get("/companies")
    assert response.status_code == 500


async def test_rate_limit_headers_and_429(store: SimulatedStore, clock: Clock) -> None:
    headers = {"X-Auth-Token": TOKEN, "X-Store-Hash": STORE_HASH}
    async with http(store, headers, rate_limit=2, rate_window=60) as client:
        first = await client.get("/companies")
        assert first.headers["X-Requests-Allocated"] == "2 times/60 s"
        assert first.headers["X-Requests-Remaining"] == "1 times"
        await client.get("/companies")
        clock.advance(20)
        limited = await client.get("/companies")
        assert limited.status_code == 429
        assert limited.json() == {"code": 429, "data": {}, "meta": {"message": "Too Many Requests"}}
        assert float(limited.headers["X-Request-Window-Resets-After"].split()[0]) == pytest.approx(
            40
        )
        clock.advance(40)
        assert (await client.get("/companies")).status_code == 200


async def test_unknown_routes_and_methods_answer_in_the_envelope(raw: httpx2.AsyncClient) -> None:
    missing = await raw.get("/nothing-here")
    assert missing.status_code == 404
    assert missing.json()["code"] == 404
    wrong = await raw.delete("/companies")
    assert wrong.status_code == 405
    assert wrong.json()["meta"]["message"] == "Method Not Allowed"
