"""B2B orders: BigCommerce orders that belong to a company."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, field_validator

from .common import (
    MAX_ID,
    Amount,
    APIModel,
    CodedEnum,
    ExtraField,
    ExtraFieldValue,
    Flag,
    Int,
    Items,
    OrderBy,
    RequestModel,
    SortKey,
    Text,
    TimeRange,
    Timestamp,
    code_of,
)
from .invoice import InvoiceStatus


class OrderStatus(CodedEnum):
    """BigCommerce order status ids (`statusCode`)."""

    INCOMPLETE = "incomplete", 0
    PENDING = "pending", 1
    SHIPPED = "shipped", 2
    PARTIALLY_SHIPPED = "partially_shipped", 3
    REFUNDED = "refunded", 4
    CANCELLED = "cancelled", 5
    DECLINED = "declined", 6
    AWAITING_PAYMENT = "awaiting_payment", 7
    AWAITING_PICKUP = "awaiting_pickup", 8
    AWAITING_SHIPMENT = "awaiting_shipment", 9
    COMPLETED = "completed", 10
    AWAITING_FULFILLMENT = "awaiting_fulfillment", 11
    MANUAL_VERIFICATION_REQUIRED = "manual_verification_required", 12
    DISPUTED = "disputed", 13
    PARTIALLY_REFUNDED = "partially_refunded", 14


PoNumber = Annotated[
    str, Field(min_length=1, max_length=200, description="The buyer's purchase order number.")
]
CustomerId = Annotated[
    int,
    Field(
        gt=0,
        le=MAX_ID,
        description="BigCommerce customer id (a company user's customer_id, not its user id).",
    ),
]
BcOrderId = Annotated[
    int,
    Field(gt=0, le=MAX_ID, description="The BigCommerce order id (the order number shoppers see)."),
]


# Without minCreated or minModified the API lists only the last year of orders; asking
# from the first second of 1970 makes "all orders" mean all orders.
_BEGINNING = 1


class OrderQuery(TimeRange):
    """Query parameters of `GET /orders`, always with an explicit lower time bound."""

    company_id: int | None = None
    sort_by: Annotated[Literal["created_at", "updated_at"], SortKey] = "created_at"
    descending: OrderBy = True

    def to_api(self) -> dict[str, Any]:
        params = super().to_api()
        if "minCreated" not in params and "minModified" not in params:
            params["minCreated"] = _BEGINNING
        return params


class OrderProductOption(APIModel):
    """A chosen option of an ordered product, e.g. Color: Slate."""

    renames: ClassVar[dict[str, str]] = {"display_name": "name", "display_value": "value"}

    option_id: Int = None
    name: Text = Field(default=None, description="The option's name as shoppers see it.")
    value: Text = Field(default=None, description="The chosen value as shoppers see it.")


class OrderProduct(APIModel):
    """A line of a B2B order (B2B Edition keeps no prices: the core Orders API has them)."""

    renames: ClassVar[dict[str, str]] = {"variant_sku": "sku", "product_brand_name": "brand"}

    id: Int = None
    product_id: Int = None
    variant_id: Int = None
    sku: Text = None
    product_name: Text = None
    brand: Text = None
    quantity: Int = None
    options: Items[OrderProductOption] = Field(default_factory=list)


class OrdersMoved(APIModel):
    """What `PUT /customers/{customerId}/orders/b2b` answers."""

    total: Int = None


class OrderUpdate(RequestModel):
    """Body of `PUT /orders/{bcOrderId}`: the B2B fields of an order."""

    po_number: PoNumber | None = None
    extra_fields: list[ExtraFieldValue] | None = None


class MoneyFormat(APIModel):
    """How the order's currency is written: symbol, its side, separators, decimals."""

    currency_token: Text = None
    currency_location: Text = None
    decimal_token: Text = None
    decimal_places: Int = None
    thousands_token: Text = None


class OrderAddresses(APIModel):
    """The company addresses the order was billed and shipped to."""

    billing_address_id: Int = None
    shipping_address_id: Int = None


class Order(APIModel):
    """A B2B order. `bc_order_id` is the BigCommerce order id people see; `id` is internal."""

    id: Int = Field(default=None, description="Internal B2B Edition order id.")
    bc_order_id: Int = None
    company_id: Int = Field(default=None, description="null for guest and B2C orders.")
    total_inc_tax: Amount = None
    usd_inc_tax: Amount = None
    currency_code: Text = None
    status: Text = Field(default=None, description="BigCommerce status name.")
    status_code: Annotated[
        OrderStatus | int | None,
        BeforeValidator(code_of(OrderStatus)),
        Field(description="Known statuses by name, others as codes."),
    ] = None
    custom_status: Text = Field(default=None, description="The merchant's label for the status.")
    po_number: Text = None
    items: Int = Field(default=None, description="Total quantity of items.")
    cart_id: Text = None
    channel_id: Int = None
    channel_name: Text = None
    is_archived: Flag = None
    is_invoice_order: Flag = Field(default=None, description="true: placed to pay an invoice.")
    invoice_id: Int = None
    invoice_number: Text = None
    invoice_status: Annotated[
        InvoiceStatus | int | None,
        BeforeValidator(code_of(InvoiceStatus)),
    ] = None
    money: Items[MoneyFormat] = Field(default_factory=list)
    extra_info: Items[OrderAddresses] = Field(default_factory=list)
    extra_fields: Items[ExtraField] = Field(default_factory=list)
    created_at: Timestamp = None
    updated_at: Timestamp = None

    @field_validator("company_id", mode="after")
    @classmethod
    def _zero_company_is_none(cls, value: int | None) -> int | None:
        # B2C and guest orders come back with companyId 0 (in any spelling) or null.
        return None if value == 0 else value
