"""The server's share of the store's request budget: every request, tool or poller, goes
through it.

B2B Edition allows a store N requests per window (150 a minute unless the store says
otherwise), shared by every integration the merchant runs: ERP sync, PIM, the storefront.
The budget learns N and the window from the rate-limit headers and keeps this server to
its share: at most `share` × N requests in any window-long span, so however the API's
window is aligned, this server never takes more than its share of one.

With several replicas (`--redis-url`) the window is kept in Redis (a `Ledger`), so their
requests together keep to the share; while Redis is away each replica keeps its own.

Tools come first. Background work (the trigger pollers) stops short of the share, leaving
a reserve for tool calls, and waits while any tool call waits. A tool call waits its turn
when the share is spent, but fails at once, saying for how long, when that turn is further
away than `max_wait`.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextvars import ContextVar
from typing import Protocol

import anyio
import httpx2
from pydantic import BaseModel, Field

from ..errors import RateLimitedError
from .envelope import header_number

logger = logging.getLogger(__name__)

# What the API documents until its headers say otherwise.
DEFAULT_LIMIT = 150
DEFAULT_WINDOW = 60.0
# Part of the share kept for tool calls: background work stops short of it.
TOOL_RESERVE = 0.2

# The shared window (Redis): how long to wait for it, and to do without it once it failed.
_LEDGER_TIMEOUT = 1.0
_LEDGER_RETRY = 5.0

_ALLOCATED = re.compile(r"^\s*(\d+)\s*times\s*/\s*([\d.]+)\s*s", re.IGNORECASE)

# Set around background work: called with True when a request starts waiting, False after.
_background: ContextVar[Callable[[bool], None] | None] = ContextVar("background", default=None)


@contextlib.contextmanager
def background_work(on_wait: Callable[[bool], None]) -> Iterator[None]:
    """Mark the requests made inside as background work (they yield to tool calls);
    `on_wait` hears when one starts and stops waiting for budget."""
    token = _background.set(on_wait)
    try:
        yield
    finally:
        _background.reset(token)


class Ledger(Protocol):
    """A sliding window shared with other processes (see `resources.replicas.RedisLedger`)."""

    used: int

    async def take(self, cap: int, window: float) -> float:
        """Record a request and return 0 if fewer than `cap` went in the last `window`
        seconds; otherwise return the seconds until one may go."""
        ...


class BudgetStatus(BaseModel):
    """How much of the store's request budget this server uses."""

    limit: int = Field(description="Requests the store allows per window (all integrations).")
    window_seconds: float
    learned: bool = Field(description="False until an answer's headers have told the limit.")
    share: float = Field(description="Part of the limit this server keeps to (--api-share).")
    allowance: int = Field(description="Requests this server may send per window.")
    used: int = Field(
        description="Requests this server (all its replicas, with Redis) sent in the last window."
    )
    store_remaining: int | None = Field(
        default=None, description="Requests the store had left in its window, at the last answer."
    )
    tool_calls_waiting: int
    background_waiting: int


