"""Company tools through a real MCP client."""

from __future__ import annotations

import pytest
from mcp import Client

from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.conftest import Clock
from tests.tools.calls import call, fail

pytestmark = pytest.mark.anyio

NEW = {
    "company_name": "Harbor Tools",
    "company_email": "ap@harbortools.example",
    "company_phone": "+1 555 0142",
    "country": "US",
    "admin_first_name": "Hana",
    "admin_last_name": "Reyes",
    "admin_email": "hana@harbortools.example",
    "city": "Tacoma",
}


async def test_create_get_and_find_the_admin(mcp: Client) -> None:
    created = await call(mcp, "create_company", **NEW)
    company = await call(mcp, "get_company", company_id=created["company_id"])
    assert company["company_name"] == "Harbor Tools"
    assert company["company_status"] == "approved"
    assert company["city"] == "Tacoma"
    admin = await call(mcp, "get_user_by_email", email="hana@harbortools.example")
    assert admin["company_id"] == created["company_id"]
    assert admin["role"] == "admin"


async def test_a_bad_email_is_refused_before_any_request(
    mcp: Client, store: SimulatedStore
) -> None:
    before = len(store.companies)
    text = await fail(mcp, "create_company", **{**NEW, "admin_email": "hana-at-harbor"})
    assert "admin_email" in text
    assert "nothing was sent" in text
    assert len(store.companies) == before


async def test_an_email_already_used_names_the_field(mcp: Client, store: SimulatedStore) -> None:
    taken = next(iter(store.users.values()))["email"]
    text = await fail(mcp, "create_company", **{**NEW, "admin_email": taken})
    assert "admin_email" in text


async def test_an_unknown_company_points_to_list_companies(mcp: Client) -> None:
    text = await fail(mcp, "get_company", company_id=987654)
    assert "No such company" in text
    assert "list_companies" in text


async def test_wrong_argument_types_are_explained(mcp: Client) -> None:
    text = await fail(mcp, "get_company", company_id="abc")
    assert "company_id" in text
    assert "errors.pydantic.dev" not in text


async def test_update_changes_only_what_is_given(mcp: Client, clock: Clock) -> None:
    created = await call(mcp, "create_company", **NEW)
    clock.advance(10)
    company = await call(mcp, "update_company", company_id=created["company_id"], zip_code="98402")
    assert company["zip_code"] == "98402"
    assert company["city"] == "Tacoma"
    text = await fail(mcp, "update_company", company_id=created["company_id"])
    assert "Nothing to change" in text


async def test_set_status_by_name(mcp: Client) -> None:
    created = await call(mcp, "create_company", **NEW)
    company = await call(
        mcp, "set_company_status", company_id=created["company_id"], status="inactive"
    )
    assert company["company_status"] == "inactive"
    text = await fail(mcp, "set_company_status", company_id=created["company_id"], status="frozen")
    assert "status" in text


async def test_list_pages_and_filters(mcp: Client) -> None:
    page = await call(mcp, "list_companies", limit=5)
    assert page["total"] == 36
    assert len(page["items"]) == 5
    assert page["has_more"] is True
    pending = await call(mcp, "list_companies", status="pending", limit=100)
    assert pending["items"]
    assert {c["company_status"] for c in pending["items"]} == {"pending"}
    named = await call(mcp, "list_companies", sort_by="company_name", descending=False, limit=100)
    names = [c["company_name"] for c in named["items"]]
    assert names == sorted(names)


async def test_the_default_page_is_small(mcp: Client) -> None:
    page = await call(mcp, "list_companies")
    assert page["limit"] == 20
    assert len(page["items"]) == 20
