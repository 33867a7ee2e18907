"""Quotes (RFQ): price quotes a sales rep or buyer prepares before an order."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, EmailStr, Field, PlainSerializer

from .common import (
    MAX_ID,
    Amount,
    APIModel,
    AsCode,
    CodedEnum,
    ExtraField,
    ExtraFieldValue,
    Flag,
    Int,
    Items,
    LowerOrderBy,
    Money,
    Nested,
    RequestModel,
    SortKey,
    Text,
    TimeRange,
    Timestamp,
    code_of,
)


class QuoteStatus(CodedEnum):
    """Back-office quote states (there is no code 1 in the server-to-server API)."""

    NEW = "new", 0
    OPEN = "open", 1
    IN_PROCESS = "in_process", 2
    UPDATED_BY_CUSTOMER = "updated_by_customer", 3
    ORDERED = "ordered", 4
    EXPIRED = "expired", 5
    ARCHIVED = "archived", 6
    DRAFT = "draft", 7


QuoteId = Annotated[
    int, Field(gt=0, le=MAX_ID, description="Quote id (from list_quotes), not the QN number.")
]
QuoteStatusField = Annotated[
    QuoteStatus | int | None,
    BeforeValidator(code_of(QuoteStatus)),
    Field(description="Known statuses by name, others as codes."),
]


QuoteSort = Literal["created_at", "updated_at", "expired_at", "status", "company", "sales_rep"]


class QuoteQuery(TimeRange):
    """Query parameters of `GET /rfq` (`company` is a name search; `orderBy` is lower case)."""

    status: Annotated[QuoteStatus, AsCode] | None = None
    company: str | None = None
    q: str | None = None
    sort_by: Annotated[QuoteSort, SortKey] = "updated_at"
    descending: LowerOrderBy = True


class Currency(APIModel):
    currency_code: Text = None
    token: Text = None
    currency_exchange_rate: Amount = None


class QuoteSummary(APIModel):
    """A quote as the list endpoint describes it."""

    quote_id: Int = None
    quote_number: Text = None
    quote_title: Text = None
    reference_number: Text = None
    status: QuoteStatusField = None
    company: Text = Field(default=None, description="The company's name.")
    created_by: Text = None
    sales_rep: Text = Field(default=None, description="The sales rep's name.")
    subtotal: Amount = None
    currency: Nested[Currency] = None
    bc_order_id: Int = Field(default=None, description="BigCommerce order id once ordered.")
    channel_id: Int = None
    channel_name: Text = None
    created_at: Timestamp = None
    updated_at: Timestamp = None
    expired_at: Timestamp = None


class QuoteContact(APIModel):
    name: Text = None
    email: Text = None
    company_name: Text = None
    phone_number: Text = None


class QuoteCompanyInfo(APIModel):
    company_id: Int = None
    company_name: Text = None


class QuoteAddress(APIModel):
    """A shipping or billing address on a quote."""

    first_name: Text = None
    last_name: Text = None
    label: Text = None
    address: Text = Field(default=None, description="Street address.")
    apartment: Text = None
    city: Text = None
    state: Text = None
    state_code: Text = None
    zip_code: Text = None
    country: Text = None
    country_code: Text = None
    address_id: Int = None


class SalesRep(APIModel):
    sales_rep_name: Text = None
    sales_rep_email: Text = None
    sales_rep_phone_number: Text = None


class ShippingMethod(APIModel):
    type: Text = None
    description: Text = None
    cost: Amount = None
    transit_time: Text = None


class QuoteMessage(APIModel):
    """One entry of a quote's history: who said what, when."""

    date: Timestamp = None
    role: Text = None
    message: Text = None


class ProductOption(APIModel):
    option_id: Int = None
    option_name: Text = None
    option_label: Text = None
    option_value: Text = None


class QuoteProduct(APIModel):
    product_id: Int = None
    variant_id: Int = None
    product_name: Text = None
    sku: Text = None
    base_price: Amount = None
    offered_price: Amount = None
    discount: Amount = None
    quantity: Int = None
    options: Items[ProductOption] = Field(default_factory=list)
    notes: Text = None


class Quote(APIModel):
    """A whole quote: totals, contact, company, addresses, sales rep, products, history."""

    quote_id: Int = None
    quote_number: Text = None
    quote_title: Text = None
    reference_number: Text = None
    status: QuoteStatusField = None
    created_by: Text = None
    contact_info: Nested[QuoteContact] = None
    company_info: Nested[QuoteCompanyInfo] = None
    sales_rep_info: Nested[SalesRep] = None
    shipping_address: Nested[QuoteAddress] = None
    billing_address: Nested[QuoteAddress] = None
    shipping_method: Nested[ShippingMethod] = None
    currency: Nested[Currency] = None
    subtotal: Amount = None
    discount: Amount = None
    discount_type: Int = Field(default=None, description="0 line item, 1 percentage, 2 fixed.")
    discount_value: Amount = None
    shipping_total: Amount = None
    tax_total: Amount = None
    grand_total: Amount = None
    total_amount: Amount = None
    notes: Text = None
    legal_terms: Text = None
    allow_checkout: Flag = None
    product_list: Items[QuoteProduct] = Field(default_factory=list)
    tracking_history: Items[QuoteMessage] = Field(default_factory=list)
    bc_order_id: Int = Field(default=None, description="BigCommerce order id once ordered.")
    channel_id: Int = None
    channel_name: Text = None
    extra_fields: Items[ExtraField] = Field(default_factory=list)
    created_at: Timestamp = None
    updated_at: Timestamp = None
    expired_at: Timestamp = None


