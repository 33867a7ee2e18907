"""Triggers as MCP resources: one per trigger, a template to resume from a sequence number."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from mcp import MCPError
from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError
from mcp.types import INVALID_PARAMS

from ..errors import StateStoreError
from .events import MAX_SEQ
from .hub import TriggerHub
from .triggers import Trigger

EVENTS_TEMPLATE = "b2b://triggers/{trigger}/events{?after,limit}"
MAX_PAGE = 200


def register(
    server: MCPServer[Any], triggers: Sequence[Trigger], hub: Callable[[], TriggerHub]
) -> None:
    """Add the trigger resources and the events template; `hub` gives the running hub."""
    names = {trigger.name for trigger in triggers}
    for trigger in triggers:
        server.resource(
            trigger.uri,
            name=trigger.name,
            title=trigger.title,
            description=f"{trigger.description} Subscribe to be told when new events arrive; "
            "read for the poller's state and the latest events.",
            mime_type="application/json",
        )(_reader(trigger, hub))

    @server.resource(
        EVENTS_TEMPLATE,
        name="trigger-events",
        title="Trigger events after a sequence number",
        description="Events of one trigger with seq greater than `after` (default 0), oldest "
        f"first, at most `limit` (default 50, up to {MAX_PAGE}). Resume with next_after.",
        mime_type="application/json",
    )
    async def trigger_events(trigger: str, after: str = "0", limit: str = "50") -> str:
        if trigger not in names:
            raise ResourceNotFoundError(
                f"No trigger {trigger!r}; the triggers are {', '.join(sorted(names))}."
            )
        first = _whole("after", after, 0, MAX_SEQ)
        size = _whole("limit", limit, 1, MAX_PAGE)
        try:
            page = await hub().page(trigger, after=first, limit=size)
        except StateStoreError as exc:
            raise ResourceError(str(exc)) from None
        return page.model_dump_json()


def _whole(name: str, text: str, lowest: int, highest: int) -> int:
    """A query parameter as a whole number, clamped to what the events can hold."""
    try:
        number = int(text)
    except ValueError:
        raise MCPError(
            INVALID_PARAMS, f"{name} must be a whole number, not {text[:20]!r}."
        ) from None
    return max(lowest, min(number, highest))


def _reader(trigger: Trigger, hub: Callable[[], TriggerHub]) -> Callable[[], Awaitable[str]]:
    async def read() -> str:
        return (await hub().view(trigger.name)).model_dump_json()

    read.__name__ = f"read_{trigger.name.replace('-', '_')}"
    return read


def complete(triggers: Sequence[Trigger], uri: str, argument: str, value: str) -> list[str]:
    """Completion values for the events template's `trigger`, given what has been typed."""
    if uri != EVENTS_TEMPLATE or argument != "trigger":
        return []
    return [trigger.name for trigger in triggers if value.lower() in trigger.name]