class Budget:
    """A sliding window over this server's own requests, bounded by its share of the limit."""

    def __init__(
        self,
        share: float = 0.5,
        *,
        max_wait: float = 20.0,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
        clock: Callable[[], float] = time.monotonic,
        ledger: Ledger | None = None,
    ) -> None:
        if not 0 < share <= 1:
            raise ValueError("the API share must be above 0 and at most 1")
        self.share = share
        self.max_wait = max_wait
        self.limit = DEFAULT_LIMIT
        self.window = DEFAULT_WINDOW
        self.learned = False
        self._sleep = sleep
        self._clock = clock
        self._ledger = ledger
        self._ledger_down = False
        self._ledger_retry_at = 0.0
        # Time spent waiting here that the clock did not see (a test's instant sleep).
        self._skew = 0.0
        self._sent: deque[float] = deque()
        self._store_remaining: int | None = None
        self._store_resets_at = 0.0
        self._tools_waiting = 0
        self._background_waiting = 0
        self._revealed = anyio.Event()
        self._probing = False

    @property
    def allowance(self) -> int:
        return max(1, int(self.limit * self.share))

    def _now(self) -> float:
        return self._clock() + self._skew

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Room for one request, held while it is sent and answered.

        Until an answer has revealed the store's limit, one request goes at a time: a burst
        at start-up must not spend a budget whose size is not known yet.

        Raises:
            RateLimitedError: a tool call would wait longer than `max_wait`.
        """
        probe = not self._revealed.is_set() and not self._probing
        if probe:
            self._probing = True
        elif not self._revealed.is_set():
            await self._revealed.wait()
        try:
            await self._acquire()
            yield
        finally:
            if probe:
                self._probing = False
                self._revealed.set()

    async def _acquire(self) -> None:
        on_wait = _background.get()
        background = on_wait is not None
        waiting = False
        try:
            while True:
                now = self._now()
                wait = self._wait(now, background=background)
                if wait <= 0 and self._ledger is not None and not self._ledger_down:
                    wait = await self._shared_wait(self._cap(background))
                if wait <= 0:
                    self._sent.append(now)
                    if self._store_remaining is not None and now < self._store_resets_at:
                        self._store_remaining -= 1  # this request spends one of the store's
                    return
                if not background and wait > self.max_wait:
                    raise RateLimitedError(
                        f"The store's API budget is used up for {wait:.0f} s (this server keeps "
                        f"to {self.share:.0%} of the store's {self.limit} requests per "
                        f"{self.window:g} s, leaving the rest to the merchant's other systems).",
                        retry_after=wait,
                    )
                if not waiting:
                    waiting = True
                    if not background and wait >= 1:
                        logger.info("A tool call waits %.0f s for the store's API budget", wait)
                    self._count_waiter(background, +1)
                    if on_wait is not None:
                        on_wait(True)
                started = self._clock()
                await self._sleep(wait)
                self._skew += max(0.0, wait - (self._clock() - started))
        finally:
            if waiting:
                self._count_waiter(background, -1)
                if on_wait is not None:
                    on_wait(False)

    def _cap(self, background: bool) -> int:
        """Requests per window this kind of work may use: background work leaves a reserve."""
        cap = self.allowance
        if background and cap > 1:
            cap -= max(1, round(cap * TOOL_RESERVE))
        return max(cap, 1)

    async def _shared_wait(self, cap: int) -> float:
        """The shared window's wait; a tool call never waits long on Redis being away."""
        assert self._ledger is not None
        try:
            with anyio.fail_after(_LEDGER_TIMEOUT):
                wait = await self._ledger.take(cap, self.window)
        except Exception as exc:  # Redis away: this replica keeps its own window meanwhile
            if not self._ledger_down:
                logger.warning(
                    "Request budget: shared window unreachable (%s); keeping a local one",
                    type(exc).__name__,
                )
            self._ledger_down = True
            self._ledger_retry_at = self._clock() + _LEDGER_RETRY
            return 0.0
        return wait

    def _wait(self, now: float, *, background: bool) -> float:
        """Seconds until a request of this kind may go; 0 or less: now."""
        while self._sent and self._sent[0] <= now - self.window:
            self._sent.popleft()
        if self._ledger_down and self._clock() >= self._ledger_retry_at:
            self._ledger_down = False  # try the shared window again
        cap = self._cap(background)
        if background and self._tools_waiting:
            return 0.05  # a tool call is waiting: let it go first
        waits = [0.0]
        shared = self._ledger is not None and not self._ledger_down
        if not shared and len(self._sent) >= cap:
            waits.append(self._sent[len(self._sent) - cap] + self.window - now)
        if self._store_remaining is not None and now < self._store_resets_at:
            floor = max(1, round(self.allowance * TOOL_RESERVE)) if background else 0
            if self._store_remaining <= floor:
                waits.append(self._store_resets_at - now)
        return max(waits)

    def _count_waiter(self, background: bool, step: int) -> None:
        if background:
            self._background_waiting += step
        else:
            self._tools_waiting += step

    def observe(self, headers: httpx2.Headers) -> None:
        """Learn the limit, the window and what the store has left from an answer."""
        allocated = _ALLOCATED.match(headers.get("X-Requests-Allocated", ""))
        if allocated:
            self.limit = max(1, int(allocated.group(1)))
            self.window = max(float(allocated.group(2)), 0.001)
            self.learned = True
        remaining = header_number(headers.get("X-Requests-Remaining"))
        resets_after = header_number(headers.get("X-Request-Window-Resets-After"))
        if remaining is not None and resets_after is not None:
            self._store_remaining = int(remaining)
            self._store_resets_at = self._now() + max(resets_after, 0.0)

    def status(self) -> BudgetStatus:
        now = self._now()
        used = sum(1 for sent in self._sent if sent > now - self.window)
        if self._ledger is not None and not self._ledger_down:
            used = self._ledger.used
        remaining = self._store_remaining if now < self._store_resets_at else None
        return BudgetStatus(
            limit=self.limit,
            window_seconds=self.window,
            learned=self.learned,
            share=self.share,
            allowance=self.allowance,
            used=used,
            store_remaining=remaining,
            tool_calls_waiting=self._tools_waiting,
            background_waiting=self._background_waiting,
        )
