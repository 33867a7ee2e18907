"""An invoice's life through MCP: from an order, found by number, changed, paid offline."""

from __future__ import annotations

from decimal import Decimal

import pytest
from mcp import Client

from bigcommerce_b2b_mcp.simulator.orders import add_order
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.tools.calls import call, fail

pytestmark = pytest.mark.anyio


def _an_uninvoiced_order(store: SimulatedStore) -> dict[str, object]:
    company_id = min(store.companies)
    return add_order(store, bc_order_id=91045, company_id=company_id, customer_id=0, total=1045.5)


async def test_an_order_is_invoiced_once_and_found_by_its_numbers(
    mcp: Client, store: SimulatedStore
) -> None:
    order = _an_uninvoiced_order(store)
    order["po_number"] = "PO-7781"
    created = await call(mcp, "create_invoice_from_order", bc_order_id=91045)
    assert created["invoice_number"]
    invoice = await call(mcp, "get_invoice", invoice_id=created["invoice_id"])
    assert invoice["company_id"] == order["company_id"]
    assert invoice["order_number"] == "91045"
    assert invoice["purchase_order_number"] == "PO-7781"
    assert Decimal(str(invoice["open_balance"]["value"])) == Decimal("1045.5")
    assert invoice["status"] == "open"

    again = await fail(mcp, "create_invoice_from_order", bc_order_id=91045)
    assert "already been invoiced" in again
    assert "bc_order_id" in await fail(mcp, "create_invoice_from_order", bc_order_id=1)

    for search in (
        {"order_number": "91045"},
        {"po_number": "PO-7781"},
        {"invoice_number": created["invoice_number"]},
    ):
        found = await call(mcp, "list_invoices", **search)
        assert [i["id"] for i in found["items"]] == [created["invoice_id"]], search
    both = await fail(mcp, "list_invoices", order_number="91045", po_number="PO-7781")
    assert "Give one of" in both


async def test_an_invoice_changes_its_due_date_balance_and_extra_fields(
    mcp: Client, store: SimulatedStore
) -> None:
    invoice = next(i for i in store.invoices.values() if i["status"] == 0)
    updated = await call(
        mcp,
        "update_invoice",
        invoice_id=invoice["id"],
        due_date="2031-06-30",
        purchase_order_number="PO-NEW",
        extra_fields=[{"field_name": "Department", "field_value": "Facilities"}],
    )
    assert updated["due_date"].startswith("2031-06-30")
    assert updated["purchase_order_number"] == "PO-NEW"
    assert updated["extra_fields"][0]["field_value"] == "Facilities"
    half = Decimal(str(invoice["original_balance"])) / 2
    partly = await call(mcp, "update_invoice", invoice_id=invoice["id"], open_balance=float(half))
    assert partly["status"] == "partially_paid"
    too_much = await fail(mcp, "update_invoice", invoice_id=invoice["id"], open_balance=10_000_000)
    assert "more than the invoice total" in too_much


async def test_a_cheque_pays_two_invoices_and_is_listed(mcp: Client, store: SimulatedStore) -> None:
    company_id = min(store.companies)
    first = await call(
        mcp,
        "create_invoice",
        company_id=company_id,
        invoice_number="INV-CHQ-1",
        original_balance=300,
        line_items=[{"sku": "DPB", "quantity": 10, "unit_price": 34.95, "unit_discount": 4.95}],
        terms="Net 30",
        type="Invoice",
    )
    second = await call(
        mcp,
        "create_invoice",
        company_id=company_id,
        invoice_number="INV-CHQ-2",
        original_balance=200,
    )
    detail = await call(mcp, "get_invoice", invoice_id=first["invoice_id"])
    line = detail["details"]["details"]["line_items"][0]
    assert Decimal(str(line["unit_discount"]["value"])) == Decimal("4.95")
    assert detail["terms_conditions"] == "Net 30"

    paid = await call(
        mcp,
        "record_offline_payment",
        company_id=company_id,
        invoices=[
            {"invoice_id": first["invoice_id"], "amount": 300},
            {"invoice_id": second["invoice_id"], "amount": 50},
        ],
        memo="Cheque #4521",
    )
    assert Decimal(str(paid["total"])) == 350
    assert (await call(mcp, "get_invoice", invoice_id=first["invoice_id"]))["status"] == "paid"
    rest = await call(mcp, "get_invoice", invoice_id=second["invoice_id"])
    assert rest["status"] == "partially_paid"
    assert Decimal(str(rest["open_balance"]["value"])) == 150

    payments = await call(mcp, "list_invoice_payments", invoice_id=second["invoice_id"])
    (payment,) = payments["items"]
    assert payment["id"] == paid["payment_id"]
    assert payment["processing_status"] == "completed"
    assert payment["details"]["memo"] == "Cheque #4521"
    assert {line["invoice_id"] for line in payment["line_items"]} == {
        first["invoice_id"],
        second["invoice_id"],
    }
    mine = await call(mcp, "list_invoice_payments", company_id=company_id, limit=100)
    assert paid["payment_id"] in [p["id"] for p in mine["items"]]
    assert all(p["company_id"] == company_id for p in mine["items"])

    over = await fail(
        mcp,
        "record_offline_payment",
        company_id=company_id,
        invoices=[{"invoice_id": second["invoice_id"], "amount": 151}],
        memo="Wire",
    )
    assert "exceeds the open balance" in over
    assert "may have been applied" not in over
    twice = await fail(
        mcp,
        "record_offline_payment",
        company_id=company_id,
        invoices=[
            {"invoice_id": second["invoice_id"], "amount": 1},
            {"invoice_id": second["invoice_id"], "amount": 1},
        ],
        memo="Wire",
    )
    assert "listed twice" in twice


async def test_invoice_pdf_link(mcp: Client, store: SimulatedStore) -> None:
    invoice = next(iter(store.invoices.values()))
    link = await call(mcp, "get_invoice_pdf_url", invoice_id=invoice["id"])
    assert link["url"].endswith(".pdf")
    assert invoice["number"] in link["url"]
    assert "list_invoices" in await fail(mcp, "get_invoice_pdf_url", invoice_id=987654)
