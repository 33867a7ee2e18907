"""The triggers at run time: event store, pollers, notifications, and waiting for news.

One process polls on its own. With several replicas (a `Cluster` on Redis) only the
holder of the polling lease runs the pollers; every replica hears of new events on the
news channel and notifies its own sessions, once per new sequence number.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

import anyio
from anyio.abc import TaskGroup
from pydantic import BaseModel, Field

from ..api.budget import BudgetStatus
from ..errors import StateStoreError
from .events import Event, StateStore
from .feeds import FEEDS
from .pollers import Poller, PollerState, PollerStatus
from .subscriptions import Notifier
from .triggers import Trigger

if TYPE_CHECKING:
    from ..api.client import B2BClient
    from .replicas import Cluster

logger = logging.getLogger(__name__)

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
        store: StateStore,
        notifier: Notifier,
        triggers: Sequence[Trigger],
        *,
        interval: float,
        backfill: timedelta = timedelta(0),
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
        cluster: Cluster | None = None,
    ) -> None:
        self.store = store
        self.cluster = cluster
        self.leading = cluster is None
        # Per trigger, the newest sequence number this replica has announced (with a cluster).
        self._heard: dict[str, int] = {}
        self.triggers: dict[str, Trigger] = {trigger.name: trigger for trigger in triggers}
        self._api = api
        self._notifier = notifier
        self._changed: dict[str, anyio.Event] = {name: anyio.Event() for name in self.triggers}
        first_polls = anyio.Lock()
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
                first_polls=first_polls,
            )
            for feed in dict.fromkeys(trigger.feed for trigger in triggers)
        }

    def start(self, task_group: TaskGroup) -> None:
        if not self.pollers:
            return
        if self.cluster is None:
            for feed, poller in self.pollers.items():
                task_group.start_soon(poller.run, name=f"poller {feed}")
            return
        task_group.start_soon(self._lead, self.cluster, name="polling lease")
        task_group.start_soon(
            self.cluster.news.listen, self._on_news, self._catch_up, name="news listener"
        )

    def poller_of(self, name: str) -> Poller:
        return self.pollers[self.triggers[name].feed]

    async def _announce(self, trigger: Trigger) -> None:
        """A poller stored events: tell this process's sessions, or every replica's."""
        if self.cluster is None:
            await self._tell(trigger)
        else:
            await self.cluster.news.publish(trigger.name)

    async def _tell(self, trigger: Trigger) -> None:
        changed, self._changed[trigger.name] = self._changed[trigger.name], anyio.Event()
        changed.set()
        await self._notifier.resource_updated(trigger.uri)

    async def _on_news(self, name: str) -> None:
        if name in self.triggers:
            await self._announce_newer(name)

    async def _catch_up(self) -> None:
        """After (re)subscribing: announce what was stored while this replica was not listening."""
        for name in self.triggers:
            await self._announce_newer(name)

    async def _announce_newer(self, name: str) -> None:
        """Announce a trigger once per sequence number this replica has not announced yet;
        what was stored before it first listened is old news."""
        try:
            latest = await self.store.latest_seq(name)
        except StateStoreError:
            return  # the next subscription catches up
        before = self._heard.get(name)
        self._heard[name] = max(latest, before or 0)
        if before is not None and latest > before:
            await self._tell(self.triggers[name])

    async def _lead(self, cluster: Cluster) -> None:
        """Poll while this replica holds the lease; otherwise stand by, trying every third
        of the lease's life, so a dead holder is replaced within that life plus a third."""
        lease = cluster.lease
        while True:
            try:
                if not await lease.try_acquire():
                    self._stand_by(await lease.holder_now())
                    await anyio.sleep(lease.ttl / 3)
                    continue
            except Exception as exc:  # Redis away: triggers stop, tools go on
                self._stand_by(None, problem=cluster.unreachable(exc))
                await anyio.sleep(lease.ttl / 3)
                continue
            logger.info("This replica (%s) now polls the store", cluster.replica)
            self.leading = True
            try:
                async with anyio.create_task_group() as tasks:
                    for feed, poller in self.pollers.items():
                        poller.status.state = PollerState.STARTING
                        poller.status.polled_by = cluster.replica
                        tasks.start_soon(poller.run, name=f"poller {feed}")
                    tasks.start_soon(self._share_statuses, cluster)
                    await lease.keep()
                    tasks.cancel_scope.cancel()
            finally:
                self.leading = False
                await lease.release()
            logger.warning("This replica (%s) stopped polling: lease lost", cluster.replica)

    def _stand_by(self, holder: str | None, *, problem: str | None = None) -> None:
        for poller in self.pollers.values():
            status = poller.status
            status.state = PollerState.STOPPED if problem else PollerState.STANDBY
            status.last_error = problem
            status.polled_by = holder
            status.next_poll_at = None

    async def _share_statuses(self, cluster: Cluster) -> None:
        while True:
            statuses = {feed: poll.status.model_dump_json() for feed, poll in self.pollers.items()}
            try:
                await cluster.share_statuses(statuses)
            except Exception as exc:  # best effort: the lease's renewal reports Redis trouble
                logger.debug("Poller statuses not shared: %s", type(exc).__name__)
            await anyio.sleep(cluster.lease.ttl / 3)

    async def status_of(self, name: str) -> PollerStatus:
        """The poller's status; on a standby replica, as the polling replica last shared it."""
        poller = self.poller_of(name)
        if self.cluster is None or self.leading or poller.status.state is PollerState.STOPPED:
            return poller.status
        try:
            shared = await self.cluster.shared_status(poller.feed.name)
        except Exception:
            return poller.status
        if shared is None:
            return poller.status
        return PollerStatus.model_validate_json(shared)

    async def view(self, name: str) -> TriggerView:
        """The trigger as its resource shows it; a broken state store shows in the status."""
        trigger = self.triggers[name]
        status = await self.status_of(name)
        try:
            latest_seq = await self.store.latest_seq(name)
            events = await self.store.latest(name, limit=RECENT)
        except StateStoreError as exc:
            latest_seq, events = 0, []
            if status.state is not PollerState.STOPPED:
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
            poller=await self.status_of(name),
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
