"""Trigger resources through real MCP clients: subscriptions in both eras, reads, the tool."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, get_args

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.subscriptions import ResourceUpdated
from mcp.types import ResourceUpdatedNotification

from bigcommerce_b2b_mcp.errors import ConfigError
from bigcommerce_b2b_mcp.resources.triggers import TriggerName
from bigcommerce_b2b_mcp.server import B2BServer, build_server
from bigcommerce_b2b_mcp.simulator.app import API_PREFIX, create_app
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.conftest import Clock, new_company, serving
from tests.resources.test_pollers import Counting
from tests.tools.calls import call, read_json, until_first_poll
from tests.tools.conftest import server_for, settings

pytestmark = pytest.mark.anyio

COMPANIES = "b2b://triggers/new-companies"


def fast_server(store: SimulatedStore) -> B2BServer:
    return server_for(store, poll_interval=0.05)


def company_later(store: SimulatedStore, clock: Clock, n: int = 1) -> int:
    clock.advance(1)
    return new_company(store, n)


async def until_seq(observer: Client, uri: str, seq: int) -> None:
    """Wait, by subscription, until the trigger has stored event number `seq`."""
    async with observer.listen(resource_subscriptions=[uri]) as updates:
        with anyio.fail_after(10):
            if (await read_json(observer, uri))["latest_seq"] >= seq:
                return
            async for _ in updates:
                if (await read_json(observer, uri))["latest_seq"] >= seq:
                    return


class Updates:
    """Collects legacy resource-updated notifications."""

    def __init__(self) -> None:
        self.uris: list[str] = []
        self.arrived = anyio.Event()

    async def __call__(self, message: Any) -> None:
        if isinstance(message, ResourceUpdatedNotification):
            self.uris.append(message.params.uri)
            self.arrived.set()


@asynccontextmanager
async def legacy_client(server: B2BServer, updates: Updates) -> AsyncIterator[Client]:
    async with Client(server, mode="legacy", message_handler=updates) as client:
        yield client


async def test_triggers_are_listed_and_subscribable(store: SimulatedStore) -> None:
    async with Client(server_for(store), mode="legacy") as client:
        assert client.server_capabilities is not None
        assert client.server_capabilities.resources is not None
        assert client.server_capabilities.resources.subscribe is True
        uris = {str(r.uri) for r in (await client.list_resources()).resources}
        templates = [
            t.uri_template for t in (await client.list_resource_templates()).resource_templates
        ]
    assert uris == {f"b2b://triggers/{name}" for name in get_args(TriggerName)}
    assert templates == ["b2b://triggers/{trigger}/events{?after,limit}"]


async def test_a_modern_client_is_notified_and_reads_the_event(
    store: SimulatedStore, clock: Clock
) -> None:
    async with Client(fast_server(store)) as client:
        await until_first_poll(client, COMPANIES)
        async with client.listen(resource_subscriptions=[COMPANIES]) as subscription:
            created = company_later(store, clock)
            with anyio.fail_after(10):
                async for event in subscription:
                    assert event == ResourceUpdated(uri=COMPANIES)
                    break
        view = await read_json(client, COMPANIES)
    assert view["latest_seq"] == 1
    assert view["poller"]["state"] == "running"
    [event] = view["events"]
    assert event["id"] == f"new-companies:{created}"
    assert event["data"]["company_name"] == "New Co 1"


async def test_only_subscribed_legacy_sessions_are_notified(
    store: SimulatedStore, clock: Clock
) -> None:
    server = fast_server(store)
    subscribed, bystander = Updates(), Updates()
    async with (
        Client(server) as observer,
        legacy_client(server, subscribed) as first,
        legacy_client(server, bystander) as second,
    ):
        await until_first_poll(first, COMPANIES)
        await first.subscribe_resource(COMPANIES)
        await second.subscribe_resource("b2b://triggers/new-quotes")
        company_later(store, clock)
        with anyio.fail_after(10):
            await subscribed.arrived.wait()
        await first.unsubscribe_resource(COMPANIES)
        company_later(store, clock, 2)
        await until_seq(observer, COMPANIES, 2)
    assert subscribed.uris == [COMPANIES]
    assert bystander.uris == []


async def test_a_disconnected_session_is_forgotten(store: SimulatedStore) -> None:
    server = fast_server(store)
    legacy = server.runtime.notifier.legacy
    async with Client(server, mode="legacy") as keeper:
        async with Client(server, mode="legacy") as leaver:
            await leaver.subscribe_resource(COMPANIES)
            assert legacy.subscribers(COMPANIES) == 1
        await keeper.list_resources()
        assert legacy.subscribers(COMPANIES) == 0


async def test_the_template_resumes_after_a_sequence_number(
    store: SimulatedStore, clock: Clock
) -> None:
    async with Client(fast_server(store)) as client:
        await until_first_poll(client, COMPANIES)
        ids = [company_later(store, clock, n) for n in range(3)]
        await until_seq(client, COMPANIES, 3)
        page = await read_json(client, "b2b://triggers/new-companies/events?after=1&limit=5")
    assert [e["seq"] for e in page["events"]] == [2, 3]
    assert [e["entity_id"] for e in page["events"]] == [str(i) for i in ids[1:]]
    assert page["next_after"] == 3


async def test_the_tool_waits_for_the_first_new_event(store: SimulatedStore, clock: Clock) -> None:
    reported: list[float] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        reported.append(progress)

    async with Client(fast_server(store)) as client:
        await until_first_poll(client, COMPANIES)
        empty = await call(client, "get_trigger_events", trigger="new-companies")
        assert empty["events"] == []
        async with anyio.create_task_group() as tg:

            async def create_soon() -> None:
                await anyio.sleep(0.3)
                company_later(store, clock)

            tg.start_soon(create_soon)
            with anyio.fail_after(20):
                result = await client.call_tool(
                    "get_trigger_events",
                    {"trigger": "new-companies", "after": empty["next_after"], "wait_seconds": 60},
                    progress_callback=on_progress,
                )
    assert not result.is_error
    assert result.structured_content is not None
    assert [e["seq"] for e in result.structured_content["events"]] == [1]
    assert reported, "waiting should report progress"


async def test_an_unknown_trigger_in_the_template_is_not_found(store: SimulatedStore) -> None:
    from mcp import MCPError

    async with Client(server_for(store)) as client:
        with pytest.raises(MCPError, match="No trigger 'new-widgets'"):
            await client.read_resource("b2b://triggers/new-widgets/events")


async def test_without_triggers_there_is_nothing_to_read_and_nothing_polls(
    store: SimulatedStore,
) -> None:
    counting = Counting(httpx2.ASGITransport(app=create_app(store, rate_limit=10_000)))
    server = build_server(settings(triggers=False), transport=counting)
    async with Client(server) as client:
        assert (await client.list_resources()).resources == []
        assert (await client.list_resource_templates()).resource_templates == []
        tools = {tool.name for tool in (await client.list_tools()).tools}
        assert "get_trigger_events" not in tools
        assert "list_companies" in tools
        assert client.instructions is not None
        assert "b2b://triggers" not in client.instructions
        await call(client, "list_companies", limit=1)
        assert server.runtime.state.triggers.pollers == {}
    assert counting.paths == ["/companies"]


def test_no_triggers_with_only_the_trigger_toolset_is_refused() -> None:
    with pytest.raises(ConfigError, match="no-triggers"):
        build_server(
            settings(triggers=False, toolsets=("triggers",)),
            transport=httpx2.MockTransport(lambda _: httpx2.Response(500)),
        )


async def test_first_polls_take_turns(store: SimulatedStore) -> None:
    """A first poll reads the whole store: one feed after another, so a big store is
    never held six feeds at once."""
    async with (
        serving(create_app(store, rate_limit=10_000)) as url,
        httpx2.AsyncHTTPTransport() as network,
    ):
        transport = Counting(network)
        server = build_server(settings(api_url=f"{url}{API_PREFIX}"), transport=transport)
        async with Client(server) as client:
            for trigger in get_args(TriggerName):
                await until_first_poll(client, f"b2b://triggers/{trigger}")
    feeds = [path.strip("/").split("/")[0] for path in transport.paths]
    turns = [feed for n, feed in enumerate(feeds) if n == 0 or feeds[n - 1] != feed]
    assert len(turns) == len(set(turns)) == 6, feeds
