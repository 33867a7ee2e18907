"""Pollers against the simulator on a controlled clock: detection, dedup, paging, faults."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest

from bigcommerce_b2b_mcp.api.client import B2BClient, RetryPolicy
from bigcommerce_b2b_mcp.resources.changes import OVERLAP_SECONDS, FeedRules, Observation
from bigcommerce_b2b_mcp.resources.events import Event, EventStore
from bigcommerce_b2b_mcp.resources.feeds import FEEDS
from bigcommerce_b2b_mcp.resources.pollers import Poller, PollerState
from bigcommerce_b2b_mcp.resources.triggers import TRIGGERS, Trigger
from bigcommerce_b2b_mcp.simulator.app import API_PREFIX, create_app
from bigcommerce_b2b_mcp.simulator.companies import add_company
from bigcommerce_b2b_mcp.simulator.orders import add_order
from bigcommerce_b2b_mcp.simulator.quotes import add_quote
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from bigcommerce_b2b_mcp.simulator.users import add_user
from tests.conftest import STORE_HASH, TOKEN, Clock, Sleeps, new_company

pytestmark = pytest.mark.anyio


class Announcements:
    def __init__(self) -> None:
        self.triggers: list[str] = []

    async def __call__(self, trigger: Trigger) -> None:
        self.triggers.append(trigger.name)


class Counting(httpx2.AsyncBaseTransport):
    def __init__(self, inner: httpx2.AsyncBaseTransport) -> None:
        self.inner = inner
        self.paths: list[str] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.paths.append(request.url.path.removeprefix(API_PREFIX))
        return await self.inner.handle_async_request(request)


def client(
    store: SimulatedStore,
    wrap: Callable[[httpx2.AsyncBaseTransport], httpx2.AsyncBaseTransport] | None = None,
    sleep: Callable[[float], Awaitable[None]] | None = None,
) -> B2BClient:
    transport: httpx2.AsyncBaseTransport = httpx2.ASGITransport(
        app=create_app(store, rate_limit=100_000)
    )
    return B2BClient(
        store_hash=STORE_HASH,
        access_token=TOKEN,
        base_url=f"http://sim{API_PREFIX}",
        transport=wrap(transport) if wrap else transport,
        retry=RetryPolicy(max_attempts=1),
        sleep=sleep or Sleeps(),
    )


def poller(feed: str, api: B2BClient, events: EventStore, **options: Any) -> Poller:
    options.setdefault("on_change", Announcements())
    return Poller(FEEDS[feed], TRIGGERS, api, events, interval=30, **options)


async def test_first_start_reports_only_what_comes_after(
    store: SimulatedStore, clock: Clock, tmp_path: Path
) -> None:
    events = EventStore(tmp_path / "e.sqlite3")
    async with client(store) as api:
        p = poller("companies", api, events)
        assert await p.poll_once() == []
        clock.advance(5)
        created = new_company(store, 1)
        found = await p.poll_once()
        assert [e.entity_id for e in found] == [str(created)]
        assert found[0].data["company_name"] == "New Co 1"
        assert found[0].data["company_status"] == "approved"
        clock.advance(30)
        assert await p.poll_once() == []


async def test_several_records_in_one_second_and_more_than_a_page(
    store: SimulatedStore, clock: Clock, tmp_path: Path
) -> None:
    events = EventStore(tmp_path / "e.sqlite3")
    async with client(store) as api:
        p = poller("users", api, events)
        await p.poll_once()
        clock.advance(1)
        company_id = min(store.companies)
        ids = [
            add_user(
                store,
                company_id=company_id,
                first_name="B",
                last_name=str(n),
                email=f"b{n}@x.example",
                role=2,
            )["id"]
            for n in range(300)
        ]
        found = await p.poll_once()
        assert sorted(int(e.entity_id) for e in found) == sorted(ids)
        assert [e.seq for e in found] == list(range(1, 301))


async def test_the_overlap_finds_late_records_without_repeating_seen_ones(
    store: SimulatedStore, clock: Clock, tmp_path: Path
) -> None:
    events = EventStore(tmp_path / "e.sqlite3")
    async with client(store) as api:
        p = poller("companies", api, events)
        await p.poll_once()
        clock.advance(10)
        on_time = new_company(store, 1)
        assert [e.entity_id for e in await p.poll_once()] == [str(on_time)]
        # A record that shows up late with a creation time before the mark, in the overlap.
        late = add_company(
            store,
            name="Late Co",
            email="l@late.example",
            phone="1",
            country="US",
            admin={"first_name": "L", "last_name": "L", "email": "l@late.example"},
            created_at=store.now() - OVERLAP_SECONDS // 2,
        )
        same_second = new_company(store, 2)
        found = await p.poll_once()
        assert sorted(e.entity_id for e in found) == sorted([str(late["id"]), str(same_second)])
        assert await p.poll_once() == []


async def test_backfill_reports_recent_history(
    store: SimulatedStore, clock: Clock, tmp_path: Path
) -> None:
    recent = [c for c in store.companies.values() if c["created_at"] >= store.now() - 60 * 86400]
    assert recent, "the seed should hold companies from the last 60 days"
    async with client(store) as api:
        p = poller(
            "companies", api, EventStore(tmp_path / "e.sqlite3"), backfill=timedelta(days=60)
        )
        found = await p.poll_once()
    assert sorted(e.entity_id for e in found) == sorted(str(c["id"]) for c in recent)


async def test_orders_count_only_with_a_company_and_quotes_come_whole(
    store: SimulatedStore, clock: Clock, tmp_path: Path
) -> None:
    events = EventStore(tmp_path / "e.sqlite3")
    async with client(store) as api:
        orders = poller("orders", api, events)
        quotes = poller("quotes", api, events)
        await orders.poll_once()
        await quotes.poll_once()
        clock.advance(3)
        user = next(iter(store.users.values()))
        add_order(
            store, bc_order_id=90001, company_id=user["company_id"], customer_id=user["customer_id"]
        )
        add_order(store, bc_order_id=90002, company_id=0, customer_id=0)
        quote = add_quote(
            store,
            company_id=user["company_id"],
            contact={"name": "Q", "email": "q@x.example"},
            products=[
                {
                    "productId": 1,
                    "variantId": 0,
                    "productName": "P",
                    "sku": "S",
                    "basePrice": 2.0,
                    "discount": 0.0,
                    "offeredPrice": 2.0,
                    "quantity": 3,
                    "options": [],
                    "notes": "",
                }
            ],
            expires_at=store.now() + 86400,
        )
        assert [e.entity_id for e in await orders.poll_once()] == ["90001"]
        found = await quotes.poll_once()
    assert [e.entity_id for e in found] == [str(quote["id"])]
    assert found[0].data["product_list"][0]["sku"] == "S"
    assert found[0].data["grand_total"] == "6.0"


async def test_a_restart_catches_up_without_repeating(
    store: SimulatedStore, clock: Clock, tmp_path: Path
) -> None:
    path = tmp_path / "e.sqlite3"
    async with client(store) as api:
        first = poller("companies", api, EventStore(path))
        await first.poll_once()
        clock.advance(5)
        before = new_company(store, 1)
        assert [e.entity_id for e in await first.poll_once()] == [str(before)]
    clock.advance(3600)  # the server is down for an hour
    during = [new_company(store, n) for n in (2, 3)]
    async with client(store) as api:
        second = poller("companies", api, EventStore(path))
        found = await second.poll_once()
    assert sorted(e.entity_id for e in found) == sorted(str(i) for i in during)
    assert [e.seq for e in found] == [2, 3]


async def test_two_pollers_sharing_a_state_file_store_each_record_once(
    store: SimulatedStore, clock: Clock, tmp_path: Path
) -> None:
    path = tmp_path / "shared.sqlite3"
    async with client(store) as api_a, client(store) as api_b:
        a = poller("companies", api_a, EventStore(path))
        b = poller("companies", api_b, EventStore(path))
        await a.poll_once()
        await b.poll_once()
        clock.advance(2)
        created = [new_company(store, n) for n in range(5)]
        found = [*await a.poll_once(), *await b.poll_once(), *await a.poll_once()]
    assert sorted(e.entity_id for e in found) == sorted(str(i) for i in created)
    assert sorted(e.seq for e in found) == [1, 2, 3, 4, 5]


class Recording(EventStore):
    """The event store, keeping what polls hand it; `before_observe` runs once, first."""

    def __init__(
        self, path: Path, before_observe: Callable[[], Awaitable[None]] | None = None
    ) -> None:
        super().__init__(path)
        self.observed: list[Observation] = []
        self._before_observe = before_observe

    async def observe(
        self, rules: FeedRules, observations: Iterable[Observation], **when: Any
    ) -> list[Event]:
        if self._before_observe is not None:
            hook, self._before_observe = self._before_observe, None
            await hook()
        observations = list(observations)
        self.observed += observations
        return await super().observe(rules, observations, **when)


async def test_a_first_poll_keeps_whole_only_the_records_it_reports(
    store: SimulatedStore, clock: Clock, tmp_path: Path
) -> None:
    events = Recording(tmp_path / "e.sqlite3")
    async with client(store) as api:
        p = poller("companies", api, events, backfill=timedelta(days=60))
        found = await p.poll_once()
    whole = {seen.entity_id for seen in events.observed if seen.data is not None}
    assert found, "the seed should hold companies from the last 60 days"
    assert whole == {event.entity_id for event in found}
    assert len(events.observed) == len(store.companies)
    assert all(event.data["company_name"] for event in found)


async def test_a_first_poll_overtaken_by_another_process_reads_again_and_loses_nothing(
    store: SimulatedStore, clock: Clock, tmp_path: Path
) -> None:
    """A reads the store, B reads it after a company changed, A stores its first poll,
    then B stores: B kept that company in outline (a first poll reports no change), but
    A's memory makes it a change, so B reads again and reports it whole."""
    path = tmp_path / "shared.sqlite3"
    company = next(c for c in store.companies.values() if c["status"] == 0)
    a_has_read, b_has_read, a_is_done = anyio.Event(), anyio.Event(), anyio.Event()

    async def a_waits() -> None:
        a_has_read.set()
        await b_has_read.wait()

    async def b_waits() -> None:
        b_has_read.set()
        await a_is_done.wait()

    async with client(store) as api_a, client(store) as api_b, anyio.create_task_group() as tg:
        a = poller("companies", api_a, Recording(path, a_waits))
        b_store = Recording(path, b_waits)
        b = poller("companies", api_b, b_store)

        async def first_poll_of_a() -> None:
            assert await a.poll_once() == []
            a_is_done.set()

        tg.start_soon(first_poll_of_a)
        await a_has_read.wait()
        clock.advance(10)
        company["status"], company["updated_at"] = 1, store.now()
        clock.advance(200)  # long enough for B not to keep it as recently changed
        found = await b.poll_once()
    assert [(e.trigger, e.entity_id, e.from_status, e.to_status) for e in found] == [
        ("company-status-changes", str(company["id"]), "pending", "approved")
    ]
    assert found[0].data["company_status"] == "approved"
    outline = [s for s in b_store.observed if s.entity_id == str(company["id"])]
    assert [s.data is None for s in outline] == [True, False], "B read it again, whole"


