"""The tool surface the model sees: snapshots, hints, descriptions, schemas, selection, README.

Run with UPDATE_TOOLSNAPS=1 to rewrite the snapshots after a deliberate change, then
review the diff of tests/tools/__snapshots__/ like any other change.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.types import Tool
from pydantic import BaseModel

from bigcommerce_b2b_mcp.errors import ConfigError
from bigcommerce_b2b_mcp.models.address import AddressUpdate, NewAddress
from bigcommerce_b2b_mcp.models.company import CompanyUpdate, NewCompany
from bigcommerce_b2b_mcp.models.invoice import InvoiceUpdate, NewInvoice
from bigcommerce_b2b_mcp.models.invoice_payment import NewOfflinePayment
from bigcommerce_b2b_mcp.models.quote import NewQuote, QuoteUpdate
from bigcommerce_b2b_mcp.models.user import EmailLookup, NewUser, UserUpdate
from bigcommerce_b2b_mcp.server import describe_tools
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from bigcommerce_b2b_mcp.tools import TOOLSET_NAMES, toolsets
from bigcommerce_b2b_mcp.tools.arguments import published
from tests.tools.conftest import server_for

pytestmark = pytest.mark.anyio

SNAPSHOTS = Path(__file__).parent / "__snapshots__"
README = Path(__file__).resolve().parents[2] / "README.md"
EXPECTED = {
    "companies": [
        "create_company",
        "get_company",
        "update_company",
        "list_companies",
        "set_company_status",
        "get_company_hierarchy",
        "set_parent_company",
        "list_company_roles",
        "list_extra_field_definitions",
    ],
    "users": [
        "create_user",
        "get_user",
        "get_user_by_email",
        "get_user_by_customer_id",
        "list_company_users",
        "update_user",
    ],
    "addresses": ["list_company_addresses", "create_company_address", "update_company_address"],
    "quotes": [
        "get_quote",
        "list_quotes",
        "create_quote",
        "update_quote",
        "get_quote_pdf_url",
        "get_quote_checkout_url",
    ],
    "orders": [
        "get_order",
        "list_orders",
        "list_order_products",
        "update_order",
        "assign_customer_orders_to_company",
    ],
    "invoices": [
        "create_invoice",
        "create_invoice_from_order",
        "get_invoice",
        "list_invoices",
        "update_invoice",
        "get_invoice_pdf_url",
        "list_invoice_payments",
        "record_offline_payment",
    ],
    "payments": [
        "get_company_credit",
        "update_company_credit",
        "get_company_payment_terms",
        "update_company_payment_terms",
        "list_company_payment_methods",
        "update_company_payment_methods",
    ],
    "sales_staff": ["list_sales_staff", "get_sales_staff", "assign_sales_staff"],
    "triggers": ["get_trigger_events"],
}
# Only with --dynamic-toolsets.
DYNAMIC = ["list_available_toolsets", "enable_toolset"]
# Hints by verb; the few tools whose verb misleads are named.
HINTS = {
    "get": (True, False, True),
    "list": (True, False, True),
    "create": (False, False, False),
    "record": (False, False, False),
    "update": (False, True, True),
    "set": (False, True, True),
    "assign": (False, True, True),
    "enable": (True, False, True),  # switches tools on for the model; the store is untouched
}
NAMED_HINTS = {
    # A PDF export is a POST that makes a file; asking again only makes another.
    "get_quote_pdf_url": (False, False, True),
    # Each call puts the quote in a new cart.
    "get_quote_checkout_url": (False, False, False),
}
ALL = sorted(name for names in EXPECTED.values() for name in names)


@pytest.fixture
async def tools(empty_store: SimulatedStore) -> list[Tool]:
    """Every tool there is: all toolsets, and the two only dynamic mode lists."""
    async with Client(server_for(empty_store), mode="legacy") as client:
        listed = (await client.list_tools()).tools
    async with Client(server_for(empty_store, dynamic_toolsets=True), mode="legacy") as client:
        meta = [tool for tool in (await client.list_tools()).tools if tool.name in DYNAMIC]
    return listed + meta


def snapshot_of(tool: Tool) -> dict[str, Any]:
    return tool.model_dump(
        mode="json",
        by_alias=True,
        exclude_none=True,
        include={"name", "title", "description", "input_schema", "output_schema", "annotations"},
    )


async def test_exactly_the_documented_tools(tools: list[Tool]) -> None:
    assert sorted(tool.name for tool in tools) == sorted(ALL + DYNAMIC)


async def test_every_tool_matches_its_snapshot(tools: list[Tool]) -> None:
    update = os.environ.get("UPDATE_TOOLSNAPS") == "1"
    SNAPSHOTS.mkdir(exist_ok=True)
    for tool in tools:
        path = SNAPSHOTS / f"{tool.name}.json"
        current = json.dumps(snapshot_of(tool), indent=2, sort_keys=True) + "\n"
        if update:
            path.write_text(current)
            continue
        assert path.exists(), (
            f"no snapshot for {tool.name}: run with UPDATE_TOOLSNAPS=1 and review it"
        )
        assert path.read_text() == current, (
            f"{tool.name} changed: run with UPDATE_TOOLSNAPS=1 and review the diff"
        )
    stale = {p.stem for p in SNAPSHOTS.glob("*.json")} - {tool.name for tool in tools}
    assert not stale, f"snapshots of tools that no longer exist: {sorted(stale)}"


async def test_every_hint_is_explicit_and_fits_the_verb(tools: list[Tool]) -> None:
    for tool in tools:
        hints = tool.annotations
        assert hints is not None, tool.name
        assert hints.title, tool.name
        values = (
            hints.read_only_hint,
            hints.destructive_hint,
            hints.idempotent_hint,
            hints.open_world_hint,
        )
        assert None not in values, f"{tool.name} leaves a hint unset"
        expected = NAMED_HINTS.get(tool.name) or HINTS[tool.name.split("_")[0]]
        assert (hints.read_only_hint, hints.destructive_hint, hints.idempotent_hint) == expected, (
            tool.name
        )


async def test_descriptions_are_written_for_the_model(tools: list[Tool]) -> None:
    for tool in tools:
        description = tool.description or ""
        assert 80 <= len(description) < 1000, f"{tool.name}: {len(description)} characters"
        for name, spec in tool.input_schema.get("properties", {}).items():
            assert spec.get("description"), f"{tool.name}.{name} has no description"


async def test_schemas_models_can_use(tools: list[Tool]) -> None:
    for tool in tools:
        schema = tool.input_schema
        assert schema["type"] == "object"
        assert not {"anyOf", "oneOf", "allOf"} & set(schema), f"{tool.name} has a root union"
        for name, spec in schema.get("properties", {}).items():
            for branch in spec.get("anyOf", []):
                assert "anyOf" not in branch, f"{tool.name}.{name} nests unions"
            assert not re.search(r"[A-Z]", name), f"{tool.name}.{name} is not snake_case"
        assert tool.output_schema is not None, f"{tool.name} has no output schema"


async def test_read_only_mode_hides_every_write_tool(empty_store: SimulatedStore) -> None:
    async with Client(server_for(empty_store, read_only=True)) as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
    assert names == {
        name for name in ALL if name.startswith(("get_", "list_")) and name not in NAMED_HINTS
    }
    assert "get_invoice_pdf_url" in names
    assert not {"get_quote_pdf_url", "get_quote_checkout_url"} & names


async def test_toolsets_select_tools_and_read_only_still_wins(empty_store: SimulatedStore) -> None:
    async with Client(server_for(empty_store, toolsets=("quotes", "invoices"))) as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
    assert names == set(EXPECTED["quotes"] + EXPECTED["invoices"])
    async with Client(server_for(empty_store, toolsets=("invoices",), read_only=True)) as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
    assert names == {"get_invoice", "list_invoices", "get_invoice_pdf_url", "list_invoice_payments"}


def test_unknown_toolsets_are_a_configuration_error(empty_store: SimulatedStore) -> None:
    with pytest.raises(ConfigError, match="unknown toolsets: widgets"):
        server_for(empty_store, toolsets=("companies", "widgets"))


async def test_readme_lists_every_tool_with_its_purpose(empty_store: SimulatedStore) -> None:
    readme = README.read_text()
    start = readme.index("\n## Tools")
    tools_section = readme[start : readme.index("\n## ", start + 1)]
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| (.+?) \|$", tools_section, flags=re.MULTILINE))
    expected = dict(await describe_tools(server_for(empty_store)))
    expected |= dict(await describe_tools(server_for(empty_store, dynamic_toolsets=True)))
    assert rows == expected, (
        "README tool table is out of date: copy the first line of each description"
    )


def _bounded(node: Any, defs: dict[str, Any], where: str) -> list[str]:
    """Every value an argument can take has a limit the API can live with."""
    if isinstance(node, dict) and "$ref" in node:
        return _bounded(defs[node["$ref"].rsplit("/", 1)[-1]], defs, where)
    if not isinstance(node, dict):
        return []
    found = [
        problem for branch in node.get("anyOf", []) for problem in _bounded(branch, defs, where)
    ]
    kind = node.get("type")
    if kind == "string" and "enum" not in node and "maxLength" not in node:
        found.append(f"{where}: a string without maxLength")
    ranged = "enum" in node or (
        "maximum" in node and bool({"minimum", "exclusiveMinimum"} & set(node))
    )
    if kind in ("integer", "number") and not ranged:
        found.append(f"{where}: a {kind} without a range")
    if kind == "array":
        if "maxItems" not in node:
            found.append(f"{where}: a list without maxItems")
        found += _bounded(node.get("items"), defs, f"{where}[]")
    for name, sub in node.get("properties", {}).items():
        found += _bounded(sub, defs, f"{where}.{name}")
    return found


async def test_every_argument_has_limits(tools: list[Tool]) -> None:
    problems = [
        problem
        for tool in tools
        for problem in _bounded(tool.input_schema, tool.input_schema.get("$defs", {}), tool.name)
    ]
    assert problems == []


WRITE_BODIES: dict[str, type[BaseModel]] = {
    "create_company": NewCompany,
    "update_company": CompanyUpdate,
    "create_user": NewUser,
    "update_user": UserUpdate,
    "get_user_by_email": EmailLookup,
    "create_company_address": NewAddress,
    "update_company_address": AddressUpdate,
    "create_invoice": NewInvoice,
    "update_invoice": InvoiceUpdate,
    "create_quote": NewQuote,
    "update_quote": QuoteUpdate,
    "record_offline_payment": NewOfflinePayment,
}
# Arguments the tool turns into another form before they enter the body (names to codes,
# dates to unix seconds, amounts to money objects).
TRANSLATED = {"role", "status", "due_date", "original_balance", "open_balance", "discount"}
LIMITS = ("maxLength", "minLength", "maximum", "minimum", "exclusiveMinimum", "pattern", "format")


def _limits(spec: dict[str, Any]) -> dict[str, Any]:
    branches = [b for b in spec.get("anyOf", [spec]) if b.get("type") != "null"]
    return {key: branches[0][key] for key in LIMITS if branches and key in branches[0]}


async def test_tool_arguments_and_request_bodies_share_their_limits(tools: list[Tool]) -> None:
    """A write field is declared once: the tool and the request body can never disagree."""
    by_name = {tool.name: tool for tool in tools}
    compared = 0
    for tool_name, body in WRITE_BODIES.items():
        # Both as published: formats become words in both (see `tools.arguments.published`).
        body_fields = published(body.model_json_schema())["properties"]
        for name, spec in by_name[tool_name].input_schema["properties"].items():
            if name in body_fields and name not in TRANSLATED:
                assert _limits(spec) == _limits(body_fields[name]), f"{tool_name}.{name}"
                compared += 1
    assert compared >= 50


def test_the_toolset_names_known_at_start_up_are_the_toolsets() -> None:
    """`TOOLSET_NAMES` lets the server start without importing the tools: it must not drift."""
    assert tuple(toolset.name for toolset in toolsets()) == TOOLSET_NAMES
