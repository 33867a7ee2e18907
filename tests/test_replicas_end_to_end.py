"""Replicas on Redis as an SRE runs them: real server processes over Streamable HTTP, one
simulator on a real port, one real redis-server, and failures done for real (SIGKILL of
the replica that polls, Redis stopped and started again).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import ResourceUpdatedNotification, TextContent

from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.conftest import Clock, free_port
from tests.redis_server import RedisServer
from tests.test_triggers_end_to_end import (
    POLL,
    TRIGGERS,
    all_events,
    connected,
    create_one_of_each,
    http_server,
    key,
    simulator,
    until_counts,
    until_next_poll,
    until_polled,
)
from tests.tools.calls import read_json

pytestmark = pytest.mark.anyio

COMPANIES = "b2b://triggers/new-companies"


class Replica:
    """One server process of several, its port and its log."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.process = process
        self.port = port
        self.log = log

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@asynccontextmanager
async def replica(
    api_url: str, redis_url: str, workdir: Path, name: str, *flags: str
) -> AsyncIterator[Replica]:
    """A replica on Redis, logging at INFO to `<name>.log`."""
    port = free_port()
    log = workdir / f"{name}.log"
    with log.open("wb") as sink:
        async with http_server(
            api_url,
            workdir / name,
            port,
            "--log-level",
            "INFO",
            *flags,
            env={"B2B_MCP_REDIS_URL": redis_url},
            stderr=sink,
        ) as process:
            yield Replica(process, port, log)


