"""What idle replicas cost the store: API requests per poll interval for 1, 2 and 4
replicas, sharing state in Redis (one poller by lease) and, for comparison, sharing a
SQLite state directory (every replica polls).

Each replica is a real `serve --transport streamable-http` process; the simulator runs
in this process on a loopback port and counts every request it answers. After every
replica has made its first poll, requests are counted over a few intervals, with no
client activity: what is left is the pollers' cost.

Run: `uv run python benchmarks/replicas.py` (about three minutes on 2 cores; needs
redis-server on the PATH).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import anyio
import redis.asyncio as aioredis
from floor import env, free_port, process, served_here, until_listening
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import TextResourceContents
from starlette.types import ASGIApp, Receive, Scope, Send

from bigcommerce_b2b_mcp.simulator.app import create_app
from bigcommerce_b2b_mcp.simulator.seed import seed
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore

INTERVAL = 5.0
TRIGGERS = ("new-companies", "new-orders", "invoice-status-changes")


class Counting:
    """The simulator, counting the requests it answers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.requests = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.requests += 1
        await self.app(scope, receive, send)


@asynccontextmanager
async def simulator() -> AsyncIterator[tuple[str, Counting]]:
    store = SimulatedStore(store_hash="demo", access_token="demo-token")
    seed(store)
    counting = Counting(create_app(store, rate_limit=1_000_000_000))
    async with served_here(counting) as url:
        yield url, counting


@asynccontextmanager
async def redis_server(directory: Path) -> AsyncIterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(directory)]
    command += ["--save", "", "--appendonly", "no"]
    started = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: ASYNC220
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = aioredis.Redis.from_url(url)
        with anyio.fail_after(10):
            while True:
                try:
                    await client.ping()
                    break
                except (OSError, aioredis.ConnectionError):
                    await anyio.sleep(0.05)
        await client.aclose()
        yield url
    finally:
        started.kill()
        started.wait()


async def until_polled(port: int) -> None:
    """Until this replica shows every trigger's first poll made (by it or by another)."""
    url = f"http://127.0.0.1:{port}/mcp"
    await until_listening(url)
    async with Client(streamable_http_client(url)) as client:
        with anyio.fail_after(60):
            for name in TRIGGERS:
                while True:
                    contents = (await client.read_resource(f"b2b://triggers/{name}")).contents
                    assert isinstance(contents[0], TextResourceContents)
                    if '"last_success_at":"' in contents[0].text.replace(" ", ""):
                        break
                    await anyio.sleep(0.2)


async def idle_requests(replicas: int, *, shared: str, intervals: int) -> float:
    """Requests per interval from `replicas` idle replicas sharing `shared` state."""
    with tempfile.TemporaryDirectory() as work:
        async with simulator() as (api_url, counting), AsyncExitStack() as stack:
            extra = {"BIGCOMMERCE_B2B_API_URL": api_url}
            if shared == "redis":
                extra["B2B_MCP_REDIS_URL"] = await stack.enter_async_context(
                    redis_server(Path(work))
                )
            ports = [free_port() for _ in range(replicas)]
            for port in ports:
                command = [sys.executable, "-m", "bigcommerce_b2b_mcp", "serve"]
                command += ["--transport", "streamable-http", "--port", str(port)]
                command += ["--poll-interval", str(INTERVAL)]
                await stack.enter_async_context(process(command, env(work, **extra)))
            for port in ports:
                await until_polled(port)
            await anyio.sleep(INTERVAL)  # past every first poll's tail
            before = counting.requests
            await anyio.sleep(INTERVAL * intervals)
            return (counting.requests - before) / intervals


async def main(intervals: int) -> None:
    print(f"Idle API requests per {INTERVAL:g} s poll interval (all triggers on)\n")
    print("| replicas | state shared in Redis | state shared in SQLite (each polls) |")
    print("|---|---|---|")
    for replicas in (1, 2, 4):
        redis = await idle_requests(replicas, shared="redis", intervals=intervals)
        sqlite = await idle_requests(replicas, shared="sqlite", intervals=intervals)
        print(f"| {replicas} | {redis:.1f} | {sqlite:.1f} |", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--intervals", type=int, default=4, help="intervals counted per row")
    anyio.run(main, parser.parse_args().intervals)
