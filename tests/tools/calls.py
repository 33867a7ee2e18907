"""Calling tools and reading resources in tests."""

from __future__ import annotations

import json
from typing import Any

import anyio
from mcp import Client
from mcp.types import TextContent, TextResourceContents


async def call(client: Client, name: str, **arguments: Any) -> dict[str, Any]:
    """The structured result of a successful call (checked against its text twin)."""
    result = await client.call_tool(name, arguments)
    text = _text(result.content)
    assert not result.is_error, text
    assert result.structured_content is not None
    data: dict[str, Any] = result.structured_content
    assert json.loads(text) == data, "text and structured content differ"
    return data


async def fail(client: Client, name: str, **arguments: Any) -> str:
    """The error text of a call that must fail."""
    result = await client.call_tool(name, arguments)
    text = _text(result.content)
    assert result.is_error, f"{name} should have failed: {text}"
    return text


def _text(content: list[Any]) -> str:
    block = content[0]
    assert isinstance(block, TextContent)
    return block.text


async def read_json(client: Client, uri: str) -> dict[str, Any]:
    """A JSON resource, parsed."""
    contents = (await client.read_resource(uri)).contents[0]
    assert isinstance(contents, TextResourceContents)
    data: dict[str, Any] = json.loads(contents.text)
    return data


async def until_poller_is(client: Client, uri: str, state: str) -> None:
    """Wait until the trigger at `uri` reports its poller in `state`."""
    with anyio.fail_after(30):
        # No event marks a change of poller state, so this wait reads it.
        while (await read_json(client, uri))["poller"]["state"] != state:  # noqa: ASYNC110
            await anyio.sleep(0.02)


async def until_first_poll(client: Client, uri: str) -> None:
    """Wait until the trigger at `uri` has made its first (baseline) poll."""
    with anyio.fail_after(30):
        # No event marks a first poll, so this wait reads the poller's state.
        while not (await read_json(client, uri))["poller"]["last_success_at"]:  # noqa: ASYNC110
            await anyio.sleep(0.02)
