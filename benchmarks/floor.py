"""This server side by side with the SDK's floor, in one run: what users feel, as ratios.

The floor is `benchmarks/bare_server.py`: a bare `mcp` `MCPServer` with one tool that makes
the same API GET ours makes. Both run as real processes against one simulator on a
loopback port, in alternating rounds (A, B, A, B, ...) so that drift on a busy machine
hits both alike; medians are printed with the ratio or difference. Every other round,
ours starts with no trigger state, so its first polls read the whole seeded store; in
the others it starts on the state the previous round left, as every later start does.

Run: `uv run python benchmarks/floor.py` (about two minutes on 2 cores).

Where the time goes:
- imports: `uv run python -X importtime -c "import bigcommerce_b2b_mcp.cli" 2> imports.txt`,
  then sort by the cumulative column;
- a call: `uv run python benchmarks/floor.py --profile` profiles the in-process figures
  (tool calls against the in-process simulator) and prints the 40 costliest functions.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio
import httpx2
import uvicorn
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from starlette.types import ASGIApp

from bigcommerce_b2b_mcp.config import Settings
from bigcommerce_b2b_mcp.resources.changes import FeedRules, Observation
from bigcommerce_b2b_mcp.resources.events import EventStore, StateStore
from bigcommerce_b2b_mcp.server import build_server
from bigcommerce_b2b_mcp.simulator.app import API_PREFIX

HERE = Path(__file__).resolve().parent
STORE = {"BIGCOMMERCE_STORE_HASH": "demo", "BIGCOMMERCE_ACCESS_TOKEN": "demo-token"}
OURS = [sys.executable, "-m", "bigcommerce_b2b_mcp", "serve"]
BARE = [sys.executable, str(HERE / "bare_server.py")]


def env(state: str, **extra: str) -> dict[str, str]:
    """The servers' environment: the demo store, and trigger state under `state` (found
    the default way, through the user's state directory, as most users run it)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BIGCOMMERCE_", "B2B_MCP_"))}
    return {**clean, **STORE, "XDG_STATE_HOME": state, **extra}


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def until_listening(url: str) -> None:
    with anyio.fail_after(30):
        while True:
            try:
                async with httpx2.AsyncClient() as probe:
                    await probe.get(url)
                return
            except httpx2.TransportError:
                await anyio.sleep(0.05)