# What a quote write takes; the limits are the simulator's reading of the spec's fields.
QuoteTitle = Annotated[str, Field(min_length=1, max_length=200, description="Quote title.")]
ReferenceNumber = Annotated[
    str, Field(min_length=1, max_length=200, description="Your reference for the quote.")
]
QuoteText = Annotated[str, Field(max_length=10_000)]
ContactName = Annotated[str, Field(min_length=1, max_length=200, description="Buyer's name.")]
ContactEmail = Annotated[
    EmailStr, Field(max_length=200, description="Buyer's email; the quote is sent there.")
]
QuoteQuantity = Annotated[int, Field(gt=0, le=1_000_000, description="Quantity.")]
ProductId = Annotated[int, Field(gt=0, le=MAX_ID, description="BigCommerce product id.")]
VariantId = Annotated[int, Field(gt=0, le=MAX_ID, description="BigCommerce variant id.")]
QuoteSku = Annotated[str, Field(min_length=1, max_length=255, description="Product SKU.")]
ProductName = Annotated[
    str, Field(min_length=1, max_length=255, description="Product name as the quote shows it.")
]
# The API takes expiry as a day, MM/DD/YYYY, and answers with unix seconds.
ExpiryDay = Annotated[date, PlainSerializer(lambda day: day.strftime("%m/%d/%Y"), return_type=str)]
QuoteMoney = Annotated[Money, PlainSerializer(float, return_type=float, when_used="json")]


class QuoteLineOption(RequestModel):
    option_id: Annotated[int, Field(ge=0, le=MAX_ID)] | None = None
    option_name: Annotated[str, Field(max_length=255)] | None = None
    option_label: Annotated[str, Field(max_length=255)] | None = None
    option_value: Annotated[str, Field(max_length=255)] | None = None


class QuoteLineItem(RequestModel):
    """One product line of a quote body; `discount` is per unit (base minus offered)."""

    options: list[QuoteLineOption] | None = None

    product_id: ProductId
    variant_id: VariantId | None = None
    product_name: ProductName | None = None
    sku: QuoteSku
    base_price: QuoteMoney
    discount: QuoteMoney
    offered_price: QuoteMoney
    quantity: QuoteQuantity


class QuoteContactInfo(RequestModel):
    name: ContactName
    email: ContactEmail
    company_name: Annotated[str, Field(max_length=200)] | None = None
    phone_number: Annotated[str, Field(max_length=100)] | None = None


class QuoteTotals(RequestModel):
    """The totals every quote body that touches lines must carry, computed from them:
    the API refuses a body whose totals do not match its lines."""

    subtotal: QuoteMoney
    discount: QuoteMoney
    grand_total: QuoteMoney
    total_amount: QuoteMoney

    @staticmethod
    def subtotal_of(lines: list[QuoteLineItem]) -> Decimal:
        return sum((line.offered_price * line.quantity for line in lines), Decimal(0))

    @classmethod
    def of(cls, lines: list[QuoteLineItem], discount: Decimal) -> QuoteTotals:
        """The totals of `lines`; the discount may not exceed their subtotal."""
        subtotal = cls.subtotal_of(lines)
        grand_total = subtotal - discount
        return cls(
            subtotal=subtotal, discount=discount, grand_total=grand_total, total_amount=grand_total
        )


class QuoteFields(RequestModel):
    """What both `POST /rfq` and `PUT /rfq/{id}` take."""

    quote_title: QuoteTitle | None = None
    reference_number: ReferenceNumber | None = None
    expired_at: ExpiryDay | None = None
    notes: QuoteText | None = None
    legal_terms: QuoteText | None = None
    message: QuoteText | None = None
    allow_checkout: bool | None = None
    display_discount: bool | None = None
    extra_fields: list[ExtraFieldValue] | None = None


class NewQuote(QuoteFields, QuoteTotals):
    """Body of `POST /rfq`."""

    expired_at: ExpiryDay
    product_list: Annotated[list[QuoteLineItem], Field(min_length=1, max_length=500)]
    contact_info: QuoteContactInfo
    company_id: Annotated[int, Field(gt=0, le=MAX_ID)] | None = None
    user_email: Annotated[EmailStr, Field(max_length=200)] | None = None
    channel_id: Annotated[int, Field(gt=0, le=MAX_ID)] | None = None


class QuoteUpdate(QuoteFields):
    """Body of `PUT /rfq/{id}`: only the fields given change. Lines are replaced whole,
    with the totals that match them."""

    product_list: Annotated[list[QuoteLineItem], Field(min_length=1, max_length=500)] | None = None
    subtotal: QuoteMoney | None = None
    discount: QuoteMoney | None = None
    grand_total: QuoteMoney | None = None
    total_amount: QuoteMoney | None = None


class CreatedQuote(APIModel):
    """What `POST /rfq` and `PUT /rfq/{id}` answer."""

    quote_id: Int = None
    quote_url: Text = None


class QuotePdf(APIModel):
    url: Text = None


class QuoteCheckout(APIModel):
    checkout_url: Text = None
    cart_url: Text = None
    cart_id: Text = None
