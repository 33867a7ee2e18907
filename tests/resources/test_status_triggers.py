"""Status changes, invoices, addresses and deadlines, on the simulator and a controlled clock."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import httpx2
import pytest

from bigcommerce_b2b_mcp.api.client import B2BClient
from bigcommerce_b2b_mcp.resources.events import Event, EventStore
from bigcommerce_b2b_mcp.resources.feeds import FEEDS
from bigcommerce_b2b_mcp.resources.pollers import PollerState
from bigcommerce_b2b_mcp.resources.triggers import TRIGGERS, TriggerName
from bigcommerce_b2b_mcp.simulator.addresses import add_address
from bigcommerce_b2b_mcp.simulator.app import API_PREFIX, create_app
from bigcommerce_b2b_mcp.simulator.invoice_payments import record_payment
from bigcommerce_b2b_mcp.simulator.invoices import add_invoice
from bigcommerce_b2b_mcp.simulator.orders import set_status
from bigcommerce_b2b_mcp.simulator.quotes import mark_ordered
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.conftest import STORE_HASH, TOKEN, Clock
from tests.resources.test_pollers import Counting, client, poller

pytestmark = pytest.mark.anyio

DAY = 86400


def changes(events: list[Event]) -> list[tuple[str, str, str | None, str | None]]:
    return [(e.trigger, e.entity_id, e.from_status, e.to_status) for e in events]


async def test_a_company_application_approved_is_reported_once_with_both_statuses(
    store: SimulatedStore, clock: Clock, tmp_path: Path
) -> None:
    pending = next(c for c in store.companies.values() if c["status"] == 0)
    async with client(store) as api:
        p = poller("companies", api, EventStore(tmp_path / "e.sqlite3"))
        await p.poll_once()
        clock.advance(60)
        pending["status"], pending["updated_at"] = 1, store.now()
        found = await p.poll_once()
        assert changes(found) == [
            ("company-status-changes", str(pending["id"]), "pending", "approved")
        ]
        assert found[0].data["company_status"] == "approved"
        assert found[0].data["company_name"] == pending["name"]
        clock.advance(30)
        assert await p.poll_once() == []  # the overlap sees it again, and says nothing


async def test_every_trigger_of_a_feed_shares_one_request_and_idle_costs_one(
    store: SimulatedStore, clock: Clock, tmp_path: Path
) -> None:
    counting: list[Counting] = []

    def wrap(inner: httpx2.AsyncBaseTransport) -> httpx2.AsyncBaseTransport:
        counting.append(Counting(inner))
        return counting[0]

    async with client(store, wrap) as api:
        pollers = [poller(feed, api, EventStore(tmp_path / "e.sqlite3")) for feed in FEEDS]
        for p in pollers:
            await p.poll_once()
        clock.advance(30)
        counting[0].paths.clear()
        for p in pollers:
            assert await p.poll_once() == []
    # One request per kind of record, with ten triggers and a store of 36 companies.
    assert sorted(counting[0].paths) == sorted(
        ["/companies", "/users", "/addresses", "/orders", "/rfq", "/ip/invoices"]
    )


async def test_order_status_changes_and_new_addresses(
    store: SimulatedStore, clock: Clock, tmp_path: Path
) -> None:
    order = next(o for o in store.orders.values() if o["company_id"] and o["status_code"] != 2)
    events = EventStore(tmp_path / "e.sqlite3")
    async with client(store) as api:
        orders, addresses = poller("orders", api, events), poller("addresses", api, events)
        await orders.poll_once()
        await addresses.poll_once()
        clock.advance(60)
        before = order["status_code"]
        set_status(store, order, 2)
        address = add_address(store, company_id=order["company_id"], city="Austin")
        found = await orders.poll_once()
        assert len(found) == 1
        assert found[0].entity_id == str(order["bc_order_id"])
        assert found[0].to_status == "shipped"
        assert found[0].from_status is not None
        assert found[0].from_status != "shipped"
        assert before != 2
        assert [(e.trigger, e.entity_id) for e in await addresses.poll_once()] == [
            ("new-addresses", str(address["id"]))
        ]


async def test_a_process_joining_a_shared_feed_marks_it_by_the_api_clock(
    store: SimulatedStore, clock: Clock, tmp_path: Path
) -> None:
    """The second process's first poll is a later poll of the feed, before its client has
    had an answer: the mark must still come from the API's clock (the simulated one is
    two months behind ours), or no address created later would ever be found."""
    company_id = min(store.companies)
    async with client(store) as first:
        await poller("addresses", first, EventStore(tmp_path / "e.sqlite3")).poll_once()
    async with client(store) as api:
        joining = poller("addresses", api, EventStore(tmp_path / "e.sqlite3"))
        assert await joining.poll_once() == []
        clock.advance(60)
        address = add_address(store, company_id=company_id, city="Austin")
        found = await joining.poll_once()
    assert [(e.trigger, e.entity_id) for e in found] == [("new-addresses", str(address["id"]))]


async def test_a_quote_ordered_or_left_to_expire_is_reported_once(
    store: SimulatedStore, clock: Clock, tmp_path: Path
) -> None:
    live = [q for q in store.quotes.values() if q["status"] in (0, 2, 3)]
    bought, lapsing = live[0], live[1]
    bought["expired_at"] = store.now() + 30 * DAY
    lapsing["expired_at"] = store.now() + 2 * DAY
    async with client(store) as api:
        p = poller("quotes", api, EventStore(tmp_path / "e.sqlite3"))
        await p.poll_once()
        clock.advance(60)
        before = _name(bought)
        mark_ordered(store, bought, 100)
        found = await p.poll_once()
        assert changes(found) == [("quote-status-changes", str(bought["id"]), before, "ordered")]
        assert found[0].data["product_list"], "the whole quote, as get_quote returns it"
        # The expiry passes; the store does not touch the quote, the poller notices anyway.
        clock.advance(3 * DAY)
        found = await p.poll_once()
        assert [(e.entity_id, e.to_status) for e in found] == [(str(lapsing["id"]), "expired")]
        clock.advance(60)
        assert await p.poll_once() == []


def _name(quote: dict[str, object]) -> str:
    return {0: "new", 2: "in_process", 3: "updated_by_customer"}[quote["status"]]  # type: ignore[index]


async def test_invoices_issued_paid_and_overdue(
    store: SimulatedStore, clock: Clock, tmp_path: Path
) -> None:
    company_id = min(store.companies)
    async with client(store) as api:
        p = poller("invoices", api, EventStore(tmp_path / "e.sqlite3"))
        await p.poll_once()
        clock.advance(60)
        issued = add_invoice(
            store,
            number="INV-T-1",
            company_id=company_id,
            original_balance=100.0,
            open_balance=100.0,
            due_date=store.now() + 10 * DAY,
        )
        late = add_invoice(
            store,
            number="INV-T-2",
            company_id=company_id,
            original_balance=50.0,
            open_balance=50.0,
            due_date=store.now() + 5 * DAY,
        )
        found = await p.poll_once()
        assert sorted((e.trigger, e.entity_id) for e in found) == [
            ("new-invoices", str(issued["id"])),
            ("new-invoices", str(late["id"])),
        ]
        clock.advance(60)
        record_payment(
            store, company_id=company_id, currency="USD", lines=[(issued, 40.0)], memo="Cheque #1"
        )
        assert changes(await p.poll_once()) == [
            ("invoice-status-changes", str(issued["id"]), "open", "partially_paid")
        ]
        clock.advance(6 * DAY)  # the second invoice's due date passes, unpaid and untouched
        found = await p.poll_once()
        assert changes(found) == [("invoice-status-changes", str(late["id"]), "open", "overdue")]
        assert found[0].id == f"invoice-status-changes:{late['id']}:overdue@{late['due_date']}"
        clock.advance(60)
        assert await p.poll_once() == []
        record_payment(
            store, company_id=company_id, currency="USD", lines=[(late, 50.0)], memo="Wire"
        )
        assert changes(await p.poll_once()) == [
            ("invoice-status-changes", str(late["id"]), "open", "paid")
        ]


class _Stop(Exception):
    pass


async def test_a_poller_waiting_for_budget_says_so(store: SimulatedStore, tmp_path: Path) -> None:
    states: list[PollerState] = []

    async def sleep(seconds: float) -> None:
        states.append(p.status.state)
        if len(states) >= 2:
            raise _Stop

    # A tiny store: this server's share is 2 requests a minute, 1 for background work,
    # and a first poll needs two (the clock, then the records).
    tiny = httpx2.ASGITransport(app=create_app(store, rate_limit=4))
    async with B2BClient(
        store_hash=STORE_HASH,
        access_token=TOKEN,
        base_url=f"http://sim{API_PREFIX}",
        transport=tiny,
        sleep=sleep,
    ) as api:
        p = poller("companies", api, EventStore(tmp_path / "e.sqlite3"), sleep=sleep)
        with pytest.raises(_Stop):
            await p.run()
    assert states == [PollerState.WAITING_FOR_BUDGET, PollerState.RUNNING]


def test_every_trigger_has_a_feed_and_a_declared_name() -> None:
    assert {trigger.feed for trigger in TRIGGERS} == set(FEEDS)
    assert {trigger.name for trigger in TRIGGERS} == set(get_args(TriggerName))
