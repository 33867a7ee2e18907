"""The one HTTP client for the B2B Edition API: auth, envelopes, errors, retries, paging."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any, Self

import anyio
import httpx2

from ..errors import UnavailableError
from ..models.common import Page
from .addresses import AddressesAPI
from .companies import CompaniesAPI
from .envelope import Envelope, M, Params, header_number, parse_list, retry_after, unwrap
from .invoices import InvoicesAPI
from .orders import OrdersAPI
from .quotes import QuotesAPI
from .users import UsersAPI

DEFAULT_BASE_URL = "https://api-b2b.bigcommerce.com/api/v3/io"

logger = logging.getLogger(__name__)


# Methods whose repetition cannot apply a change twice. POST is not among them: a POST that
# may have reached the API is never repeated, only one that certainly did not (connect
# failures, 429).
_IDEMPOTENT = frozenset({"GET", "PUT", "DELETE"})
_NEVER_SENT = (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait before repeating a request that may succeed later."""

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_rate_limit_wait: float = 65.0

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter for the given 1-based attempt."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not security


class B2BClient:
    """Async client for the B2B Edition server-to-server API (`/api/v3/io`).

    One instance per process: it keeps a connection pool, honours the store's rate-limit
    headers across calls, and exposes one attribute per domain (`companies`, `users`,
    `addresses`, `quotes`, `orders`, `invoices`). Pass `transport` to talk to something
    other than the network (the simulator, or a mock in tests).
    """

    def __init__(
        self,
        *,
        store_hash: str,
        access_token: str,
        base_url: str = DEFAULT_BASE_URL,
        transport: httpx2.AsyncBaseTransport | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
    ) -> None:
        self.store_hash = store_hash
        self.base_url = base_url.rstrip("/")
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._window_resets_at = 0.0
        self.server_time: datetime | None = None
        self._http = httpx2.AsyncClient(
            base_url=self.base_url,
            headers={
                "X-Auth-Token": access_token,
                "X-Store-Hash": store_hash,
                "Accept": "application/json",
                "User-Agent": "bigcommerce-b2b-mcp",
            },
            timeout=httpx2.Timeout(timeout, connect=10.0),
            transport=transport,
        )
        self.companies = CompaniesAPI(self)
        self.users = UsersAPI(self)
        self.addresses = AddressesAPI(self)
        self.quotes = QuotesAPI(self)
        self.orders = OrdersAPI(self)
        self.invoices = InvoicesAPI(self)

    def __repr__(self) -> str:
        return f"B2BClient(store_hash={self.store_hash!r}, base_url={self.base_url!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json: Any = None,
        resource: str = "",
    ) -> Envelope:
        """Send one request and return its unwrapped envelope.

        Raises one of the `APIError` subclasses for anything but a 2xx answer. GET, PUT
        and DELETE are repeated on 429, 5xx and network errors with backoff; POST only
        when the request certainly did not reach the API.
        """
        idempotent = method in _IDEMPOTENT
        query = _query(params)
        attempt = 0
        while True:
            attempt += 1
            await self._wait_for_rate_window()
            started = time.monotonic()
            try:
                response = await self._http.request(method, path, params=query, json=json)
            except httpx2.TransportError as exc:
                sent = not isinstance(exc, _NEVER_SENT)
                retryable = idempotent or not sent
                logger.warning("%s %s failed: %s", method, path, type(exc).__name__)
                if retryable and attempt < self._retry.max_attempts:
                    await self._sleep(self._retry.backoff(attempt))
                    continue
                raise _network_error(exc, maybe_applied=sent and not idempotent) from None
            logger.debug(
                "%s %s -> %s in %.0f ms",
                method,
                path,
                response.status_code,
                (time.monotonic() - started) * 1000,
            )
            self._note_rate_window(response)
            self._note_server_time(response)
            status = response.status_code
            if status == 429:
                wait = retry_after(response.headers)
                delay = wait if wait is not None else self._retry.backoff(attempt)
                if attempt < self._retry.max_attempts and delay <= self._retry.max_rate_limit_wait:
                    await self._sleep(delay)
                    continue
            elif status >= 500 and idempotent and attempt < self._retry.max_attempts:
                await self._sleep(self._retry.backoff(attempt))
                continue
            return unwrap(response, resource, maybe_applied=not idempotent)

    async def pages(
        self,
        path: str,
        params: Params,
        *,
        resource: str,
        page_size: int,
        max_limit: int = 250,
    ) -> AsyncIterator[list[Any]]:
        """Every page of a list endpoint, in order, until `totalCount` or a short page."""
        limit = max(1, min(page_size, max_limit))
        offset = 0
        while True:
            envelope = await self.request(
                "GET", path, params={**params, "limit": limit, "offset": offset}, resource=resource
            )
            items = envelope.data if isinstance(envelope.data, list) else []
            yield items
            offset += limit
            total = envelope.pagination.total if envelope.pagination else None
            if len(items) < limit or (total is not None and offset >= total):
                return

    async def page(
        self,
        path: str,
        params: Params,
        model: type[M],
        *,
        resource: str,
        limit: int,
        offset: int,
    ) -> Page[M]:
        """One page of a list endpoint as typed records."""
        envelope = await self.request(
            "GET", path, params={**params, "limit": limit, "offset": offset}, resource=resource
        )
        items = parse_list(model, envelope.data)
        total = envelope.pagination.total if envelope.pagination else offset + len(items)
        return Page[model](  # type: ignore[valid-type]
            items=items,
            total=total,
            offset=offset,
            limit=limit,
            has_more=offset + len(items) < total,
        )

    async def each(
        self,
        path: str,
        params: Params,
        model: type[M],
        *,
        resource: str,
        page_size: int,
        max_limit: int = 250,
    ) -> AsyncIterator[M]:
        """Every record of a list endpoint, paging as needed."""
        async for items in self.pages(
            path, params, resource=resource, page_size=page_size, max_limit=max_limit
        ):
            for item in parse_list(model, items):
                yield item

    def _note_rate_window(self, response: httpx2.Response) -> None:
        remaining = header_number(response.headers.get("X-Requests-Remaining"))
        resets_after = header_number(response.headers.get("X-Request-Window-Resets-After"))
        if remaining is not None and remaining <= 0 and resets_after is not None:
            self._window_resets_at = time.monotonic() + resets_after

    def _note_server_time(self, response: httpx2.Response) -> None:
        """The API's clock, from the `Date` header: what trigger marks start from."""
        for value in response.headers.get_list("Date"):
            try:
                moment = parsedate_to_datetime(value)
            except (TypeError, ValueError):
                continue
            if moment.tzinfo is not None:
                self.server_time = moment
                return

    async def _wait_for_rate_window(self) -> None:
        wait = self._window_resets_at - time.monotonic()
        if wait > 0:
            await self._sleep(min(wait, self._retry.max_rate_limit_wait))
            self._window_resets_at = 0.0


def _query(params: Params | None) -> list[tuple[str, str | int | float | bool | None]]:
    query: list[tuple[str, str | int | float | bool | None]] = []
    for name, value in (params or {}).items():
        if value is None:
            continue
        if isinstance(value, bool):
            query.append((name, "true" if value else "false"))
        elif isinstance(value, list):
            query.extend((name, item) for item in value)
        else:
            query.append((name, value))
    return query


def _network_error(exc: httpx2.TransportError, *, maybe_applied: bool) -> UnavailableError:
    kind = "timed out" if isinstance(exc, httpx2.TimeoutException) else "could not be reached"
    message = f"The B2B Edition API {kind}."
    if maybe_applied:
        message += " The change may have been applied: check before trying again."
    return UnavailableError(message, maybe_applied=maybe_applied)
