"""A broken trigger state store costs the triggers, never the server, and says what to do."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from bigcommerce_b2b_mcp.errors import StateStoreError
from bigcommerce_b2b_mcp.resources.changes import FeedRules, Observation
from bigcommerce_b2b_mcp.resources.events import EventStore
from bigcommerce_b2b_mcp.resources.triggers import TRIGGERS as ALL_TRIGGERS
from bigcommerce_b2b_mcp.server import state_file
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.tools.calls import call, fail, read_json, until_poller_is
from tests.tools.conftest import server_for, settings

pytestmark = pytest.mark.anyio

TRIGGERS = [trigger.name for trigger in ALL_TRIGGERS]
USERS = FeedRules("users", new_trigger="new-users")


def corrupt(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not a database, it is a shopping list\n" * 100)


def foreign(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, payload BLOB)")


def directory_instead(path: Path) -> None:
    path.mkdir(parents=True)


def state_dir_is_a_file(path: Path) -> None:
    path.parent.parent.mkdir(parents=True, exist_ok=True)
    path.parent.write_text("not a directory")


BROKEN: dict[str, tuple[Callable[[Path], None], str]] = {
    "corrupt": (corrupt, "not a usable SQLite database"),
    "foreign": (foreign, "another program's SQLite database"),
    "directory": (directory_instead, "is a directory, not a database file"),
    "state dir is a file": (state_dir_is_a_file, "is a file, not a directory"),
}


@pytest.mark.parametrize("kind", BROKEN)
async def test_the_store_names_the_file_the_problem_and_the_way_out(
    kind: str, tmp_path: Path
) -> None:
    path = tmp_path / "state" / "store.sqlite3"
    make, problem = BROKEN[kind]
    make(path)
    store = EventStore(path)
    with pytest.raises(StateStoreError) as caught:
        await store.check()
    message = str(caught.value)
    assert problem in message
    assert str(path.parent if kind == "state dir is a file" else path) in message
    assert "--state-dir" in message
    assert not caught.value.transient


async def test_a_foreign_file_is_never_written_to(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    foreign(path)
    before = path.read_bytes()
    with pytest.raises(StateStoreError):
        await EventStore(path).feed_mark("users")
    assert path.read_bytes() == before


async def test_a_state_file_of_the_previous_version_is_still_read(tmp_path: Path) -> None:
    """Files written before the store marked its own files carry no application id."""
    path = tmp_path / "old.sqlite3"
    store = EventStore(path)
    await store.observe(USERS, [], now=50, high_water=50, baseline_start=50)
    await store.observe(USERS, [Observation("7", 100, 100, data={"id": 7})], now=110, high_water=50)
    store.close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA application_id = 0")
    events = await EventStore(path).events("new-users")
    assert [event.entity_id for event in events] == ["7"]


async def test_moving_the_bad_file_away_lets_the_store_start_afresh(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    corrupt(path)
    store = EventStore(path)
    with pytest.raises(StateStoreError):
        await store.check()
    path.rename(tmp_path / "s.sqlite3.bad")
    await store.check()
    assert await store.latest_seq("new-orders") == 0


@pytest.mark.parametrize("kind", BROKEN)
async def test_a_broken_state_store_leaves_tools_working_and_triggers_stopped(
    kind: str, store: SimulatedStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    overrides: dict[str, Any] = {"state_dir": tmp_path / "state", "poll_interval": 0.05}
    path = state_file(settings(**overrides))
    assert path is not None
    make, problem = BROKEN[kind]
    make(path)
    async with Client(server_for(store, **overrides)) as client:
        company = await call(client, "get_company", company_id=min(store.companies))
        assert company["company_id"] == min(store.companies)
        views = await _after_every_poller_tried(client)
        text = await fail(client, "get_trigger_events", trigger="new-orders")
    for view in views:
        assert view["poller"]["state"] == "stopped"
        assert problem in view["poller"]["last_error"]
        assert "--state-dir" in view["poller"]["last_error"]
    assert problem in text
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, [r.getMessage() for r in errors]
    assert problem in errors[0].getMessage()
    assert "Traceback" not in caplog.text


async def _after_every_poller_tried(client: Client) -> list[dict[str, Any]]:
    with anyio.fail_after(20):
        while True:
            views = [await read_json(client, f"b2b://triggers/{name}") for name in TRIGGERS]
            if all(view["poller"]["last_poll_at"] for view in views):
                return views
            await anyio.sleep(0.02)  # no event marks a poller's attempt: watch its state


class Lock:
    """Another process holding the database locked, as a long write in rollback mode does."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._holder = sqlite3.connect(path, isolation_level=None)
        self._holder.execute("BEGIN EXCLUSIVE")

    def release(self) -> None:
        self._holder.execute("ROLLBACK")
        self._holder.close()


async def test_a_locked_database_is_reported_quickly_and_polling_recovers(
    store: SimulatedStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    overrides: dict[str, Any] = {"state_dir": tmp_path / "state", "poll_interval": 0.05}
    path = state_file(settings(**overrides))
    assert path is not None
    lock = Lock(path)
    async with Client(server_for(store, **overrides)) as client:
        with anyio.fail_after(10):  # the store used to wait 30 s for the lock
            text = await fail(client, "get_trigger_events", trigger="new-users")
        assert "locked by another process" in text
        view = await read_json(client, "b2b://triggers/new-users")
        assert view["poller"]["state"] == "backing_off"
        assert "locked" in view["poller"]["last_error"]
        lock.release()
        await until_poller_is(client, "b2b://triggers/new-users", "running")
        page = await call(client, "get_trigger_events", trigger="new-users")
    assert page["poller"]["last_error"] is None
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
