"""Feeds: one poll per kind of record, shared by every trigger that watches it.

A feed asks the API for the records modified since its mark (one request when nothing
changed, however big the store) and turns each into an `Observation`: id, creation and
modification times, status name, deadline, and the record as the matching get_* tool
returns it. `changes.decide` then tells new records and status changes apart.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from ..errors import NotFoundError
from ..models.address import Address, AddressQuery
from ..models.common import unix
from ..models.company import Company, CompanyQuery
from ..models.invoice import Invoice, InvoiceQuery, InvoiceStatus
from ..models.order import Order, OrderQuery
from ..models.quote import Quote, QuoteQuery, QuoteStatus, QuoteSummary
from ..models.user import User, UserQuery
from .changes import FeedRules, Observation
from .triggers import TRIGGERS

if TYPE_CHECKING:
    from ..api.client import B2BClient

logger = logging.getLogger(__name__)

PAGE_SIZE = 250

Fetch = Callable[["B2BClient", int], AsyncIterator[Observation]]
Refresh = Callable[["B2BClient", str], Awaitable[Observation | None]]
Enrich = Callable[["B2BClient", Observation], Awaitable[Observation]]


@dataclass(frozen=True)
class Feed:
    """One kind of record and how to watch it."""

    name: str
    fetch: Fetch
    """Records modified (or, when not `dated`, created) at or after a unix second."""
    refresh: Refresh | None = None
    """One record read again, for deadlines that pass without the record changing."""
    enrich: Enrich | None = None
    """The whole record, for an observation about to become an event."""
    dated: bool = True
    """Whether records say when they were made and changed; if not, the feed's mark
    follows the API's clock."""
    open_statuses: frozenset[str] = frozenset()
    deadline_status: str | None = None
    deadline_is_status: bool = False

    def rules(self, triggers: set[str]) -> FeedRules:
        """The feed's rules, serving those of its triggers that are exposed."""
        mine = [t for t in TRIGGERS if t.feed == self.name and t.name in triggers]
        return FeedRules(
            feed=self.name,
            new_trigger=next((t.name for t in mine if t.kind == "new"), None),
            status_trigger=next((t.name for t in mine if t.kind == "status"), None),
            open_statuses=self.open_statuses,
            deadline_status=self.deadline_status,
            deadline_is_status=self.deadline_is_status,
        )


def _since(seconds: int) -> datetime:
    return datetime.fromtimestamp(max(seconds, 1), UTC)


def _status(value: Enum | int | None) -> str | None:
    """A coded status by name; one this server does not know, as its code."""
    if value is None:
        return None
    return str(value.value) if isinstance(value, Enum) else str(value)


def _observed(
    kind: str,
    entity_id: int | None,
    created: datetime | None,
    modified: datetime | None,
    data: dict[str, Any],
    *,
    status: str | None = None,
    deadline: datetime | None = None,
    dated: bool = True,
) -> Observation | None:
    """An observation, or None (logged) for a record that cannot be tracked."""
    if entity_id is None or (dated and created is None):
        missing = "an id" if entity_id is None else "a creation time"
        logger.warning("Skipped a %s that came without %s", kind, missing)
        return None
    return Observation(
        entity_id=str(entity_id),
        created_at=unix(created) if created else None,
        modified_at=unix(modified or created) if created else None,
        status=status,
        deadline=unix(deadline) if deadline else None,
        data=data,
    )


async def _companies(api: B2BClient, since: int) -> AsyncIterator[Observation]:
    query = CompanyQuery(
        min_modified=_since(since),
        sort_by="updated_at",
        descending=False,
        is_include_extra_fields=True,
    )
    async for company in api.companies.each(query, page_size=PAGE_SIZE):
        if seen := _company(company):
            yield seen


def _company(company: Company) -> Observation | None:
    return _observed(
        "company",
        company.company_id,
        company.created_at,
        company.updated_at,
        company.model_dump(mode="json"),
        status=_status(company.company_status),
    )


async def _users(api: B2BClient, since: int) -> AsyncIterator[Observation]:
    async for user in api.users.each(UserQuery(min_modified=_since(since)), page_size=PAGE_SIZE):
        if seen := _user(user):
            yield seen


def _user(user: User) -> Observation | None:
    return _observed(
        "user", user.id, user.created_at, user.updated_at, user.model_dump(mode="json")
    )


async def _addresses(api: B2BClient, since: int) -> AsyncIterator[Observation]:
    # Addresses say neither when they were created nor when changed: ask by creation.
    query = AddressQuery(min_created=_since(since))
    async for address in api.addresses.each(query, page_size=PAGE_SIZE):
        if seen := _address(address):
            yield seen


