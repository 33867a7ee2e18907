"""Invoices (Invoice Management): what a company owes and has paid."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import BeforeValidator, Field, PlainSerializer, WithJsonSchema

from .common import (
    MAX_ID,
    Amount,
    APIModel,
    AsCode,
    CodedEnum,
    ExtraField,
    ExtraFieldValue,
    Int,
    Items,
    Nested,
    NewId,
    OrderBy,
    Query,
    RequestModel,
    SortKey,
    Text,
    Timestamp,
    UnixTime,
    ZeroOne,
    code_of,
)


class InvoiceStatus(CodedEnum):
    OPEN = "open", 0
    PARTIALLY_PAID = "partially_paid", 1
    PAID = "paid", 2


InvoiceId = Annotated[
    int, Field(gt=0, le=MAX_ID, description="Invoice id (from list_invoices), not its number.")
]
InvoiceNumber = Annotated[
    str, Field(min_length=1, max_length=100, description="Your invoice number; must be unique.")
]
PurchaseOrderNumber = Annotated[
    str, Field(min_length=1, max_length=100, description="The buyer's PO number.")
]
CurrencyCode = Annotated[
    str,
    Field(
        min_length=3, max_length=3, pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. USD."
    ),
]
Quantity = Annotated[
    Decimal,
    Field(gt=0, le=1_000_000, decimal_places=4),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": 1_000_000}),
]
Sku = Annotated[str, Field(min_length=1, max_length=255, description="Product SKU.")]
LineDescription = Annotated[
    str, Field(min_length=1, max_length=255, description="What the line is for.")
]


InvoiceSort = Literal[
    "created_at", "updated_at", "due_date", "invoice_number", "open_balance", "status"
]


InvoiceSearchField = Literal["invoice_number", "order_number", "purchase_order_number"]


class InvoiceQuery(Query):
    """Query parameters of `GET /ip/invoices` (`customerId` is the company id; `q` searches
    the field named by `searchBy`)."""

    company_id: int | None = Field(default=None, serialization_alias="customerId")
    status: Annotated[InvoiceStatus, AsCode] | None = None
    search_by: Annotated[InvoiceSearchField, SortKey] | None = None
    q: str | None = None
    created_from: UnixTime | None = Field(default=None, serialization_alias="beginDateAt")
    created_to: UnixTime | None = Field(default=None, serialization_alias="endDateAt")
    sort_by: Annotated[InvoiceSort, SortKey] = "created_at"
    descending: OrderBy = True
    is_include_extra_fields: ZeroOne | None = None


class Balance(APIModel):
    """A money amount; values arrive as decimal strings such as "349.5000"."""

    code: Text = None
    value: Amount = None


class InvoiceAddress(APIModel):
    first_name: Text = None
    last_name: Text = None
    street1: Text = None
    street2: Text = None
    city: Text = None
    state: Text = None
    zip_code: Text = None
    country: Text = None


class CostLine(APIModel):
    description: Text = None
    amount: Nested[Balance] = None


class InvoiceHeader(APIModel):
    """The invoice's header: cost lines (subtotal, tax, ...), order date and addresses."""

    cost_lines: Items[CostLine] = Field(default_factory=list)
    order_date: Timestamp = None
    billing_address: Nested[InvoiceAddress] = None
    shipping_addresses: Items[InvoiceAddress] = Field(default_factory=list)


class LineItem(APIModel):
    sku: Text = None
    description: Text = None
    type: Text = None
    quantity: Amount = None
    unit_price: Nested[Balance] = None
    unit_discount: Nested[Balance] = None
    comments: Text = None


class Shipment(APIModel):
    ship_date: Text = None
    ship_via: Text = None
    tracking_number: Text = None
    comments: Text = None


class InvoiceLines(APIModel):
    line_items: Items[LineItem] = Field(default_factory=list)
    shipments: Items[Shipment] = Field(default_factory=list)


class InvoiceDetails(APIModel):
    header: Nested[InvoiceHeader] = None
    details: Nested[InvoiceLines] = None


