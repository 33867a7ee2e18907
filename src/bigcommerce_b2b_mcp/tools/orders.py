"""Order tools: BigCommerce orders placed by company buyers."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ..models.common import Page
from ..models.company import CompanyId
from ..models.order import BcOrderId, Order, OrderQuery
from .context import ToolContext, api
from .params import DEFAULT_LIMIT, After, Before, Descending, Limit, Offset
from .toolset import Toolset

toolset = Toolset("orders", "B2B orders: read and search.")


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
