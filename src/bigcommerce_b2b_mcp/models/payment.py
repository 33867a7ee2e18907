"""Payments of a company: credit, payment terms, and which payment methods it may use."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, WithJsonSchema

from .common import Amount, APIModel, Flag, Int, RequestModel, Text
from .invoice import CurrencyCode

# Net days a store can grant (the spec's enum); 0 is due on receipt.
NetDays = Literal[0, 5, 15, 30, 45, 60]
CreditAmount = Annotated[
    float,
    Field(ge=0, le=1_000_000_000),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1_000_000_000}),
]
PaymentCode = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        description="A payment method's code, e.g. cod (from list_company_payment_methods).",
    ),
]


class Credit(APIModel):
    """A company's credit account: what it may still spend on credit, and the holds on it."""

    credit_enabled: Flag = Field(default=None, description="Credit is on for the company.")
    credit_currency: Text = None
    available_credit: Amount = Field(default=None, description="Credit the company may still use.")
    limit_purchases: Flag = Field(
        default=None, description="Buyers may not exceed the available credit (e.g. with a PO)."
    )
    credit_hold: Flag = Field(default=None, description="On hold: no buyer of the company can buy.")


class CreditUpdate(RequestModel):
    """Body of `PUT /companies/{companyId}/credit`: only the fields given change."""

    credit_enabled: bool | None = None
    credit_currency: CurrencyCode | None = None
    available_credit: CreditAmount | None = None
    limit_purchases: bool | None = None
    credit_hold: bool | None = None


class PaymentTerms(APIModel):
    """Payment on terms (net days) for a company; without it the store's default applies."""

    renames: ClassVar[dict[str, str]] = {"payment_terms": "net_days"}

    is_enabled: Flag = Field(default=None, description="The company pays on terms.")
    net_days: Int = Field(default=None, description="Days to pay an invoice (0: on receipt).")


class PaymentTermsUpdate(RequestModel):
    is_enabled: bool
    payment_terms: NetDays


class PaymentMethod(APIModel):
    """A payment method of the store, and whether this company's buyers may use it."""

    renames: ClassVar[dict[str, str]] = {"payment_title": "title"}

    payment_id: Int = None
    code: Text = None
    title: Text = None
    is_enabled: Flag = None


class PaymentMethodSwitch(RequestModel):
    code: PaymentCode
    is_enabled: bool


class PaymentMethodsUpdate(RequestModel):
    """Body of `PUT /companies/{companyId}/payments`."""

    payments: Annotated[list[PaymentMethodSwitch], Field(min_length=1, max_length=50)]