class Invoice(APIModel):
    """An invoice. `company_id` is the B2B company (the API calls it customerId)."""

    renames: ClassVar[dict[str, str]] = {
        "customer_id": "company_id",
        "customer_name": "company_name",
    }

    id: Int = None
    invoice_number: Text = None
    company_id: Int = None
    company_name: Text = None
    type: Text = None
    status: Annotated[
        InvoiceStatus | int | None,
        BeforeValidator(code_of(InvoiceStatus)),
        Field(description="Known statuses by name, others as codes."),
    ] = None
    original_balance: Nested[Balance] = None
    open_balance: Nested[Balance] = None
    order_number: Text = Field(default=None, description="BigCommerce order id.")
    purchase_order_number: Text = None
    external_id: Text = None
    external_customer_id: Text = None
    channel_id: Int = None
    channel_name: Text = None
    terms_conditions: Text = None
    due_date: Timestamp = None
    details: Nested[InvoiceDetails] = None
    extra_fields: Items[ExtraField] = Field(default_factory=list)
    created_at: Timestamp = None
    updated_at: Timestamp = None


class CreatedInvoice(APIModel):
    id: NewId


class AmountValue(RequestModel):
    code: CurrencyCode
    value: float


class TextAmount(RequestModel):
    """An amount whose value the API wants as a decimal string: line prices and discounts,
    and balances in an update (a new invoice's balances are numbers)."""

    code: CurrencyCode
    value: Annotated[
        Decimal,
        Field(ge=0),
        PlainSerializer(lambda amount: format(amount, "f"), return_type=str, when_used="json"),
    ]


class NewLineItem(RequestModel):
    sku: Sku
    quantity: Annotated[str, Field(pattern=r"^\d+(\.\d+)?$")]
    unit_price: TextAmount
    unit_discount: TextAmount | None = None
    description: LineDescription | None = None


class NewLines(RequestModel):
    line_items: Annotated[list[NewLineItem], Field(min_length=1, max_length=500)]


class NewInvoiceDetails(RequestModel):
    details: NewLines


InvoiceType = Annotated[
    str, Field(min_length=1, max_length=100, description='Kind of document, e.g. "Invoice".')
]
InvoiceExternalId = Annotated[
    str, Field(min_length=1, max_length=100, description="The invoice's id in your ERP.")
]
Terms = Annotated[
    str, Field(min_length=1, max_length=10_000, description="Terms and conditions printed on it.")
]


class NewInvoice(RequestModel):
    """Body of `POST /ip/invoices`. `customer_id` is the company id, as a string."""

    invoice_number: InvoiceNumber
    customer_id: Annotated[str, Field(pattern=r"^[1-9]\d{0,9}$")]
    original_balance: AmountValue
    open_balance: AmountValue
    type: InvoiceType | None = None
    status: Annotated[int, Field(ge=0, le=2)] | None = None
    issued_at: int | None = None
    due_date: int | None = None
    order_number: Annotated[str | None, Field(pattern=r"^\d{1,10}$")] = None
    purchase_order_number: PurchaseOrderNumber | None = None
    external_id: InvoiceExternalId | None = None
    terms_conditions: Terms | None = None
    details: NewInvoiceDetails | None = None
    extra_fields: list[ExtraFieldValue] | None = None


class InvoiceUpdate(RequestModel):
    """Body of `PUT /ip/invoices/{id}`: only the fields given change."""

    type: InvoiceType | None = None
    status: Annotated[int, Field(ge=0, le=2)] | None = None
    due_date: int | None = None
    purchase_order_number: PurchaseOrderNumber | None = None
    external_id: InvoiceExternalId | None = None
    open_balance: TextAmount | None = None
    extra_fields: list[ExtraFieldValue] | None = None


class CreatedOrderInvoice(APIModel):
    """What `POST /ip/orders/{orderId}/invoices` answers."""

    invoice_id: NewId
    invoice_number: Text = None


class InvoicePdf(APIModel):
    url: Text = None
    external_pdf_url: Text = None
