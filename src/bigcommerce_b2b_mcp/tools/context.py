"""What a tool call can reach: the process's API client and its triggers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mcp.server.mcpserver import Context

if TYPE_CHECKING:
    from ..api.client import B2BClient
    from ..resources.hub import TriggerHub


@dataclass
class AppState:
    """The server's shared state, opened once per process (see `server.Runtime`)."""

    api: B2BClient
    triggers: TriggerHub


ToolContext = Context[AppState, Any]


def api(ctx: ToolContext) -> B2BClient:
    """The process's API client."""
    return ctx.request_context.lifespan_context.api
