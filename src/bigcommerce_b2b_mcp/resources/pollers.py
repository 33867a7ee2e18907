"""One poller per feed: polls on an interval within the request budget, backs off on
faults, stops on refusals, and tells its triggers when they have new events."""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

import anyio
from pydantic import BaseModel, Field

from ..api.budget import background_work
from ..errors import APIError, B2BError, NotAllowedError, RateLimitedError, StateStoreError
from ..models.common import unix
from .changes import OVERLAP_SECONDS, FeedRules, Observation, RecordNotKept
from .events import Event, StateStore
from .feeds import PAGE_SIZE, Feed, refreshed
from .triggers import Trigger

if TYPE_CHECKING:
    from ..api.client import B2BClient

logger = logging.getLogger(__name__)

_FAR_FUTURE = 4_102_444_800  # 2100-01-01: a query that returns nothing, to read the API clock
_EPOCH = 1  # a first poll reads everything there is


class PollerState(StrEnum):
    STARTING = "starting"
    RUNNING = "running"
    WAITING_FOR_BUDGET = "waiting_for_budget"
    BACKING_OFF = "backing_off"
    STOPPED = "stopped"
    STANDBY = "standby"  # another replica holds the polling lease and polls


class PollerStatus(BaseModel):
    """What a feed's poller is doing, for the trigger resources."""

    feed: str = Field(description="The kind of record polled; its triggers share one poll.")
    state: PollerState = PollerState.STARTING
    interval_seconds: float
    last_poll_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str | None = Field(default=None, description="The last failure, in words.")
    next_poll_at: datetime | None = None
    polled_by: str | None = Field(
        default=None,
        description="With several replicas: the one polling (host:pid:tag); null for one process.",
    )


