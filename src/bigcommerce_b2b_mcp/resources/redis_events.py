"""Durable trigger events and what each feed remembers, in Redis, shared by every replica.

The same records as the SQLite store (`events.py`), under one store's key prefix:

    feed:<feed>      hash: high_water, baseline_at, version
    entities:<feed>  hash: entity id -> [status, deadline, flagged]
    due:<feed>       sorted set: open, unflagged records by deadline
    seq              hash: trigger -> its newest sequence number
    events:<trigger> sorted set: event JSON scored by its sequence number

A poll's findings are decided and written in one optimistic transaction (WATCH on the
feed and the polling lease, MULTI/EXEC, repeated if either moved), the same decision
`changes.decide` makes for SQLite: two writers never store an event twice, `seq` never
repeats, and marks move only together with the events they account for. A replica that
lost the lease cannot write at all (fencing).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import redis.asyncio as aioredis
from redis.exceptions import RedisError, WatchError

from ..errors import StateStoreError
from .changes import Context, Emit, FeedRules, Known, Observation, decide
from .events import MAX_SEQ, Event, FeedMark, ordered
from .replicas import Keys, PollingLease, unreachable

logger = logging.getLogger(__name__)

T = TypeVar("T")


class RedisEventStore:
    """The trigger state of one store in Redis (see the module docstring for the keys)."""

    def __init__(
        self,
        redis: aioredis.Redis,
        keys: Keys,
        *,
        location: str,
        retention: int = 1000,
        lease: PollingLease | None = None,
    ) -> None:
        """`lease`, when given, fences the writes: they happen only while it is held."""
        self.location = f"Redis at {location}"
        self._where = location
        self.retention = retention
        self._redis = redis
        self._keys = keys
        self._lease = lease
        self._problem: str | None = None

    def close(self) -> None:
        """The connection belongs to the runtime, which closes it."""

    async def feed_mark(self, feed: str) -> FeedMark | None:
        fields = await self._run(self._redis.hgetall, self._keys("feed", feed))
        return _feed_mark(fields)

    async def pending(
        self,
        rules: FeedRules,
        observations: Sequence[Observation],
        *,
        now: int,
        baseline_start: int | None = None,
    ) -> set[str]:
        """Ids of the observed records that would make an event now (worth fetching whole)."""

        async def work() -> set[str]:
            feed = await self._redis.hgetall(self._keys("feed", rules.feed))
            context = _context(feed, rules, now, baseline_start)
            memory = await self._known(self._redis, rules, observations)
            found: set[str] = set()
            for seen in ordered(list(observations)):
                emits, memory[seen.entity_id] = decide(rules, memory[seen.entity_id], seen, context)
                if emits:
                    found.add(seen.entity_id)
            return found

        return await self._run(work)

    async def observe(
        self,
        rules: FeedRules,
        observations: Iterable[Observation],
        *,
        now: int,
        high_water: int,
        baseline_start: int | None = None,
    ) -> list[Event]:
        """Compare what a poll saw with what the feed remembers; store and return the events."""
        seen_now = ordered(list(observations))
        triggers = [name for name in (rules.new_trigger, rules.status_trigger) if name]

        async def write(pipe: Any) -> list[Event]:
            feed = await pipe.hgetall(self._keys("feed", rules.feed))
            context = _context(feed, rules, now, baseline_start)
            memory = await self._known(pipe, rules, seen_now)
            numbers = await _ints(pipe.hmget(self._keys("seq"), triggers))
            seqs = dict(zip(triggers, numbers, strict=True))
            detected = datetime.now(UTC)
            events: list[Event] = []
            for seen in seen_now:
                emits, remembered = decide(rules, memory[seen.entity_id], seen, context)
                memory[seen.entity_id] = remembered
                for emit in emits:
                    seqs[emit.trigger] += 1
                    events.append(_event(emit, seen, seqs[emit.trigger], detected))
            mark = max([high_water, *(seen.modified_at or 0 for seen in seen_now)])
            if context.baseline_start is None:
                mark = max(mark, int(feed.get("high_water", 0)))
            pipe.multi()
            self._remember(pipe, rules, memory)
            for event in events:
                pipe.zadd(self._keys("events", event.trigger), {event.model_dump_json(): event.seq})
            if events:
                pipe.hset(self._keys("seq"), mapping=seqs)
            for trigger in {event.trigger for event in events}:
                pipe.zremrangebyscore(
                    self._keys("events", trigger), "-inf", seqs[trigger] - self.retention
                )
            feed_key = self._keys("feed", rules.feed)
            pipe.hset(feed_key, "high_water", mark)
            if context.baseline_start is not None:
                pipe.hset(feed_key, "baseline_at", context.baseline_start)
            pipe.hincrby(feed_key, "version", 1)  # every writer moves the watched key
            return events

        return await self._run(self._transaction, rules.feed, write)

    async def due(self, rules: FeedRules, *, now: int, limit: int = 50) -> list[str]:
        """Records in an open status whose deadline has passed unreported."""
        key = self._keys("due", rules.feed)
        found = await self._run(self._redis.zrangebyscore, key, "-inf", f"({now}", 0, limit)
        return [str(entity_id) for entity_id in found]

    async def settle(self, rules: FeedRules, entity_ids: Iterable[str]) -> None:
        """Stop watching these records' deadlines (they are gone, or cannot be read)."""
        ids = list(entity_ids)
        if not ids:
            return

        async def write(pipe: Any) -> None:
            known = await pipe.hmget(self._keys("entities", rules.feed), ids)
            pipe.multi()
            for entity_id, value in zip(ids, known, strict=True):
                if value is not None:
                    status, deadline, _ = json.loads(value)
                    pipe.hset(
                        self._keys("entities", rules.feed),
                        entity_id,
                        json.dumps([status, deadline, True]),
                    )
            pipe.zrem(self._keys("due", rules.feed), *ids)
            pipe.hincrby(self._keys("feed", rules.feed), "version", 1)

        await self._run(self._transaction, rules.feed, write)

    async def events(self, trigger: str, *, after: int = 0, limit: int = 50) -> list[Event]:
        """Events with a sequence number above `after`, oldest first."""
        key = self._keys("events", trigger)
        found = await self._run(
            self._redis.zrangebyscore, key, f"({min(after, MAX_SEQ)}", "+inf", 0, limit
        )
        return [Event.model_validate_json(str(item)) for item in found]

    async def latest(self, trigger: str, *, limit: int = 50) -> list[Event]:
        """The most recent events, oldest first."""
        found = await self._run(self._redis.zrange, self._keys("events", trigger), -limit, -1)
        return [Event.model_validate_json(str(item)) for item in found]

    async def latest_seq(self, trigger: str) -> int:
        value = await self._run(self._redis.hget, self._keys("seq"), trigger)
        return int(value or 0)

    async def _known(
        self, reader: Any, rules: FeedRules, observations: Sequence[Observation]
    ) -> dict[str, Known | None]:
        ids = list(dict.fromkeys(seen.entity_id for seen in observations))
        if not ids:
            return {}
        values = await reader.hmget(self._keys("entities", rules.feed), ids)
        return {entity_id: _read_known(value) for entity_id, value in zip(ids, values, strict=True)}

    def _remember(self, pipe: Any, rules: FeedRules, memory: dict[str, Known | None]) -> None:
        """Queue what the feed remembers, and the deadlines still to watch."""
        remembered = {eid: known for eid, known in memory.items() if known is not None}
        if not remembered:
            return
        pipe.hset(
            self._keys("entities", rules.feed),
            mapping={
                eid: json.dumps([known.status, known.deadline, known.flagged])
                for eid, known in remembered.items()
            },
        )
        watched = {
            eid: known.deadline
            for eid, known in remembered.items()
            if known.deadline is not None
            and not known.flagged
            and known.status in rules.open_statuses
        }
        if watched:
            pipe.zadd(self._keys("due", rules.feed), watched)
        if unwatched := [eid for eid in remembered if eid not in watched]:
            pipe.zrem(self._keys("due", rules.feed), *unwatched)

    async def _transaction(self, feed: str, write: Callable[[Any], Awaitable[T]]) -> T:
        """`write(pipe)` reads after WATCH, then queues its writes after `pipe.multi()`;
        repeated until no other writer moved the feed or the lease in between."""
        watched = [self._keys("feed", feed)]
        if self._lease is not None:
            watched.append(self._lease.key)
        async with self._redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    await pipe.watch(*watched)
                    if self._lease is not None and (
                        self._lease.token is None
                        or await pipe.get(self._lease.key) != self._lease.token
                    ):
                        raise StateStoreError(
                            "This replica no longer holds the polling lease; another replica "
                            "polls the store.",
                            transient=True,
                        )
                    result = await write(pipe)
                    await pipe.execute()
                    return result
                except WatchError:
                    continue

    async def _run(self, work: Callable[..., Awaitable[T]], *args: Any) -> T:
        """Redis failures as `StateStoreError`s that say what happened and what follows."""
        try:
            result = await work(*args)
        except StateStoreError as exc:
            self._report(exc)
            raise
        except (RedisError, OSError) as exc:
            error = StateStoreError(unreachable(self._where, exc), transient=True)
            self._report(error)
            raise error from None
        if self._problem is not None:
            logger.warning("Trigger state reachable again: %s", self.location)
            self._problem = None
        return result

    def _report(self, error: StateStoreError) -> None:
        if str(error) != self._problem:
            self._problem = str(error)
            logger.warning("%s", error)