class Faulty(httpx2.AsyncBaseTransport):
    """Answers the scripted statuses first, then passes requests to the real transport."""

    def __init__(self, inner: httpx2.AsyncBaseTransport, statuses: list[int]) -> None:
        self.inner = inner
        self.statuses = statuses

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if self.statuses:
            status = self.statuses.pop(0)
            body = {"code": status, "data": {}, "meta": {"message": "scripted"}}
            return httpx2.Response(status, json=body)
        return await self.inner.handle_async_request(request)


class StopAfter(Sleeps):
    """A sleep that records delays and ends the run after `n` of them."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.n = n

    async def __call__(self, seconds: float) -> None:
        await super().__call__(seconds)
        if len(self.calls) >= self.n:
            raise _Done


class _Done(Exception):
    pass


async def test_faults_back_off_exponentially_then_recover(
    store: SimulatedStore, tmp_path: Path
) -> None:
    sleeps = StopAfter(4)
    async with client(store, lambda inner: Faulty(inner, [503, 503, 429])) as api:
        p = poller("companies", api, EventStore(tmp_path / "e.sqlite3"), sleep=sleeps)
        with pytest.raises(_Done):
            await p.run()
    assert sleeps.calls[:3] == [60, 120, 240]
    assert 27 <= sleeps.calls[3] <= 33
    assert p.status.state is PollerState.RUNNING
    assert p.status.last_error is None


async def test_backing_off_shows_in_the_status(store: SimulatedStore, tmp_path: Path) -> None:
    async with client(store, lambda inner: Faulty(inner, [502] * 5)) as api:
        p = poller("users", api, EventStore(tmp_path / "e.sqlite3"), sleep=StopAfter(1))
        with pytest.raises(_Done):
            await p.run()
    assert p.status.state is PollerState.BACKING_OFF
    assert "502" in (p.status.last_error or "")


@pytest.mark.parametrize("status", [401, 403])
async def test_refused_credentials_stop_the_poller(
    store: SimulatedStore, tmp_path: Path, status: int
) -> None:
    sleeps = StopAfter(5)
    async with client(store, lambda inner: Faulty(inner, [status] * 10)) as api:
        p = poller("orders", api, EventStore(tmp_path / "e.sqlite3"), sleep=sleeps)
        await p.run()
    assert p.status.state is PollerState.STOPPED
    assert sleeps.calls == []
    assert "Polling stopped" in (p.status.last_error or "")


class FlakyAnnouncer(Announcements):
    """The first announcement fails, as a notification to a vanished session might."""

    async def __call__(self, trigger: Trigger) -> None:
        if not self.failed:
            self.failed = True
            raise RuntimeError("the notification could not be sent")
        await super().__call__(trigger)

    failed = False


async def test_a_failure_after_the_poll_backs_off_and_announces_later(
    store: SimulatedStore, clock: Clock, tmp_path: Path
) -> None:
    events = EventStore(tmp_path / "e.sqlite3")
    announcer = FlakyAnnouncer()
    sleeps = StopAfter(2)
    async with client(store) as api:
        p = poller("companies", api, events, on_change=announcer, sleep=sleeps)
        await p.poll_once()  # the baseline
        clock.advance(2)
        new_company(store)
        with pytest.raises(_Done):
            await p.run()  # round 1 stores the event and fails to announce; round 2 announces
    assert sleeps.calls[0] == 60  # backed off after the failed announcement
    assert announcer.triggers == ["new-companies"]
    assert p.status.state is PollerState.RUNNING
    assert [e.seq for e in await events.events("new-companies")] == [1]
