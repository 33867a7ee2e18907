"""Invoice tools: what companies owe and what they paid (Invoice Management)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import InvalidInputError
from ..models.common import ExtraFields, Money, Page, extra_field_values, unix
from ..models.company import CompanyId
from ..models.invoice import (
    AmountValue,
    CurrencyCode,
    Invoice,
    InvoiceExternalId,
    InvoiceId,
    InvoiceNumber,
    InvoiceQuery,
    InvoiceSearchField,
    InvoiceStatus,
    InvoiceType,
    InvoiceUpdate,
    LineDescription,
    NewInvoice,
    NewInvoiceDetails,
    NewLineItem,
    NewLines,
    PurchaseOrderNumber,
    Quantity,
    Sku,
    Terms,
    TextAmount,
)
from ..models.invoice_payment import (
    InvoicePayment,
    Memo,
    NewOfflinePayment,
    OfflinePaymentDetails,
    OfflinePaymentLine,
    PaymentQuery,
    PaymentStatus,
)
from ..models.order import BcOrderId
from .context import ToolContext, api
from .params import DEFAULT_LIMIT, After, Before, Day, Descending, Keep, Limit, Offset, SearchText
from .toolset import Toolset

toolset = Toolset("invoices", "Invoices and their payments: create, read, search, change, pay.")


class InvoicePage(Page[Invoice]):
    """A page of invoices."""


class InvoiceCreated(BaseModel):
    invoice_id: int = Field(description="The new invoice's id.")
    invoice_number: str | None = Field(default=None, description="Its invoice number.")


class InvoiceLine(BaseModel):
    """One line of an invoice."""

    model_config = ConfigDict(extra="forbid")

    sku: Sku
    quantity: Annotated[Quantity, Field(description="Quantity.")]
    unit_price: Annotated[Money, Field(description="Price per unit, in the invoice currency.")]
    unit_discount: Annotated[
        Money | None, Field(description="Discount per unit, in the invoice currency.")
    ] = None
    description: LineDescription | None = None


def _end_of(day: date) -> int:
    return unix(datetime.combine(day, time(23, 59, 59), UTC))


@toolset.tool(
    title="Create invoice",
    read_only=False,
    destructive=False,
    idempotent=False,
    check="list_invoices(invoice_number={invoice_number!r})",
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
    issued_on: Annotated[Day | None, Field(description="Invoice date (default: today).")] = None,
    due_date: Annotated[
        Day | None,
        Field(description="Payment due date (YYYY-MM-DD); defaults to the store's terms."),
    ] = None,
    status: Annotated[
        InvoiceStatus | None, Field(description="Default: from the balances (open, paid).")
    ] = None,
    type: InvoiceType | None = None,
    purchase_order_number: PurchaseOrderNumber | None = None,
    external_id: InvoiceExternalId | None = None,
    terms: Terms | None = None,
    line_items: Annotated[
        list[InvoiceLine] | None,
        Field(max_length=500, description="Invoice lines, for the buyer's detail view."),
    ] = None,
    extra_fields: ExtraFields | None = None,
) -> InvoiceCreated:
    """Create an invoice for a company by hand in B2B Edition's Invoice Management.

    To invoice a B2B order, create_invoice_from_order is simpler. Invoice numbers are
    unique: a repeated number is refused, so after an error check list_invoices before
    retrying. Next: get_invoice with the returned invoice_id.
    """
    owed = original_balance if open_balance is None else open_balance
    details = None
    if line_items:
        lines = [
            NewLineItem(
                sku=line.sku,
                quantity=format(line.quantity.normalize(), "f"),
                unit_price=TextAmount(code=currency, value=line.unit_price),
                unit_discount=(
                    TextAmount(code=currency, value=line.unit_discount)
                    if line.unit_discount is not None
                    else None
                ),
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
        type=type,
        status=status.code if status is not None else None,
        issued_at=unix(datetime.combine(issued_on, time(0), UTC)) if issued_on else None,
        order_number=str(bc_order_id) if bc_order_id is not None else None,
        due_date=_end_of(due_date) if due_date else None,
        purchase_order_number=purchase_order_number,
        external_id=external_id,
        terms_conditions=terms,
        details=details,
        extra_fields=extra_field_values(extra_fields),
    )
    client = api(ctx)
    await client.extra_fields.check("invoice", extra_fields, creating=True)
    created = await client.invoices.create(invoice)
    return InvoiceCreated(invoice_id=created.id, invoice_number=invoice_number)


@toolset.tool(
    title="Create invoice from order",
    read_only=False,
    destructive=False,
    idempotent=False,
    check="list_invoices(order_number='{bc_order_id}')",
)
async def create_invoice_from_order(ctx: ToolContext, bc_order_id: BcOrderId) -> InvoiceCreated:
    """Invoice a B2B order: B2B Edition builds the invoice from the order and numbers it.

    The invoice takes the order's total, lines, addresses and PO number.
    An order is invoiced once: after an error, check list_invoices(order_number=...)
    before retrying. Next: get_invoice_pdf_url to send it, record_offline_payment when
    it is paid.
    """
    client = api(ctx)
    order = await client.orders.get(bc_order_id)
    if order.id is None:
        raise InvalidInputError(
            "The API did not say this order's B2B Edition id, which invoicing needs; "
            "nothing was sent."
        )
    created = await client.invoices.create_from_order(order.id)
    return InvoiceCreated(invoice_id=created.invoice_id, invoice_number=created.invoice_number)


@toolset.tool(title="Get invoice", read_only=True, destructive=False, idempotent=True)
async def get_invoice(
    ctx: ToolContext,
    invoice_id: InvoiceId,
) -> Invoice:
    """Get one invoice: company, balances, status, due date, order and PO numbers, lines.

    Next: list_invoice_payments(invoice_id=...) for what was paid against it.
    """
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
    invoice_number: Annotated[
        SearchText | None, Field(description="Invoice number, or part of it.")
    ] = None,
    order_number: Annotated[
        SearchText | None, Field(description="BigCommerce order id the invoice bills.")
    ] = None,
    po_number: Annotated[
        SearchText | None, Field(description="The buyer's PO number, or part of it.")
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
    """List invoices, newest first, by company, status, or invoice, order or PO number.

    Search by one of invoice_number, order_number and po_number at a time; paged.
    Use status="open" with a company_id to see what a company still owes.
    """
    searches: dict[InvoiceSearchField, str | None] = {
        "invoice_number": invoice_number,
        "order_number": order_number,
        "purchase_order_number": po_number,
    }
    given = {field: text for field, text in searches.items() if text is not None}
    if len(given) > 1:
        raise InvalidInputError(
            "Give one of invoice_number, order_number and po_number; nothing was sent."
        )
    search_by, q = next(iter(given.items()), (None, None))
    query = InvoiceQuery(
        company_id=company_id,
        status=status,
        search_by=search_by,
        q=q,
        created_from=created_after,
        created_to=created_before,
        sort_by=sort_by,
        descending=descending,
    )
    return InvoicePage.of(await api(ctx).invoices.list(query, limit=limit, offset=offset))


@toolset.tool(
    title="Update invoice",
    read_only=False,
    destructive=True,
    idempotent=True,
    check="get_invoice(invoice_id={invoice_id})",
)
async def update_invoice(
    ctx: ToolContext,
    invoice_id: InvoiceId,
    due_date: Annotated[Day | None, Field(description="New due date (YYYY-MM-DD).")] = None,
    status: Annotated[InvoiceStatus | None, Keep] = None,
    open_balance: Annotated[
        Money | None, Field(description="New amount still to pay, in the invoice currency.")
    ] = None,
    purchase_order_number: Annotated[PurchaseOrderNumber | None, Keep] = None,
    external_id: Annotated[InvoiceExternalId | None, Keep] = None,
    type: Annotated[InvoiceType | None, Keep] = None,
    extra_fields: Annotated[ExtraFields | None, Keep] = None,
) -> Invoice:
    """Change an invoice's due date, status, open balance, PO number or extra fields.

    Only what is given changes (extra fields not named keep theirs); external id and
    type can change too.
    To record money received, use record_offline_payment instead: it lowers the open
    balance and keeps a record of the payment. Returns the invoice as it now is.
    """
    update = InvoiceUpdate(
        due_date=_end_of(due_date) if due_date else None,
        status=status.code if status is not None else None,
        purchase_order_number=purchase_order_number,
        external_id=external_id,
        type=type,
    )
    if not update.to_api() and open_balance is None and extra_fields is None:
        raise InvalidInputError("Nothing to change: give at least one field besides invoice_id.")
    client = api(ctx)
    await client.extra_fields.check("invoice", extra_fields, creating=False)
    if open_balance is not None or extra_fields is not None:
        current = await client.invoices.get(invoice_id)
        if open_balance is not None:
            balance = current.original_balance
            currency = (balance.code if balance else None) or "USD"
            if balance and balance.value is not None and open_balance > balance.value:
                raise InvalidInputError(
                    f"open_balance {open_balance} is more than the invoice total "
                    f"{balance.value}; nothing was sent."
                )
            update.open_balance = TextAmount(code=currency, value=open_balance)
        update.extra_fields = extra_field_values(extra_fields, current=current.extra_fields)
    await client.invoices.update(invoice_id, update)
    return await client.invoices.get(invoice_id)


class InvoiceDocument(BaseModel):
    invoice_id: int
    url: str | None = Field(description="Where to download the invoice PDF.")
    external_pdf_url: str | None = Field(
        default=None, description="Your own PDF of it, when the invoice came from an ERP."
    )


@toolset.tool(title="Get invoice PDF link", read_only=True, destructive=False, idempotent=True)
async def get_invoice_pdf_url(ctx: ToolContext, invoice_id: InvoiceId) -> InvoiceDocument:
    """Get a download link for an invoice's PDF, to send to the buyer.

    Next: get_invoice for the invoice's details, list_invoice_payments for what was paid.
    """
    pdf = await api(ctx).invoices.pdf(invoice_id)
    return InvoiceDocument(
        invoice_id=invoice_id, url=pdf.url, external_pdf_url=pdf.external_pdf_url or None
    )


class InvoicePaymentPage(Page[InvoicePayment]):
    """A page of invoice payments."""


@toolset.tool(title="List invoice payments", read_only=True, destructive=False, idempotent=True)
async def list_invoice_payments(
    ctx: ToolContext,
    company_id: Annotated[
        CompanyId | None, Field(description="Only this company's payments.")
    ] = None,
    invoice_id: Annotated[
        InvoiceId | None, Field(description="Only payments against this invoice.")
    ] = None,
    status: Annotated[
        PaymentStatus | None, Field(description="Only payments in this status.")
    ] = None,
    descending: Descending = True,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> InvoicePaymentPage:
    """List payments made against invoices, newest first, by company, invoice or status.

    Each has its amount, status, how it was paid, the memo, and how much went to each
    invoice; paged.
    Next: get_invoice for an invoice's open balance.
    """
    query = PaymentQuery(
        invoice_id=invoice_id,
        processing_status=status,
        search_by="customer_id" if company_id is not None else None,
        q=str(company_id) if company_id is not None else None,
        descending=descending,
    )
    page = await api(ctx).invoice_payments.list(query, limit=limit, offset=offset)
    if company_id is not None:  # the API's search matches parts of ids: keep exact matches
        page.items = [payment for payment in page.items if payment.company_id == company_id]
    return InvoicePaymentPage.of(page)


class InvoicePaymentLine(BaseModel):
    """How much of the payment goes to one invoice."""

    model_config = ConfigDict(extra="forbid")

    invoice_id: InvoiceId
    amount: Annotated[Money, Field(gt=0, description="Amount paid toward this invoice.")]


class PaymentRecorded(BaseModel):
    payment_id: int = Field(description="The new payment's id.")
    total: Decimal = Field(description="The payment's total, across its invoices.")


@toolset.tool(
    title="Record offline payment",
    read_only=False,
    destructive=False,
    idempotent=False,
    check="list_invoice_payments(company_id={company_id})",
)
async def record_offline_payment(
    ctx: ToolContext,
    company_id: Annotated[CompanyId, Field(description="The company that paid.")],
    invoices: Annotated[
        list[InvoicePaymentLine],
        Field(min_length=1, max_length=100, description="The invoices paid, and how much each."),
    ],
    memo: Memo,
    currency: CurrencyCode = "USD",
    payer_name: Annotated[
        str | None, Field(min_length=1, max_length=200, description="Who paid.")
    ] = None,
    external_id: Annotated[
        str | None, Field(min_length=1, max_length=100, description="The payment's id in your ERP.")
    ] = None,
    status: Annotated[
        Literal["completed", "processing", "awaiting_processing"],
        Field(description="completed lowers the invoices' open balances now."),
    ] = "completed",
) -> PaymentRecorded:
    """Record a cheque or bank transfer received against one or more of a company's invoices.

    A completed payment lowers each invoice's open balance (paid in full: the invoice
    becomes paid). Each call records a new payment: after an error, check
    list_invoice_payments before retrying. Next: get_invoice to see the new balance.
    """
    ids = [line.invoice_id for line in invoices]
    if len(set(ids)) < len(ids):
        raise InvalidInputError("An invoice is listed twice; nothing was sent.")
    payment = NewOfflinePayment(
        customer_id=str(company_id),
        currency=currency,
        line_items=[
            OfflinePaymentLine(invoice_id=line.invoice_id, amount=line.amount) for line in invoices
        ],
        details=OfflinePaymentDetails(memo=memo),
        payer_name=payer_name,
        external_id=external_id,
        processing_status=PaymentStatus[status.upper()].code,
    )
    created = await api(ctx).invoice_payments.record_offline(payment)
    total = sum((line.amount for line in invoices), Decimal(0))
    return PaymentRecorded(payment_id=created.payment_id, total=total)
