"""The event stores: what a feed remembers, the events it reports, several writers at once.

The behaviour tests run against both stores, SQLite (one machine) and Redis (replicas),
each against a real database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import anyio
import pytest

from bigcommerce_b2b_mcp.resources.changes import FeedRules, Observation, RecordNotKept
from bigcommerce_b2b_mcp.resources.events import Event, EventStore, StateStore
from bigcommerce_b2b_mcp.resources.redis_events import RedisEventStore
from bigcommerce_b2b_mcp.resources.replicas import Keys, connect

pytestmark = pytest.mark.anyio

COMPANIES = FeedRules("companies", new_trigger="new", status_trigger="status")
INVOICES = FeedRules(
    "invoices",
    new_trigger="new-invoices",
    status_trigger="invoice-status",
    open_statuses=frozenset({"open", "partially_paid"}),
    deadline_status="overdue",
)


OpenStore = Callable[..., StateStore]


@pytest.fixture(params=["sqlite", "redis"])
async def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[OpenStore]:
    """Opens a store; every store it opens in one test shares one state (file or keys)."""
    if request.param == "sqlite":
        yield lambda retention=1000: EventStore(tmp_path / "s.sqlite3", retention=retention)
        return
    server = request.getfixturevalue("redis_server")
    clients = []

    def redis_store(retention: int = 1000) -> StateStore:
        clients.append(connect(server.url))
        return RedisEventStore(
            clients[-1], Keys.for_store("test"), location="test", retention=retention
        )

    yield redis_store
    for client in clients:
        await client.aclose()


def seen(
    entity: int,
    created: int,
    status: str | None = None,
    *,
    modified: int | None = None,
    deadline: int | None = None,
) -> Observation:
    return Observation(
        str(entity),
        created,
        modified if modified is not None else created,
        status,
        deadline,
        {"id": entity, "status": status},
    )


async def baseline(
    store: StateStore, rules: FeedRules, *items: Observation, start: int = 100
) -> list[Event]:
    return await store.observe(rules, items, now=start, high_water=start, baseline_start=start)


async def test_a_first_poll_remembers_and_reports_only_what_comes_after(
    open_store: OpenStore,
) -> None:
    store = open_store()
    found = await baseline(store, COMPANIES, seen(1, 50, "pending"), seen(2, 100, "approved"))
    assert [(e.trigger, e.entity_id, e.seq, e.id) for e in found] == [("new", "2", 1, "new:2")]
    mark = await store.feed_mark("companies")
    assert mark is not None
    assert (mark.high_water, mark.baseline_at) == (100, 100)


async def test_new_records_and_status_changes_each_once(open_store: OpenStore) -> None:
    store = open_store()
    await baseline(store, COMPANIES, seen(1, 50, "pending"))
    later = [seen(1, 50, "approved", modified=120), seen(3, 110, "pending")]
    found = await store.observe(COMPANIES, later, now=130, high_water=100)
    assert [(e.trigger, e.entity_id, e.from_status, e.to_status) for e in found] == [
        ("new", "3", None, None),
        ("status", "1", "pending", "approved"),
    ]
    change = found[1]
    assert change.id == "status:1:approved@120"
    assert change.changed_at is not None
    assert change.data == {"id": 1, "status": "approved"}
    # The same observations again (the overlap): nothing new.
    assert await store.observe(COMPANIES, later, now=140, high_water=120) == []
    stored = await store.events("status")
    assert [(e.id, e.from_status, e.to_status) for e in stored] == [
        ("status:1:approved@120", "pending", "approved")
    ]


async def test_a_record_first_seen_after_it_changed_is_remembered_not_reported(
    open_store: OpenStore,
) -> None:
    store = open_store()
    await baseline(store, COMPANIES, start=10_000)
    # Created long before the first poll, but shown by the API only now.
    late = seen(9, 5_000, "approved", modified=10_050)
    assert await store.observe(COMPANIES, [late], now=10_060, high_water=10_000) == []
    found = await store.observe(
        COMPANIES, [seen(9, 5_000, "inactive", modified=10_070)], now=10_080, high_water=10_050
    )
    assert [(e.from_status, e.to_status) for e in found] == [("approved", "inactive")]


async def test_an_unpaid_invoice_is_reported_overdue_once_per_due_date(
    open_store: OpenStore,
) -> None:
    store = open_store()
    # Overdue before the first poll: old news.
    await baseline(
        store, INVOICES, seen(1, 50, "open", deadline=90), seen(2, 60, "open", deadline=200)
    )
    assert await store.due(INVOICES, now=150) == []
    assert await store.due(INVOICES, now=250) == ["2"]
    found = await store.observe(
        INVOICES, [seen(2, 60, "open", deadline=200)], now=250, high_water=100
    )
    assert [(e.entity_id, e.from_status, e.to_status, e.id) for e in found] == [
        ("2", "open", "overdue", "invoice-status:2:overdue@200")
    ]
    assert await store.due(INVOICES, now=300) == []
    # A partial payment is still a change; a new due date, once passed, is overdue again.
    paid = seen(2, 60, "partially_paid", modified=310, deadline=400)
    found = await store.observe(INVOICES, [paid], now=320, high_water=250)
    assert [(e.from_status, e.to_status) for e in found] == [("open", "partially_paid")]
    assert await store.due(INVOICES, now=500) == ["2"]
    await store.settle(INVOICES, ["2"])
    assert await store.due(INVOICES, now=500) == []


async def test_pending_says_which_observations_would_make_events(open_store: OpenStore) -> None:
    store = open_store()
    first = [seen(1, 50, "pending"), seen(2, 100, "pending")]
    assert await store.pending(COMPANIES, first, now=100, baseline_start=100) == {"2"}
    await baseline(store, COMPANIES, *first)
    later = [seen(1, 50, "pending", modified=120), seen(2, 100, "approved", modified=120)]
    assert await store.pending(COMPANIES, later, now=130) == {"2"}
    assert await store.latest_seq("status") == 0  # pending wrote nothing


async def test_an_event_is_never_stored_without_its_record(open_store: OpenStore) -> None:
    store = open_store()
    await baseline(store, COMPANIES, seen(1, 50, "pending"))
    outline = seen(1, 50, "approved", modified=120).outline()
    with pytest.raises(RecordNotKept):
        await store.observe(COMPANIES, [seen(2, 110), outline], now=130, high_water=120)
    assert await store.latest_seq("new") == await store.latest_seq("status") == 0
    mark = await store.feed_mark("companies")
    assert mark is not None
    assert mark.high_water == 100, "the failed poll moved nothing"
    found = await store.observe(
        COMPANIES, [seen(2, 110), seen(1, 50, "approved", modified=120)], now=130, high_water=120
    )
    assert [(e.trigger, e.entity_id) for e in found] == [("new", "2"), ("status", "1")]


async def test_retention_keeps_the_newest_and_seq_keeps_counting(open_store: OpenStore) -> None:
    store = open_store(retention=3)
    await baseline(store, COMPANIES)
    for entity in range(1, 6):
        await store.observe(COMPANIES, [seen(entity, 100 + entity)], now=200, high_water=100)
    assert [e.seq for e in await store.latest("new")] == [3, 4, 5]
    assert await store.latest_seq("new") == 5


async def test_events_survive_reopening_the_store(open_store: OpenStore) -> None:
    first = open_store()
    await baseline(first, COMPANIES, seen(1, 50, "pending"))
    await first.observe(COMPANIES, [seen(2, 120, "pending")], now=130, high_water=100)
    first.close()
    second = open_store()
    found = await second.observe(
        COMPANIES,
        [seen(1, 50, "approved", modified=140), seen(2, 120, "pending")],
        now=150,
        high_water=120,
    )
    assert [(e.trigger, e.seq) for e in found] == [("status", 1)]
    assert [(e.seq, e.entity_id) for e in await second.latest("new")] == [(1, "2")]


async def test_two_writers_never_report_anything_twice(open_store: OpenStore) -> None:
    writers = [open_store(), open_store()]
    await baseline(writers[0], COMPANIES)
    records = [seen(entity, 1000 + entity // 10, "pending") for entity in range(200)]
    changed = [
        seen(entity, 1000 + entity // 10, "approved", modified=2000) for entity in range(200)
    ]

    async def write(store: StateStore, start: int, batch: list[Observation]) -> None:
        for chunk in range(start, 200, 20):
            await store.observe(COMPANIES, batch[chunk : chunk + 40], now=2100, high_water=1000)

    for batch in (records, changed):
        async with anyio.create_task_group() as tg:
            tg.start_soon(write, writers[0], 0, batch)
            tg.start_soon(write, writers[1], 10, batch)
    for trigger in ("new", "status"):
        events = await writers[0].events(trigger, after=0, limit=1000)
        assert sorted(int(e.entity_id) for e in events) == list(range(200)), trigger
        assert [e.seq for e in events] == list(range(1, 201)), trigger


async def test_two_first_polls_at_once_make_one_baseline(open_store: OpenStore) -> None:
    a, b = open_store(), open_store()
    await baseline(a, COMPANIES, seen(1, 50, "pending"), start=100)
    # The second process read before the first committed; it sees the feed started.
    found = await b.observe(
        COMPANIES,
        [seen(1, 50, "approved", modified=110)],
        now=120,
        high_water=120,
        baseline_start=120,
    )
    assert [(e.trigger, e.to_status) for e in found] == [("status", "approved")]
    mark = await b.feed_mark("companies")
    assert mark is not None
    assert mark.baseline_at == 100


async def test_a_file_of_the_previous_version_is_upgraded_and_loses_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(
        """
        CREATE TABLE marks (trigger TEXT PRIMARY KEY, high_water INTEGER NOT NULL,
                            next_seq INTEGER NOT NULL);
        CREATE TABLE seen (trigger TEXT NOT NULL, entity_id TEXT NOT NULL,
                           created_at INTEGER NOT NULL, PRIMARY KEY (trigger, entity_id));
        CREATE TABLE events (trigger TEXT NOT NULL, seq INTEGER NOT NULL,
                             entity_id TEXT NOT NULL, created_at INTEGER NOT NULL,
                             detected_at TEXT NOT NULL, data TEXT NOT NULL,
                             PRIMARY KEY (trigger, seq));
        INSERT INTO marks VALUES ('new', 200, 3);
        INSERT INTO seen VALUES ('new', '7', 195);
        INSERT INTO events VALUES ('new', 1, '6', 150, '2026-01-01T00:00:00+00:00', '{}');
        INSERT INTO events VALUES ('new', 2, '7', 195, '2026-01-01T00:00:00+00:00', '{}');
        """
    )
    old.close()
    store = EventStore(path)
    assert [e.id for e in await store.latest("new")] == ["new:6", "new:7"]
    # Created while the server was being upgraded: after the old mark, and not seen.
    found = await baseline(store, COMPANIES, seen(6, 150), seen(7, 195), seen(8, 210), start=300)
    assert [(e.entity_id, e.seq) for e in found] == [("8", 3)]


def test_memory_store_for_demo_mode() -> None:
    store = EventStore(None)
    assert store.path is None
    store.close()
