"""Quotes through the client, against the simulator."""

from __future__ import annotations

import pytest

from bigcommerce_b2b_mcp.api.client import B2BClient
from bigcommerce_b2b_mcp.api.quotes import quote_filters
from bigcommerce_b2b_mcp.errors import NotFoundError
from bigcommerce_b2b_mcp.models.quote import QuoteStatus

pytestmark = pytest.mark.anyio


async def test_list_then_get_a_quote(api: B2BClient) -> None:
    page = await api.quotes.list(quote_filters(sort_by="createdAt", descending=False), limit=250)
    assert page.total == len(page.items) > 0
    created = [q.created_at for q in page.items if q.created_at is not None]
    assert len(created) == len(page.items)
    assert created == sorted(created)
    quote = await api.quotes.get(page.items[0].quote_id)
    assert quote.quote_id == page.items[0].quote_id
    assert quote.product_list
    assert quote.grand_total is not None


async def test_filter_by_status(api: B2BClient) -> None:
    page = await api.quotes.list(quote_filters(status=QuoteStatus.IN_PROCESS), limit=250)
    assert page.items
    assert {q.status for q in page.items} == {QuoteStatus.IN_PROCESS}


async def test_unknown_quote_is_not_found(api: B2BClient) -> None:
    with pytest.raises(NotFoundError):
        await api.quotes.get(1)
