"""The triggers at run time: event store, pollers, notifications, and waiting for news."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

import anyio
from anyio.abc import TaskGroup
from pydantic import BaseModel, Field

from ..api.budget import BudgetStatus
from ..errors import StateStoreError
from .events import Event, EventStore
from .feeds import FEEDS
from .pollers import Poller, PollerState, PollerStatus
from .subscriptions import Notifier
from .triggers import Trigger

if TYPE_CHECKING:
    from ..api.client import B2BClient

RECENT = 50


class TriggerView(BaseModel):
    """A trigger resource as clients read it."""

    trigger: str
    uri: str
    title: str
    description: str
    poller: PollerStatus
    budget: BudgetStatus = Field(
        description="The store's request budget and this server's share of it (tools first)."
    )
    latest_seq: int = Field(description="Sequence number of the newest event (0: none yet).")
    events: list[Event] = Field(
        description=f"The most recent events (up to {RECENT}), oldest first."
    )


class EventPage(BaseModel):
    """Events after a sequence number: resume by passing `next_after` as `after`."""

    trigger: str
    poller: PollerStatus = Field(description="Whether the trigger is polling, and its last error.")
    events: list[Event]
    latest_seq: int = Field(description="Sequence number of the newest stored event.")
    next_after: int = Field(description="Pass this as `after` to get only later events.")


class TriggerHub:
    """Owns one poller per feed the triggers need, and tells subscribers and waiting tool
    calls about new events. With no triggers, nothing polls."""

    def __init__(
        self,
        api: B2BClient,
        store: EventStore,
        notifier: Notifier,
        triggers: Sequence[Trigger],
        *,
        interval: float,
        backfill: timedelta = timedelta(0),
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
    ) -> None:
        self.store = store
        self.triggers: dict[str, Trigger] = {trigger.name: trigger for trigger in triggers}
        self._api = api
        self._notifier = notifier
        self._changed: dict[str, anyio.Event] = {name: anyio.Event() for name in self.triggers}
        self.pollers = {
            feed: Poller(
                FEEDS[feed],
                triggers,
                api,
                store,
                interval=interval,
                backfill=backfill,
                on_change=self._announce,
                sleep=sleep,
            )
            for feed in dict.fromkeys(trigger.feed for trigger in triggers)
        }

    def start(self, task_group: TaskGroup) -> None:
        for feed, poller in self.pollers.items():
            task_group.start_soon(poller.run, name=f"poller {feed}")

    def poller_of(self, name: str) -> Poller:
        return self.pollers[self.triggers[name].feed]

    async def _announce(self, trigger: Trigger) -> None:
        changed, self._changed[trigger.name] = self._changed[trigger.name], anyio.Event()
        changed.set()
        await self._notifier.resource_updated(trigger.uri)

    async def view(self, name: str) -> TriggerView:
        """The trigger as its resource shows it; a broken state store shows in the status."""
        trigger = self.triggers[name]
        status = self.poller_of(name).status
        try:
            latest_seq = await self.store.latest_seq(name)
            events = await self.store.latest(name, limit=RECENT)
        except StateStoreError as exc:
            latest_seq, events = 0, []
            state = PollerState.BACKING_OFF if exc.transient else PollerState.STOPPED
            status = status.model_copy(update={"state": state, "last_error": str(exc)})
        return TriggerView(
            trigger=name,
            uri=trigger.uri,
            title=trigger.title,
            description=trigger.description,
            poller=status,
            budget=self._api.budget.status(),
            latest_seq=latest_seq,
            events=events,
        )

    async def page(self, name: str, *, after: int, limit: int) -> EventPage:
        """Events after `after`; raises `StateStoreError` when the state store is unusable."""
        events = await self.store.events(name, after=after, limit=limit)
        return EventPage(
            trigger=name,
            poller=self.poller_of(name).status,
            events=events,
            latest_seq=await self.store.latest_seq(name),
            next_after=events[-1].seq if events else after,
        )

    async def wait(
        self,
        name: str,
        *,
        after: int,
        limit: int,
        wait_seconds: float,
        progress: Callable[[float, float], Awaitable[None]],
    ) -> EventPage:
        """Events after `after`, waiting up to `wait_seconds` for the first to arrive."""
        started = anyio.current_time()
        while True:
            changed = self._changed[name]
            page = await self.page(name, after=after, limit=limit)
            waited = anyio.current_time() - started
            if page.events or waited >= wait_seconds:
                return page
            with anyio.move_on_after(min(5.0, wait_seconds - waited)):
                await changed.wait()
            await progress(min(anyio.current_time() - started, wait_seconds), wait_seconds)
