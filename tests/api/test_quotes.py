"""Quotes through the client, against the simulator."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx2
import pytest

from bigcommerce_b2b_mcp.api.client import B2BClient
from bigcommerce_b2b_mcp.api.quotes import DATE_LOOKUP_PAGES
from bigcommerce_b2b_mcp.errors import NotFoundError
from bigcommerce_b2b_mcp.models.quote import QuoteQuery, QuoteStatus
from bigcommerce_b2b_mcp.simulator.app import API_PREFIX, create_app
from bigcommerce_b2b_mcp.simulator.quotes import add_quote
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.conftest import STORE_HASH, TOKEN, Clock, Sleeps

pytestmark = pytest.mark.anyio


async def test_list_then_get_a_quote(api: B2BClient) -> None:
    page = await api.quotes.list(QuoteQuery(sort_by="created_at", descending=False), limit=250)
    assert page.total == len(page.items) > 0
    created = [q.created_at for q in page.items if q.created_at is not None]
    assert len(created) == len(page.items)
    assert created == sorted(created)
    first = page.items[0].quote_id
    assert first is not None
    quote = await api.quotes.get(first)
    assert quote.quote_id == first
    assert quote.product_list
    assert quote.grand_total is not None


async def test_filter_by_status(api: B2BClient) -> None:
    page = await api.quotes.list(QuoteQuery(status=QuoteStatus.IN_PROCESS), limit=250)
    assert page.items
    assert {q.status for q in page.items} == {QuoteStatus.IN_PROCESS}


async def test_unknown_quote_is_not_found(api: B2BClient) -> None:
    with pytest.raises(NotFoundError):
        await api.quotes.get(1)


async def test_get_sends_the_creation_day_when_known(api: B2BClient) -> None:
    summary = (await api.quotes.list(QuoteQuery(), limit=1)).items[0]
    assert summary.quote_id is not None
    quote = await api.quotes.get(summary.quote_id, created_at=summary.created_at)
    assert quote.quote_number == summary.quote_number


async def test_the_simulator_checks_the_date_format(
    raw: httpx2.AsyncClient, store: SimulatedStore
) -> None:
    quote_id = min(store.quotes)
    assert (await raw.get(f"/rfq/{quote_id}", params={"date": "12/31/2026"})).status_code == 200
    assert (await raw.get(f"/rfq/{quote_id}", params={"date": "2026-12-31"})).status_code == 422


class Counting(httpx2.AsyncBaseTransport):
    """The simulator, with every request's path and query kept."""

    def __init__(self, store: SimulatedStore) -> None:
        self.inner = httpx2.ASGITransport(app=create_app(store, rate_limit=100_000))
        self.seen: list[str] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.seen.append(
            request.url.path.removeprefix(API_PREFIX) + "?" + request.url.query.decode()
        )
        return await self.inner.handle_async_request(request)


def strict_client(store: SimulatedStore) -> tuple[B2BClient, Counting]:
    store.require_quote_date = True
    transport = Counting(store)
    client = B2BClient(
        store_hash=STORE_HASH,
        access_token=TOKEN,
        base_url=f"http://sim{API_PREFIX}",
        transport=transport,
        sleep=Sleeps(),
    )
    return client, transport


async def test_a_store_that_requires_the_date_answers_as_drf_would(
    raw: httpx2.AsyncClient, store: SimulatedStore
) -> None:
    store.require_quote_date = True
    quote_id = min(store.quotes)
    missing = await raw.get(f"/rfq/{quote_id}")
    assert missing.status_code == 422
    assert missing.json()["data"]["errMsg"] == {"date": ["This field is required."]}
    wrong = await raw.get(f"/rfq/{quote_id}", params={"date": "01/01/2001"})
    assert wrong.status_code == 404


async def test_get_finds_the_creation_day_itself_when_the_store_requires_it(
    store: SimulatedStore,
) -> None:
    client, transport = strict_client(store)
    quote_id = min(store.quotes)
    async with client:
        quote = await client.quotes.get(quote_id)
        assert quote.quote_id == quote_id
        assert [path.split("?")[0] for path in transport.seen] == [
            f"/rfq/{quote_id}",  # refused: no date
            "/rfq",  # the newest quotes, to find its creation day
            f"/rfq/{quote_id}",  # with the date
        ]
        transport.seen.clear()
        await client.quotes.get(quote_id)  # the day is remembered now
    assert len(transport.seen) == 1
    assert "date=" in transport.seen[0]


async def test_a_quote_seen_in_a_list_is_read_with_one_request(store: SimulatedStore) -> None:
    client, transport = strict_client(store)
    async with client:
        listed = await client.quotes.list(QuoteQuery(), limit=5)
        transport.seen.clear()
        quote_id = listed.items[-1].quote_id
        assert quote_id is not None
        await client.quotes.get(quote_id)
    assert len(transport.seen) == 1


async def test_an_old_quote_beyond_the_lookup_says_how_to_find_it(
    store: SimulatedStore, clock: Clock
) -> None:
    old = min(store.quotes)
    for n in range(DATE_LOOKUP_PAGES * 250):
        clock.advance(1)
        add_quote(
            store,
            company_id=None,
            contact={"name": "N", "email": f"n{n}@x.example"},
            products=[],
            expires_at=int(clock.now) + 86400,
        )
    client, _ = strict_client(store)
    async with client:
        with pytest.raises(NotFoundError, match="list_quotes") as caught:
            await client.quotes.get(old)
        assert "creation day" in str(caught.value)
        # As the message says: find it with list_quotes, then it can be read.
        created = store.quotes[old]["created_at"]
        await client.quotes.list(
            QuoteQuery(
                min_created=datetime.fromtimestamp(created, UTC),
                max_created=datetime.fromtimestamp(created, UTC),
            )
        )
        assert (await client.quotes.get(old)).quote_id == old


async def test_a_missing_quote_is_not_found_on_a_strict_store(store: SimulatedStore) -> None:
    client, _ = strict_client(store)
    async with client:
        with pytest.raises(NotFoundError):
            await client.quotes.get(987_654)
