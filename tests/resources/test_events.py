"""The event store: dedup, sequence numbers, retention, several writers on one file."""

from __future__ import annotations

from pathlib import Path

import anyio
import pytest

from bigcommerce_b2b_mcp.resources.events import EventStore, Found

pytestmark = pytest.mark.anyio


def found(entity: int, created: int) -> Found:
    return Found(str(entity), created, {"id": entity})


async def test_each_record_becomes_one_event_with_increasing_seq(tmp_path: Path) -> None:
    store = EventStore(tmp_path / "s.sqlite3")
    first = await store.record("t", [found(2, 100), found(1, 100)], high_water=90, overlap=10)
    assert [(e.seq, e.entity_id) for e in first] == [(1, "1"), (2, "2")]
    again = await store.record("t", [found(1, 100), found(3, 101)], high_water=90, overlap=10)
    assert [(e.seq, e.entity_id, e.id) for e in again] == [(3, "3", "t:3")]
    mark = await store.mark("t")
    assert mark is not None
    assert (mark.high_water, mark.next_seq) == (101, 4)
    assert [e.seq for e in await store.events("t", after=1)] == [2, 3]
    assert [e.seq for e in await store.latest("t", limit=2)] == [2, 3]


async def test_a_baseline_marks_records_seen_without_reporting_them(tmp_path: Path) -> None:
    store = EventStore(tmp_path / "s.sqlite3")
    assert await store.record("t", [found(1, 50)], high_water=60, overlap=10, report=False) == []
    assert await store.record("t", [found(1, 50), found(2, 61)], high_water=60, overlap=10) != []
    assert [e.entity_id for e in await store.latest("t")] == ["2"]


async def test_retention_keeps_the_newest_and_seq_keeps_counting(tmp_path: Path) -> None:
    store = EventStore(tmp_path / "s.sqlite3", retention=3)
    for entity in range(1, 6):
        await store.record("t", [found(entity, 100 + entity)], high_water=100, overlap=10)
    assert [e.seq for e in await store.latest("t")] == [3, 4, 5]
    assert await store.latest_seq("t") == 5


async def test_events_survive_reopening_the_file(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    first = EventStore(path)
    await first.record("t", [found(1, 100)], high_water=90, overlap=10)
    first.close()
    second = EventStore(path)
    assert await second.record("t", [found(1, 100), found(2, 102)], high_water=90, overlap=10)
    assert [(e.seq, e.entity_id) for e in await second.latest("t")] == [(1, "1"), (2, "2")]


async def test_two_writers_on_one_file_never_store_a_record_twice(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    writers = [EventStore(path), EventStore(path)]
    records = [found(entity, 1000 + entity // 10) for entity in range(200)]

    async def write(store: EventStore, start: int) -> None:
        for chunk in range(start, 200, 20):
            await store.record("t", records[chunk : chunk + 40], high_water=1000, overlap=60)

    async with anyio.create_task_group() as tg:
        tg.start_soon(write, writers[0], 0)
        tg.start_soon(write, writers[1], 10)
    events = await writers[0].events("t", after=0, limit=1000)
    assert sorted(int(e.entity_id) for e in events) == list(range(200))
    assert [e.seq for e in events] == list(range(1, 201))


def test_memory_store_for_demo_mode() -> None:
    store = EventStore(None)
    assert store.path is None
    store.close()
