"""A first start against a big store: how much memory the server takes to read it all.

A trigger's first poll reads every record of its kind, to remember what exists. This
runs a real `serve` process over stdio against a simulator seeded with `--companies`
companies (and, in proportion, about 2.4 users, 2 addresses, 1.8 orders, 0.9 invoices
and 0.4 quotes each), waits until all ten triggers have made their first poll, and
reads the server's peak (`VmHWM`) and settled (`VmRSS`) memory. It then starts the
server again on the same state, which polls only for changes, for comparison.

Run: `uv run python benchmarks/first_start.py [--companies 1000 10000]`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from floor import child_with, env, served_here, until_idle
from mcp import Client, StdioServerParameters

from bigcommerce_b2b_mcp.simulator.app import create_app
from bigcommerce_b2b_mcp.simulator.seed import seed
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore


@asynccontextmanager
async def simulator(companies: int) -> AsyncIterator[tuple[str, int]]:
    """The simulator on a loopback port; yields its URL and how many records it holds."""
    store = SimulatedStore(store_hash="demo", access_token="demo-token")
    seed(store, companies=companies)
    records = sum(
        len(getattr(store, kind))
        for kind in ("companies", "users", "addresses", "orders", "invoices", "quotes")
    )
    async with served_here(create_app(store, rate_limit=1_000_000_000)) as url:
        yield url, records


def usage(pid: int) -> dict[str, float]:
    """The process's peak and current resident memory (MiB), and its CPU time (s)."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            found[key] = int(value.split()[0]) / 1024
    # utime and stime, in clock ticks: fields 14 and 15, counted after the command's ")".
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    found["cpu"] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return found


async def start(api_url: str, state: str) -> tuple[float, dict[str, float]]:
    """Seconds from spawn until every trigger has polled once, and the usage then."""
    marker = f"B2B_BENCH_{time.monotonic_ns()}"
    environment = env(state, B2B_MCP_DEMO_ACTIVITY_INTERVAL="0", **{marker: "1"})
    command = [sys.executable, "-m", "bigcommerce_b2b_mcp", "serve", "--api-url", api_url]
    params = StdioServerParameters(command=command[0], args=command[1:], env=environment)
    started = time.perf_counter()
    async with Client(params, mode="legacy") as client:
        await until_idle(client, within=600)
        elapsed = time.perf_counter() - started
        return elapsed, usage(child_with(marker))


async def main(sizes: list[int]) -> None:
    print("| store | start | until first polls | server CPU | peak RSS | RSS after |")
    print("|---|---|---|---|---|---|")
    for companies in sizes:
        async with simulator(companies) as (api_url, records):
            with tempfile.TemporaryDirectory() as state:
                for label in ("first start", "restart"):
                    seconds, memory = await start(api_url, state)
                    print(
                        f"| {companies:,} companies, {records:,} records | {label} "
                        f"| {seconds:.1f} s | {memory['cpu']:.1f} s | {memory['VmHWM']:.1f} MiB "
                        f"| {memory['VmRSS']:.1f} MiB |"
                    )


if __name__ == "__main__":
    options = argparse.ArgumentParser()
    options.add_argument("--companies", type=int, nargs="+", default=[1000, 10000])
    anyio.run(main, options.parse_args().companies)
