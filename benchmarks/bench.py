"""Measure what users feel: cold start, tool latency, idle poll cost, memory, context cost.

Run: `uv run python benchmarks/bench.py`. Numbers depend on the machine; compare runs
on the same one. Nothing here runs in CI.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

import anyio
import httpx2
from mcp import Client, StdioServerParameters

from bigcommerce_b2b_mcp.api.client import B2BClient
from bigcommerce_b2b_mcp.config import Settings
from bigcommerce_b2b_mcp.resources.events import EventStore
from bigcommerce_b2b_mcp.resources.feeds import FEEDS
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


class Metered(httpx2.AsyncBaseTransport):
    """Counts the requests that pass, and the 429s that come back."""

    def __init__(self, inner: httpx2.AsyncBaseTransport) -> None:
        self.inner = inner
        self.sent: list[float] = []
        self.refused = 0

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.sent.append(time.monotonic())
        response = await self.inner.handle_async_request(request)
        if response.status_code == 429:
            self.refused += 1
        return response

    def peak(self, window: float) -> int:
        """The most requests sent within any `window` seconds."""
        return max(
            (
                sum(1 for t in self.sent[i:] if t < start + window)
                for i, start in enumerate(self.sent)
            ),
            default=0,
        )


def simulated_client(store: SimulatedStore, transport: httpx2.AsyncBaseTransport) -> B2BClient:
    return B2BClient(
        store_hash="b", access_token="t", base_url=f"http://sim{API_PREFIX}", transport=transport
    )


async def idle_poll(companies: int) -> tuple[float, float]:
    """Requests and seconds for one idle round of all pollers (ten triggers), for a store size."""
    store = SimulatedStore(store_hash="b", access_token="t")
    seed(store, companies=companies)
    transport = Metered(httpx2.ASGITransport(app=create_app(store, rate_limit=10**9)))
    api = simulated_client(store, transport)

    async def nothing(_: Any) -> None:
        return None

    events = EventStore(None)
    pollers = [
        Poller(f, TRIGGERS, api, events, interval=30, on_change=nothing) for f in FEEDS.values()
    ]
    async with api:
        for poller in pollers:
            await poller.poll_once()  # first start
        transport.sent.clear()
        started = time.perf_counter()
        for poller in pollers:
            await poller.poll_once()
    return len(transport.sent), time.perf_counter() - started


# A store whose limit is 40 requests per 4 s: B2B Edition's 150 per 60 s, run 4x faster.
BURST_LIMIT, BURST_WINDOW = 40, 4.0
BURST_TOOLS = (
    ("list_companies", {"limit": 20}),
    ("get_company", {"company_id": 1001}),
    ("list_orders", {"limit": 20}),
    ("list_invoices", {"limit": 20}),
    ("list_quotes", {"limit": 20}),
)


async def burst(share: float, calls: int = 120, workers: int = 12) -> dict[str, Any]:
    """`calls` read tool calls from `workers` at once, while every trigger polls each second,
    against a store that refuses what goes over its limit."""
    store = SimulatedStore(store_hash="b", access_token="t")
    seed(store)
    transport = Metered(
        httpx2.ASGITransport(
            app=create_app(store, rate_limit=BURST_LIMIT, rate_window=BURST_WINDOW)
        )
    )
    with tempfile.TemporaryDirectory() as state:
        settings = Settings(
            store_hash="b",
            access_token="t",
            api_url=f"http://sim{API_PREFIX}",
            api_share=share,
            state_dir=state,
            _env_file=None,
        ).model_copy(update={"poll_interval": 1.0})
        server = build_server(settings, transport=transport)
        latencies: list[float] = []
        outcomes: dict[str, int] = {"ok": 0, "budget": 0, "other": 0}
        queue = list(range(calls))
        async with Client(server) as client:
            await client.call_tool("get_company", {"company_id": 1001})  # learn the limit
            transport.sent.clear()
            transport.refused = 0
            started = time.perf_counter()

            async def worker() -> None:
                while queue:
                    tool, arguments = BURST_TOOLS[queue.pop() % len(BURST_TOOLS)]
                    began = time.perf_counter()
                    result = await client.call_tool(tool, arguments)
                    latencies.append(time.perf_counter() - began)
                    text = result.content[0].text if result.content else ""  # type: ignore[union-attr]
                    if not result.is_error:
                        outcomes["ok"] += 1
                    elif "budget" in text:
                        outcomes["budget"] += 1
                    else:
                        outcomes["other"] += 1

            async with anyio.create_task_group() as tg:
                for _ in range(workers):
                    tg.start_soon(worker)
            elapsed = time.perf_counter() - started
    return {
        "elapsed": elapsed,
        "outcomes": outcomes,
        "refused": transport.refused,
        "requests": len(transport.sent),
        "calls": calls,
        "peak": transport.peak(BURST_WINDOW),
        "p50": statistics.median(latencies),
        "p95": statistics.quantiles(latencies, n=20)[18],
    }


def burst_row(share: float, result: dict[str, Any]) -> tuple[str, str]:
    o = result["outcomes"]
    return (
        f"burst of 120 read tool calls (12 at once) + 10 triggers polling each second, "
        f"store limit {BURST_LIMIT}/{BURST_WINDOW:g} s, `--api-share {share}`",
        f"{o['ok']} answered, {o['budget']} told to wait, {o['other']} other errors, "
        f"{result['refused']} 429s; peak {result['peak']} requests per window "
        f"(allowance {int(BURST_LIMIT * share)}); {result['requests']} requests "
        f"({result['requests'] - result['calls']} by pollers) in "
        f"{result['elapsed']:.1f} s; latency p50 {result['p50'] * 1000:.0f} ms, "
        f"p95 {result['p95'] * 1000:.0f} ms",
    )


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
        cost = f"{requests} requests for ten triggers, {seconds * 1000:.1f} ms"
        rows.append((f"idle poll round, store of {size} companies", cost))
    for share in (0.5, 1.0):
        rows.append(burst_row(share, await burst(share)))
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
