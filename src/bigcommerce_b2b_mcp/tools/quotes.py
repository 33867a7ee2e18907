"""Quote tools: requests for quotes (RFQ) and the prices offered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from ..errors import InvalidInputError
from ..models.common import MAX_ID, ExtraFields, Money, Page, extra_field_values
from ..models.company import CompanyId
from ..models.quote import (
    ContactEmail,
    ContactName,
    NewQuote,
    ProductId,
    ProductName,
    Quote,
    QuoteContactInfo,
    QuoteId,
    QuoteLineItem,
    QuoteLineOption,
    QuoteProduct,
    QuoteQuantity,
    QuoteQuery,
    QuoteSku,
    QuoteStatus,
    QuoteSummary,
    QuoteText,
    QuoteTitle,
    QuoteTotals,
    QuoteUpdate,
    ReferenceNumber,
    VariantId,
)
from .context import ToolContext, api
from .params import DEFAULT_LIMIT, After, Before, Day, Descending, Keep, Limit, Offset, SearchText
from .toolset import Toolset

toolset = Toolset("quotes", "Quotes (RFQ): search, read, create, change; PDF and checkout links.")


class QuotePage(Page[QuoteSummary]):
    """A page of quotes (summaries; get_quote has the products)."""


@toolset.tool(title="Get quote", read_only=True, destructive=False, idempotent=True)
async def get_quote(
    ctx: ToolContext,
    quote_id: QuoteId,
) -> Quote:
    """Get one quote in full: status, contact, company, products with offered prices, totals.

    Use list_quotes to find a quote id from a quote number or company name.
    """
    return await api(ctx).quotes.get(quote_id)


@toolset.tool(title="List quotes", read_only=True, destructive=False, idempotent=True)
async def list_quotes(
    ctx: ToolContext,
    status: Annotated[QuoteStatus | None, Field(description="Only quotes in this status.")] = None,
    company_name: Annotated[
        SearchText | None, Field(description="Part of the company's name.")
    ] = None,
    search: Annotated[
        SearchText | None, Field(description="Text to find in quote number, title or company.")
    ] = None,
    created_after: After = None,
    created_before: Before = None,
    sort_by: Annotated[
        Literal["created_at", "updated_at", "expired_at"], Field(description="Sort key.")
    ] = "updated_at",
    descending: Descending = True,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> QuotePage:
    """Search quotes by status, company, text or date; summaries with subtotal, paged.

    Product lines are not included: call get_quote with a quote_id for them.
    """
    query = QuoteQuery(
        status=status,
        company=company_name,
        q=search,
        min_created=created_after,
        max_created=created_before,
        sort_by=sort_by,
        descending=descending,
    )
    return QuotePage.of(await api(ctx).quotes.list(query, limit=limit, offset=offset))


# How long a new quote is valid when no expiry is given: what stores commonly default to.
DEFAULT_VALIDITY = timedelta(days=30)


class QuoteLine(BaseModel):
    """A product to quote."""

    model_config = ConfigDict(extra="forbid")

    sku: QuoteSku
    product_id: ProductId
    quantity: QuoteQuantity
    base_price: Annotated[Money, Field(description="Catalog price per unit.")]
    offered_price: Annotated[
        Money | None, Field(description="Price offered per unit; defaults to base_price.")
    ] = None
    variant_id: VariantId | None = None
    product_name: ProductName | None = None

    def item(self) -> QuoteLineItem:
        offered = self.base_price if self.offered_price is None else self.offered_price
        return QuoteLineItem(
            product_id=self.product_id,
            variant_id=self.variant_id,
            product_name=self.product_name,
            sku=self.sku,
            base_price=self.base_price,
            discount=max(self.base_price - offered, Decimal(0)),
            offered_price=offered,
            quantity=self.quantity,
        )


class QuoteLineChange(BaseModel):
    """A change to a product already on the quote, found by SKU."""

    model_config = ConfigDict(extra="forbid")

    sku: QuoteSku
    offered_price: Annotated[Money | None, Field(description="New price per unit.")] = None
    quantity: Annotated[
        int | None, Field(ge=0, le=1_000_000, description="New quantity; 0 removes the line.")
    ] = None


class QuoteSaved(BaseModel):
    quote_id: int = Field(description="The quote's id.")
    quote_url: str | None = Field(default=None, description="The buyer's link to the quote.")


class QuoteLink(BaseModel):
    quote_id: int
    url: str | None = Field(description="Where to download the PDF (a link that may expire).")


class QuoteCheckoutLinks(BaseModel):
    quote_id: int
    checkout_url: str | None = Field(description="Takes the buyer straight to checkout.")
    cart_url: str | None = Field(description="Opens the cart holding the quote's products.")
    cart_id: str | None = None


def _totals(items: list[QuoteLineItem], discount: Decimal) -> QuoteTotals:
    subtotal = QuoteTotals.subtotal_of(items)
    if discount > subtotal:
        raise InvalidInputError(
            f"The discount ({discount}) is more than the quote's subtotal ({subtotal}); "
            "nothing was sent."
        )
    return QuoteTotals.of(items, discount)


@toolset.tool(
    title="Create quote",
    read_only=False,
    destructive=False,
    idempotent=False,
    check="list_quotes(sort_by='created_at') for a new quote to {contact_email!r}",
)
async def create_quote(
    ctx: ToolContext,
    contact_name: ContactName,
    contact_email: ContactEmail,
    lines: Annotated[
        list[QuoteLine], Field(min_length=1, max_length=500, description="The products quoted.")
    ],
    company_id: Annotated[
        CompanyId | None,
        Field(description="The buyer's company; the quote then shows in its Buyer Portal."),
    ] = None,
    discount: Annotated[
        Money, Field(description="A discount off the whole quote, on top of line prices.")
    ] = Decimal(0),
    expires_on: Annotated[
        Day | None, Field(description="Last day the quote is valid (default: in 30 days).")
    ] = None,
    title: QuoteTitle | None = None,
    reference_number: ReferenceNumber | None = None,
    notes: Annotated[QuoteText | None, Field(description="Notes shown on the quote.")] = None,
    legal_terms: Annotated[QuoteText | None, Field(description="Terms shown on the quote.")] = None,
    message: Annotated[
        QuoteText | None, Field(description="A message to the buyer, in the quote's history.")
    ] = None,
    allow_checkout: Annotated[
        bool, Field(description="false: the buyer can see but not yet buy the quote.")
    ] = True,
    sales_rep_email: Annotated[
        EmailStr | None,
        Field(max_length=200, description="The sales rep who owns it (a B2B staff email)."),
    ] = None,
    channel_id: Annotated[
        int | None,
        Field(gt=0, le=MAX_ID, description="Storefront channel; needed on multi-storefront."),
    ] = None,
    extra_fields: ExtraFields | None = None,
) -> QuoteSaved:
    """Create a sales quote with products, offered prices and an expiry, for a buyer.

    The quote is sent to the buyer at once (the API makes no drafts). Totals are computed
    from the lines. Creates a new quote each call: after an error, check list_quotes before
    retrying. Next: get_quote_pdf_url to send it as a PDF, get_quote_checkout_url for a link
    that buys it.
    """
    items = [line.item() for line in lines]
    totals = _totals(items, discount)
    expiry = expires_on or (datetime.now(UTC) + DEFAULT_VALIDITY).date()
    quote = NewQuote(
        **totals.model_dump(),
        product_list=items,
        contact_info=QuoteContactInfo(name=contact_name, email=contact_email),
        company_id=company_id,
        expired_at=expiry,
        quote_title=title,
        reference_number=reference_number,
        notes=notes,
        legal_terms=legal_terms,
        message=message,
        allow_checkout=allow_checkout,
        display_discount=discount > 0 or None,
        user_email=sales_rep_email,
        channel_id=channel_id,
        extra_fields=extra_field_values(extra_fields),
    )
    client = api(ctx)
    await client.extra_fields.check("quote", extra_fields, creating=True)
    created = await client.quotes.create(quote)
    if created.quote_id is None:
        raise InvalidInputError("The API accepted the quote but did not say its id.")
    return QuoteSaved(quote_id=created.quote_id, quote_url=created.quote_url)


@toolset.tool(
    title="Update quote",
    read_only=False,
    destructive=True,
    idempotent=True,
    check="get_quote(quote_id={quote_id})",
)
async def update_quote(
    ctx: ToolContext,
    quote_id: QuoteId,
    expires_on: Annotated[Day | None, Field(description="New last day the quote is valid.")] = None,
    line_changes: Annotated[
        list[QuoteLineChange] | None,
        Field(max_length=500, description="New prices or quantities of products on the quote."),
    ] = None,
    add_lines: Annotated[
        list[QuoteLine] | None, Field(max_length=500, description="Products to add.")
    ] = None,
    discount: Annotated[
        Money | None, Field(description="New discount off the whole quote.")
    ] = None,
    title: Annotated[QuoteTitle | None, Keep] = None,
    reference_number: Annotated[ReferenceNumber | None, Keep] = None,
    notes: Annotated[QuoteText | None, Keep] = None,
    legal_terms: Annotated[QuoteText | None, Keep] = None,
    message: Annotated[
        QuoteText | None, Field(description="A message to the buyer, added to the history.")
    ] = None,
    allow_checkout: Annotated[bool | None, Keep] = None,
    extra_fields: Annotated[ExtraFields | None, Keep] = None,
) -> Quote:
    """Change a quote: its expiry, line prices and quantities, products, discount or notes.

    Only what is given changes; a message is added to the history the buyer sees. Totals are
    recomputed from the lines. An ordered quote cannot change, and the API offers no way to
    set a quote's status (archive it in the control panel). Returns the quote as it now is.
    Next: get_quote_pdf_url to send the new version.
    """
    update = QuoteUpdate(
        expired_at=expires_on,
        quote_title=title,
        reference_number=reference_number,
        notes=notes,
        legal_terms=legal_terms,
        message=message,
        allow_checkout=allow_checkout,
    )
    lines_change = bool(line_changes or add_lines) or discount is not None
    if not update.to_api() and not lines_change and extra_fields is None:
        raise InvalidInputError("Nothing to change: give at least one field besides quote_id.")
    client = api(ctx)
    await client.extra_fields.check("quote", extra_fields, creating=False)
    current = await client.quotes.get(quote_id)
    if lines_change:
        items = _changed_lines(current.product_list, line_changes or [], add_lines or [])
        kept_discount = current.discount or Decimal(0)
        totals = _totals(items, kept_discount if discount is None else discount)
        update.product_list = items
        update.subtotal, update.discount = totals.subtotal, totals.discount
        update.grand_total, update.total_amount = totals.grand_total, totals.total_amount
        update.display_discount = totals.discount > 0
    if extra_fields is not None:
        update.extra_fields = extra_field_values(extra_fields, current=current.extra_fields)
    await client.quotes.update(quote_id, update)
    return await client.quotes.get(quote_id, created_at=current.created_at)


def _changed_lines(
    current: list[QuoteProduct], changes: list[QuoteLineChange], added: list[QuoteLine]
) -> list[QuoteLineItem]:
    """The quote's whole new product list: the API replaces the lines with what is sent."""
    by_sku = {change.sku: change for change in changes}
    if len(by_sku) < len(changes):
        raise InvalidInputError("A SKU is changed twice in line_changes; nothing was sent.")
    on_quote = {product.sku for product in current}
    unknown = sorted(set(by_sku) - on_quote)
    if unknown:
        has = ", ".join(sorted(sku for sku in on_quote if sku))
        raise InvalidInputError(
            f"Not on the quote: {', '.join(unknown)} (it has {has}). "
            "Use add_lines for new products; nothing was sent."
        )
    items: list[QuoteLineItem] = []
    for product in current:
        change = by_sku.get(product.sku or "")
        if change is not None and change.quantity == 0:
            continue
        items.append(_kept_line(product, change))
    items += [line.item() for line in added]
    if not items:
        raise InvalidInputError("A quote needs at least one product; nothing was sent.")
    return items