class Heard:
    """The resource-updated notifications a client received, per trigger."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self._changed = anyio.Event()

    def add(self, trigger: str) -> None:
        self.counts[trigger] += 1
        self._changed.set()
        self._changed = anyio.Event()

    async def until_each(self, triggers: Iterable[str]) -> None:
        with anyio.fail_after(30):
            while not all(self.counts[name] for name in triggers):
                await self._changed.wait()


@asynccontextmanager
async def legacy_client(port: int, heard: Heard) -> AsyncIterator[Client]:
    """A 2025-era client (a session per connection) subscribed to every trigger."""

    async def on_message(message: Any) -> None:
        if isinstance(message, ResourceUpdatedNotification):
            heard.add(message.params.uri.rsplit("/", 1)[-1])

    url = f"http://127.0.0.1:{port}/mcp"
    async with Client(streamable_http_client(url), mode="legacy", message_handler=on_message) as c:
        for name in TRIGGERS:
            await c.subscribe_resource(f"b2b://triggers/{name}")
        yield c


async def polled_by(client: Client) -> str:
    view = await read_json(client, COMPANIES)
    holder: str = view["poller"]["polled_by"]
    return holder


def pid_of(holder: str) -> int:
    return int(holder.split(":")[1])


async def test_two_replicas_poll_once_and_every_session_hears_each_new_record_once(
    store: SimulatedStore, clock: Clock, tmp_path: Path, redis_server: RedisServer
) -> None:
    heard = [Heard(), Heard()]
    async with (
        simulator(store) as (url, api),
        replica(url, redis_server.url, tmp_path, "a") as a,
        replica(url, redis_server.url, tmp_path, "b") as b,
        connected(a.port) as modern_a,
        connected(b.port) as modern_b,
        legacy_client(a.port, heard[0]) as legacy_a,
        legacy_client(b.port, heard[1]) as legacy_b,
    ):
        await until_polled(modern_a)
        await until_polled(modern_b)
        # One replica polls, and both say which.
        holder = await polled_by(modern_a)
        assert await polled_by(modern_b) == holder
        assert pid_of(holder) in (a.process.pid, b.process.pid)

        created = await create_one_of_each(api, store, clock, 1)
        await until_counts(modern_a, created)  # by subscriptions/listen on replica a
        await until_counts(modern_b, created)  # and on replica b
        for client_heard in heard:  # by resources/subscribe on both
            await client_heard.until_each(TRIGGERS)
        await until_next_poll(modern_a)
        await until_next_poll(modern_b)
        for name in TRIGGERS:
            seen_by = [await all_events(client, name) for client in (legacy_a, legacy_b)]
            assert seen_by[0] == seen_by[1], name
            assert [key(e) for e in seen_by[0]] == created[name], name
            assert [e["seq"] for e in seen_by[0]] == list(range(1, len(created[name]) + 1))
            for client_heard in heard:
                # At least once, and never more than once per new event.
                assert 1 <= client_heard.counts[name] <= len(created[name]), name
    logs = [a.log.read_text(), b.log.read_text()]
    assert sum(log.count("now polls the store") for log in logs) == 1, logs


async def test_when_the_polling_replica_is_killed_another_takes_over_and_nothing_is_lost(
    store: SimulatedStore, clock: Clock, tmp_path: Path, redis_server: RedisServer
) -> None:
    async with (
        simulator(store) as (url, api),
        replica(url, redis_server.url, tmp_path, "a") as a,
        replica(url, redis_server.url, tmp_path, "b") as b,
    ):
        async with connected(a.port) as client_a, connected(b.port) as client_b:
            await until_polled(client_a)
            await until_polled(client_b)
            before = await create_one_of_each(api, store, clock, 1)
            await until_counts(client_a, before)
            holder = pid_of(await polled_by(client_a))
        victim, survivor = (a, b) if holder == a.process.pid else (b, a)
        os.kill(victim.process.pid, signal.SIGKILL)
        during = await create_one_of_each(api, store, clock, 2)
        async with connected(survivor.port) as client:
            # Within two poll intervals the survivor holds the lease (the lease lives one).
            with anyio.fail_after(2 * float(POLL) + 5):
                while pid_of(await polled_by(client)) != survivor.process.pid:  # noqa: ASYNC110
                    await anyio.sleep(0.2)
            expected = {name: before[name] + during[name] for name in TRIGGERS}
            await until_counts(client, expected)
            await until_next_poll(client)  # which must find nothing new
            for name in TRIGGERS:
                events = await all_events(client, name)
                assert [key(e) for e in events] == expected[name], name
                assert [e["seq"] for e in events] == list(range(1, len(expected[name]) + 1))


async def test_with_redis_down_tools_work_triggers_stop_and_then_recover(
    store: SimulatedStore, clock: Clock, tmp_path: Path, redis_server: RedisServer
) -> None:
    async with (
        simulator(store) as (url, api),
        replica(url, redis_server.url, tmp_path, "a") as a,
        connected(a.port) as client,
        httpx2.AsyncClient(base_url=a.url) as probe,
    ):
        await until_polled(client)
        assert (await probe.get("/readyz")).status_code == 200
        before = await create_one_of_each(api, store, clock, 1)
        await until_counts(client, before)

        redis_server.stop()
        with anyio.fail_after(3 * float(POLL)):
            while (await read_json(client, COMPANIES))["poller"]["state"] != "stopped":  # noqa: ASYNC110
                await anyio.sleep(0.2)
        view = await read_json(client, COMPANIES)
        assert view["poller"]["last_error"].startswith("Redis unreachable")
        result = await client.call_tool("list_companies", {"limit": 1})
        assert not result.is_error
        assert isinstance(result.content[0], TextContent)
        ready = await probe.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["problems"] == {"redis": "unreachable"}
        assert (await probe.get("/healthz")).json() == {"status": "ok"}
        during = await create_one_of_each(api, store, clock, 2)

        redis_server.start()
        expected = {name: before[name] + during[name] for name in TRIGGERS}
        await until_counts(client, expected)
        for name in TRIGGERS:
            events = await all_events(client, name)
            assert [key(e) for e in events] == expected[name], name
            assert [e["seq"] for e in events] == list(range(1, len(expected[name]) + 1))
        assert (await probe.get("/readyz")).status_code == 200


@asynccontextmanager
async def haproxy(
    replicas: list[Replica], port: int, *, workdir: Path, sticky: bool = True
) -> AsyncIterator[None]:
    """HAProxy with the project's own configuration (deploy/haproxy.cfg) in front; without
    its stickiness when `sticky` is False."""
    binary = shutil.which("haproxy")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("haproxy is missing: .ci/run installs the Debian package")
        pytest.skip("haproxy is not installed (apt-get install haproxy)")
    config = Path(__file__).parent.parent / "deploy" / "haproxy.cfg"
    if not sticky:
        lines = config.read_text().splitlines(keepends=True)
        config = workdir / "round-robin.cfg"
        config.write_text("".join(line for line in lines if not line.strip().startswith("stick")))
    env = {
        **os.environ,
        "MCP_BIND": f"127.0.0.1:{port}",
        **{f"REPLICA_{n}": f"127.0.0.1:{r.port}" for n, r in enumerate(replicas, start=1)},
    }
    process = subprocess.Popen([binary, "-db", "-f", str(config)], env=env)  # noqa: ASYNC220
    try:
        yield
    finally:
        process.kill()
        process.wait(timeout=10)


async def test_behind_haproxy_each_session_sticks_to_the_replica_that_opened_it(
    store: SimulatedStore, clock: Clock, tmp_path: Path, redis_server: RedisServer
) -> None:
    port = free_port()
    heard = [Heard() for _ in range(4)]
    async with (
        simulator(store) as (url, api),
        replica(url, redis_server.url, tmp_path, "a") as a,
        replica(url, redis_server.url, tmp_path, "b") as b,
        connected(a.port) as direct_a,
        connected(b.port) as direct_b,
    ):
        await until_polled(direct_a)
        await until_polled(direct_b)
        # Started once both replicas listen, so that it starts with both up.
        async with (
            haproxy([a, b], port, workdir=tmp_path),
            connected(port) as modern,  # a 2026-07-28 client: no session, any replica will do
            AsyncExitStack() as stack,
        ):
            # Round robin spreads the sessions over both replicas; each must stay on its own.
            clients = [await stack.enter_async_context(legacy_client(port, h)) for h in heard]
            for client in [*clients, modern]:
                for _ in range(3):
                    result = await client.call_tool("list_companies", {"limit": 1})
                    assert not result.is_error
            created = await create_one_of_each(api, store, clock, 1)
            for client_heard in heard:
                await client_heard.until_each(TRIGGERS)
            await until_counts(modern, created)


async def test_stateless_replicas_answer_any_request_behind_plain_round_robin(
    store: SimulatedStore, clock: Clock, tmp_path: Path, redis_server: RedisServer
) -> None:
    port = free_port()
    async with (
        simulator(store) as (url, api),
        replica(url, redis_server.url, tmp_path, "a", "--stateless-http") as a,
        replica(url, redis_server.url, tmp_path, "b", "--stateless-http") as b,
        connected(a.port) as direct_a,
        connected(b.port) as direct_b,
    ):
        await until_polled(direct_a)
        await until_polled(direct_b)
        async with (
            haproxy([a, b], port, workdir=tmp_path, sticky=False),
            connected(port) as modern,
            AsyncExitStack() as stack,
        ):
            url = f"http://127.0.0.1:{port}/mcp"
            legacy = [
                await stack.enter_async_context(Client(streamable_http_client(url), mode="legacy"))
                for _ in range(3)
            ]
            for client in legacy:
                for _ in range(3):  # alternately on either replica
                    result = await client.call_tool("list_companies", {"limit": 1})
                    assert not result.is_error
            created = await create_one_of_each(api, store, clock, 1)
            await until_counts(modern, created)  # notified through any replica
            page = await legacy[0].call_tool(
                "get_trigger_events", {"trigger": "new-companies", "wait_seconds": 0}
            )
            assert page.structured_content is not None
            assert [key(e) for e in page.structured_content["events"]] == created["new-companies"]
