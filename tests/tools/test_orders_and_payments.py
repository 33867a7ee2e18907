"""Order lines and B2B fields, and a company's credit, terms and payment methods, through MCP."""

from __future__ import annotations

import pytest
from mcp import Client

from bigcommerce_b2b_mcp.simulator.extra_fields import define
from bigcommerce_b2b_mcp.simulator.orders import add_order
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.tools.calls import call, fail

pytestmark = pytest.mark.anyio


def _a_company_order(store: SimulatedStore) -> dict[str, object]:
    return next(o for o in store.orders.values() if o["company_id"] and o["products"])


async def test_an_orders_lines_come_with_sku_quantity_and_options(
    mcp: Client, store: SimulatedStore
) -> None:
    order = _a_company_order(store)
    lines = await call(mcp, "list_order_products", bc_order_id=order["bc_order_id"])
    assert lines["bc_order_id"] == order["bc_order_id"]
    assert [line["sku"] for line in lines["items"]] == [
        p["variantSku"]
        for p in order["products"]  # type: ignore[attr-defined]
    ]
    assert all(line["quantity"] > 0 and line["product_name"] for line in lines["items"])
    assert "list_orders" in await fail(mcp, "list_order_products", bc_order_id=987654)


async def test_update_order_sets_the_po_number_and_extra_fields(
    mcp: Client, store: SimulatedStore
) -> None:
    order = _a_company_order(store)
    updated = await call(
        mcp,
        "update_order",
        bc_order_id=order["bc_order_id"],
        po_number="PO-7781",
        extra_fields=[
            {"field_name": "Delivery instructions", "field_value": "Dock 4, before noon"}
        ],
    )
    assert updated["po_number"] == "PO-7781"
    assert updated["extra_fields"] == [
        {
            "field_name": "Delivery instructions",
            "field_value": "Dock 4, before noon",
            "label_name": None,
        }
    ]
    unknown = await fail(
        mcp,
        "update_order",
        bc_order_id=order["bc_order_id"],
        extra_fields=[{"field_name": "Colour", "field_value": "red"}],
    )
    assert "not defined by the store: Colour" in unknown
    assert "Delivery instructions" in unknown
    assert "Nothing to change" in await fail(mcp, "update_order", bc_order_id=order["bc_order_id"])


async def test_a_buyers_earlier_orders_move_to_their_company(
    mcp: Client, store: SimulatedStore
) -> None:
    user = next(iter(store.users.values()))
    earlier = add_order(store, bc_order_id=99001, company_id=0, customer_id=user["customer_id"])
    moved = await call(mcp, "assign_customer_orders_to_company", customer_id=user["customer_id"])
    assert moved["orders_moved"] >= 1
    assert earlier["company_id"] == user["company_id"]
    again = await call(mcp, "assign_customer_orders_to_company", customer_id=user["customer_id"])
    assert again["orders_moved"] == 0
    assert "No such company user" in await fail(
        mcp, "assign_customer_orders_to_company", customer_id=987654
    )


async def test_credit_raised_and_put_on_hold(mcp: Client, store: SimulatedStore) -> None:
    company_id = min(store.companies)
    raised = await call(
        mcp,
        "update_company_credit",
        company_id=company_id,
        credit_enabled=True,
        available_credit=50000,
    )
    assert raised["available_credit"] == "50000.0"
    assert raised["credit_enabled"] is True
    held = await call(mcp, "update_company_credit", company_id=company_id, credit_hold=True)
    assert held["credit_hold"] is True
    assert held["available_credit"] == "50000.0"  # untouched
    read = await call(mcp, "get_company_credit", company_id=company_id)
    assert read == held


async def test_credit_off_for_the_store_says_so(mcp: Client, store: SimulatedStore) -> None:
    store.credit_enabled = False
    text = await fail(mcp, "get_company_credit", company_id=min(store.companies))
    assert "Store company credit is not enabled" in text


async def test_payment_terms_net_30_and_off_again(mcp: Client, store: SimulatedStore) -> None:
    company_id = min(store.companies)
    on = await call(
        mcp, "update_company_payment_terms", company_id=company_id, enabled=True, net_days=45
    )
    assert on == {"is_enabled": True, "net_days": 45, "company_id": company_id}
    off = await call(mcp, "update_company_payment_terms", company_id=company_id, enabled=False)
    assert off["is_enabled"] is False
    assert off["net_days"] == store.default_net_days
    assert "must be one of 0, 5, 15, 30, 45, 60" in await fail(
        mcp, "update_company_payment_terms", company_id=company_id, enabled=True, net_days=90
    )


async def test_payment_methods_enabled_and_disabled_by_code(
    mcp: Client, store: SimulatedStore
) -> None:
    company_id = min(store.companies)
    before = await call(mcp, "list_company_payment_methods", company_id=company_id)
    codes = {m["code"]: m["is_enabled"] for m in before["items"]}
    assert {"cod", "cheque", "authorizenet"} <= set(codes)
    after = await call(
        mcp,
        "update_company_payment_methods",
        company_id=company_id,
        enable=["authorizenet"],
        disable=["cod"],
    )
    now = {m["code"]: m["is_enabled"] for m in after["items"]}
    assert now["authorizenet"] is True
    assert now["cod"] is False
    assert now["cheque"] == codes["cheque"]
    assert "Payment Does not Exist" in await fail(
        mcp, "update_company_payment_methods", company_id=company_id, enable=["bitcoin"]
    )


async def test_a_required_extra_field_is_asked_for_before_the_write(
    mcp: Client, store: SimulatedStore
) -> None:
    define(store, "order", "Fintech ID", required=True)
    order = _a_company_order(store)
    # Updates need not repeat required fields; the store only insists on creation.
    await call(mcp, "update_order", bc_order_id=order["bc_order_id"], po_number="PO-1")
