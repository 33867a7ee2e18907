"""Company user tools through a real MCP client."""

from __future__ import annotations

import pytest
from mcp import Client

from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.tools.calls import call, fail

pytestmark = pytest.mark.anyio


async def test_create_get_list_and_update(mcp: Client, store: SimulatedStore) -> None:
    company_id = min(store.companies)
    created = await call(
        mcp,
        "create_user",
        company_id=company_id,
        first_name="Lee",
        last_name="Park",
        email="lee.park@example.com",
        role="senior_buyer",
    )
    user = await call(mcp, "get_user", user_id=created["user_id"])
    assert user["role"] == "senior_buyer"
    assert user["customer_id"] == created["customer_id"]
    listed = await call(mcp, "list_company_users", company_id=company_id, limit=100)
    assert created["user_id"] in [u["id"] for u in listed["items"]]
    buyers = await call(mcp, "list_company_users", company_id=company_id, role="senior_buyer")
    assert {u["role"] for u in buyers["items"]} == {"senior_buyer"}
    updated = await call(mcp, "update_user", user_id=created["user_id"], role="junior_buyer")
    assert updated["role"] == "junior_buyer"


async def test_get_user_by_email_explains_a_miss_and_a_bad_address(mcp: Client) -> None:
    missing = await fail(mcp, "get_user_by_email", email="nobody@nowhere.example")
    assert "No company user has this email" in missing
    assert "list_company_users" in missing
    bad = await fail(mcp, "get_user_by_email", email="not an email")
    assert "email" in bad
    assert "nothing was sent" in bad


async def test_duplicate_email_and_unknown_user(mcp: Client, store: SimulatedStore) -> None:
    taken = next(iter(store.users.values()))["email"]
    text = await fail(
        mcp,
        "create_user",
        company_id=min(store.companies),
        first_name="A",
        last_name="B",
        email=taken,
    )
    assert "Email already exists" in text
    assert "list_company_users" in await fail(mcp, "get_user", user_id=1)
