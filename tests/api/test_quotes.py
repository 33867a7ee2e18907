"""Quotes through the client, against the simulator."""

from __future__ import annotations

import httpx2
import pytest

from bigcommerce_b2b_mcp.api.client import B2BClient
from bigcommerce_b2b_mcp.api.quotes import quote_filters
from bigcommerce_b2b_mcp.errors import NotFoundError
from bigcommerce_b2b_mcp.models.quote import QuoteStatus
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore

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


async def test_get_sends_the_creation_day_when_known(api: B2BClient) -> None:
    summary = (await api.quotes.list(quote_filters(), limit=1)).items[0]
    quote = await api.quotes.get(summary.quote_id, created_at=summary.created_at)
    assert quote.quote_number == summary.quote_number


async def test_the_simulator_checks_the_date_format(
    raw: httpx2.AsyncClient, store: SimulatedStore
) -> None:
    quote_id = min(store.quotes)
    assert (await raw.get(f"/rfq/{quote_id}", params={"date": "12/31/2026"})).status_code == 200
    assert (await raw.get(f"/rfq/{quote_id}", params={"date": "2026-12-31"})).status_code == 422
