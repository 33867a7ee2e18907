"""Quotes (RFQ): price quotes a sales rep or buyer prepares before an order."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from .common import (
    MAX_ID,
    Amount,
    APIModel,
    AsCode,
    CodedEnum,
    ExtraField,
    Flag,
    Int,
    Items,
    LowerOrderBy,
    Nested,
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
