"""Durable trigger events, and what each feed remembers, in SQLite, safe for several
processes at once.

Per feed (a kind of record) the store keeps its high-water mark (the newest modification
time the API has reported, in the API's own seconds), when its first poll was made, and
each record's last status and deadline. Per trigger it keeps the next sequence number
and the latest events. Each poll's findings are compared and written in one
`BEGIN IMMEDIATE` transaction (see `changes.decide`), so two servers sharing a state
directory never report the same record or change twice and never reuse a sequence number.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

import anyio.to_thread
from pydantic import BaseModel, Field

from ..errors import StateStoreError
from .changes import Context, Emit, FeedRules, Known, Observation, decide

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
    change TEXT,
    PRIMARY KEY (trigger, seq)
);
CREATE TABLE IF NOT EXISTS feeds (
    feed TEXT PRIMARY KEY,
    high_water INTEGER NOT NULL,
    baseline_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS entities (
    feed TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    status TEXT,
    deadline INTEGER,
    flagged INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (feed, entity_id)
);
"""


class Event(BaseModel):
    """A new record, or a change of a record's status, found by a trigger."""

    seq: int = Field(description="Increases by one per event of this trigger; never reused.")
    id: str = Field(
        description="Stable id: new-companies:1234, or company-status-changes:1234:approved@<unix>."
    )
    trigger: str
    entity_id: str = Field(description="The record's id (a bc_order_id for orders).")
    created_at: datetime | None = Field(
        description="When the API says the record was created (null where it does not say)."
    )
    detected_at: datetime = Field(description="When this server first saw it.")
    from_status: str | None = Field(
        default=None, description="A status change: the status this server last saw."
    )
    to_status: str | None = Field(
        default=None, description="A status change: the new status (overdue: past its due date)."
    )
    changed_at: datetime | None = Field(
        default=None, description="A status change: when the API last modified the record."
    )
    data: dict[str, Any] = Field(description="The record, as the matching get_* tool returns it.")


@dataclass(frozen=True)
class Mark:
    """A trigger's progress: its newest time seen and its next sequence number."""

    high_water: int
    next_seq: int


@dataclass(frozen=True)
class FeedMark:
    """A feed's progress: the newest modification time seen, and its first poll's time."""

    high_water: int
    baseline_at: int


class StateStore(Protocol):
    """What pollers and the hub need of a trigger state store: `EventStore` (SQLite, one
    machine) or `RedisEventStore` (Redis, several replicas). Failures are `StateStoreError`s."""

    location: str

    def close(self) -> None: ...

    async def feed_mark(self, feed: str) -> FeedMark | None: ...

    async def pending(
        self,
        rules: FeedRules,
        observations: Sequence[Observation],
        *,
        now: int,
        baseline_start: int | None = None,
    ) -> set[str]: ...

    async def observe(
        self,
        rules: FeedRules,
        observations: Iterable[Observation],
        *,
        now: int,
        high_water: int,
        baseline_start: int | None = None,
    ) -> list[Event]: ...

    async def due(self, rules: FeedRules, *, now: int, limit: int = 50) -> list[str]: ...

    async def settle(self, rules: FeedRules, entity_ids: Iterable[str]) -> None: ...

    async def events(self, trigger: str, *, after: int = 0, limit: int = 50) -> list[Event]: ...

    async def latest(self, trigger: str, *, limit: int = 50) -> list[Event]: ...

    async def latest_seq(self, trigger: str) -> int: ...


