"""Quotes (RFQ): `/rfq`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..errors import InvalidInputError, NotFoundError
from ..models.common import Page
from ..models.quote import (
    CreatedQuote,
    NewQuote,
    Quote,
    QuoteCheckout,
    QuotePdf,
    QuoteQuery,
    QuoteSummary,
    QuoteUpdate,
)
from .records import Endpoint, Records

if TYPE_CHECKING:
    from .client import B2BClient

QUOTES = Endpoint("/rfq", QuoteSummary, "quote", "quoteId")


# How far back `get` looks for a quote's creation date when the store insists on it.
DATE_LOOKUP_PAGES = 4
_DATE_LOOKUP_PAGE_SIZE = 250
_REMEMBERED = 10_000


class QuotesAPI(Records[QuoteSummary, QuoteQuery]):
    """Read and list quotes.

    The spec makes `GET /rfq/{id}` require the quote's creation day (`date`), which
    stores mostly do without. Creation times seen in lists are remembered, so the day
    can be sent whenever it is known; a store that refuses a read without it gets the
    day looked up among the newest quotes, then the read is repeated with it.
    """

    def __init__(self, client: B2BClient) -> None:
        super().__init__(client, QUOTES)
        self._created: dict[int, datetime] = {}

    async def get(  # type: ignore[override]  # a whole Quote, not the list's summary
        self, quote_id: int, *, created_at: datetime | None = None
    ) -> Quote:
        """One quote; its creation time is sent as `date` when known or when required."""
        created_at = created_at or self._created.get(quote_id)
        try:
            return await self._get(quote_id, created_at)
        except InvalidInputError as exc:
            if created_at is not None or not _asks_for_date(exc):
                raise
        found = await self._creation_time(quote_id)
        if found is None:
            raise NotFoundError(
                f"No such quote among the {DATE_LOOKUP_PAGES * _DATE_LOOKUP_PAGE_SIZE} newest: "
                f"{quote_id}. This store needs a quote's creation day to read it; find the "
                "quote with list_quotes (created_after and created_before narrow the search), "
                "then call get_quote again.",
                resource="quote",
            )
        return await self._get(quote_id, found)

    async def _get(self, quote_id: int, created_at: datetime | None) -> Quote:
        params = {"date": created_at.astimezone(UTC).strftime("%m/%d/%Y")} if created_at else {}
        envelope = await self._client.request(
            "GET", f"/rfq/{quote_id}", params=params, resource="quote"
        )
        # The detail body has no quoteId of its own.
        return envelope.record(Quote, quoteId=quote_id)

    async def _creation_time(self, quote_id: int) -> datetime | None:
        newest = QuoteQuery(sort_by="created_at", descending=True)
        for page in range(DATE_LOOKUP_PAGES):
            found = await self.list(
                newest, limit=_DATE_LOOKUP_PAGE_SIZE, offset=page * _DATE_LOOKUP_PAGE_SIZE
            )
            if quote_id in self._created:
                return self._created[quote_id]
            if not found.has_more:
                return None
        return None

    async def create(self, quote: NewQuote) -> CreatedQuote:
        envelope = await self._client.request("POST", "/rfq", json=quote.to_api(), resource="quote")
        return envelope.record(CreatedQuote)

    async def update(self, quote_id: int, update: QuoteUpdate) -> None:
        await self._client.request(
            "PUT", f"/rfq/{quote_id}", json=update.to_api(), resource="quote"
        )

    async def pdf(self, quote_id: int) -> QuotePdf:
        """A link to a new PDF of the quote; nothing in the store changes, so it is retried."""
        envelope = await self._client.request(
            "POST", f"/rfq/{quote_id}/pdf-export", json={}, resource="quote", changes=False
        )
        return envelope.record(QuotePdf)

    async def checkout(self, quote_id: int) -> QuoteCheckout:
        """A new cart holding the quote, and the links to it and to checkout."""
        envelope = await self._client.request(
            "POST", f"/rfq/{quote_id}/checkout", json={}, resource="quote"
        )
        return envelope.record(QuoteCheckout)

    async def list(
        self, query: QuoteQuery, *, limit: int = 10, offset: int = 0
    ) -> Page[QuoteSummary]:
        """One page of quote summaries; their creation days are remembered."""
        page = await super().list(query, limit=limit, offset=offset)
        self._remember(page.items)
        return page

    async def each(self, query: QuoteQuery, *, page_size: int = 100) -> AsyncIterator[QuoteSummary]:
        async for summary in super().each(query, page_size=page_size):
            self._remember([summary])
            yield summary

    def _remember(self, quotes: Iterable[QuoteSummary]) -> None:
        for quote in quotes:
            if quote.quote_id is not None and quote.created_at is not None:
                self._created[quote.quote_id] = quote.created_at
        while len(self._created) > _REMEMBERED:
            del self._created[next(iter(self._created))]


def _asks_for_date(exc: InvalidInputError) -> bool:
    return "date" in exc.field_errors or "date" in exc.api_message.lower()
