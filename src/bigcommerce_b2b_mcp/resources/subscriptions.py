"""Resource subscriptions for both protocol generations, and the one place that notifies them.

2026-07-28 clients use `subscriptions/listen`, which `MCPServer` serves from the bus it is
given. 2025-era clients use `resources/subscribe`, which `MCPServer` does not wire up: this
module keeps their subscriptions per connection and forgets them when the connection ends.
"""

from __future__ import annotations

import logging
from typing import Any

from mcp.server import MCPServer
from mcp.server.context import ServerRequestContext
from mcp.server.session import ServerSession
from mcp.server.subscriptions import InMemorySubscriptionBus, ResourceUpdated
from mcp.types import EmptyResult, SubscribeRequestParams, UnsubscribeRequestParams
from mcp.types.version import MODERN_PROTOCOL_VERSIONS

logger = logging.getLogger(__name__)


class LegacySubscriptions:
    """Which 2025-era connection is subscribed to which resource URIs."""

    def __init__(self) -> None:
        self._connections: dict[Any, tuple[ServerSession, set[str]]] = {}

    def _entry(self, ctx: ServerRequestContext[Any, Any]) -> tuple[ServerSession, set[str]] | None:
        if ctx.protocol_version in MODERN_PROTOCOL_VERSIONS:
            return None
        # `ctx.session` is a fresh proxy per message; its connection is the stable key
        # (private in mcp 2.3, the documented way until a public handle exists).
        connection = ctx.session._connection
        entry = self._connections.get(connection)
        if entry is None:
            entry = (ctx.session, set())
            self._connections[connection] = entry
            connection.exit_stack.callback(self._connections.pop, connection, None)
        return entry

    async def on_subscribe(
        self, ctx: ServerRequestContext[Any, Any], params: SubscribeRequestParams
    ) -> EmptyResult:
        if (entry := self._entry(ctx)) is not None:
            entry[1].add(params.uri)
        return EmptyResult()

    async def on_unsubscribe(
        self, ctx: ServerRequestContext[Any, Any], params: UnsubscribeRequestParams
    ) -> EmptyResult:
        if (entry := self._entry(ctx)) is not None:
            entry[1].discard(params.uri)
        return EmptyResult()

    async def resource_updated(self, uri: str) -> None:
        for connection, (session, uris) in list(self._connections.items()):
            if uri not in uris:
                continue
            try:
                await session.send_resource_updated(uri)
            except Exception as exc:  # a connection going away must not cost the others
                logger.debug(
                    "Dropping a subscriber that cannot be notified: %s", type(exc).__name__
                )
                self._connections.pop(connection, None)

    def subscribers(self, uri: str) -> int:
        return sum(uri in uris for _, uris in self._connections.values())


class Notifier:
    """Tells every subscribed session, of either generation, that a resource changed."""

    def __init__(self) -> None:
        self.bus = InMemorySubscriptionBus()
        self.legacy = LegacySubscriptions()

    def install(self, server: MCPServer[Any]) -> None:
        """Serve `resources/subscribe` and `resources/unsubscribe` for 2025-era clients.

        The bus must also be given to the server (`MCPServer(subscriptions=notifier.bus)`).
        """
        low = server._lowlevel_server  # no public hook in mcp 2.3 (see the SDK's migration guide)
        low.add_request_handler(
            "resources/subscribe", SubscribeRequestParams, self.legacy.on_subscribe
        )
        low.add_request_handler(
            "resources/unsubscribe", UnsubscribeRequestParams, self.legacy.on_unsubscribe
        )

    async def resource_updated(self, uri: str) -> None:
        await self.bus.publish(ResourceUpdated(uri=uri))
        await self.legacy.resource_updated(uri)
