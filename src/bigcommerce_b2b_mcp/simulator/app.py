"""The simulated B2B Edition API as a Starlette app: auth, rate limit, envelopes, routes."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from email.utils import formatdate

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount

from . import (
    addresses,
    companies,
    extra_fields,
    invoice_payments,
    invoices,
    orders,
    payments,
    quotes,
    sales_staff,
    users,
)
from .envelopes import APIFailure, envelope
from .ratelimit import RateLimiter
from .store import SimulatedStore

API_PREFIX = "/api/v3/io"

logger = logging.getLogger(__name__)


def create_app(
    store: SimulatedStore,
    *,
    rate_limit: int = 150,
    rate_window: float = 60.0,
) -> Starlette:
    """The API under `/api/v3/io` (invoices under `/api/v3/io/ip`), backed by `store`."""
    limiter = RateLimiter(limit=rate_limit, window=rate_window, clock=store.clock)
    routes = [
        *extra_fields.ROUTES,  # before the `/{id}` routes they would otherwise fall under
        *companies.ROUTES,
        *users.ROUTES,
        *addresses.ROUTES,
        *quotes.ROUTES,
        *orders.ROUTES,
        *invoices.ROUTES,
        *payments.ROUTES,
        *invoice_payments.ROUTES,
        *sales_staff.ROUTES,
    ]
    app = Starlette(
        routes=[Mount(API_PREFIX, routes=routes)],
        middleware=[Middleware(BaseHTTPMiddleware, dispatch=_gatekeeper(store, limiter))],
        exception_handlers={APIFailure: _failure, HTTPException: _http_error},
    )
    app.state.store = store
    app.state.limiter = limiter
    return app


def _gatekeeper(
    store: SimulatedStore, limiter: RateLimiter
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    async def dispatch(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        token = request.headers.get("X-Auth-Token", "")
        if not _same(token, store.access_token) and not (
            store.token_without_scope and _same(token, store.token_without_scope)
        ):
            message = "Invalid token header. No credentials provided."
            return APIFailure(401, message, message).response()
        if request.headers.get("X-Store-Hash", "") != store.store_hash:
            # The docs only promise "server errors" for a token used with another store's hash.
            return APIFailure(500, "Internal Server Error", data={}).response()
        if store.token_without_scope and _same(token, store.token_without_scope):
            message = "You do not have permission to perform this action."
            return APIFailure(403, message, message).response()
        allowed, headers = limiter.take()
        if not allowed:
            response: Response = envelope({}, status=429, message="Too Many Requests")
        else:
            response = await call_next(request)
        response.headers.update(headers)
        response.headers["Date"] = formatdate(store.clock(), usegmt=True)
        return response

    return dispatch


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


async def _failure(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, APIFailure)
    return exc.response()


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return APIFailure(405, "Method Not Allowed", data={}).response()
    if exc.status_code == 404:  # no route matched: DRF's own words
        return APIFailure(404, "Not Found Error", "Not found.").response()
    return JSONResponse(
        {"code": exc.status_code, "data": {}, "meta": {"message": exc.detail}},
        status_code=exc.status_code,
    )
