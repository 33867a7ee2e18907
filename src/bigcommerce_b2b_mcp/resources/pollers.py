"""One poller per trigger: polls on an interval, backs off on faults, stops on refusals."""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

import anyio
from pydantic import BaseModel, Field

from ..errors import APIError, B2BError, NotAllowedError, RateLimitedError, StateStoreError
from ..models.common import unix
from .events import Event, EventStore
from .triggers import Trigger

if TYPE_CHECKING:
    from ..api.client import B2BClient

logger = logging.getLogger(__name__)

OVERLAP_SECONDS = 120
_FAR_FUTURE = 4_102_444_800  # 2100-01-01: a query that returns nothing, to read the API clock


class PollerState(StrEnum):
    STARTING = "starting"
    RUNNING = "running"
    BACKING_OFF = "backing_off"
    STOPPED = "stopped"


class PollerStatus(BaseModel):
    """What a poller is doing, for the trigger resource."""

    state: PollerState = PollerState.STARTING
    interval_seconds: float
    last_poll_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str | None = Field(default=None, description="The last failure, in words.")
    next_poll_at: datetime | None = None


class Poller:
    """Finds a trigger's new records and stores them as events.

    The high-water mark is the newest creation time the API reported; each poll asks for
    records created since the mark minus a small overlap, so a record the API shows a
    little late is still found, and the seen-set stops the overlap repeating one.
    """

    def __init__(
        self,
        trigger: Trigger,
        api: B2BClient,
        store: EventStore,
        *,
        interval: float,
        backfill: timedelta = timedelta(0),
        on_change: Callable[[Trigger], Awaitable[None]],
        max_backoff: float = 900.0,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
    ) -> None:
        self.trigger = trigger
        self.status = PollerStatus(interval_seconds=interval)
        self._api = api
        self._store = store
        self._interval = interval
        self._backfill = backfill
        self._on_change = on_change
        self._max_backoff = max_backoff
        self._sleep = sleep
        self._announced_seq: int | None = None

    async def poll_once(self) -> list[Event]:
        """One poll: new events stored by this call (raises `APIError` on failure)."""
        name = self.trigger.name
        mark = await self._store.mark(name)
        if mark is None:
            return await self._first_poll()
        seen = await self._store.seen_ids(name)
        since = mark.high_water - OVERLAP_SECONDS
        found = [item async for item in self.trigger.fetch(self._api, since, seen)]
        return await self._store.record(
            name, found, high_water=mark.high_water, overlap=OVERLAP_SECONDS
        )

    async def _first_poll(self) -> list[Event]:
        """Report from now on (or from now minus the backfill), now by the API's clock."""
        async for _ in self.trigger.fetch(self._api, _FAR_FUTURE, set()):
            pass
        now = self._api.server_time
        if now is None:
            logger.warning(
                "%s: the API sent no Date header; using the local clock", self.trigger.name
            )
            now = datetime.now(UTC)
        start = unix(now - self._backfill)
        found = [
            item async for item in self.trigger.fetch(self._api, start - OVERLAP_SECONDS, set())
        ]
        before = [item for item in found if item.created_at < start]
        after = [item for item in found if item.created_at >= start]
        name = self.trigger.name
        await self._store.record(
            name, before, high_water=start, overlap=OVERLAP_SECONDS, report=False
        )
        return await self._store.record(name, after, high_water=start, overlap=OVERLAP_SECONDS)

    async def run(self) -> None:
        """Poll until cancelled, the API refuses the credentials, or the state store is unusable.

        Nothing that goes wrong in a round (fetching, storing, notifying) ends the server:
        it backs off, or stops this trigger with the reason in its status.
        """
        failures = 0
        while True:
            self.status.last_poll_at = datetime.now(UTC)
            try:
                events = await self._round()
            except NotAllowedError as exc:
                self._stop(f"{exc} Polling stopped; fix the credentials and restart.")
                logger.error("%s: %s", self.trigger.name, self.status.last_error)
                return
            except StateStoreError as exc:
                if not exc.transient:
                    self._stop(str(exc))  # the store has logged it, once for all triggers
                    return
                failures += 1
                delay = self._backoff(failures, exc)
            except Exception as exc:  # a poller must never take the server down with it
                failures += 1
                delay = self._backoff(failures, exc)
                if isinstance(exc, APIError):
                    logger.warning(
                        "%s: %s (retrying in %.0f s)", self.trigger.name, _short(exc), delay
                    )
                else:
                    logger.error(
                        "%s: poll failed: %s (retrying in %.0f s)",
                        self.trigger.name,
                        type(exc).__name__,
                        delay,
                    )
                    logger.debug("%s traceback", self.trigger.name, exc_info=exc)
            else:
                failures = 0
                self.status.state = PollerState.RUNNING
                self.status.last_success_at = datetime.now(UTC)
                self.status.last_error = None
                delay = self._interval * random.uniform(0.9, 1.1)  # noqa: S311 - jitter
                if events:
                    logger.info("%s: %d new", self.trigger.name, len(events))
            self.status.next_poll_at = datetime.now(UTC) + timedelta(seconds=delay)
            await self._sleep(delay)

    async def _round(self) -> list[Event]:
        if self._announced_seq is None:  # what was stored before we started is old news
            self._announced_seq = await self._store.latest_seq(self.trigger.name)
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
        latest = await self._store.latest_seq(self.trigger.name)
        if latest > (self._announced_seq or 0):
            await self._on_change(self.trigger)
            self._announced_seq = latest


def _short(exc: APIError) -> str:
    """An API error for the log: its class and status, never the API's own words."""
    status = f" ({exc.status})" if exc.status is not None else ""
    return f"{type(exc).__name__}{status}"
