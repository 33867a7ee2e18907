"""Company address tools through a real MCP client."""

from __future__ import annotations

import pytest
from mcp import Client

from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.tools.calls import call, fail

pytestmark = pytest.mark.anyio


async def test_add_list_and_update_an_address(mcp: Client, store: SimulatedStore) -> None:
    company_id = min(store.companies)
    created = await call(
        mcp,
        "create_company_address",
        company_id=company_id,
        first_name="Ana",
        last_name="Lima",
        address_line1="500 Harbor Rd",
        city="Austin",
        country_name="United States",
        country_code="US",
        state_name="Texas",
        is_default_shipping=True,
    )
    listed = await call(
        mcp, "list_company_addresses", company_id=company_id, shipping=True, limit=100
    )
    mine = next(a for a in listed["items"] if a["address_id"] == created["address_id"])
    assert mine["is_default_shipping"] is True
    assert sum(a["is_default_shipping"] for a in listed["items"]) == 1
    updated = await call(
        mcp,
        "update_company_address",
        address_id=created["address_id"],
        is_default_billing=True,
        label="HQ",
    )
    assert updated["is_default_billing"] is True
    assert updated["is_billing"] is True
    assert updated["label"] == "HQ"


async def test_address_errors_say_what_to_fix(mcp: Client, store: SimulatedStore) -> None:
    text = await fail(
        mcp,
        "create_company_address",
        company_id=min(store.companies),
        first_name="A",
        last_name="B",
        address_line1="1 St",
        city="Austin",
        country_name="United States",
    )
    assert "state_name" in text
    text = await fail(mcp, "update_company_address", address_id=1, city="X")
    assert "list_company_addresses" in text
    text = await fail(mcp, "update_company_address", address_id=1, country_name="Germany")
    assert "country_code" in text