def _address(address: Address) -> Observation | None:
    return _observed(
        "address",
        address.address_id,
        address.created_at,
        address.updated_at,
        address.model_dump(mode="json"),
        dated=False,
    )


async def _orders(api: B2BClient, since: int) -> AsyncIterator[Observation]:
    query = OrderQuery(min_modified=_since(since), sort_by="updated_at", descending=False)
    async for order in api.orders.each(query, page_size=PAGE_SIZE):
        if order.company_id is None:
            continue  # a guest or B2C order: only a company's orders are B2B orders
        if seen := _order(order):
            yield seen


def _order(order: Order) -> Observation | None:
    return _observed(
        "order",
        order.bc_order_id,
        order.created_at,
        order.updated_at,
        order.model_dump(mode="json"),
        status=_status(order.status_code),
    )


# Quotes a buyer can still act on: past their expiry they count as expired.
_OPEN_QUOTES = frozenset(
    {QuoteStatus.NEW.value, QuoteStatus.IN_PROCESS.value, QuoteStatus.UPDATED_BY_CUSTOMER.value}
)


def _quote(quote: Quote | QuoteSummary, data: dict[str, Any]) -> Observation | None:
    return _observed(
        "quote",
        quote.quote_id,
        quote.created_at,
        quote.updated_at,
        data,
        status=_status(quote.status),
        deadline=quote.expired_at,
    )


async def _quotes(api: B2BClient, since: int) -> AsyncIterator[Observation]:
    query = QuoteQuery(min_modified=_since(since), sort_by="updated_at", descending=False)
    async for summary in api.quotes.each(query, page_size=PAGE_SIZE):
        if seen := _quote(summary, summary.model_dump(mode="json")):
            yield seen


async def _whole_quote(api: B2BClient, seen: Observation) -> Observation:
    """The quote as get_quote returns it, instead of the list's summary."""
    created = datetime.fromtimestamp(seen.created_at, UTC) if seen.created_at else None
    quote = await api.quotes.get(int(seen.entity_id), created_at=created)
    return Observation(
        seen.entity_id,
        seen.created_at,
        seen.modified_at,
        seen.status,
        seen.deadline,
        quote.model_dump(mode="json"),
    )


async def _refresh_quote(api: B2BClient, entity_id: str) -> Observation | None:
    quote = await api.quotes.get(int(entity_id))
    return _quote(quote, quote.model_dump(mode="json"))


async def _invoices(api: B2BClient, since: int) -> AsyncIterator[Observation]:
    # The invoice list has no modification filter: newest changes first, until older ones.
    query = InvoiceQuery(sort_by="updated_at", descending=True, is_include_extra_fields=True)
    async for invoice in api.invoices.each(query, page_size=PAGE_SIZE):
        seen = _invoice(invoice)
        if seen is None:
            continue
        if (seen.modified_at or 0) < since:
            return
        yield seen


def _invoice(invoice: Invoice) -> Observation | None:
    return _observed(
        "invoice",
        invoice.id,
        invoice.created_at,
        invoice.updated_at,
        invoice.model_dump(mode="json"),
        status=_status(invoice.status),
        deadline=invoice.due_date,
    )


async def _refresh_invoice(api: B2BClient, entity_id: str) -> Observation | None:
    return _invoice(await api.invoices.get(int(entity_id)))


FEEDS: dict[str, Feed] = {
    feed.name: feed
    for feed in (
        Feed("companies", _companies),
        Feed("users", _users),
        Feed("addresses", _addresses, dated=False),
        Feed("orders", _orders),
        Feed(
            "quotes",
            _quotes,
            refresh=_refresh_quote,
            enrich=_whole_quote,
            open_statuses=_OPEN_QUOTES,
            deadline_status=QuoteStatus.EXPIRED.value,
            deadline_is_status=True,
        ),
        Feed(
            "invoices",
            _invoices,
            refresh=_refresh_invoice,
            open_statuses=frozenset({InvoiceStatus.OPEN.value, InvoiceStatus.PARTIALLY_PAID.value}),
            deadline_status="overdue",
        ),
    )
}


async def refreshed(
    feed: Feed, api: B2BClient, entity_ids: list[str]
) -> tuple[list[Observation], list[str]]:
    """The records read again, and the ids that are gone (their deadlines are dropped)."""
    found: list[Observation] = []
    gone: list[str] = []
    if feed.refresh is None:
        return found, entity_ids
    for entity_id in entity_ids:
        try:
            seen = await feed.refresh(api, entity_id)
        except NotFoundError:
            seen = None
        if seen is None:
            gone.append(entity_id)
        else:
            found.append(seen)
    return found, gone
