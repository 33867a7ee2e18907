"""Serving the MCP server: stdio, or HTTP (Streamable HTTP at /mcp, SSE at /sse) behind auth."""

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
from starlette.routing import Mount
from starlette.types import ASGIApp, Receive, Scope, Send

from .config import Settings
from .errors import ConfigError
from .server import B2BServer

logger = logging.getLogger(__name__)

HttpTransport = Literal["sse", "streamable-http"]


class BearerAuth:
    """Refuses HTTP requests without `Authorization: Bearer <token>` (constant-time check)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self._expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            given = dict(scope["headers"]).get(b"authorization", b"")
            if not hmac.compare_digest(given, self._expected):
                await _refuse(send)
                return
        await self.app(scope, receive, send)


async def _refuse(send: Send) -> None:
    body = json.dumps(
        {"error": "unauthorized", "message": "Send Authorization: Bearer <B2B_MCP_HTTP_TOKEN>."}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [
                (b"content-type", b"application/json"),
                (b"www-authenticate", b'Bearer realm="bigcommerce-b2b-mcp"'),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
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
        ConfigError: a non-loopback host without B2B_MCP_HTTP_TOKEN.
    """
    token = settings.http_token.get_secret_value() if settings.http_token else ""
    if not token and not is_loopback(host):
        raise ConfigError(
            f"Refusing to listen on {host} without authentication: set B2B_MCP_HTTP_TOKEN to a "
            "long random secret (clients send it as 'Authorization: Bearer <token>'), or "
            "listen on 127.0.0.1."
        )
    security = transport_security(settings, host, port)
    if transport == "streamable-http":
        inner = server.streamable_http_app(transport_security=security, host=host)
    else:
        inner = server.sse_app(transport_security=security, host=host)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with server.runtime.use(), inner.router.lifespan_context(app):
            yield

    app: ASGIApp = Starlette(routes=[Mount("/", app=inner)], lifespan=lifespan)
    if token:
        app = BearerAuth(app, token)
    return app
