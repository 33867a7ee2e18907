"""Input schemas every client and agent framework can take as they are.

A guardrail over every tool, then the conversions of two framework families, run as
their users run them, without a model: the OpenAI Agents SDK's strict-mode tools (over
real stdio) and google-genai's function declarations.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from agents.mcp import MCPServerStdio
from agents.mcp.util import MCPUtil
from agents.tool_context import ToolContext
from google.genai import types
from google.genai._mcp_utils import _filter_to_supported_schema
from jsonschema import Draft202012Validator, ValidationError
from mcp import Client
from mcp.types import Tool
from pydantic import BaseModel

from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from bigcommerce_b2b_mcp.tools.arguments import published_output
from tests.tools.calls import fail
from tests.tools.conftest import server_for

pytestmark = pytest.mark.anyio


@pytest.fixture
async def tools(store: SimulatedStore) -> list[Tool]:
    async with Client(server_for(store)) as client:
        return (await client.list_tools()).tools


def _nodes(node: Any) -> list[dict[str, Any]]:
    """Every schema object within `node`, itself included."""
    if isinstance(node, list):
        return [found for item in node for found in _nodes(item)]
    if not isinstance(node, dict):
        return []
    return [node, *(found for value in node.values() for found in _nodes(value))]


async def test_every_input_schema_is_self_contained_closed_and_without_noise(
    tools: list[Tool],
) -> None:
    for tool in tools:
        text = json.dumps(tool.input_schema)
        assert "$ref" not in text, tool.name
        assert "$defs" not in text, tool.name
        for node in _nodes(tool.input_schema):
            assert "format" not in node or not isinstance(node["format"], str), tool.name
            assert not isinstance(node.get("title"), str), f"{tool.name}: a title is noise"
            if node.get("type") == "object":
                assert node.get("additionalProperties") is False, tool.name


async def test_output_schemas_refer_only_where_a_record_contains_its_own_kind(
    tools: list[Tool],
) -> None:
    """Following a `$ref` is a client's costliest step in validating a result: every
    definition is inlined but a recursive one (a company hierarchy holds companies)."""
    for tool in tools:
        schema = tool.output_schema or {}
        for name, definition in schema.get("$defs", {}).items():
            assert f"#/$defs/{name}" in json.dumps(definition), f"{tool.name}: {name} inlinable"
        for node in _nodes(schema):
            assert not isinstance(node.get("title"), str), f"{tool.name}: a title is noise"


def test_a_recursive_output_definition_stays_a_reference() -> None:
    class Node(BaseModel):
        name: str
        children: list[Node] = []

    class Tree(BaseModel):
        root: Node
        size: int

    schema = published_output(Tree.model_json_schema())
    assert set(schema["$defs"]) == {"Node"}
    assert schema["properties"]["root"]["properties"]["children"]["items"] == {
        "$ref": "#/$defs/Node"
    }
    tree = {"root": {"name": "a", "children": [{"name": "b", "children": []}]}, "size": 2}
    Draft202012Validator(schema).validate(tree)
    with pytest.raises(ValidationError):
        Draft202012Validator(schema).validate({**tree, "root": {"children": [{"name": 1}]}})


async def test_an_optional_arguments_description_sits_on_its_non_null_branch(
    tools: list[Tool],
) -> None:
    checked = 0
    for tool in tools:
        for node in _nodes(tool.input_schema):
            for name, spec in node.get("properties", {}).items():
                assert spec.get("description"), f"{tool.name}.{name} has no description"
                for branch in spec.get("anyOf", []):
                    if branch.get("type") != "null":
                        assert branch.get("description") == spec["description"], (
                            f"{tool.name}.{name}"
                        )
                        checked += 1
    assert checked > 100


async def test_a_format_dropped_from_the_schema_is_still_checked_here(
    mcp: Client, store: SimulatedStore
) -> None:
    text = await fail(
        mcp,
        "create_user",
        company_id=min(store.companies),
        first_name="Ann",
        last_name="Lee",
        email="not an email",
    )
    assert "Invalid input, nothing was sent" in text
    assert "email" in text


async def test_openai_agents_converts_every_tool_to_strict_mode_and_calls_one() -> None:
    params = {
        "command": sys.executable,
        "args": ["-m", "bigcommerce_b2b_mcp", "serve", "--demo", "--demo-activity-interval", "0"],
    }
    async with MCPServerStdio(params=params, client_session_timeout_seconds=30) as server:  # type: ignore[arg-type]
        listed = await server.list_tools()
        converted = [
            MCPUtil.to_function_tool(tool, server, convert_schemas_to_strict=True)
            for tool in listed
        ]
        assert [tool.name for tool in converted if not tool.strict_json_schema] == []
        companies = next(tool for tool in converted if tool.name == "list_companies")
        arguments = json.dumps({"limit": 2})
        context = ToolContext(
            context=None, tool_name=companies.name, tool_call_id="1", tool_arguments=arguments
        )
        answer = await companies.on_invoke_tool(context, arguments)
    assert "company_id" in str(answer)


def _without_closed_flags(node: Any) -> Any:
    """What a google-genai user must do first: its `_filter_to_supported_schema` (3.6)
    fails on a boolean `additionalProperties`, which every closed schema has."""
    if isinstance(node, list):
        return [_without_closed_flags(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: _without_closed_flags(value)
        for key, value in node.items()
        if not (key == "additionalProperties" and isinstance(value, bool))
    }


async def test_gemini_declarations_keep_every_argument_description(tools: list[Tool]) -> None:
    """google-genai's declaration conversion (the one its MCP path uses) keeps only the
    description of a union's branch: each optional argument must carry it there."""
    kept = 0
    for tool in tools:
        supported = _filter_to_supported_schema(_without_closed_flags(tool.input_schema))
        declared = types.Schema.from_json_schema(json_schema=types.JSONSchema(**supported))
        converted = declared.properties or {}
        for name, spec in tool.input_schema["properties"].items():
            assert converted[name].description == spec["description"], f"{tool.name}.{name}"
            kept += 1
    assert kept > 200


async def test_published_schemas_are_worked_out_once_not_per_listing(
    store: SimulatedStore,
) -> None:
    """Every session of a remote server lists the tools: the listing reuses its schemas."""
    server = server_for(store)
    first, second = await server.list_tools(), await server.list_tools()
    for before, after in zip(first, second, strict=True):
        assert after.input_schema is before.input_schema, before.name
        assert after.output_schema is before.output_schema, before.name
