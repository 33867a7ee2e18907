"""Fixtures shared by every test: a simulated store on a controllable clock, and clients of it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx2
import pytest

from bigcommerce_b2b_mcp.api.client import B2BClient, RetryPolicy
from bigcommerce_b2b_mcp.simulator.app import API_PREFIX, create_app
from bigcommerce_b2b_mcp.simulator.seed import seed
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore

STORE_HASH = "teststore"
TOKEN = "test-token-5ecret"
SCOPELESS_TOKEN = "token-without-b2b-scope"
T0 = 1_790_000_000.0  # 2026-09-21, a fixed "now" for the simulated store


class Clock:
    """A clock tests move by hand."""

    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Sleeps:
    """Records the backoff a client asked for instead of sleeping through it."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def empty_store(clock: Clock) -> SimulatedStore:
    return SimulatedStore(
        store_hash=STORE_HASH,
        access_token=TOKEN,
        token_without_scope=SCOPELESS_TOKEN,
        clock=clock,
    )


@pytest.fixture
def store(empty_store: SimulatedStore) -> SimulatedStore:
    seed(empty_store)
    return empty_store


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def client_for(
    store: SimulatedStore,
    *,
    token: str = TOKEN,
    store_hash: str = STORE_HASH,
    sleep: Sleeps | None = None,
    rate_limit: int = 10_000,
) -> B2BClient:
    """A B2BClient talking to the simulator in-process."""
    app = create_app(store, rate_limit=rate_limit)
    return B2BClient(
        store_hash=store_hash,
        access_token=token,
        base_url=f"http://simulator{API_PREFIX}",
        transport=httpx2.ASGITransport(app=app),
        retry=RetryPolicy(base_delay=0.0, max_delay=0.0),
        sleep=sleep or Sleeps(),
    )


@pytest.fixture
async def api(store: SimulatedStore, sleeps: Sleeps) -> AsyncIterator[B2BClient]:
    async with client_for(store, sleep=sleeps) as client:
        yield client


@pytest.fixture
async def raw(store: SimulatedStore) -> AsyncIterator[httpx2.AsyncClient]:
    """A plain HTTP client of the simulator, with the documented headers."""
    transport = httpx2.ASGITransport(app=create_app(store, rate_limit=10_000))
    async with httpx2.AsyncClient(
        transport=transport,
        base_url=f"http://simulator{API_PREFIX}",
        headers={"X-Auth-Token": TOKEN, "X-Store-Hash": STORE_HASH},
    ) as client:
        yield client
