"""Measure what users feel: cold start, tool latency, idle poll cost, memory, context cost.

Run: `uv run python benchmarks/bench.py`. Numbers depend on the machine; compare runs
on the same one. Nothing here runs in CI.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from typing import Any

import anyio
import httpx2
from mcp import Client, StdioServerParameters

from bigcommerce_b2b_mcp.api.client import B2BClient
from bigcommerce_b2b_mcp.config import Settings
from bigcommerce_b2b_mcp.resources.events import EventStore
from bigcommerce_b2b_mcp.resources.pollers import Poller
from bigcommerce_b2b_mcp.resources.triggers import TRIGGERS
from bigcommerce_b2b_mcp.server import build_server
from bigcommerce_b2b_mcp.simulator.app import API_PREFIX, create_app
from bigcommerce_b2b_mcp.simulator.seed import seed
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.0f} ms"


def import_time(module: str, runs: int = 5) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
        samples.append(time.perf_counter() - started)
    return samples


async def stdio_start(runs: int = 5) -> list[float]:
    """Spawn `serve --demo`, connect, list the tools; the client's wait, end to end."""
    samples = []
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "bigcommerce_b2b_mcp", "serve", "--demo"]
    )
    for _ in range(runs):
        started = time.perf_counter()
        async with Client(params, mode="legacy") as client:
            await client.list_tools()
            samples.append(time.perf_counter() - started)
            for _ in range(50):
                await client.call_tool("list_companies", {"limit": 20})
    return samples


async def tool_latency(calls: int = 300) -> dict[str, list[float]]:
    server = build_server(Settings(demo=True, demo_activity_interval=0, _env_file=None))
    timings: dict[str, list[float]] = {
        "get_company": [],
        "list_companies(20)": [],
        "list_orders(20)": [],
    }
    async with Client(server) as client:
        await client.call_tool("get_company", {"company_id": 1001})
        for _ in range(calls):
            for name, (tool, args) in {
                "get_company": ("get_company", {"company_id": 1001}),
                "list_companies(20)": ("list_companies", {"limit": 20}),
                "list_orders(20)": ("list_orders", {"limit": 20}),
            }.items():
                started = time.perf_counter()
                await client.call_tool(tool, args)
                timings[name].append(time.perf_counter() - started)
    return timings


class Counting(httpx2.AsyncBaseTransport):
    def __init__(self, inner: httpx2.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests = 0

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.requests += 1
        return await self.inner.handle_async_request(request)


async def idle_poll(companies: int) -> tuple[float, float]:
    """Requests and seconds for one idle poll of all four triggers, for a store size."""
    store = SimulatedStore(store_hash="b", access_token="t")
    seed(store, companies=companies)
    transport = Counting(httpx2.ASGITransport(app=create_app(store, rate_limit=10**9)))
    api = B2BClient(
        store_hash="b", access_token="t", base_url=f"http://sim{API_PREFIX}", transport=transport
    )

    async def nothing(_: Any) -> None:
        return None

    events = EventStore(None)
    pollers = [Poller(t, api, events, interval=30, on_change=nothing) for t in TRIGGERS]
    async with api:
        for poller in pollers:
            await poller.poll_once()  # first start
        transport.requests = 0
        started = time.perf_counter()
        for poller in pollers:
            await poller.poll_once()
    return transport.requests / len(pollers), (time.perf_counter() - started) / len(pollers)


# What a client hands the model per tool; output schemas mostly stay with the client.
MODEL_SEES = {"name", "title", "description", "input_schema", "annotations"}


async def tools_list_size(**settings: Any) -> tuple[int, int, int]:
    """(tools, characters the model reads, characters of the whole tools/list answer)."""
    server = build_server(Settings(demo=True, demo_activity_interval=0, _env_file=None, **settings))
    async with Client(server, mode="legacy") as client:
        listed = await client.list_tools()
    seen = sum(
        len(tool.model_dump_json(by_alias=True, exclude_none=True, include=MODEL_SEES))
        for tool in listed.tools
    )
    return len(listed.tools), seen, len(listed.model_dump_json(by_alias=True, exclude_none=True))


def context_cost(tools: int, seen: int, whole: int) -> str:
    # About four characters per token for JSON and English prose: a rough, model-free estimate.
    return (
        f"{tools} tools: the model reads {seen:,} characters (~{seen // 4:,} tokens); "
        f"the whole answer is {whole:,}"
    )


async def main() -> None:
    rows = [
        ("`import mcp.server` (cold process)", median_ms(import_time("mcp.server"))),
        (
            "`import bigcommerce_b2b_mcp.server` (cold process)",
            median_ms(import_time("bigcommerce_b2b_mcp.server")),
        ),
        ("spawn `serve --demo` over stdio to first tools/list", median_ms(await stdio_start())),
    ]
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rows.append(("peak RSS of a stdio demo server after 50 calls", f"{rss:.0f} MiB"))
    for name, samples in (await tool_latency()).items():
        p95 = statistics.quantiles(samples, n=20)[18] * 1000
        rows.append((f"in-process `{name}` p50 / p95", f"{median_ms(samples)} / {p95:.1f} ms"))
    for size in (36, 360, 3600):
        requests, seconds = await idle_poll(size)
        cost = f"{requests:.0f} request(s), {seconds * 1000:.1f} ms per trigger"
        rows.append((f"idle poll, store of {size} companies", cost))
    for label, settings in (
        ("all toolsets (the default)", {}),
        ("`--read-only`", {"read_only": True}),
        ("`--toolsets invoices,payments`", {"toolsets": ("invoices", "payments")}),
        ("`--dynamic-toolsets` at start", {"dynamic_toolsets": True}),
    ):
        rows.append((f"tools/list, {label}", context_cost(*await tools_list_size(**settings))))
    print("| measure | result |\n|---|---|")
    for measure, result in rows:
        print(f"| {measure} | {result} |")


if __name__ == "__main__":
    anyio.run(main)
