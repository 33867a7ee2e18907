"""B2B orders: BigCommerce orders that belong to a company."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, field_validator

from .common import APIModel, CodedEnum, ExtraField, OptionalInt, OptionalStr, Timestamp


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


class Order(APIModel):
    """A B2B order. `bc_order_id` is the BigCommerce order id people see; `id` is internal."""

    id: int
    bc_order_id: int
    company_id: OptionalInt = None
    total_inc_tax: Decimal | None = None
    currency_code: OptionalStr = None
    status: OptionalStr = Field(default=None, description="BigCommerce status name.")
    status_code: Annotated[OrderStatus | int | None, Field(union_mode="left_to_right")] = None
    custom_status: OptionalStr = None
    po_number: OptionalStr = None
    items: OptionalInt = Field(default=None, description="Total quantity of items.")
    channel_id: OptionalInt = None
    channel_name: OptionalStr = None
    is_archived: bool = False
    is_invoice_order: bool | None = None
    invoice_id: OptionalInt = None
    invoice_number: OptionalStr = None
    extra_fields: list[ExtraField] = Field(default_factory=list)
    created_at: Timestamp = None
    updated_at: Timestamp = None

    @field_validator("company_id", mode="before")
    @classmethod
    def _zero_company_is_none(cls, value: Any) -> Any:
        # B2C and guest orders come back with companyId 0 or null.
        return None if value in (0, "0") else value

    @field_validator("invoice_number", mode="before")
    @classmethod
    def _invoice_number_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @field_validator("extra_fields", mode="before")
    @classmethod
    def _extra_fields_may_be_encoded(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = json.loads(value) if value else []
        return value or []
