"""Dynamic toolsets: a small start, toolsets switched on by the model, clients told of it."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.client.subscriptions import ToolsListChanged
from mcp.types import ToolListChangedNotification

from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from bigcommerce_b2b_mcp.tools import toolsets
from tests.tools.calls import call, fail
from tests.tools.conftest import server_for

pytestmark = pytest.mark.anyio

START = {"list_available_toolsets", "enable_toolset", "get_trigger_events"}


async def _names(client: Client) -> set[str]:
    return {tool.name for tool in (await client.list_tools()).tools}


class ToolListChanges:
    """Counts the 2025-era notifications that the tool list changed."""

    def __init__(self) -> None:
        self.count = 0
        self.arrived = anyio.Event()

    async def __call__(self, message: Any) -> None:
        if isinstance(message, ToolListChangedNotification):
            self.count += 1
            self.arrived.set()


async def test_a_modern_client_starts_small_and_is_told_when_tools_arrive(
    store: SimulatedStore,
) -> None:
    async with Client(server_for(store, dynamic_toolsets=True)) as client:
        assert await _names(client) == START
        listed = await call(client, "list_available_toolsets")
        by_name = {toolset["name"]: toolset for toolset in listed["items"]}
        assert set(by_name) == {toolset.name for toolset in toolsets()}
        assert by_name["triggers"]["enabled"]
        assert not by_name["invoices"]["enabled"]
        assert "record_offline_payment" in by_name["invoices"]["tools"]

        async with client.listen(tools_list_changed=True) as changes:
            enabled = await call(client, "enable_toolset", toolset="invoices")
            with anyio.fail_after(10):
                assert await anext(aiter(changes)) == ToolsListChanged()
        assert set(enabled["added"]) == set(by_name["invoices"]["tools"])
        assert await _names(client) == START | set(enabled["added"])
        page = await call(client, "list_invoices", limit=1)
        assert page["items"]

        again = await call(client, "enable_toolset", toolset="invoices")
        assert again["added"] == []


async def test_a_legacy_client_is_told_the_list_changes(store: SimulatedStore) -> None:
    changes = ToolListChanges()
    server = server_for(store, dynamic_toolsets=True)
    async with Client(server, mode="legacy", message_handler=changes) as client:
        assert client.server_capabilities is not None
        assert client.server_capabilities.tools is not None
        assert client.server_capabilities.tools.list_changed is True
        await call(client, "enable_toolset", toolset="quotes")
        with anyio.fail_after(10):
            await changes.arrived.wait()
        assert {"get_quote", "create_quote"} <= await _names(client)


async def test_toolsets_and_read_only_bound_what_can_be_enabled(store: SimulatedStore) -> None:
    server = server_for(
        store, dynamic_toolsets=True, read_only=True, toolsets=("invoices", "triggers")
    )
    async with Client(server) as client:
        listed = await call(client, "list_available_toolsets")
        assert [toolset["name"] for toolset in listed["items"]] == ["invoices", "triggers"]
        refused = await fail(client, "enable_toolset", toolset="quotes")
        assert "nothing was sent" in refused
        enabled = await call(client, "enable_toolset", toolset="invoices")
        assert "list_invoices" in enabled["added"]
        assert not {"create_invoice", "record_offline_payment"} & set(enabled["added"])


async def test_without_the_flag_every_tool_is_listed_and_the_meta_tools_are_not(
    store: SimulatedStore,
) -> None:
    async with Client(server_for(store)) as client:
        names = await _names(client)
    assert names == {spec.name for toolset in toolsets() for spec in toolset.tools}
    assert "enable_toolset" not in names