def _kept_line(product: QuoteProduct, change: QuoteLineChange | None) -> QuoteLineItem:
    """A line already on the quote, with its change applied; every part of it is kept."""
    if (
        product.product_id is None
        or not product.sku
        or product.base_price is None
        or product.offered_price is None
        or not product.quantity
    ):
        raise InvalidInputError(
            f"A product on this quote ({product.sku or product.product_name or 'unnamed'}) "
            "could not be read in full, so its lines cannot be rewritten safely; change them "
            "in the B2B Edition control panel. Nothing was sent."
        )
    offered = product.offered_price
    quantity = product.quantity
    if change is not None:
        offered = change.offered_price if change.offered_price is not None else offered
        quantity = change.quantity if change.quantity is not None else quantity
    return QuoteLineItem(
        product_id=product.product_id,
        variant_id=product.variant_id or None,
        product_name=product.product_name or None,
        sku=product.sku,
        base_price=product.base_price,
        discount=max(product.base_price - offered, Decimal(0)),
        offered_price=offered,
        quantity=quantity,
        options=[
            QuoteLineOption(
                option_id=option.option_id,
                option_name=option.option_name,
                option_label=option.option_label,
                option_value=option.option_value,
            )
            for option in product.options
        ]
        or None,
    )


@toolset.tool(
    title="Get quote PDF link",
    read_only=False,
    destructive=False,
    idempotent=True,
    check="get_quote_pdf_url(quote_id={quote_id}); it only makes a new PDF",
)
async def get_quote_pdf_url(ctx: ToolContext, quote_id: QuoteId) -> QuoteLink:
    """Make a PDF of the quote and return its download link, to send to the buyer.

    The PDF is the back-office layout (it shows the channel and line margins). Each call
    makes a new PDF; nothing in the quote changes.
    """
    pdf = await api(ctx).quotes.pdf(quote_id)
    return QuoteLink(quote_id=quote_id, url=pdf.url)


@toolset.tool(
    title="Get quote checkout link",
    read_only=False,
    destructive=False,
    idempotent=False,
    check="get_quote(quote_id={quote_id}); an unused cart does no harm",
)
async def get_quote_checkout_url(ctx: ToolContext, quote_id: QuoteId) -> QuoteCheckoutLinks:
    """Put the quote in a new cart and return links to the cart and to checkout.

    The cart holds the quote's products at the quoted prices, for a buyer who wants to
    order it. Only for quotes that are new, in process or updated by the customer (not
    drafts, ordered or expired ones). Each call makes a new cart.
    """
    links = await api(ctx).quotes.checkout(quote_id)
    return QuoteCheckoutLinks(
        quote_id=quote_id,
        checkout_url=links.checkout_url,
        cart_url=links.cart_url,
        cart_id=links.cart_id,
    )
