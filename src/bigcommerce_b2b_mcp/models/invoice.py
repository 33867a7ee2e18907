"""Invoices (Invoice Management): what a company owes and has paid."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from .common import (
    APIModel,
    CodedEnum,
    ExtraField,
    Money,
    OptionalInt,
    OptionalStr,
    RequestModel,
    Timestamp,
)


class InvoiceStatus(CodedEnum):
    OPEN = "open", 0
    PARTIALLY_PAID = "partially_paid", 1
    PAID = "paid", 2


class Amount(APIModel):
    """A money amount; values arrive as decimal strings such as "349.5000"."""

    code: str
    value: Money


class LineItem(APIModel):
    sku: str = ""
    description: OptionalStr = None
    quantity: str = ""
    unit_price: Amount | None = None


class InvoiceLines(APIModel):
    line_items: list[LineItem] = Field(default_factory=list)


class InvoiceDetails(APIModel):
    details: InvoiceLines | None = None


class Invoice(APIModel):
    """An invoice. `company_id` is the B2B company (the API calls it customerId)."""

    renames: ClassVar[dict[str, str]] = {
        "customer_id": "company_id",
        "customer_name": "company_name",
    }

    id: int
    invoice_number: str
    company_id: OptionalInt = None
    company_name: OptionalStr = None
    type: OptionalStr = None
    status: Annotated[InvoiceStatus | int, Field(union_mode="left_to_right")]
    original_balance: Amount
    open_balance: Amount
    order_number: OptionalStr = Field(default=None, description="BigCommerce order id.")
    purchase_order_number: OptionalStr = None
    external_id: OptionalStr = None
    channel_id: OptionalInt = None
    due_date: Timestamp = None
    details: InvoiceDetails | None = None
    extra_fields: list[ExtraField] = Field(default_factory=list)
    created_at: Timestamp = None
    updated_at: Timestamp = None


class CreatedInvoice(APIModel):
    id: int


class AmountValue(RequestModel):
    code: Annotated[str, Field(min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")]
    value: float


class LineItemPrice(RequestModel):
    """A line item's unit price; the API wants this value as a decimal string."""

    code: Annotated[str, Field(min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")]
    value: Money


class NewLineItem(RequestModel):
    sku: Annotated[str, Field(min_length=1)]
    quantity: Annotated[str, Field(pattern=r"^\d+(\.\d+)?$")]
    unit_price: LineItemPrice
    description: Annotated[str | None, Field(min_length=1)] = None


class NewLines(RequestModel):
    line_items: Annotated[list[NewLineItem], Field(min_length=1)]


class NewInvoiceDetails(RequestModel):
    details: NewLines


class NewInvoice(RequestModel):
    """Body of `POST /ip/invoices`. `customer_id` is the company id, as a string."""

    invoice_number: Annotated[str, Field(min_length=1, max_length=100)]
    customer_id: Annotated[str, Field(pattern=r"^[1-9]\d*$")]
    original_balance: AmountValue
    open_balance: AmountValue
    due_date: int | None = None
    order_number: Annotated[str | None, Field(pattern=r"^\d+$")] = None
    purchase_order_number: Annotated[str | None, Field(max_length=100)] = None
    details: NewInvoiceDetails | None = None
