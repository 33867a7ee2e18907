"""Order tools: BigCommerce orders placed by company buyers."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from ..errors import InvalidInputError
from ..models.common import ExtraFields, Page, extra_field_values
from ..models.company import CompanyId
from ..models.order import (
    BcOrderId,
    CustomerId,
    Order,
    OrderProduct,
    OrderQuery,
    OrderUpdate,
    PoNumber,
)
from .context import ToolContext, api
from .params import DEFAULT_LIMIT, After, Before, Descending, Keep, Limit, Offset
from .toolset import Toolset

toolset = Toolset("orders", "B2B orders: search, read, their lines, PO numbers.")


class OrderPage(Page[Order]):
    """A page of B2B orders."""


@toolset.tool(title="Get order", read_only=True, destructive=False, idempotent=True)
async def get_order(
    ctx: ToolContext,
    bc_order_id: BcOrderId,
) -> Order:
    """Get a B2B order by its BigCommerce order id: company, total, currency, status, PO number.

    Fails for BigCommerce orders that B2B Edition has no record of. Line items are not
    included. Next: get_company with its company_id, or list_invoices for the company.
    """
    return await api(ctx).orders.get(bc_order_id)


@toolset.tool(title="List orders", read_only=True, destructive=False, idempotent=True)
async def list_orders(
    ctx: ToolContext,
    company_id: Annotated[
        CompanyId | None, Field(description="Only this company's orders.")
    ] = None,
    created_after: After = None,
    created_before: Before = None,
    sort_by: Annotated[
        Literal["created_at", "updated_at"], Field(description="Sort key.")
    ] = "created_at",
    descending: Descending = True,
    include_b2c: Annotated[
        bool, Field(description="Also list orders with no company (guest and B2C orders).")
    ] = False,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> OrderPage:
    """List B2B orders, newest first, across all time unless dates are given.

    Filter by company_id to see one company's orders. Each order has its company_id,
    total, currency, status and PO number. Guest and B2C orders are left out unless
    include_b2c, so a page may hold fewer than limit orders (total counts them all).
    Next: get_order with a bc_order_id.
    """
    query = OrderQuery(
        company_id=company_id,
        min_created=created_after,
        max_created=created_before,
        sort_by=sort_by,
        descending=descending,
    )
    page = await api(ctx).orders.list(query, limit=limit, offset=offset)
    if not include_b2c and company_id is None:
        page.items = [order for order in page.items if order.company_id is not None]
    return OrderPage.of(page)


class OrderLines(BaseModel):
    """The lines of one order."""

    bc_order_id: int
    items: list[OrderProduct]


class OrdersAssigned(BaseModel):
    customer_id: int = Field(description="The BigCommerce customer whose orders moved.")
    orders_moved: int | None = Field(
        default=None, description="How many orders now belong to the company (null: not said)."
    )


@toolset.tool(title="List order products", read_only=True, destructive=False, idempotent=True)
async def list_order_products(ctx: ToolContext, bc_order_id: BcOrderId) -> OrderLines:
    """List the products of a B2B order: SKU, name, brand, quantity and chosen options.

    Answers "what was on PO-7781?" once list_orders has found the bc_order_id. B2B Edition
    keeps no prices for lines (the order's total is on get_order). Next: get_order.
    """
    items = await api(ctx).orders.products(bc_order_id)
    return OrderLines(bc_order_id=bc_order_id, items=items)


@toolset.tool(
    title="Update order",
    read_only=False,
    destructive=True,
    idempotent=True,
    check="get_order(bc_order_id={bc_order_id})",
)
async def update_order(
    ctx: ToolContext,
    bc_order_id: BcOrderId,
    po_number: Annotated[PoNumber | None, Keep] = None,
    extra_fields: Annotated[ExtraFields | None, Keep] = None,
) -> Order:
    """Change what B2B Edition keeps about an order: its PO number and extra fields.

    Extra fields not named keep their values.
    Status, items and totals belong to the BigCommerce order and cannot change here.
    Returns the order as it now is.
    """
    if po_number is None and extra_fields is None:
        raise InvalidInputError("Nothing to change: give po_number or extra_fields.")
    client = api(ctx)
    await client.extra_fields.check("order", extra_fields, creating=False)
    current = (await client.orders.get(bc_order_id)).extra_fields if extra_fields else []
    values = extra_field_values(extra_fields, current=current)
    return await client.orders.update(
        bc_order_id, OrderUpdate(po_number=po_number, extra_fields=values)
    )


@toolset.tool(
    title="Assign a customer's orders to their company",
    read_only=False,
    destructive=True,
    idempotent=True,
    check="list_orders with the company_id of get_user_by_customer_id(customer_id={customer_id})",
)
async def assign_customer_orders_to_company(
    ctx: ToolContext, customer_id: CustomerId
) -> OrdersAssigned:
    """Move the orders a buyer placed before joining a company into that company.

    Use it when a new company user's earlier orders are missing from list_orders for
    their company. customer_id is the BigCommerce customer id (get_user_by_email shows it).
    """
    moved = await api(ctx).orders.assign_to_company(customer_id)
    return OrdersAssigned(customer_id=customer_id, orders_moved=moved)
