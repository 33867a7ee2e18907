"""Serving the MCP server: stdio, or HTTP (Streamable HTTP at /mcp, SSE at /sse) behind auth,
with /healthz and /readyz for load balancers and orchestrators."""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal

from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from .config import Settings
from .errors import ConfigError
from .server import B2BServer

logger = logging.getLogger(__name__)

HttpTransport = Literal["sse", "streamable-http"]
# Probes answer without a token: they say nothing but whether the replica is fit to serve.
PROBES = frozenset({"/healthz", "/readyz"})


# A token anyone on the network may try to guess must be long enough not to be guessed.
MIN_PUBLIC_TOKEN_LENGTH = 32
HOW_TO_GENERATE = "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"


class BearerAuth:
    """Refuses HTTP requests without exactly one `Authorization: Bearer <token>` header.

    The comparison is constant-time. Two Authorization headers are refused outright:
    proxies and frameworks disagree on which one counts, so accepting either would let a
    wrong token through whenever some hop picked the other.
    """

    def __init__(
        self, app: ASGIApp, token: str, *, open_paths: frozenset[str] = frozenset()
    ) -> None:
        self.app = app
        self._expected = f"Bearer {token}".encode()
        self._open_paths = open_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] not in self._open_paths:
            given = [value for name, value in scope["headers"] if name.lower() == b"authorization"]
            if len(given) > 1:
                await _refuse(send, 400, "bad_request", "Send exactly one Authorization header.")
                return
            if not given or not hmac.compare_digest(given[0], self._expected):
                await _refuse(
                    send, 401, "unauthorized", "Send Authorization: Bearer <B2B_MCP_HTTP_TOKEN>."
                )
                return
        await self.app(scope, receive, send)


async def _refuse(send: Send, status: int, error: str, message: str) -> None:
    body = json.dumps({"error": error, "message": message}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="bigcommerce-b2b-mcp"'))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def transport_security(settings: Settings, host: str, port: int) -> TransportSecuritySettings:
    """DNS-rebinding protection: on, allowing loopback names plus what the user configured."""
    hosts = ["127.0.0.1:*", "localhost:*", "[::1]:*", *settings.allowed_hosts]
    origins = [
        "http://127.0.0.1:*",
        "http://localhost:*",
        "http://[::1]:*",
        *settings.allowed_origins,
    ]
    if not is_loopback(host) and host not in ("0.0.0.0", "::"):  # noqa: S104 - compared, not bound
        hosts.append(f"{host}:{port}")
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True, allowed_hosts=hosts, allowed_origins=origins
    )


def http_app(
    server: B2BServer, settings: Settings, *, transport: HttpTransport, host: str, port: int
) -> ASGIApp:
    """The ASGI app for one HTTP transport, with auth and the shared runtime around it.

    Raises:
        ConfigError: a non-loopback host without a B2B_MCP_HTTP_TOKEN of at least 32
            characters, or --stateless-http with SSE.
    """
    token = settings.http_token.get_secret_value() if settings.http_token else ""
    if not is_loopback(host):
        if not token:
            raise ConfigError(
                f"Refusing to listen on {host} without authentication: set B2B_MCP_HTTP_TOKEN "
                "to a long random secret (clients send it as 'Authorization: Bearer <token>'), "
                f"e.g. the output of {HOW_TO_GENERATE}, or listen on 127.0.0.1."
            )
        if len(token) < MIN_PUBLIC_TOKEN_LENGTH:
            raise ConfigError(
                f"Refusing to listen on {host} with a {len(token)}-character B2B_MCP_HTTP_TOKEN: "
                f"a token others can reach must have at least {MIN_PUBLIC_TOKEN_LENGTH} "
                f"characters. Generate one with {HOW_TO_GENERATE}."
            )
    security = transport_security(settings, host, port)
    if transport == "streamable-http":
        inner = server.streamable_http_app(
            transport_security=security, host=host, stateless_http=settings.stateless_http
        )
    elif settings.stateless_http:
        raise ConfigError("--stateless-http applies to --transport streamable-http only.")
    else:
        inner = server.sse_app(transport_security=security, host=host)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # A remote server lives long and serves many sessions at once: its tools are built
        # before it listens, not in the middle of its first sessions' calls.
        await server.until_registered()
        async with server.runtime.use(), inner.router.lifespan_context(app):
            yield

    async def healthz(request: Request) -> JSONResponse:
        """Alive: the process answers. No auth, no store call, nothing a probe can spend."""
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        """Ready for users: running, Redis reachable (with --redis-url), credentials not refused."""
        problems = await server.runtime.readiness()
        if problems:
            return JSONResponse({"status": "not ready", "problems": problems}, status_code=503)
        return JSONResponse({"status": "ready"})

    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Mount("/", app=inner),
    ]
    app: ASGIApp = Starlette(routes=routes, lifespan=lifespan)
    if token:
        app = BearerAuth(app, token, open_paths=PROBES)
    return app
