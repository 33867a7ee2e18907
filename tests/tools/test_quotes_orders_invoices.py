"""Quote, order and invoice tools through a real MCP client."""

from __future__ import annotations

import pytest
from mcp import Client

from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.tools.calls import call, fail
from tests.tools.conftest import server_for

pytestmark = pytest.mark.anyio


async def test_quotes(mcp: Client) -> None:
    page = await call(mcp, "list_quotes", sort_by="created_at", limit=50)
    assert page["items"]
    quote = await call(mcp, "get_quote", quote_id=page["items"][0]["quote_id"])
    assert quote["product_list"]
    assert quote["status"] in {"new", "in_process", "updated_by_customer", "ordered", "expired"}
    assert "list_quotes" in await fail(mcp, "get_quote", quote_id=1)


async def test_get_quote_on_a_store_that_requires_the_creation_day(store: SimulatedStore) -> None:
    store.require_quote_date = True
    quote_id = min(store.quotes)
    # Older than anything the triggers' first poll lists: get_quote must find its day itself.
    assert store.quotes[quote_id]["created_at"] < store.now() - 3600
    async with Client(server_for(store, toolsets=("quotes",))) as client:
        quote = await call(client, "get_quote", quote_id=quote_id)
    assert quote["quote_id"] == quote_id
    assert quote["quote_number"] == store.quotes[quote_id]["number"]


async def test_orders_of_a_company(mcp: Client, store: SimulatedStore) -> None:
    record = next(o for o in store.orders.values() if o["company_id"])
    page = await call(mcp, "list_orders", company_id=record["company_id"], limit=100)
    assert record["bc_order_id"] in [o["bc_order_id"] for o in page["items"]]
    order = await call(mcp, "get_order", bc_order_id=record["bc_order_id"])
    assert order["company_id"] == record["company_id"]
    assert order["currency_code"] == "USD"
    assert order["status"]
    assert order["po_number"] == record["po_number"]
    assert "bc_order_id" in await fail(mcp, "get_order", bc_order_id=1)


async def test_list_orders_leaves_out_b2c_unless_asked(mcp: Client) -> None:
    b2b = await call(mcp, "list_orders", limit=100)
    assert all(o["company_id"] for o in b2b["items"])
    everything = await call(mcp, "list_orders", limit=100, include_b2c=True)
    assert any(o["company_id"] is None for o in everything["items"])


async def test_create_and_read_an_invoice(mcp: Client, store: SimulatedStore) -> None:
    company_id = min(store.companies)
    created = await call(
        mcp,
        "create_invoice",
        company_id=company_id,
        invoice_number="INV-MCP-1",
        original_balance=349.50,
        bc_order_id=100,
        due_date="2026-12-31",
        line_items=[{"sku": "DPB", "quantity": 10, "unit_price": 34.95, "description": "Dustpan"}],
    )
    invoice = await call(mcp, "get_invoice", invoice_id=created["invoice_id"])
    assert invoice["company_id"] == company_id
    assert invoice["original_balance"] == {"code": "USD", "value": "349.5000"}
    assert invoice["open_balance"]["value"] == "349.5000"
    assert invoice["status"] == "open"
    assert invoice["order_number"] == "100"
    assert invoice["details"]["details"]["line_items"][0]["sku"] == "DPB"
    again = await fail(
        mcp, "create_invoice", company_id=company_id, invoice_number="INV-MCP-1", original_balance=1
    )
    assert "already exists" in again
    owed = await call(mcp, "list_invoices", company_id=company_id, status="open", limit=100)
    assert created["invoice_id"] in [i["id"] for i in owed["items"]]