_EVENT_COLUMNS = {"trigger", "seq", "entity_id", "created_at", "detected_at", "data"}
_TABLES = {
    "marks": {"trigger", "high_water", "next_seq"},
    "seen": {"trigger", "entity_id", "created_at"},
    "events": _EVENT_COLUMNS | {"change"},
    "feeds": {"feed", "high_water", "baseline_at"},
    "entities": {"feed", "entity_id", "status", "deadline", "flagged"},
}
# Tables as the previous version made them, brought up to date on opening.
_EARLIER = {"events": _EVENT_COLUMNS}
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
        self.location = str(path) if path else "memory"
        self.retention = retention
        self._busy_timeout = busy_timeout
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._problem: str | None = None
        self._limiter: anyio.CapacityLimiter | None = None

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

    async def feed_mark(self, feed: str) -> FeedMark | None:
        return await self._run(_feed_mark, feed)

    async def pending(
        self,
        rules: FeedRules,
        observations: Sequence[Observation],
        *,
        now: int,
        baseline_start: int | None = None,
    ) -> set[str]:
        """Ids of the observed records that would make an event now (worth fetching whole)."""
        return await self._run(_pending, rules, list(observations), now, baseline_start)

    async def observe(
        self,
        rules: FeedRules,
        observations: Iterable[Observation],
        *,
        now: int,
        high_water: int,
        baseline_start: int | None = None,
    ) -> list[Event]:
        """Compare what a poll saw with what the feed remembers; store and return the events.

        With `baseline_start` (the feed's first poll) existing records are remembered
        silently, except those created from `baseline_start` on, which are new.
        """
        return await self._run(
            _observe,
            rules,
            list(observations),
            now,
            high_water,
            baseline_start,
            self.retention,
        )

    async def due(self, rules: FeedRules, *, now: int, limit: int = 50) -> list[str]:
        """Records in an open status whose deadline has passed unreported."""
        return await self._run(_due, rules, now, limit)

    async def settle(self, rules: FeedRules, entity_ids: Iterable[str]) -> None:
        """Stop watching these records' deadlines (they are gone, or cannot be read)."""
        await self._run(_settle, rules, list(entity_ids))

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
                result = await anyio.to_thread.run_sync(
                    self._guarded, work, *args, limiter=self._one_thread()
                )
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

    def _one_thread(self) -> anyio.CapacityLimiter:
        """One worker thread for the one connection: callers queue here, not as blocked
        threads each with memory of its own (made on first use, inside the event loop)."""
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(1)
        return self._limiter

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
        name in tables and _columns(db, name) not in (columns, _EARLIER.get(name))
        for name, columns in _TABLES.items()
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
    if _columns(db, "events") == _EVENT_COLUMNS:
        db.execute("ALTER TABLE events ADD COLUMN change TEXT")
    if application_id == 0:
        db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def _mark(db: sqlite3.Connection, trigger: str) -> Mark | None:
    row = db.execute(
        "SELECT high_water, next_seq FROM marks WHERE trigger = ?", (trigger,)
    ).fetchone()
    return Mark(*row) if row else None


def _feed_mark(db: sqlite3.Connection, feed: str) -> FeedMark | None:
    row = db.execute("SELECT high_water, baseline_at FROM feeds WHERE feed = ?", (feed,)).fetchone()
    return FeedMark(*row) if row else None


def _known(db: sqlite3.Connection, feed: str, entity_id: str) -> Known | None:
    row = db.execute(
        "SELECT status, deadline, flagged FROM entities WHERE feed = ? AND entity_id = ?",
        (feed, entity_id),
    ).fetchone()
    return Known(row[0], row[1], bool(row[2])) if row else None


def _context(
    db: sqlite3.Connection, rules: FeedRules, now: int, baseline_start: int | None
) -> Context:
    """The poll's context as the file now has it: another process may have made the
    feed's first poll meanwhile, and then this one is not a first poll any more."""
    feed = _feed_mark(db, rules.feed)
    if feed is not None:
        return Context(now=now, baseline_at=feed.baseline_at)
    if baseline_start is None:
        raise StateStoreError(f"The feed {rules.feed} has not made its first poll.")
    legacy = _mark(db, rules.new_trigger) if rules.new_trigger else None
    if legacy is None:
        return Context(now=now, baseline_start=baseline_start)
    seen = db.execute(
        "SELECT entity_id FROM seen WHERE trigger = ? UNION SELECT entity_id FROM events "
        "WHERE trigger = ?",
        (rules.new_trigger, rules.new_trigger),
    )
    return Context(
        now=now,
        baseline_start=baseline_start,
        legacy_mark=legacy.high_water,
        legacy_seen=frozenset(row[0] for row in seen),
    )


def ordered(observations: list[Observation]) -> list[Observation]:
    """A poll's observations in the order they happened (then by id): decisions follow it."""
    return sorted(observations, key=lambda seen: (seen.modified_at or 0, seen.entity_id))


def _pending(
    db: sqlite3.Connection,
    rules: FeedRules,
    observations: list[Observation],
    now: int,
    baseline_start: int | None,
) -> set[str]:
    context = _context(db, rules, now, baseline_start)
    found: set[str] = set()
    memory: dict[str, Known | None] = {}
    for seen in ordered(observations):
        if seen.entity_id not in memory:
            memory[seen.entity_id] = _known(db, rules.feed, seen.entity_id)
        emits, memory[seen.entity_id] = decide(rules, memory[seen.entity_id], seen, context)
        if emits:
            found.add(seen.entity_id)
    return found