@asynccontextmanager
async def process(command: list[str], environment: dict[str, str]) -> AsyncIterator[int]:
    """A server process for the block's duration; yields its pid."""
    started = subprocess.Popen(  # noqa: ASYNC220 - a process that lives across awaits
        command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield started.pid
    finally:
        started.kill()
        started.wait()


@asynccontextmanager
async def served_here(app: ASGIApp) -> AsyncIterator[str]:
    """A simulator app under uvicorn on a loopback port, in this process; yields the API URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(server.serve)
        url = f"http://127.0.0.1:{port}{API_PREFIX}"
        await until_listening(url)
        yield url
        server.should_exit = True


@asynccontextmanager
async def simulator() -> AsyncIterator[str]:
    port = free_port()
    command = [sys.executable, "-m", "bigcommerce_b2b_mcp", "simulator", "--port", str(port)]
    command += ["--store-hash", "demo", "--access-token", "demo-token"]
    command += ["--rate-limit", "1000000000", "--log-level", "WARNING"]
    async with process(command, dict(os.environ)):
        url = f"http://127.0.0.1:{port}/api/v3/io"
        await until_listening(url)
        yield url


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def p95_ms(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] * 1000


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def child_with(marker: str) -> int:
    """The pid of the process whose environment carries `marker` (a stdio server)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    return int(entry.name)
            except OSError:
                continue
    raise RuntimeError("server process not found")


async def spawn_to_initialize(command: list[str], environment: dict[str, str]) -> float:
    params = StdioServerParameters(command=command[0], args=command[1:], env=environment)
    started = time.perf_counter()
    async with Client(params, mode="legacy"):
        return time.perf_counter() - started


async def stdio_calls(
    command: list[str], environment: dict[str, str], calls: int
) -> tuple[list[float], float]:
    """Latencies of `get_company` over stdio, and the server's RSS after idling 3 s."""
    marker = f"B2B_BENCH_{time.monotonic_ns()}"
    params = StdioServerParameters(
        command=command[0], args=command[1:], env={**environment, marker: "1"}
    )
    async with Client(params, mode="legacy") as client:
        await until_idle(client)
        rss = rss_mib(child_with(marker))
        for _ in range(20):  # warm up
            await client.call_tool("get_company", {"company_id": 1001})
        samples = []
        for _ in range(calls):
            began = time.perf_counter()
            result = await client.call_tool("get_company", {"company_id": 1001})
            samples.append(time.perf_counter() - began)
            assert not result.is_error
    return samples, rss


async def until_idle(client: Client, within: float = 60) -> None:
    """Until every trigger's first poll (a full read of the store) is done: what follows
    is the steady state. A server without triggers is idle at once."""
    uris = [str(r.uri) for r in (await client.list_resources()).resources]
    with anyio.fail_after(within):
        for uri in uris:
            while True:
                read = await client.read_resource(uri)
                view = json.loads(read.contents[0].text)  # type: ignore[union-attr]
                if view["poller"]["last_success_at"]:
                    break
                await anyio.sleep(0.1)
    await anyio.sleep(1)


async def direct_gets(api_url: str, calls: int) -> list[float]:
    headers = {"X-Auth-Token": "demo-token", "X-Store-Hash": "demo"}
    samples = []
    async with httpx2.AsyncClient(base_url=api_url, headers=headers) as http:
        for _ in range(calls + 20):
            began = time.perf_counter()
            (await http.get("/companies/1001")).raise_for_status()
            samples.append(time.perf_counter() - began)
    return samples[20:]


async def http_throughput(url: str, sessions: int = 20, calls: int = 25) -> tuple[float, float]:
    """calls/s and p95 of `sessions` concurrent Streamable HTTP sessions, `calls` reads each
    (after one call each, to warm up)."""
    latencies: list[float] = []

    async def session() -> None:
        async with Client(streamable_http_client(url), mode="legacy") as client:
            await client.call_tool("get_company", {"company_id": 1001})  # warm up
            for _ in range(calls):
                began = time.perf_counter()
                result = await client.call_tool("get_company", {"company_id": 1001})
                latencies.append(time.perf_counter() - began)
                assert not result.is_error

    started = time.perf_counter()
    async with anyio.create_task_group() as tg:
        for _ in range(sessions):
            tg.start_soon(session)
    return len(latencies) / (time.perf_counter() - started), p95_ms(latencies)


async def tools_list_payload() -> dict[str, int]:
    server = build_server(Settings(demo=True, demo_activity_interval=0, _env_file=None))
    async with Client(server, mode="legacy") as client:
        listed = await client.list_tools()
    whole = listed.model_dump_json(by_alias=True, exclude_none=True)
    return {
        "whole": len(whole),
        "input": sum(len(json.dumps(t.input_schema)) for t in listed.tools),
        "output": sum(len(json.dumps(t.output_schema or {})) for t in listed.tools),
        "titles": sum(
            _schema_titles(schema)
            for tool in listed.tools
            for schema in (tool.input_schema, tool.output_schema or {})
        ),
        "defs": whole.count('"$defs"'),
    }


def _schema_titles(node: Any) -> int:
    """pydantic's `title`s left in a schema (a property named `title` is not one)."""
    if isinstance(node, list):
        return sum(_schema_titles(item) for item in node)
    if not isinstance(node, dict):
        return 0
    own = 1 if isinstance(node.get("title"), str) else 0
    return own + sum(_schema_titles(value) for value in node.values())


IN_PROCESS_CALLS: dict[str, tuple[str, dict[str, Any]]] = {
    "list_companies(100)": ("list_companies", {"limit": 100}),
    "get_trigger_events": ("get_trigger_events", {"trigger": "new-orders", "after": 900}),
}


async def in_process(calls: int = 200) -> dict[str, float]:
    """A page of 100 companies, a page of events from 1,000, and storing 100 events."""
    with tempfile.TemporaryDirectory() as state:
        settings = Settings(demo=True, demo_activity_interval=0, state_dir=state, _env_file=None)
        server = build_server(settings)
        figures: dict[str, float] = {}
        async with Client(server) as client:
            timed: dict[str, list[float]] = {"list_companies(100)": [], "get_trigger_events": []}
            hub = server.runtime.state.triggers
            await seed_events(hub.store, 1000)
            for _ in range(calls):
                for name, (tool, arguments) in IN_PROCESS_CALLS.items():
                    began = time.perf_counter()
                    await client.call_tool(tool, arguments)
                    timed[name].append(time.perf_counter() - began)
            figures |= {name: median_ms(samples) for name, samples in timed.items()}
        store = EventStore(Path(state) / "write.sqlite3")
        writes = []
        for round_ in range(30):
            began = time.perf_counter()
            await seed_events(store, 100, start=round_ * 100)
            writes.append(time.perf_counter() - began)
        figures["store 100 events"] = median_ms(writes)
        store.close()
    return figures


ORDERS = FeedRules(feed="orders", new_trigger="new-orders", status_trigger="order-status-changes")


async def seed_events(store: StateStore, count: int, *, start: int = 0) -> None:
    """`count` new orders in one poll (the feed's first poll made beforehand if needed)."""
    if await store.feed_mark("orders") is None:
        await store.observe(ORDERS, [], now=1, high_water=1, baseline_start=1)
    now = int(datetime.now(UTC).timestamp())
    seen = [
        Observation(str(100_000 + start + n), now, now, "pending", None, {"bc_order_id": n})
        for n in range(count)
    ]
    await store.observe(ORDERS, seen, now=now, high_water=now)


def ratio(ours: float, floor: float) -> str:
    return f"{ours / floor:.2f}×"


def beyond(ours: float, floor: float) -> str:
    return f"+{ours - floor:.1f} ms"


async def main(rounds: int, calls: int) -> None:
    with tempfile.TemporaryDirectory() as state:
        async with simulator() as api_url:
            ours_env, bare_env = env(state, B2B_MCP_DEMO_ACTIVITY_INTERVAL="0"), env(state)
            start: dict[str, list[float]] = {"ours": [], "bare": []}
            for _ in range(rounds):  # A/B alternation
                start["ours"].append(await spawn_to_initialize([*OURS, "--demo"], ours_env))
                start["bare"].append(await spawn_to_initialize(BARE, bare_env))
            served = [*OURS, "--api-url", api_url]
            bare = [*BARE, "--api-url", api_url]
            latency: dict[str, list[float]] = {"ours": [], "bare": [], "get": []}
            rss: dict[str, list[float]] = {"first start": [], "restart": [], "bare": []}
            for round_ in range(rounds):  # A/B; ours starts afresh every other round
                kind = "restart" if round_ % 2 else "first start"
                if kind == "first start":
                    ours_state = tempfile.mkdtemp(dir=state)
                ours_calls_env = env(ours_state, B2B_MCP_DEMO_ACTIVITY_INTERVAL="0")
                samples, memory = await stdio_calls(served, ours_calls_env, calls)
                latency["ours"] += samples
                rss[kind].append(memory)
                samples, memory = await stdio_calls(bare, bare_env, calls)
                latency["bare"] += samples
                rss["bare"].append(memory)
                latency["get"] += await direct_gets(api_url, calls)
            throughput: dict[str, tuple[float, float]] = {}
            for name, command in (("ours", served), ("bare", bare)):
                port = free_port()
                http = [*command, "--transport", "streamable-http", "--port", str(port)]
                async with process(http, ours_env if name == "ours" else bare_env):
                    url = f"http://127.0.0.1:{port}/mcp"
                    await until_listening(url)
                    async with Client(streamable_http_client(url), mode="legacy") as client:
                        await until_idle(client)
                    throughput[name] = await http_throughput(url)
    print("| figure | this server | bare SDK server | ours vs floor |\n|---|---|---|---|")
    compared: list[tuple[str, float, float, str, Callable[[float, float], str]]] = [
        (
            "spawn → `initialize` over stdio (`serve --demo`)",
            median_ms(start["ours"]),
            median_ms(start["bare"]),
            "ms",
            ratio,
        ),
        (
            "`get_company` over stdio, p50 (floor: bare call incl. the same GET)",
            median_ms(latency["ours"]),
            median_ms(latency["bare"]),
            "ms",
            beyond,
        ),
        (
            "`get_company` over stdio, p95",
            p95_ms(latency["ours"]),
            p95_ms(latency["bare"]),
            "ms",
            beyond,
        ),
        (
            "idle RSS, ten triggers polling: first start (each reads the whole store once)",
            statistics.median(rss["first start"]),
            statistics.median(rss["bare"]),
            "MiB",
            ratio,
        ),
        (
            "idle RSS, ten triggers polling: later starts (state kept)",
            statistics.median(rss["restart"]),
            statistics.median(rss["bare"]),
            "MiB",
            ratio,
        ),
        (
            "Streamable HTTP, 20 sessions × 25 reads: calls/s",
            throughput["ours"][0],
            throughput["bare"][0],
            "/s",
            ratio,
        ),
        (
            "Streamable HTTP, 20 sessions × 25 reads: p95",
            throughput["ours"][1],
            throughput["bare"][1],
            "ms",
            ratio,
        ),
    ]
    for measure, ours, floor, unit, compare in compared:
        print(f"| {measure} | {ours:.1f} {unit} | {floor:.1f} {unit} | {compare(ours, floor)} |")
    print(f"| the GET alone, direct `httpx2`, p50 | | {median_ms(latency['get']):.1f} ms | |")
    payload = await tools_list_payload()
    print(
        f"| `tools/list`, all toolsets | {payload['whole']:,} B (input schemas "
        f"{payload['input']:,}, output {payload['output']:,}; {payload['titles']} schema titles, "
        f"{payload['defs']} `$defs`) | | |"
    )
    for measure, value in (await in_process()).items():
        print(f"| in-process `{measure}`, p50 | {value:.2f} ms | | |")


if __name__ == "__main__":
    options = argparse.ArgumentParser()
    options.add_argument("--rounds", type=int, default=7)
    options.add_argument("--calls", type=int, default=200)
    options.add_argument("--profile", action="store_true")
    parsed = options.parse_args()
    if parsed.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(lambda: anyio.run(in_process))
        pstats.Stats(profiler).sort_stats("cumtime").print_stats(40)
    else:
        anyio.run(main, parsed.rounds, parsed.calls)
