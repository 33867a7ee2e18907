"""The triggers clients subscribe to: what each reports, and which feed it comes from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

TriggerName = Literal[
    "new-companies",
    "company-status-changes",
    "new-users",
    "new-addresses",
    "new-orders",
    "order-status-changes",
    "new-quotes",
    "quote-status-changes",
    "new-invoices",
    "invoice-status-changes",
]


@dataclass(frozen=True)
class Trigger:
    """A kind of event clients can subscribe to: new records, or status changes."""

    name: TriggerName
    title: str
    description: str
    feed: str  # the kind of record it watches (see `feeds.FEEDS`)
    kind: Literal["new", "status"]

    @property
    def uri(self) -> str:
        return f"b2b://triggers/{self.name}"


_STATUS = (
    " Each event has from_status and to_status (names) and the record as it is now; the "
    "previous status is the one this server last saw, so a change is reported once, and a "
    "record first seen after it changed is remembered, not reported."
)

TRIGGERS: tuple[Trigger, ...] = (
    Trigger(
        "new-companies",
        "New companies",
        "B2B companies as they are created (by the API, the control panel or buyer sign-up).",
        "companies",
        "new",
    ),
    Trigger(
        "company-status-changes",
        "Company status changes",
        "A company's status changed: an application approved or rejected, an account made "
        "inactive or reactivated (pending, approved, rejected, inactive)." + _STATUS,
        "companies",
        "status",
    ),
    Trigger(
        "new-users",
        "New company users",
        "Company users (buyers) as they are added to any company.",
        "users",
        "new",
    ),
    Trigger(
        "new-addresses",
        "New company addresses",
        "Billing and shipping addresses as they are added to any company.",
        "addresses",
        "new",
    ),
    Trigger(
        "new-orders",
        "New B2B orders",
        "Orders placed by company buyers (guest and B2C orders are left out).",
        "orders",
        "new",
    ),
    Trigger(
        "order-status-changes",
        "B2B order status changes",
        "A B2B order's status changed, e.g. awaiting_fulfillment to shipped or completed, "
        "or cancelled." + _STATUS,
        "orders",
        "status",
    ),
    Trigger(
        "new-quotes",
        "New quotes",
        "Quotes (RFQ) as they are created, with their products and totals.",
        "quotes",
        "new",
    ),
    Trigger(
        "quote-status-changes",
        "Quote status changes",
        "A quote's status changed: ordered (the buyer accepted it), expired (also when its "
        "expiry passes unordered), updated by the customer, archived." + _STATUS,
        "quotes",
        "status",
    ),
    Trigger(
        "new-invoices",
        "New invoices",
        "Invoices as they are created, in B2B Edition or by an ERP through the API.",
        "invoices",
        "new",
    ),
    Trigger(
        "invoice-status-changes",
        "Invoice status changes",
        "An invoice became partially paid or paid, or overdue: unpaid past its due date "
        "(to_status overdue, once per due date)." + _STATUS,
        "invoices",
        "status",
    ),
)
