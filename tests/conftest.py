"""Fixtures shared by every test: a simulated store on a controllable clock, and clients of it."""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import anyio
import httpx2
import pytest
import uvicorn
from hypothesis import settings as hypothesis_settings
from starlette.types import ASGIApp

if TYPE_CHECKING:
    from tests.redis_server import RedisServer

from bigcommerce_b2b_mcp.api.client import B2BClient, RetryPolicy
from bigcommerce_b2b_mcp.simulator.app import API_PREFIX, create_app
from bigcommerce_b2b_mcp.simulator.companies import add_company
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


def new_company(store: SimulatedStore, n: int = 1) -> int:
    """Add company `n` (and its admin user) straight to the simulated store; its id."""
    company = add_company(
        store,
        name=f"New Co {n}",
        email=f"n{n}@new.example",
        phone="1",
        country="US",
        admin={"first_name": "N", "last_name": str(n), "email": f"admin{n}@new.example"},
    )
    return int(company["id"])


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


class _Uvicorn(uvicorn.Server):
    """uvicorn that announces when it is listening."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.listening = anyio.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.listening.set()


@asynccontextmanager
async def serving(app: ASGIApp, port: int | None = None) -> AsyncIterator[str]:
    """`app` under uvicorn on a loopback port for the block's duration; yields its base URL."""
    port = port or free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", date_header=False
    )
    server = _Uvicorn(config)
    async with anyio.create_task_group() as tg:
        tg.start_soon(server.serve)
        with anyio.fail_after(10):
            await server.listening.wait()
        yield f"http://127.0.0.1:{port}"
        server.should_exit = True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A real redis-server of this test's own, on a free port (see tests/redis_server.py)."""
    from tests.redis_server import redis_server_or_skip

    yield from redis_server_or_skip(tmp_path / "redis")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's own settings or writes to their state directory."""
    for name in list(os.environ):
        if name.startswith(("BIGCOMMERCE_", "B2B_MCP_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("B2B_MCP_STATE_DIR", str(tmp_path / "state"))


# CI runs every property-based test with a fixed seed, so a run can be repeated exactly;
# developers' runs keep exploring new inputs.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")
