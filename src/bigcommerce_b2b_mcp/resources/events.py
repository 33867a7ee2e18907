"""Durable trigger events and high-water marks in SQLite, safe for several processes at once.

Per trigger the store keeps: the high-water mark (the newest creation time the API has
reported, in the API's own seconds), the ids already seen near that mark (so the overlap
of the next poll reports nothing twice), the next sequence number, and the latest events.
Each poll's findings are written in one `BEGIN IMMEDIATE` transaction, so two servers
sharing a state directory never store the same record twice and never reuse a sequence
number.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread
from pydantic import BaseModel, Field

from ..errors import StateStoreError

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Sequence numbers stay within what every JSON client reads exactly (2**53 - 1).
MAX_SEQ = 9_007_199_254_740_991

_SCHEMA = """
CREATE TABLE IF NOT EXISTS marks (
    trigger TEXT PRIMARY KEY,
    high_water INTEGER NOT NULL,
    next_seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS seen (
    trigger TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (trigger, entity_id)
);
CREATE TABLE IF NOT EXISTS events (
    trigger TEXT NOT NULL,
    seq INTEGER NOT NULL,
    entity_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    detected_at TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (trigger, seq)
);
"""


class Event(BaseModel):
    """One new record found by a trigger."""

    seq: int = Field(description="Increases by one per event of this trigger; never reused.")
    id: str = Field(description="Stable id, e.g. new-companies:1234.")
    trigger: str
    entity_id: str = Field(description="The new record's id (a bc_order_id for orders).")
    created_at: datetime = Field(description="When the API says the record was created.")
    detected_at: datetime = Field(description="When this server first saw it.")
    data: dict[str, Any] = Field(description="The record, as the matching get_* tool returns it.")


@dataclass(frozen=True)
class Found:
    """A record a poll returned: its id, its API creation time, and its presentation."""

    entity_id: str
    created_at: int
    data: dict[str, Any]


@dataclass(frozen=True)
class Mark:
    high_water: int
    next_seq: int


_TABLES = {
    "marks": {"trigger", "high_water", "next_seq"},
    "seen": {"trigger", "entity_id", "created_at"},
    "events": {"trigger", "seq", "entity_id", "created_at", "detected_at", "data"},
}
# Marks this server's state files, so a foreign SQLite file is never written to.
_APPLICATION_ID = 0x42324D43  # "B2MC"
_ELSEWHERE = "or start the server with --state-dir (B2B_MCP_STATE_DIR) pointing elsewhere"
_RETRY_EVERY = 0.05


class EventStore:
    """SQLite-backed events. Blocking work runs in a worker thread; one connection, one lock.

    The database is opened on first use, never at start-up: a broken state file costs
    the triggers, not the server. Every failure is a `StateStoreError` that names the
    file, says what is wrong and what to do, and is logged once, in one line.
    """

    def __init__(
        self, path: Path | None, *, retention: int = 1000, busy_timeout: float = 2.0
    ) -> None:
        """`path` None keeps everything in memory (demo mode: fresh on every run)."""
        self.path = path
        self.retention = retention
        self._busy_timeout = busy_timeout
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._problem: str | None = None

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    async def check(self) -> None:
        """Open the database now; raises `StateStoreError` if it cannot be used."""
        await self._run(lambda db: None)

    async def mark(self, trigger: str) -> Mark | None:
        return await self._run(_mark, trigger)

    async def seen_ids(self, trigger: str) -> set[str]:
        return await self._run(_seen_ids, trigger)

    async def record(
        self,
        trigger: str,
        found: Iterable[Found],
        *,
        high_water: int,
        overlap: int,
        report: bool = True,
    ) -> list[Event]:
        """Store what a poll found that no one has seen; return the new events.

        With `report` False the records only become seen (a first start's baseline).
        """
        return await self._run(
            _record, trigger, list(found), high_water, overlap, report, self.retention
        )

    async def events(self, trigger: str, *, after: int = 0, limit: int = 50) -> list[Event]:
        """Events with a sequence number above `after`, oldest first."""
        return await self._run(_events, trigger, min(after, MAX_SEQ), limit)

    async def latest(self, trigger: str, *, limit: int = 50) -> list[Event]:
        """The most recent events, oldest first."""
        return await self._run(_latest, trigger, limit)

    async def latest_seq(self, trigger: str) -> int:
        mark = await self.mark(trigger)
        return mark.next_seq - 1 if mark else 0

    async def _run(self, work: Callable[..., T], *args: Any) -> T:
        """`work(db, *args)` in a worker thread. A database locked by another process is
        retried here, between short sleeps, rather than waited for inside SQLite: the lock
        is never held while waiting, so no caller queues behind another's wait, and a
        cancelled caller stops waiting at once."""
        deadline = anyio.current_time() + self._busy_timeout
        while True:
            try:
                result = await anyio.to_thread.run_sync(self._guarded, work, *args)
            except StateStoreError as exc:
                if exc.transient and anyio.current_time() < deadline:
                    await anyio.sleep(_RETRY_EVERY)
                    continue
                self._report(exc)
                raise
            if self._problem is not None:
                logger.warning("The trigger state database is usable again: %s", self.path)
                self._problem = None
            return result

    def _guarded(self, work: Callable[..., T], *args: Any) -> T:
        with self._lock:
            try:
                if self._db is None:
                    self._db = self._open()
                return work(self._db, *args)
            except sqlite3.Error as exc:
                error = self._explain(exc)
            except StateStoreError as exc:
                error = exc
            if not error.transient and self._db is not None:
                self._db.close()  # reopened (and checked again) on the next use
                self._db = None
            raise error

    def _report(self, error: StateStoreError) -> None:
        """Log a problem once, in one line, however many callers meet it."""
        if str(error) != self._problem:
            self._problem = str(error)
            logger.log(logging.WARNING if error.transient else logging.ERROR, "%s", error)

    def _open(self) -> sqlite3.Connection:
        path = self.path
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except FileExistsError:
                raise StateStoreError(
                    f"Triggers are off: the state directory {path.parent} is a file, not a "
                    f"directory. Move it away, {_ELSEWHERE}."
                ) from None
            except OSError as exc:
                raise StateStoreError(
                    f"Triggers are off: the state directory {path.parent} cannot be created "
                    f"({exc.strerror or type(exc).__name__}). Fix its permissions, {_ELSEWHERE}."
                ) from None
            if path.is_dir():
                raise StateStoreError(
                    f"Triggers are off: {path} is a directory, not a database file. "
                    f"Move it away, {_ELSEWHERE}."
                )
        db = sqlite3.connect(
            str(path) if path else ":memory:",
            timeout=0,  # a locked database fails at once; `_run` retries without the lock held
            isolation_level=None,
            check_same_thread=False,
        )
        try:
            _prepare(db, path)
        except BaseException:
            db.close()
            raise
        return db

    def _explain(self, exc: sqlite3.Error) -> StateStoreError:
        text = str(exc).lower()
        where = self.path or "the in-memory database"
        if "locked" in text or "busy" in text:
            return StateStoreError(
                f"The trigger state database {where} is locked by another process; "
                "polling resumes when it is free.",
                transient=True,
            )
        if "not a database" in text or "malformed" in text or "encrypted" in text:
            return StateStoreError(
                f"Triggers are off: {where} is not a usable SQLite database (corrupt, or "
                f"another program's file). Move it away, {_ELSEWHERE}."
            )
        if "full" in text:
            return StateStoreError(
                f"Triggers are off: the disk holding {where} is full. Free some space, "
                f"{_ELSEWHERE}."
            )
        return StateStoreError(
            f"Triggers are off: {where} cannot be used ({exc}). Check that it can be read "
            f"and written, {_ELSEWHERE}."
        )


def _prepare(db: sqlite3.Connection, path: Path | None) -> None:
    """Create the tables in a new file; refuse a file that belongs to something else."""
    application_id = db.execute("PRAGMA application_id").fetchone()[0]
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    foreign = application_id not in (0, _APPLICATION_ID) or any(
        name in tables and _columns(db, name) != columns for name, columns in _TABLES.items()
    )
    if application_id == 0 and tables - set(_TABLES):
        foreign = True
    if foreign:
        raise StateStoreError(
            f"Triggers are off: {path} is another program's SQLite database, not this "
            f"server's state. Move it away, {_ELSEWHERE}."
        )
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(_SCHEMA)
    if application_id == 0:
        db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def _mark(db: sqlite3.Connection, trigger: str) -> Mark | None:
    row = db.execute(
        "SELECT high_water, next_seq FROM marks WHERE trigger = ?", (trigger,)
    ).fetchone()
    return Mark(*row) if row else None


def _seen_ids(db: sqlite3.Connection, trigger: str) -> set[str]:
    rows = db.execute("SELECT entity_id FROM seen WHERE trigger = ?", (trigger,))
    return {row[0] for row in rows}


def _record(
    db: sqlite3.Connection,
    trigger: str,
    found: list[Found],
    high_water: int,
    overlap: int,
    report: bool,
    retention: int,
) -> list[Event]:
    now = datetime.now(UTC)
    events: list[Event] = []
    db.execute("BEGIN IMMEDIATE")
    try:
        row = db.execute(
            "SELECT high_water, next_seq FROM marks WHERE trigger = ?", (trigger,)
        ).fetchone()
        mark = max(high_water, row[0]) if row else high_water
        seq = row[1] if row else 1
        for item in sorted(found, key=lambda f: (f.created_at, f.entity_id)):
            inserted = db.execute(
                "INSERT OR IGNORE INTO seen (trigger, entity_id, created_at) VALUES (?, ?, ?)",
                (trigger, item.entity_id, item.created_at),
            ).rowcount
            mark = max(mark, item.created_at)
            if not inserted or not report:
                continue
            event = Event(
                seq=seq,
                id=f"{trigger}:{item.entity_id}",
                trigger=trigger,
                entity_id=item.entity_id,
                created_at=datetime.fromtimestamp(item.created_at, UTC),
                detected_at=now,
                data=item.data,
            )
            db.execute(
                "INSERT INTO events (trigger, seq, entity_id, created_at, detected_at, data) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    trigger,
                    seq,
                    item.entity_id,
                    item.created_at,
                    now.isoformat(),
                    json.dumps(item.data, separators=(",", ":")),
                ),
            )
            events.append(event)
            seq += 1
        db.execute(
            "INSERT INTO marks (trigger, high_water, next_seq) VALUES (?, ?, ?) "
            "ON CONFLICT (trigger) DO UPDATE SET high_water = excluded.high_water, "
            "next_seq = excluded.next_seq",
            (trigger, mark, seq),
        )
        # Ids older than the next poll's window can never come back: forget them.
        db.execute(
            "DELETE FROM seen WHERE trigger = ? AND created_at < ?",
            (trigger, mark - 2 * overlap),
        )
        db.execute(
            "DELETE FROM events WHERE trigger = ? AND seq <= ?", (trigger, seq - 1 - retention)
        )
        db.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise
    return events


def _events(db: sqlite3.Connection, trigger: str, after: int, limit: int) -> list[Event]:
    rows = db.execute(
        "SELECT seq, entity_id, created_at, detected_at, data FROM events "
        "WHERE trigger = ? AND seq > ? ORDER BY seq LIMIT ?",
        (trigger, after, limit),
    ).fetchall()
    return [_event(trigger, row) for row in rows]


def _latest(db: sqlite3.Connection, trigger: str, limit: int) -> list[Event]:
    rows = db.execute(
        "SELECT seq, entity_id, created_at, detected_at, data FROM events "
        "WHERE trigger = ? ORDER BY seq DESC LIMIT ?",
        (trigger, limit),
    ).fetchall()
    return [_event(trigger, row) for row in reversed(rows)]


def _event(trigger: str, row: tuple[Any, ...]) -> Event:
    seq, entity_id, created_at, detected_at, data = row
    return Event(
        seq=seq,
        id=f"{trigger}:{entity_id}",
        trigger=trigger,
        entity_id=entity_id,
        created_at=datetime.fromtimestamp(created_at, UTC),
        detected_at=datetime.fromisoformat(detected_at),
        data=json.loads(data),
    )
