"""The store-wide request budget: N requests per window, as B2B Edition enforces it."""

from __future__ import annotations

from collections.abc import Callable


class RateLimiter:
    """A fixed window that opens at the first request and resets `window` seconds later."""

    def __init__(self, *, limit: int, window: float, clock: Callable[[], float]) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._opened_at: float | None = None
        self._used = 0

    def take(self) -> tuple[bool, dict[str, str]]:
        """Spend one request if the budget allows; the headers describe what is left."""
        now = self._clock()
        if self._opened_at is None or now - self._opened_at >= self.window:
            self._opened_at = now
            self._used = 0
        allowed = self._used < self.limit
        if allowed:
            self._used += 1
        resets_after = max(self.window - (now - self._opened_at), 0.0)
        headers = {
            "X-Requests-Allocated": f"{self.limit} times/{self.window:g} s",
            "X-Requests-Remaining": f"{self.limit - self._used} times",
            "X-Requests-Window-Length": f"{self._used} times",
            "X-Request-Window-Resets-After": f"{resets_after} s",
        }
        return allowed, headers