class Poller:
    """Watches one feed for the triggers that use it.

    The feed's first poll reads every record and remembers it silently (records created
    from the start, minus any backfill, are reported as new). Each later poll asks for
    what was modified since the high-water mark minus an overlap, so a record the API
    shows a little late is still seen; what the feed remembers stops the overlap from
    repeating an event. Deadlines that pass without a record changing (an invoice
    falling overdue, a quote expiring) are checked by reading those records again.
    """

    def __init__(
        self,
        feed: Feed,
        triggers: Sequence[Trigger],
        api: B2BClient,
        store: StateStore,
        *,
        interval: float,
        backfill: timedelta = timedelta(0),
        on_change: Callable[[Trigger], Awaitable[None]],
        max_backoff: float = 900.0,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
        first_polls: anyio.Lock | None = None,
    ) -> None:
        self.feed = feed
        self.triggers = [trigger for trigger in triggers if trigger.feed == feed.name]
        self.rules: FeedRules = feed.rules({trigger.name for trigger in self.triggers})
        self.status = PollerStatus(feed=feed.name, interval_seconds=interval)
        self._api = api
        self._store = store
        self._interval = interval
        self._backfill = backfill
        self._on_change = on_change
        self._max_backoff = max_backoff
        self._sleep = sleep
        # Shared by a server's pollers: first polls, which read a whole store, take turns.
        self._first_polls = first_polls or anyio.Lock()
        self._announced: dict[str, int] | None = None
        self._state_before_wait = PollerState.STARTING

    def _now(self) -> int:
        """Now by the API's clock (its `Date` header), or ours until it has answered."""
        return unix(self._api.server_time or datetime.now(UTC))

    async def poll_once(self) -> list[Event]:
        """One poll: the events it stored (raises `APIError` on failure)."""
        try:
            return await self._poll(keep_all=False)
        except RecordNotKept:
            # What the feed remembers moved while this poll read (another process polled,
            # or a deadline passed): nothing was stored; read again, keeping every record.
            logger.info(
                "%s: the trigger state changed during the poll; reading again", self.feed.name
            )
            return await self._poll(keep_all=True)

    async def _poll(self, *, keep_all: bool) -> list[Event]:
        mark = await self._store.feed_mark(self.feed.name)
        if mark is None:
            return await self._first_poll(keep_all=keep_all)
        if self._api.server_time is None:  # another process made the first poll
            await self._read_api_clock()
        before = self._now()
        since = mark.high_water - OVERLAP_SECONDS
        seen = await self._read(since, keep_all=keep_all)
        now = self._now()  # the fetch's answers brought the API's clock up to date
        # An undated feed's records cannot move its mark: the API's clock does.
        high_water = mark.high_water if self.feed.dated else before
        events = await self._store.observe(self.rules, seen, now=now, high_water=high_water)
        due = await self._store.due(self.rules, now=now)
        if due:
            found, gone = await refreshed(self.feed, self._api, due)  # read whole
            events += await self._store.observe(
                self.rules, found, now=self._now(), high_water=high_water
            )
            await self._store.settle(self.rules, gone)
        return events

    async def _first_poll(self, *, keep_all: bool) -> list[Event]:
        """Remember what exists; report what was created from now on (or from now minus
        the backfill), now by the API's clock."""
        async with self._first_polls:
            await self._read_api_clock()
            now = self._now()
            start = now - int(self._backfill.total_seconds())
            seen = await self._read(_EPOCH, keep_all=keep_all, baseline_start=start)
            return await self._store.observe(
                self.rules, seen, now=now, high_water=start, baseline_start=start
            )

    async def _read_api_clock(self) -> None:
        """Ask for nothing, to learn the API's clock from the answer's `Date` header: marks
        must come from the clock the API filters by, never from ours."""
        async for _ in self.feed.fetch(self._api, _FAR_FUTURE):
            pass
        if self._api.server_time is None:
            logger.warning("%s: the API sent no Date header; using the local clock", self.feed.name)

    async def _read(
        self, since: int, *, keep_all: bool, baseline_start: int | None = None
    ) -> list[Observation]:
        """The records the feed shows from `since` on, a page at a time.

        Only records that may make an event are kept whole; of the rest the poll keeps the
        outline a feed remembers. A first poll of a store with 100,000 records then holds
        a few hundred bytes per record instead of the record.
        """
        seen: list[Observation] = []
        page: list[Observation] = []
        async for item in self.feed.fetch(self._api, since):
            page.append(item)
            if len(page) == PAGE_SIZE:
                seen += await self._kept(page, keep_all=keep_all, baseline_start=baseline_start)
                page = []
        return seen + await self._kept(page, keep_all=keep_all, baseline_start=baseline_start)

    async def _kept(
        self, page: list[Observation], *, keep_all: bool, baseline_start: int | None
    ) -> list[Observation]:
        """The page with records that would make an event now kept whole (enriched where
        the feed says so), and the others in outline unless `keep_all`."""
        if not page or (keep_all and self.feed.enrich is None):
            return page
        now = self._now()
        wanted = await self._store.pending(self.rules, page, now=now, baseline_start=baseline_start)
        kept = []
        for item in page:
            if item.entity_id in wanted:
                kept.append(await self.feed.enrich(self._api, item) if self.feed.enrich else item)
            elif keep_all or (item.modified_at or 0) >= now - OVERLAP_SECONDS:
                # Changed while the poll reads: this poll may see it twice, the second time
                # with a new status, an event the store finds only when it sees both.
                kept.append(item)
            else:
                kept.append(item.outline())
        return kept

    async def run(self) -> None:
        """Poll until cancelled, the API refuses the credentials, or the state store is unusable.

        Nothing that goes wrong in a round (fetching, storing, notifying) ends the server:
        it backs off, or stops this feed with the reason in its status. Its requests are
        background work: they wait their turn behind tool calls (see `api.budget`).
        """
        failures = 0
        while True:
            self.status.last_poll_at = datetime.now(UTC)
            try:
                with background_work(self._waiting_for_budget):
                    events = await self._round()
            except NotAllowedError as exc:
                self._stop(f"{exc} Polling stopped; fix the credentials and restart.")
                logger.error("%s: %s", self.feed.name, self.status.last_error)
                return
            except StateStoreError as exc:
                if not exc.transient:
                    self._stop(str(exc))  # the store has logged it, once for all feeds
                    return
                failures += 1
                delay = self._backoff(failures, exc)
            except Exception as exc:  # a poller must never take the server down with it
                failures += 1
                delay = self._backoff(failures, exc)
                if isinstance(exc, APIError):
                    logger.warning(
                        "%s: %s (retrying in %.0f s)", self.feed.name, _short(exc), delay
                    )
                else:
                    logger.error(
                        "%s: poll failed: %s (retrying in %.0f s)",
                        self.feed.name,
                        type(exc).__name__,
                        delay,
                    )
                    logger.debug("%s traceback", self.feed.name, exc_info=exc)
            else:
                if failures:
                    logger.info("%s: polling again after %d failed polls", self.feed.name, failures)
                failures = 0
                self.status.state = PollerState.RUNNING
                self.status.last_success_at = datetime.now(UTC)
                self.status.last_error = None
                delay = self._interval * random.uniform(0.9, 1.1)  # noqa: S311 - jitter
                if events:
                    logger.info("%s: %d new events", self.feed.name, len(events))
            self.status.next_poll_at = datetime.now(UTC) + timedelta(seconds=delay)
            await self._sleep(delay)

    def _waiting_for_budget(self, waiting: bool) -> None:
        if waiting:
            logger.info("%s: waiting for the API budget (tool calls go first)", self.feed.name)
            self._state_before_wait = self.status.state
            self.status.state = PollerState.WAITING_FOR_BUDGET
        elif self.status.state is PollerState.WAITING_FOR_BUDGET:
            self.status.state = self._state_before_wait

    async def _round(self) -> list[Event]:
        if self._announced is None:  # what was stored before we started is old news
            self._announced = {
                trigger.name: await self._store.latest_seq(trigger.name)
                for trigger in self.triggers
            }
        events = await self.poll_once()
        await self._announce_if_changed()
        return events

    def _stop(self, reason: str) -> None:
        self.status.state = PollerState.STOPPED
        self.status.last_error = reason
        self.status.next_poll_at = None

    def _backoff(self, failures: int, exc: Exception) -> float:
        delay = min(self._max_backoff, self._interval * 2.0**failures)
        if isinstance(exc, RateLimitedError) and exc.retry_after:
            delay = max(delay, exc.retry_after)
        self.status.state = PollerState.BACKING_OFF
        if isinstance(exc, B2BError):
            self.status.last_error = str(exc)
        else:
            self.status.last_error = f"Internal error ({type(exc).__name__}); see the logs."
        return delay

    async def _announce_if_changed(self) -> None:
        """Notify once per poll that found something, whichever process stored it."""
        assert self._announced is not None
        for trigger in self.triggers:
            latest = await self._store.latest_seq(trigger.name)
            if latest > self._announced[trigger.name]:
                await self._on_change(trigger)
                self._announced[trigger.name] = latest


def _short(exc: APIError) -> str:
    """An API error for the log: its class and status, never the API's own words."""
    status = f" ({exc.status})" if exc.status is not None else ""
    return f"{type(exc).__name__}{status}"
