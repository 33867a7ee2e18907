"""Invoice payments (Invoice Management): money a company paid against its invoices."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import BeforeValidator, Field, PlainSerializer

from .common import (
    MAX_ID,
    APIModel,
    AsCode,
    CodedEnum,
    Int,
    Items,
    Money,
    Nested,
    NewId,
    OrderBy,
    Query,
    RequestModel,
    SortKey,
    Text,
    Timestamp,
    code_of,
)
from .invoice import Balance, CurrencyCode


class PaymentStatus(CodedEnum):
    """Where a payment stands; only a completed payment lowers the invoices' balances."""

    INCOMPLETE = "incomplete", 0
    AWAITING_PROCESSING = "awaiting_processing", 1
    PROCESSING = "processing", 2
    COMPLETED = "completed", 3
    REFUNDED = "refunded", 4


PaymentId = Annotated[int, Field(gt=0, le=MAX_ID, description="Invoice payment id.")]
Memo = Annotated[
    str,
    Field(min_length=1, max_length=1000, description='What the payment was, e.g. "Cheque #4521".'),
]


class PaymentLine(APIModel):
    """The part of a payment applied to one invoice."""

    invoice_id: Int = None
    invoice_number: Text = None
    amount: Nested[Balance] = None


class PaymentDetails(APIModel):
    memo: Text = None


class InvoicePayment(APIModel):
    """A payment against invoices. `company_id` is the B2B company (the API: customerId)."""

    renames: ClassVar[dict[str, str]] = {
        "customer_id": "company_id",
        "customer_name": "company_name",
        "module_name": "method",
    }

    id: Int = None
    company_id: Int = None
    company_name: Text = None
    payer_name: Text = None
    method: Text = Field(default=None, description='How it was paid, e.g. "payments_offline".')
    processing_status: Annotated[
        PaymentStatus | int | None,
        BeforeValidator(code_of(PaymentStatus)),
        Field(description="Known statuses by name, others as codes."),
    ] = None
    total: Nested[Balance] = None
    line_items: Items[PaymentLine] = Field(default_factory=list)
    details: Nested[PaymentDetails] = None
    external_id: Text = None
    channel_id: Int = None
    created_at: Timestamp = None
    updated_at: Timestamp = None


PaymentSort = Literal["created_at", "updated_at", "total_amount", "processing_status"]


class PaymentQuery(Query):
    """Query parameters of `GET /ip/payments` (`q` with `searchBy=customerId` is the company)."""

    invoice_id: int | None = None
    processing_status: Annotated[PaymentStatus, AsCode] | None = None
    search_by: Annotated[Literal["customer_id"], SortKey] | None = None
    q: str | None = None
    sort_by: Annotated[PaymentSort, SortKey] = "created_at"
    descending: OrderBy = True


DecimalText = PlainSerializer(lambda amount: format(amount, "f"), return_type=str)


class OfflinePaymentLine(RequestModel):
    invoice_id: Annotated[int, Field(gt=0, le=MAX_ID)]
    amount: Annotated[Money, DecimalText]


class OfflinePaymentDetails(RequestModel):
    memo: Memo


class NewOfflinePayment(RequestModel):
    """Body of `POST /ip/payments/offline`; `customer_id` is the company id, as a string."""

    customer_id: Annotated[str, Field(pattern=r"^[1-9]\d{0,9}$")]
    currency: CurrencyCode
    line_items: Annotated[list[OfflinePaymentLine], Field(min_length=1, max_length=100)]
    details: OfflinePaymentDetails
    payer_name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    external_id: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    processing_status: Annotated[int, Field(ge=1, le=4)] | None = None


class CreatedPayment(APIModel):
    payment_id: NewId
