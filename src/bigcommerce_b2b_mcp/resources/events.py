"""Durable trigger events and high-water marks in SQLite, safe for several processes at once.

Per trigger the store keeps: the high-water mark (the newest creation time the API has
reported, in the API's own seconds), the ids already seen near that mark (so the overlap
of the next poll reports nothing twice), the next sequence number, and the latest events.
Each poll's findings are written in one `BEGIN IMMEDIATE` transaction, so two servers
sharing a state directory never store the same record twice and never reuse a sequence
number.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio.to_thread
from pydantic import BaseModel, Field

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


class EventStore:
    """SQLite-backed events. Blocking work runs in a worker thread; one connection, one lock."""

    def __init__(self, path: Path | None, *, retention: int = 1000) -> None:
        """`path` None keeps everything in memory (demo mode: fresh on every run)."""
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.retention = retention
        self._lock = threading.Lock()
        self._db = sqlite3.connect(
            str(path) if path else ":memory:",
            timeout=30.0,
            isolation_level=None,
            check_same_thread=False,
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    async def mark(self, trigger: str) -> Mark | None:
        return await anyio.to_thread.run_sync(self._mark, trigger)

    async def seen_ids(self, trigger: str) -> set[str]:
        return await anyio.to_thread.run_sync(self._seen_ids, trigger)

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
        return await anyio.to_thread.run_sync(
            self._record, trigger, list(found), high_water, overlap, report
        )

    async def events(self, trigger: str, *, after: int = 0, limit: int = 50) -> list[Event]:
        """Events with a sequence number above `after`, oldest first."""
        return await anyio.to_thread.run_sync(self._events, trigger, after, limit)

    async def latest(self, trigger: str, *, limit: int = 50) -> list[Event]:
        """The most recent events, oldest first."""
        return await anyio.to_thread.run_sync(self._latest, trigger, limit)

    async def latest_seq(self, trigger: str) -> int:
        mark = await self.mark(trigger)
        return mark.next_seq - 1 if mark else 0

    def _mark(self, trigger: str) -> Mark | None:
        with self._lock:
            row = self._db.execute(
                "SELECT high_water, next_seq FROM marks WHERE trigger = ?", (trigger,)
            ).fetchone()
        return Mark(*row) if row else None

    def _seen_ids(self, trigger: str) -> set[str]:
        with self._lock:
            rows = self._db.execute("SELECT entity_id FROM seen WHERE trigger = ?", (trigger,))
            return {row[0] for row in rows}

    def _record(
        self, trigger: str, found: list[Found], high_water: int, overlap: int, report: bool
    ) -> list[Event]:
        now = datetime.now(UTC)
        events: list[Event] = []
        with self._lock:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute(
                    "SELECT high_water, next_seq FROM marks WHERE trigger = ?", (trigger,)
                ).fetchone()
                mark = max(high_water, row[0]) if row else high_water
                seq = row[1] if row else 1
                for item in sorted(found, key=lambda f: (f.created_at, f.entity_id)):
                    inserted = db.execute(
                        "INSERT OR IGNORE INTO seen (trigger, entity_id, created_at) "
                        "VALUES (?, ?, ?)",
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
                        "INSERT INTO events "
                        "(trigger, seq, entity_id, created_at, detected_at, data) "
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
                    "DELETE FROM events WHERE trigger = ? AND seq <= ?",
                    (trigger, seq - 1 - self.retention),
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return events

    def _events(self, trigger: str, after: int, limit: int) -> list[Event]:
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, entity_id, created_at, detected_at, data FROM events "
                "WHERE trigger = ? AND seq > ? ORDER BY seq LIMIT ?",
                (trigger, after, limit),
            ).fetchall()
        return [_event(trigger, row) for row in rows]

    def _latest(self, trigger: str, limit: int) -> list[Event]:
        with self._lock:
            rows = self._db.execute(
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
