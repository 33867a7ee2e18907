"""Quotes (RFQ): `/rfq`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from ..models.common import Page
from ..models.quote import Quote, QuoteStatus, QuoteSummary
from .envelope import Params, parse, time_filters

if TYPE_CHECKING:
    from .client import B2BClient

QuoteSort = Literal["createdAt", "updatedAt", "expiredAt", "status", "company", "salesRep"]


def quote_filters(
    *,
    status: QuoteStatus | None = None,
    company: str | None = None,
    q: str | None = None,
    min_created: datetime | None = None,
    max_created: datetime | None = None,
    min_modified: datetime | None = None,
    max_modified: datetime | None = None,
    sort_by: QuoteSort = "updatedAt",
    descending: bool = True,
) -> Params:
    """Query parameters of `GET /rfq` (`company` is a name search; `orderBy` is lower case)."""
    return {
        "status": status.code if status is not None else None,
        "company": company,
        "q": q,
        **time_filters(
            min_created=min_created,
            max_created=max_created,
            min_modified=min_modified,
            max_modified=max_modified,
        ),
        "sortBy": sort_by,
        "orderBy": "desc" if descending else "asc",
    }


class QuotesAPI:
    """Read and list quotes."""

    def __init__(self, client: B2BClient) -> None:
        self._client = client

    async def get(self, quote_id: int, *, created_at: datetime | None = None) -> Quote:
        """One quote; pass its creation time when known (the spec asks for it as `date`)."""
        params = {"date": created_at.astimezone(UTC).strftime("%m/%d/%Y")} if created_at else {}
        envelope = await self._client.request(
            "GET", f"/rfq/{quote_id}", params=params, resource="quote"
        )
        data: Any = envelope.data
        if isinstance(data, dict):
            # The detail body has no quoteId of its own.
            data = {**data, "quoteId": quote_id}
        return parse(Quote, data)

    async def list(self, params: Params, *, limit: int = 10, offset: int = 0) -> Page[QuoteSummary]:
        """One page of quotes; build `params` with `quote_filters`."""
        return await self._client.page(
            "/rfq", params, QuoteSummary, resource="quote", limit=limit, offset=offset
        )

    def each(self, params: Params, *, page_size: int = 100) -> AsyncIterator[QuoteSummary]:
        return self._client.each(
            "/rfq", params, QuoteSummary, resource="quote", page_size=page_size
        )
