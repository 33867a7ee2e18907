"""A quote's life through MCP: created, repriced, extended, sent as a PDF, checked out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from mcp import Client

from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.tools.calls import call, fail

pytestmark = pytest.mark.anyio

LINES = [
    {"sku": "SHV-3", "product_id": 105, "quantity": 10, "base_price": 240, "offered_price": 210},
    {"sku": "LED-40", "product_id": 104, "quantity": 50, "base_price": 58},
]


async def _new_quote(mcp: Client, store: SimulatedStore, **extra: Any) -> int:
    company_id = min(store.companies)
    created = await call(
        mcp,
        "create_quote",
        company_id=company_id,
        contact_name="Ava Nguyen",
        contact_email="ava@acme.example",
        lines=LINES,
        title="Shelving refit",
        expires_on="2031-03-31",
        **extra,
    )
    assert created["quote_url"]
    return int(created["quote_id"])


async def test_a_quote_is_created_with_totals_from_its_lines(
    mcp: Client, store: SimulatedStore
) -> None:
    quote_id = await _new_quote(mcp, store, discount=100, message="As discussed on the phone.")
    quote = await call(mcp, "get_quote", quote_id=quote_id)
    assert quote["status"] == "in_process"
    assert quote["company_info"]["company_id"] == min(store.companies)
    assert Decimal(str(quote["subtotal"])) == 10 * 210 + 50 * 58
    assert Decimal(str(quote["grand_total"])) == 10 * 210 + 50 * 58 - 100
    lines = {line["sku"]: line for line in quote["product_list"]}
    assert Decimal(str(lines["SHV-3"]["discount"])) == 30
    assert Decimal(str(lines["LED-40"]["offered_price"])) == 58
    assert quote["expired_at"].startswith("2031-03-31")
    assert [entry["message"] for entry in quote["tracking_history"]] == [
        "As discussed on the phone."
    ]


async def test_a_quote_is_repriced_extended_and_keeps_what_was_not_named(
    mcp: Client, store: SimulatedStore
) -> None:
    quote_id = await _new_quote(mcp, store)
    store.quotes[quote_id]["products"][0]["options"] = [
        {"optionId": 7, "optionName": "Color", "optionLabel": "Slate", "optionValue": "12"}
    ]
    updated = await call(
        mcp,
        "update_quote",
        quote_id=quote_id,
        expires_on="2031-04-14",
        line_changes=[{"sku": "SHV-3", "offered_price": 199.5}, {"sku": "LED-40", "quantity": 0}],
        add_lines=[{"sku": "DPB", "product_id": 101, "quantity": 4, "base_price": 34.95}],
        notes="Price held for two weeks.",
    )
    lines = {line["sku"]: line for line in updated["product_list"]}
    assert set(lines) == {"SHV-3", "DPB"}
    assert Decimal(str(lines["SHV-3"]["offered_price"])) == Decimal("199.5")
    assert lines["SHV-3"]["quantity"] == 10
    assert lines["SHV-3"]["options"][0]["option_label"] == "Slate"
    assert Decimal(str(updated["subtotal"])) == Decimal("1995") + Decimal("139.8")
    assert updated["expired_at"].startswith("2031-04-14")
    assert updated["notes"] == "Price held for two weeks."
    assert updated["quote_title"] == "Shelving refit"

    not_there = await fail(
        mcp, "update_quote", quote_id=quote_id, line_changes=[{"sku": "NOPE", "quantity": 1}]
    )
    assert "Not on the quote: NOPE" in not_there
    assert "nothing was sent" in not_there
    too_much = await fail(mcp, "update_quote", quote_id=quote_id, discount=1_000_000)
    assert "more than the quote's subtotal" in too_much
    assert "Nothing to change" in await fail(mcp, "update_quote", quote_id=quote_id)


async def test_an_ordered_quote_cannot_change_or_check_out(
    mcp: Client, store: SimulatedStore
) -> None:
    quote_id = await _new_quote(mcp, store)
    store.quotes[quote_id]["status"] = 4
    refused = await fail(mcp, "update_quote", quote_id=quote_id, notes="late")
    assert "already been ordered" in refused
    assert "already been ordered" in await fail(mcp, "get_quote_checkout_url", quote_id=quote_id)


async def test_pdf_and_checkout_links(mcp: Client, store: SimulatedStore) -> None:
    quote_id = await _new_quote(mcp, store)
    pdf = await call(mcp, "get_quote_pdf_url", quote_id=quote_id)
    assert pdf["url"].endswith(".pdf")
    assert store.quotes[quote_id]["number"] in pdf["url"]
    first = await call(mcp, "get_quote_checkout_url", quote_id=quote_id)
    second = await call(mcp, "get_quote_checkout_url", quote_id=quote_id)
    assert first["cart_id"] != second["cart_id"]
    assert first["cart_id"] in first["checkout_url"]
    assert "loadInCheckout" in first["checkout_url"]
    assert "list_quotes" in await fail(mcp, "get_quote_pdf_url", quote_id=987654)


async def test_a_quote_needs_a_known_sales_rep_and_sensible_input(
    mcp: Client, store: SimulatedStore
) -> None:
    rep = next(iter(store.sales_staff.values()))
    quote_id = await _new_quote(mcp, store, sales_rep_email=rep["email"])
    assert (await call(mcp, "get_quote", quote_id=quote_id))["sales_rep_info"][
        "sales_rep_name"
    ] == rep["name"]
    stranger = await fail(
        mcp,
        "create_quote",
        contact_name="Ava",
        contact_email="ava@acme.example",
        lines=LINES,
        sales_rep_email="someone@else.example",
    )
    assert "system user" in stranger
    assert "may have been applied" not in stranger
    no_lines = await fail(
        mcp, "create_quote", contact_name="Ava", contact_email="ava@acme.example", lines=[]
    )
    assert "lines" in no_lines


async def test_a_quote_without_expiry_runs_thirty_days(mcp: Client, store: SimulatedStore) -> None:
    created = await call(
        mcp,
        "create_quote",
        contact_name="Ava",
        contact_email="ava@acme.example",
        lines=LINES[:1],
    )
    quote = await call(mcp, "get_quote", quote_id=created["quote_id"])
    expires = date.fromisoformat(quote["expired_at"][:10])
    assert 29 <= (expires - date.today()).days <= 31