async def _ints(values: Awaitable[list[Any]]) -> list[int]:
    return [int(value or 0) for value in await values]


def _feed_mark(fields: Mapping[Any, Any]) -> FeedMark | None:
    if "baseline_at" not in fields:
        return None
    return FeedMark(int(fields.get("high_water", 0)), int(fields["baseline_at"]))


def _context(
    feed: Mapping[Any, Any], rules: FeedRules, now: int, baseline_start: int | None
) -> Context:
    """Another replica may have made the feed's first poll meanwhile: then this is not one."""
    mark = _feed_mark(feed)
    if mark is not None:
        return Context(now=now, baseline_at=mark.baseline_at)
    if baseline_start is None:
        raise StateStoreError(f"The feed {rules.feed} has not made its first poll.")
    return Context(now=now, baseline_start=baseline_start)


def _read_known(value: str | None) -> Known | None:
    if value is None:
        return None
    status, deadline, flagged = json.loads(value)
    return Known(status, deadline, bool(flagged))


def _event(emit: Emit, seen: Observation, seq: int, detected: datetime) -> Event:
    change = emit.kind == "change"
    return Event(
        seq=seq,
        id=emit.event_id(seen.entity_id),
        trigger=emit.trigger,
        entity_id=seen.entity_id,
        created_at=datetime.fromtimestamp(seen.created_at, UTC) if seen.created_at else None,
        detected_at=detected,
        from_status=emit.from_status if change else None,
        to_status=emit.to_status if change else None,
        changed_at=datetime.fromtimestamp(emit.at, UTC) if change and emit.at else None,
        data=seen.record(),
    )