def _observe(
    db: sqlite3.Connection,
    rules: FeedRules,
    observations: list[Observation],
    now: int,
    high_water: int,
    baseline_start: int | None,
    retention: int,
) -> list[Event]:
    detected = datetime.now(UTC)
    events: list[Event] = []
    db.execute("BEGIN IMMEDIATE")
    try:
        context = _context(db, rules, now, baseline_start)
        for seen in ordered(observations):
            emits, remembered = decide(rules, _known(db, rules.feed, seen.entity_id), seen, context)
            db.execute(
                "INSERT INTO entities (feed, entity_id, status, deadline, flagged) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (feed, entity_id) DO UPDATE SET "
                "status = excluded.status, deadline = excluded.deadline, "
                "flagged = excluded.flagged",
                (
                    rules.feed,
                    seen.entity_id,
                    remembered.status,
                    remembered.deadline,
                    int(remembered.flagged),
                ),
            )
            events += [_store_event(db, emit, seen, detected) for emit in emits]
        mark = max([high_water, *(seen.modified_at or 0 for seen in observations)])
        if context.baseline_start is not None:
            db.execute(
                "INSERT INTO feeds (feed, high_water, baseline_at) VALUES (?, ?, ?)",
                (rules.feed, mark, context.baseline_start),
            )
            if rules.new_trigger:  # the previous version's seen set has served its purpose
                db.execute("DELETE FROM seen WHERE trigger = ?", (rules.new_trigger,))
        else:
            db.execute(
                "UPDATE feeds SET high_water = max(high_water, ?) WHERE feed = ?",
                (mark, rules.feed),
            )
        for trigger in {event.trigger for event in events}:
            db.execute(
                "DELETE FROM events WHERE trigger = ? AND seq <= ?",
                (trigger, _next_seq(db, trigger) - 1 - retention),
            )
        db.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise
    return events


def _next_seq(db: sqlite3.Connection, trigger: str) -> int:
    mark = _mark(db, trigger)
    return mark.next_seq if mark else 1


def _store_event(
    db: sqlite3.Connection, emit: Emit, seen: Observation, detected: datetime
) -> Event:
    seq = _next_seq(db, emit.trigger)
    change = None
    if emit.kind == "change":
        details = {
            "id": emit.event_id(seen.entity_id),
            "from": emit.from_status,
            "to": emit.to_status,
            "at": emit.at,
        }
        change = json.dumps(details, separators=(",", ":"))
    data = json.dumps(seen.record(), separators=(",", ":"))
    # 0: the API does not say when the record was created.
    row = (seq, seen.entity_id, seen.created_at or 0, detected.isoformat(), data, change)
    db.execute(
        "INSERT INTO events (trigger, seq, entity_id, created_at, detected_at, data, change) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (emit.trigger, *row),
    )
    db.execute(
        "INSERT INTO marks (trigger, high_water, next_seq) VALUES (?, ?, ?) "
        "ON CONFLICT (trigger) DO UPDATE SET next_seq = excluded.next_seq, "
        "high_water = max(high_water, excluded.high_water)",
        (emit.trigger, seen.modified_at or 0, seq + 1),
    )
    return _event(emit.trigger, row)


def _due(db: sqlite3.Connection, rules: FeedRules, now: int, limit: int) -> list[str]:
    if not rules.open_statuses:
        return []
    statuses = ", ".join("?" for _ in rules.open_statuses)  # placeholders, not values
    query = (
        "SELECT entity_id FROM entities WHERE feed = ? AND flagged = 0 AND deadline < ? "  # noqa: S608
        f"AND status IN ({statuses}) ORDER BY deadline LIMIT ?"
    )
    rows = db.execute(query, (rules.feed, now, *sorted(rules.open_statuses), limit))
    return [row[0] for row in rows]


def _settle(db: sqlite3.Connection, rules: FeedRules, entity_ids: list[str]) -> None:
    db.executemany(
        "UPDATE entities SET flagged = 1 WHERE feed = ? AND entity_id = ?",
        [(rules.feed, entity_id) for entity_id in entity_ids],
    )


def _events(db: sqlite3.Connection, trigger: str, after: int, limit: int) -> list[Event]:
    rows = db.execute(
        "SELECT seq, entity_id, created_at, detected_at, data, change FROM events "
        "WHERE trigger = ? AND seq > ? ORDER BY seq LIMIT ?",
        (trigger, after, limit),
    ).fetchall()
    return [_event(trigger, row) for row in rows]


def _latest(db: sqlite3.Connection, trigger: str, limit: int) -> list[Event]:
    rows = db.execute(
        "SELECT seq, entity_id, created_at, detected_at, data, change FROM events "
        "WHERE trigger = ? ORDER BY seq DESC LIMIT ?",
        (trigger, limit),
    ).fetchall()
    return [_event(trigger, row) for row in reversed(rows)]


def _event(trigger: str, row: tuple[Any, ...]) -> Event:
    seq, entity_id, created_at, detected_at, data, change = row
    details = json.loads(change) if change else {}
    return Event(
        seq=seq,
        id=details.get("id") or f"{trigger}:{entity_id}",
        trigger=trigger,
        entity_id=entity_id,
        created_at=datetime.fromtimestamp(created_at, UTC) if created_at else None,
        detected_at=datetime.fromisoformat(detected_at),
        from_status=details.get("from"),
        to_status=details.get("to"),
        changed_at=datetime.fromtimestamp(details["at"], UTC) if details.get("at") else None,
        data=json.loads(data),
    )
