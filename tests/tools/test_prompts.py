"""Prompts and completions, through a real MCP client in both protocol generations."""

from __future__ import annotations

import re

import pytest
from mcp import Client, MCPError
from mcp.types import PromptReference, ResourceTemplateReference, TextContent

from bigcommerce_b2b_mcp.resources import EVENTS_TEMPLATE
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.tools.conftest import server_for

pytestmark = pytest.mark.anyio

ARGUMENTS = {
    "review_pending_companies": {"limit": "5"},
    "triage_expiring_quotes": {"days": "14"},
    "chase_overdue_invoices": {"company": "1012 Acme Supply"},
    "onboard_company": {"company_name": "Acme", "admin_email": "ann@acme.example"},
    "weekly_b2b_summary": {},
}


async def _render(client: Client, name: str, arguments: dict[str, str]) -> str:
    result = await client.get_prompt(name, arguments)
    block = result.messages[0].content
    assert isinstance(block, TextContent)
    return block.text


async def test_each_prompt_is_described_and_names_only_tools_that_exist(mcp: Client) -> None:
    caps = mcp.server_capabilities
    assert caps is not None
    assert caps.prompts is not None
    assert caps.completions is not None
    prompts = {prompt.name: prompt for prompt in (await mcp.list_prompts()).prompts}
    assert set(prompts) == set(ARGUMENTS)
    tools = {tool.name for tool in (await mcp.list_tools()).tools}
    for name, arguments in ARGUMENTS.items():
        prompt = prompts[name]
        assert prompt.title
        assert prompt.description
        for argument in prompt.arguments or []:
            assert argument.description, f"{name}.{argument.name}"
        text = await _render(mcp, name, arguments)
        called = set(re.findall(r"\b([a-z]+(?:_[a-z]+)+)\(", text))
        assert called, name
        assert called <= tools, f"{name} names tools that do not exist: {called - tools}"


async def test_a_company_given_by_id_or_by_name(mcp: Client) -> None:
    by_id = await _render(mcp, "chase_overdue_invoices", {"company": "1012 Acme Supply"})
    assert "get_company(company_id=1012)" in by_id
    by_name = await _render(mcp, "chase_overdue_invoices", {"company": 'Acme "Supply"'})
    assert "list_companies(name_contains=\"Acme 'Supply'\")" in by_name


async def test_an_argument_out_of_range_is_refused(mcp: Client) -> None:
    with pytest.raises(MCPError):
        await mcp.get_prompt("triage_expiring_quotes", {"days": "0"})
    with pytest.raises(MCPError):
        await mcp.get_prompt("chase_overdue_invoices", {})


async def test_completion_offers_companies_by_name_as_id_and_name(
    mcp: Client, store: SimulatedStore
) -> None:
    ref = PromptReference(type="ref/prompt", name="chase_overdue_invoices")
    result = await mcp.complete(ref, {"name": "company", "value": "ar"})
    expected = sorted(
        (c["name"], c["id"]) for c in store.companies.values() if "ar" in c["name"].lower()
    )
    assert expected
    offered = result.completion.values
    assert offered == [f"{company_id} {name}" for name, company_id in expected][:20]
    picked = await _render(mcp, "chase_overdue_invoices", {"company": offered[0]})
    assert f"get_company(company_id={expected[0][1]})" in picked


async def test_completion_of_fixed_choices_and_of_the_events_template(mcp: Client) -> None:
    days = await mcp.complete(
        PromptReference(type="ref/prompt", name="weekly_b2b_summary"),
        {"name": "days", "value": "1"},
    )
    assert days.completion.values == ["14"]
    triggers = await mcp.complete(
        ResourceTemplateReference(type="ref/resource", uri=EVENTS_TEMPLATE),
        {"name": "trigger", "value": "status"},
    )
    assert triggers.completion.values == [
        "company-status-changes",
        "order-status-changes",
        "quote-status-changes",
        "invoice-status-changes",
    ]


async def test_completion_without_the_api_offers_nothing_rather_than_failing(
    store: SimulatedStore,
) -> None:
    server = server_for(store, access_token="wrong-token-wrong-token")
    async with Client(server) as client:
        result = await client.complete(
            PromptReference(type="ref/prompt", name="chase_overdue_invoices"),
            {"name": "company", "value": "a"},
        )
    assert result.completion.values == []
