"""Calling tools in tests: the result's data, or its error text."""

from __future__ import annotations

import json
from typing import Any

from mcp import Client
from mcp.types import TextContent


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
