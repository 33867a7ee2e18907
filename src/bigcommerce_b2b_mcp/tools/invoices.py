"""Invoice tools: what companies owe (Invoice Management)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..models.common import Page, unix
from ..models.company import CompanyId
from ..models.invoice import (
    AmountValue,
    CurrencyCode,
    Invoice,
    InvoiceId,
    InvoiceNumber,
    InvoiceQuery,
    InvoiceStatus,
    LineDescription,
    LineItemPrice,
    Money,
    NewInvoice,
    NewInvoiceDetails,
    NewLineItem,
    NewLines,
    PurchaseOrderNumber,
    Quantity,
    Sku,
)
from ..models.order import BcOrderId
from .context import ToolContext, api
from .params import DEFAULT_LIMIT, After, Before, Day, Descending, Limit, Offset
from .toolset import Toolset

toolset = Toolset("invoices", "Invoices: create, read and search.")


class InvoicePage(Page[Invoice]):
    """A page of invoices."""


class InvoiceCreated(BaseModel):
    invoice_id: int = Field(description="The new invoice's id.")


class InvoiceLine(BaseModel):
    """One line of an invoice."""

    model_config = ConfigDict(extra="forbid")

    sku: Sku
    quantity: Annotated[Quantity, Field(description="Quantity.")]
    unit_price: Annotated[Money, Field(description="Price per unit, in the invoice currency.")]
    description: LineDescription | None = None


@toolset.tool(
    title="Create invoice",
    read_only=False,
    destructive=False,
    idempotent=False,
    check="list_invoices(company_id={company_id})",
)
async def create_invoice(
    ctx: ToolContext,
    company_id: CompanyId,
    invoice_number: InvoiceNumber,
    original_balance: Annotated[Money, Field(description="The invoice total.")],
    open_balance: Annotated[
        Money | None, Field(description="Still to pay; defaults to the total. 0 marks it paid.")
    ] = None,
    currency: CurrencyCode = "USD",
    bc_order_id: Annotated[
        BcOrderId | None, Field(description="BigCommerce order id the invoice bills, if any.")
    ] = None,
    due_date: Annotated[
        Day | None,
        Field(description="Payment due date (YYYY-MM-DD); defaults to the store's terms."),
    ] = None,
    purchase_order_number: PurchaseOrderNumber | None = None,
    line_items: Annotated[
        list[InvoiceLine] | None,
        Field(max_length=500, description="Invoice lines, for the buyer's detail view."),
    ] = None,
) -> InvoiceCreated:
    """Create an invoice for a company in B2B Edition's Invoice Management.

    Invoice numbers are unique: a repeated number is refused, so after an error check
    list_invoices before retrying. Next: get_invoice with the returned invoice_id.
    """
    owed = original_balance if open_balance is None else open_balance
    details = None
    if line_items:
        lines = [
            NewLineItem(
                sku=line.sku,
                quantity=format(line.quantity.normalize(), "f"),
                unit_price=LineItemPrice(code=currency, value=line.unit_price),
                description=line.description,
            )
            for line in line_items
        ]
        details = NewInvoiceDetails(details=NewLines(line_items=lines))
    invoice = NewInvoice(
        invoice_number=invoice_number,
        customer_id=str(company_id),
        original_balance=AmountValue(code=currency, value=float(original_balance)),
        open_balance=AmountValue(code=currency, value=float(owed)),
        order_number=str(bc_order_id) if bc_order_id is not None else None,
        due_date=unix(datetime.combine(due_date, time(23, 59, 59), UTC)) if due_date else None,
        purchase_order_number=purchase_order_number,
        details=details,
    )
    created = await api(ctx).invoices.create(invoice)
    return InvoiceCreated(invoice_id=created.id)


@toolset.tool(title="Get invoice", read_only=True, destructive=False, idempotent=True)
async def get_invoice(
    ctx: ToolContext,
    invoice_id: InvoiceId,
) -> Invoice:
    """Get one invoice: company, balances, status, due date, order and PO numbers, lines."""
    return await api(ctx).invoices.get(invoice_id)


@toolset.tool(title="List invoices", read_only=True, destructive=False, idempotent=True)
async def list_invoices(
    ctx: ToolContext,
    company_id: Annotated[
        CompanyId | None, Field(description="Only this company's invoices.")
    ] = None,
    status: Annotated[
        InvoiceStatus | None, Field(description="Only invoices in this status.")
    ] = None,
    created_after: After = None,
    created_before: Before = None,
    sort_by: Annotated[
        Literal["created_at", "due_date", "open_balance", "invoice_number"],
        Field(description="Sort key."),
    ] = "created_at",
    descending: Descending = True,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> InvoicePage:
    """List invoices, newest first, optionally for one company or status; paged.

    Use status="open" with a company_id to see what a company still owes.
    """
    query = InvoiceQuery(
        company_id=company_id,
        status=status,
        created_from=created_after,
        created_to=created_before,
        sort_by=sort_by,
        descending=descending,
    )
    return InvoicePage.of(await api(ctx).invoices.list(query, limit=limit, offset=offset))
