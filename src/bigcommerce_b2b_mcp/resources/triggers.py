"""The four triggers: what each watches, and how it asks the API for new records cheaply.

Each query filters on creation time (`minCreated`), so an idle poll costs one request
however big the store is, and pages through whatever is new.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..models.common import unix
from ..models.company import CompanyQuery
from ..models.order import OrderQuery
from ..models.quote import QuoteQuery
from ..models.user import UserQuery
from .events import Found

if TYPE_CHECKING:
    from ..api.client import B2BClient

logger = logging.getLogger(__name__)

PAGE_SIZE = 100

Fetch = Callable[["B2BClient", int, set[str]], AsyncIterator[Found]]


@dataclass(frozen=True)
class Trigger:
    """A kind of new record that clients can subscribe to."""

    name: str
    title: str
    description: str
    fetch: Fetch
    """Records created at or after a unix second, skipping ids in the seen set."""

    @property
    def uri(self) -> str:
        return f"b2b://triggers/{self.name}"


def _since(seconds: int) -> datetime:
    return datetime.fromtimestamp(max(seconds, 1), UTC)


def _untrackable(kind: str, entity_id: int | None) -> None:
    """A record becomes an event only with an id and a creation time to track it by."""
    missing = "an id" if entity_id is None else "a creation time"
    logger.warning("Skipped a new %s that came without %s", kind, missing)


async def _new_companies(api: B2BClient, since: int, seen: set[str]) -> AsyncIterator[Found]:
    # Name order: a company created while we page lands behind or ahead of the cursor,
    # which can repeat a record (deduplicated) but not skip one.
    query = CompanyQuery(
        min_created=_since(since),
        sort_by="company_name",
        descending=False,
        is_include_extra_fields=True,
    )
    async for company in api.companies.each(query, page_size=PAGE_SIZE):
        if company.company_id is None or company.created_at is None:
            _untrackable("company", company.company_id)
        elif str(company.company_id) not in seen:
            data = company.model_dump(mode="json")
            yield Found(str(company.company_id), unix(company.created_at), data)


async def _new_users(api: B2BClient, since: int, seen: set[str]) -> AsyncIterator[Found]:
    async for user in api.users.each(UserQuery(min_created=_since(since)), page_size=PAGE_SIZE):
        if user.id is None or user.created_at is None:
            _untrackable("user", user.id)
        elif str(user.id) not in seen:
            yield Found(str(user.id), unix(user.created_at), user.model_dump(mode="json"))


async def _new_orders(api: B2BClient, since: int, seen: set[str]) -> AsyncIterator[Found]:
    query = OrderQuery(min_created=_since(since), sort_by="created_at", descending=False)
    async for order in api.orders.each(query, page_size=PAGE_SIZE):
        if order.company_id is None:
            continue  # a guest or B2C order: only a company's orders are B2B orders
        if order.bc_order_id is None or order.created_at is None:
            _untrackable("order", order.bc_order_id)
        elif str(order.bc_order_id) not in seen:
            data = order.model_dump(mode="json")
            yield Found(str(order.bc_order_id), unix(order.created_at), data)


async def _new_quotes(api: B2BClient, since: int, seen: set[str]) -> AsyncIterator[Found]:
    query = QuoteQuery(min_created=_since(since), sort_by="created_at", descending=False)
    async for summary in api.quotes.each(query, page_size=PAGE_SIZE):
        if summary.quote_id is None or summary.created_at is None:
            _untrackable("quote", summary.quote_id)
        elif str(summary.quote_id) not in seen:
            # The whole quote, as get_quote describes it.
            quote = await api.quotes.get(summary.quote_id, created_at=summary.created_at)
            yield Found(
                str(summary.quote_id), unix(summary.created_at), quote.model_dump(mode="json")
            )


TRIGGERS: tuple[Trigger, ...] = (
    Trigger(
        "new-companies",
        "New companies",
        "B2B companies as they are created (by the API, the control panel or buyer sign-up).",
        _new_companies,
    ),
    Trigger(
        "new-users",
        "New company users",
        "Company users (buyers) as they are added to any company.",
        _new_users,
    ),
    Trigger(
        "new-orders",
        "New B2B orders",
        "Orders placed by company buyers (guest and B2C orders are left out).",
        _new_orders,
    ),
    Trigger(
        "new-quotes",
        "New quotes",
        "Quotes (RFQ) as they are created, with their products and totals.",
        _new_quotes,
    ),
)
BY_NAME = {trigger.name: trigger for trigger in TRIGGERS}
