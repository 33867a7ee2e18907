"""Quotes (RFQ): price quotes a sales rep or buyer prepares before an order."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field

from .common import APIModel, CodedEnum, ExtraField, OptionalInt, OptionalStr, Timestamp


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


QuoteStatusField = Annotated[QuoteStatus | int, Field(union_mode="left_to_right")]


class Currency(APIModel):
    currency_code: str = ""
    token: str = ""


class QuoteSummary(APIModel):
    """A quote as the list endpoint describes it."""

    quote_id: int
    quote_number: str = ""
    quote_title: OptionalStr = None
    reference_number: OptionalStr = None
    status: QuoteStatusField
    company: OptionalStr = None
    created_by: OptionalStr = None
    sales_rep: OptionalStr = None
    subtotal: Decimal | None = None
    currency: Currency | None = None
    bc_order_id: OptionalInt = None
    channel_id: OptionalInt = None
    channel_name: OptionalStr = None
    created_at: Timestamp = None
    updated_at: Timestamp = None
    expired_at: Timestamp = None


class QuoteContact(APIModel):
    name: str = ""
    email: str = ""
    company_name: OptionalStr = None
    phone_number: OptionalStr = None


class QuoteCompanyInfo(APIModel):
    company_id: OptionalInt = None
    company_name: OptionalStr = None


class QuoteProduct(APIModel):
    product_id: OptionalInt = None
    variant_id: OptionalInt = None
    product_name: str = ""
    sku: str = ""
    base_price: Decimal | None = None
    offered_price: Decimal | None = None
    discount: Decimal | None = None
    quantity: int = 0


class Quote(APIModel):
    """A whole quote: totals, contact, company and products."""

    quote_id: int
    quote_number: str = ""
    quote_title: OptionalStr = None
    reference_number: OptionalStr = None
    status: QuoteStatusField
    created_by: OptionalStr = None
    contact_info: QuoteContact | None = None
    company_info: QuoteCompanyInfo | None = None
    currency: Currency | None = None
    subtotal: Decimal | None = None
    discount: Decimal | None = None
    shipping_total: Decimal | None = None
    tax_total: Decimal | None = None
    grand_total: Decimal | None = None
    notes: OptionalStr = None
    product_list: list[QuoteProduct] = Field(default_factory=list)
    bc_order_id: OptionalInt = None
    channel_id: OptionalInt = None
    channel_name: OptionalStr = None
    extra_fields: list[ExtraField] = Field(default_factory=list)
    created_at: Timestamp = None
    updated_at: Timestamp = None
    expired_at: Timestamp = None
