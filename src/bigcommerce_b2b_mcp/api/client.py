"""The one HTTP client for the B2B Edition API: auth, envelopes, errors, retries, paging."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import anyio
import httpx2

from ..errors import MAYBE_APPLIED, InvalidInputError, UnavailableError
from ..models.common import Page
from . import DEFAULT_BASE_URL
from .addresses import AddressesAPI
from .budget import Budget, Ledger
from .companies import CompaniesAPI, RolesAPI
from .envelope import Envelope, M, retry_after, unwrap
from .invoices import InvoicesAPI
from .orders import OrdersAPI
from .quotes import QuotesAPI
from .users import UsersAPI

if TYPE_CHECKING:
    from .extra_fields import ExtraFieldsAPI
    from .invoice_payments import InvoicePaymentsAPI
    from .payments import PaymentsAPI
    from .sales_staff import SalesStaffAPI

logger = logging.getLogger(__name__)


# Query parameters as the client takes them (`Query.to_api()` gives these).
Params = Mapping[str, Any]

# Failures that prove the request never left this machine.
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

    One instance per process: it keeps a connection pool, sends every request through the
    process's share of the store's request budget (`budget`, see `api/budget.py`), and
    exposes one attribute per domain (`companies`, `users`, `addresses`, `quotes`, ...).
    Pass `transport` to talk to something other than the network (the simulator, or a
    mock in tests).
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
        api_share: float = 0.5,
        ledger: Ledger | None = None,
    ) -> None:
        self.store_hash = store_hash
        self.base_url = base_url.rstrip("/")
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self.budget = Budget(api_share, sleep=sleep, ledger=ledger)
        self.server_time: datetime | None = None
        self._dates: list[str] = []  # the Date headers server_time was read from
        # The last answer was a 401: the store refuses these credentials (see /readyz).
        self.credentials_refused = False
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
        self.roles = RolesAPI(self)

    # The domains the trigger pollers never read load on first use (a lighter idle server).
    @cached_property
    def extra_fields(self) -> ExtraFieldsAPI:
        from .extra_fields import ExtraFieldsAPI

        return ExtraFieldsAPI(self)

    @cached_property
    def payments(self) -> PaymentsAPI:
        from .payments import PaymentsAPI

        return PaymentsAPI(self)

    @cached_property
    def sales_staff(self) -> SalesStaffAPI:
        from .sales_staff import SalesStaffAPI

        return SalesStaffAPI(self)

    @cached_property
    def invoice_payments(self) -> InvoicePaymentsAPI:
        from .invoice_payments import InvoicePaymentsAPI

        return InvoicePaymentsAPI(self)

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
        changes: bool | None = None,
    ) -> Envelope:
        """Send one request and return its unwrapped envelope.

        Raises one of the `APIError` subclasses for anything but a readable 2xx answer.
        Reads are repeated on 429, 5xx and network errors with backoff. A write (any
        method but GET) is repeated only when it certainly did not reach the API (it
        could not connect, or was refused with 429); once it may have reached the API,
        every failure says the change may have been applied. `changes=False` marks a POST
        that changes nothing in the store (a PDF export), which is then treated as a read.
        """
        write = method != "GET" if changes is None else changes
        request = self._build(method, path, params, json)
        writes = _writes.get()
        attempt = 0
        while True:
            attempt += 1
            started = time.monotonic()
            try:
                response = await self._send(request)
            except httpx2.TransportError as exc:
                never_sent = isinstance(exc, _NEVER_SENT)
                logger.warning("%s %s failed: %s", method, path, type(exc).__name__)
                if write and not never_sent and writes is not None:
                    writes.maybe_applied.append(f"{method} {path}")
                if (never_sent or not write) and attempt < self._retry.max_attempts:
                    await self._sleep(self._retry.backoff(attempt))
                    continue
                raise _network_error(exc, write=write, never_sent=never_sent) from None
            logger.debug(
                "%s %s -> %s in %.0f ms",
                method,
                path,
                response.status_code,
                (time.monotonic() - started) * 1000,
            )
            self._note_server_time(response)
            status = response.status_code
            if status == 401 or status < 400:
                self.credentials_refused = status == 401
            if status == 429:  # refused before it ran, whatever the method
                wait = retry_after(response.headers)
                delay = wait if wait is not None else self._retry.backoff(attempt)
                if attempt < self._retry.max_attempts and delay <= self._retry.max_rate_limit_wait:
                    await self._sleep(delay)
                    continue
            elif status >= 500 and not write and attempt < self._retry.max_attempts:
                await self._sleep(self._retry.backoff(attempt))
                continue
            if write and writes is not None:
                if 200 <= status < 300:
                    writes.applied.append(f"{method} {path}")
                elif status >= 500:
                    writes.maybe_applied.append(f"{method} {path}")
            return unwrap(response, resource, write=write)

    async def _send(self, request: httpx2.Request) -> httpx2.Response:
        """One attempt, within the budget; the answer's rate-limit headers update it."""
        async with self.budget.slot():
            response = await self._http.send(request)
            self.budget.observe(response.headers)
            return response

    def _build(self, method: str, path: str, params: Params | None, body: Any) -> httpx2.Request:
        try:
            return self._http.build_request(method, path, params=_query(params), json=body)
        except (ValueError, TypeError) as exc:  # UnicodeError included: e.g. a lone surrogate
            raise InvalidInputError(
                "The request could not be encoded (text with invalid characters?); "
                "nothing was sent."
            ) from exc

    async def pages(
        self,
        path: str,
        params: Params,
        *,
        resource: str,
        page_size: int,
        max_limit: int = 250,
    ) -> AsyncIterator[Envelope]:
        """Every page of a list endpoint, in order, until `totalCount`, an empty or a short page."""
        limit = max(1, min(page_size, max_limit))
        offset = 0
        while True:
            envelope = await self.request(
                "GET", path, params={**params, "limit": limit, "offset": offset}, resource=resource
            )
            yield envelope
            if not _more(envelope, offset, limit):
                return
            offset += envelope.count

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
        return Page[model](  # type: ignore[valid-type]
            items=envelope.records(model),
            total=_total(envelope, offset),
            offset=offset,
            limit=limit,
            has_more=_more(envelope, offset, limit),
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
        async for envelope in self.pages(
            path, params, resource=resource, page_size=page_size, max_limit=max_limit
        ):
            for item in envelope.records(model):
                yield item

    def _note_server_time(self, response: httpx2.Response) -> None:
        """The API's clock, from the `Date` header: what trigger marks start from."""
        dates = response.headers.get_list("Date")
        if dates == self._dates:  # the same second as the last answer: nothing to learn
            return
        self._dates = dates
        for value in dates:
            try:
                moment = parsedate_to_datetime(value)
            except (TypeError, ValueError):
                continue
            if moment.tzinfo is not None:
                self.server_time = moment
                return


def _total(envelope: Envelope, offset: int) -> int | None:
    """The reported total, unless missing or contradicted by the page itself."""
    total = envelope.pagination.total if envelope.pagination else None
    return None if total is None or total < offset + envelope.count else total


def _more(envelope: Envelope, offset: int, limit: int) -> bool:
    """Whether records follow this page, from whatever the answer says about paging.

    An empty page ends the list whatever the total claims; without a total, a full page
    (by the page size the API reports using, if it does) means there may be more.
    """
    if envelope.count == 0:
        return False
    total = _total(envelope, offset)
    if total is not None:
        return offset + envelope.count < total
    used = envelope.pagination.limit if envelope.pagination else None
    return envelope.count >= (used if used and used > 0 else limit)


def _query(params: Params | None) -> list[tuple[str, str | int | float | bool | None]] | None:
    """The query string's pairs; None without any (httpx2 builds such a request faster)."""
    if not params:
        return None
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


def _network_error(
    exc: httpx2.TransportError, *, write: bool, never_sent: bool
) -> UnavailableError:
    if never_sent:
        message = "The B2B Edition API could not be reached."
        if write:
            message += " The request was never sent, so nothing changed."
        return UnavailableError(message)
    kind = "timed out" if isinstance(exc, httpx2.TimeoutException) else "broke off"
    message = f"The connection to the B2B Edition API {kind} before it answered."
    if write:
        message += f" {MAYBE_APPLIED}"
    return UnavailableError(message, maybe_applied=write)


@dataclass
class Writes:
    """The writes sent while serving one tool call, by what they may have changed.

    `applied`: the API answered 2xx. `maybe_applied`: the request may have reached the
    API but its fate is unknown (connection broke, timeout, 5xx). Refused writes (4xx,
    429) and writes that never left are in neither.
    """

    applied: list[str] = field(default_factory=list)
    maybe_applied: list[str] = field(default_factory=list)


_writes: ContextVar[Writes | None] = ContextVar("b2b_writes", default=None)


@contextmanager
def tracking_writes() -> Iterator[Writes]:
    """Record, for the block, every write this task sends through any `B2BClient`."""
    writes = Writes()
    token = _writes.set(writes)
    try:
        yield writes
    finally:
        _writes.reset(token)
