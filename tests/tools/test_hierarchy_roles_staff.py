"""Account hierarchies, company roles, extra fields and sales staff, through MCP."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client

from bigcommerce_b2b_mcp.simulator.companies import add_company
from bigcommerce_b2b_mcp.simulator.extra_fields import define
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.tools.calls import call, fail

pytestmark = pytest.mark.anyio


def _a_new_company(store: SimulatedStore, name: str) -> int:
    company = add_company(
        store,
        name=name,
        email=f"ap@{name.lower().replace(' ', '')}.example",
        phone="+1-555-010-0000",
        country="US",
        status=1,
        admin={"first_name": "Ada", "last_name": "Lee", "email": f"ada@{name.lower()[:5]}.example"},
    )
    return int(company["id"])


def _names(tree: dict[str, Any]) -> list[str]:
    """The company names of a hierarchy, depth first."""
    found = [tree["company_name"]]
    for child in tree["subsidiaries"]:
        found += _names(child)
    return found


async def test_a_subsidiary_sees_its_whole_hierarchy_from_the_top(
    mcp: Client, store: SimulatedStore
) -> None:
    child = next(c for c in store.companies.values() if c["parent_id"])
    parent = store.companies[child["parent_id"]]
    hierarchy = await call(mcp, "get_company_hierarchy", company_id=child["id"])
    (top,) = hierarchy["items"]
    assert top["company_id"] == parent["id"]
    assert child["name"] in [sub["company_name"] for sub in top["subsidiaries"]]
    assert (await call(mcp, "get_company", company_id=child["id"]))["parent_company"] == {
        "id": parent["id"],
        "name": parent["name"],
    }


async def test_parents_are_set_refused_when_too_deep_or_circular_and_taken_away(
    mcp: Client, store: SimulatedStore
) -> None:
    top, middle, bottom, extra = (
        _a_new_company(store, name) for name in ("Top Co", "Mid Co", "Low Co", "Deep Co")
    )
    await call(mcp, "set_parent_company", company_id=middle, parent_company_id=top)
    placed = await call(mcp, "set_parent_company", company_id=bottom, parent_company_id=middle)
    assert _names(placed["items"][0]) == ["Top Co", "Mid Co", "Low Co"]

    too_deep = await fail(mcp, "set_parent_company", company_id=extra, parent_company_id=bottom)
    assert "maximum layer" in too_deep
    circular = await fail(mcp, "set_parent_company", company_id=top, parent_company_id=bottom)
    assert "above it" in circular
    assert "nothing was sent" in await fail(
        mcp, "set_parent_company", company_id=top, parent_company_id=top
    )

    # Taken out, the middle company keeps its own subsidiary.
    alone = await call(mcp, "set_parent_company", company_id=middle, parent_company_id=None)
    assert _names(alone["items"][0]) == ["Mid Co", "Low Co"]
    assert _names((await call(mcp, "get_company_hierarchy", company_id=top))["items"][0]) == [
        "Top Co"
    ]
    # Taking out a company that has no parent changes nothing and says how it stands.
    again = await call(mcp, "set_parent_company", company_id=middle, parent_company_id=None)
    assert again == alone


async def test_custom_roles_are_listed_and_given_to_users(
    mcp: Client, store: SimulatedStore
) -> None:
    roles = await call(mcp, "list_company_roles", limit=100)
    by_name = {role["name"]: role for role in roles["items"]}
    assert {"Admin", "Senior Buyer", "Junior Buyer", "Approver"} <= set(by_name)
    assert [
        r["name"] for r in (await call(mcp, "list_company_roles", name_contains="buyer"))["items"]
    ] == ["Senior Buyer", "Junior Buyer"]

    user = next(u for u in store.users.values() if u["role"] == 2)
    approver = await call(
        mcp, "update_user", user_id=user["id"], company_role_id=by_name["Approver"]["id"]
    )
    assert approver["company_role_id"] == by_name["Approver"]["id"]
    assert approver["company_role_name"] == "Approver"
    senior = await call(mcp, "update_user", user_id=user["id"], role="senior_buyer")
    assert (senior["role"], senior["company_role_id"]) == ("senior_buyer", None)

    both = await fail(
        mcp, "update_user", user_id=user["id"], role="admin", company_role_id=by_name["Admin"]["id"]
    )
    assert "not both" in both
    unknown = await fail(mcp, "update_user", user_id=user["id"], company_role_id=999_999)
    assert "company_role_id" in unknown


async def test_a_users_channels_change_and_a_customer_id_finds_the_user(
    mcp: Client, store: SimulatedStore
) -> None:
    user = next(iter(store.users.values()))
    moved = await call(mcp, "update_user", user_id=user["id"], channel_ids=[1, 2])
    assert [channel["channel_id"] for channel in moved["channel_list"]] == [1, 2]

    found = await call(mcp, "get_user_by_customer_id", customer_id=user["customer_id"])
    assert (found["id"], found["company_id"]) == (user["id"], user["company_id"])
    missing = await fail(mcp, "get_user_by_customer_id", customer_id=987654)
    assert "get_user_by_email" in missing


async def test_extra_fields_are_checked_against_the_store_and_merged_on_update(
    mcp: Client, store: SimulatedStore
) -> None:
    definitions = await call(mcp, "list_extra_field_definitions", resource="company")
    industry = next(d for d in definitions["items"] if d["field_name"] == "Industry")
    assert (industry["field_type"], industry["choices"]) == (
        "dropdown",
        ["Retail", "Hospitality", "Health"],
    )

    company_id = min(store.companies)
    await call(
        mcp,
        "update_company",
        company_id=company_id,
        extra_fields=[{"field_name": "Tax code", "field_value": "G"}],
    )
    updated = await call(
        mcp,
        "update_company",
        company_id=company_id,
        extra_fields=[{"field_name": "Industry", "field_value": "Retail"}],
    )
    assert {f["field_name"]: f["field_value"] for f in updated["extra_fields"]} == {
        "Tax code": "G",
        "Industry": "Retail",
    }
    unknown = await fail(
        mcp,
        "update_company",
        company_id=company_id,
        extra_fields=[{"field_name": "Colour", "field_value": "red"}],
    )
    assert "not defined by the store: Colour" in unknown
    assert "Nothing was written" in unknown

    define(store, "user", "Badge number", required=True)
    new_user = {
        "company_id": company_id,
        "first_name": "Rui",
        "last_name": "Costa",
        "email": "rui.costa@example.com",
    }
    missing = await fail(mcp, "create_user", **new_user)
    assert "required but missing: Badge number" in missing
    assert not any(u["email"] == "rui.costa@example.com" for u in store.users.values())
    created = await call(
        mcp,
        "create_user",
        **new_user,
        extra_fields=[
            {"field_name": "Badge number", "field_value": "B-17"},
            {"field_name": "Cost center", "field_value": "9"},
        ],
    )
    user = await call(mcp, "get_user", user_id=created["user_id"])
    assert {f["field_name"]: f["field_value"] for f in user["extra_fields"]} == {
        "Badge number": "B-17",
        "Cost center": "9",
    }


async def test_address_extra_fields(mcp: Client, store: SimulatedStore) -> None:
    company_id = min(store.companies)
    created = await call(
        mcp,
        "create_company_address",
        company_id=company_id,
        first_name="Ana",
        last_name="Ruiz",
        address_line1="1 Dock Rd",
        city="Austin",
        state_name="Texas",
        country_name="United States",
        country_code="US",
        extra_fields=[{"field_name": "Dock hours", "field_value": "7-15"}],
    )
    updated = await call(
        mcp,
        "update_company_address",
        address_id=created["address_id"],
        label="Dock",
        extra_fields=[{"field_name": "Dock hours", "field_value": "6-14"}],
    )
    assert updated["label"] == "Dock"
    assert [(f["field_name"], f["field_value"]) for f in updated["extra_fields"]] == [
        ("Dock hours", "6-14")
    ]


async def test_sales_staff_cover_companies_and_are_reassigned(
    mcp: Client, store: SimulatedStore
) -> None:
    staff = next(s for s in store.sales_staff.values() if s["assignments"])
    covered = next(iter(staff["assignments"]))
    reps = await call(mcp, "list_sales_staff", company_id=covered)
    assert staff["id"] in [rep["id"] for rep in reps["items"]]
    assert all(rep["company_count"] >= 1 for rep in reps["items"])

    uncovered = next(c for c in store.companies if c not in staff["assignments"])
    changed = await call(
        mcp,
        "assign_sales_staff",
        sales_staff_id=staff["id"],
        assign_company_ids=[uncovered],
        unassign_company_ids=[covered],
    )
    now_covered = {company["id"] for company in changed["assigned_companies"]}
    assert uncovered in now_covered
    assert covered not in now_covered
    assert len(now_covered) == len(staff["assignments"])
    detail = await call(mcp, "get_sales_staff", sales_staff_id=staff["id"])
    assert detail == changed

    assert "Both assigned and unassigned" in await fail(
        mcp,
        "assign_sales_staff",
        sales_staff_id=staff["id"],
        assign_company_ids=[covered],
        unassign_company_ids=[covered],
    )
    assert "list_sales_staff" in await fail(mcp, "get_sales_staff", sales_staff_id=987654)
    unknown = await fail(
        mcp, "assign_sales_staff", sales_staff_id=987654, assign_company_ids=[covered]
    )
    assert "Sales staff does not exist" in unknown
