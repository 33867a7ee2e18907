"""Quote tools: requests for quotes (RFQ) and the prices offered."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ..models.common import Page
from ..models.quote import Quote, QuoteId, QuoteQuery, QuoteStatus, QuoteSummary
from .context import ToolContext, api
from .params import DEFAULT_LIMIT, After, Before, Descending, Limit, Offset, SearchText
from .toolset import Toolset

toolset = Toolset("quotes", "Quotes (RFQ): read and search.")


class QuotePage(Page[QuoteSummary]):
    """A page of quotes (summaries; get_quote has the products)."""


@toolset.tool(title="Get quote", read_only=True, destructive=False, idempotent=True)
async def get_quote(
    ctx: ToolContext,
    quote_id: QuoteId,
) -> Quote:
    """Get one quote in full: status, contact, company, products with offered prices, totals.

    Use list_quotes to find a quote id from a quote number or company name.
    """
    return await api(ctx).quotes.get(quote_id)


@toolset.tool(title="List quotes", read_only=True, destructive=False, idempotent=True)
async def list_quotes(
    ctx: ToolContext,
    status: Annotated[QuoteStatus | None, Field(description="Only quotes in this status.")] = None,
    company_name: Annotated[
        SearchText | None, Field(description="Part of the company's name.")
    ] = None,
    search: Annotated[
        SearchText | None, Field(description="Text to find in quote number, title or company.")
    ] = None,
    created_after: After = None,
    created_before: Before = None,
    sort_by: Annotated[
        Literal["created_at", "updated_at", "expired_at"], Field(description="Sort key.")
    ] = "updated_at",
    descending: Descending = True,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> QuotePage:
    """Search quotes by status, company, text or date; summaries with subtotal, paged.

    Product lines are not included: call get_quote with a quote_id for them.
    """
    query = QuoteQuery(
        status=status,
        company=company_name,
        q=search,
        min_created=created_after,
        max_created=created_before,
        sort_by=sort_by,
        descending=descending,
    )
    return QuotePage.of(await api(ctx).quotes.list(query, limit=limit, offset=offset))
