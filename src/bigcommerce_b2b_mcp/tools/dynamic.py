"""Dynamic toolsets: the model starts with two tools and switches toolsets on as it needs them.

Every listed tool costs context in every conversation; a model that only reads invoices
need not carry the quote and hierarchy tools. `--toolsets` and `--read-only` still decide
what exists: `enable_toolset` can add only what they allow. Toolsets switched on stay on
for the whole server process, so on a shared HTTP server every session sees them (the
session that asked is notified; others see them on their next tools/list).
"""

# No `from __future__ import annotations`: the toolset names' schema is built at run time,
# and the tool signature below must carry it as an object, not as a string to resolve.

import functools
from typing import Annotated, Any

from mcp.server import MCPServer, NotificationOptions
from pydantic import BaseModel, Field, WithJsonSchema

from ..errors import InvalidInputError
from .context import ToolContext
from .toolset import Toolset, add_tools, select

# Shown from the start, besides the two tools below: clients without resource
# subscriptions read triggers through it.
ALWAYS = ("triggers",)


class ToolsetInfo(BaseModel):
    name: str
    description: str
    enabled: bool = Field(description="Its tools are listed now.")
    tools: list[str] = Field(description="The tools enable_toolset adds.")


class AvailableToolsets(BaseModel):
    items: list[ToolsetInfo]


class ToolsetEnabled(BaseModel):
    toolset: str
    added: list[str] = Field(description="Tools now listed that were not before.")
    message: str


def install_dynamic(
    server: MCPServer[Any],
    toolsets: tuple[Toolset, ...],
    *,
    only: tuple[str, ...] = (),
    read_only: bool = False,
) -> None:
    """Register `list_available_toolsets`, `enable_toolset` and the ALWAYS toolsets."""
    allowed = select(toolsets, only=only, read_only=read_only)
    enabled = {name for name in ALWAYS if name in allowed}
    for name in enabled:
        add_tools(server, allowed[name].tools)
    meta = _meta_toolset(server, allowed, enabled)
    add_tools(server, meta.tools)
    _advertise_tool_list_changes(server)


def _meta_toolset(
    server: MCPServer[Any], allowed: dict[str, Toolset], enabled: set[str]
) -> Toolset:
    meta = Toolset("dynamic", "Discover toolsets and switch them on.")
    choosable = sorted(name for name in allowed if name not in ALWAYS)
    ToolsetName = Annotated[
        str,
        WithJsonSchema({"type": "string", "enum": choosable}),
        Field(description="The toolset to switch on (list_available_toolsets describes them)."),
    ]

    @meta.tool(title="List available toolsets", read_only=True, destructive=False, idempotent=True)
    async def list_available_toolsets(ctx: ToolContext) -> AvailableToolsets:
        """List the toolsets this server offers, which are switched on, and their tools.

        Call it when the task needs tools you do not see (e.g. invoices, quotes, credit),
        then enable_toolset with the one you need.
        """
        return AvailableToolsets(
            items=[
                ToolsetInfo(
                    name=name,
                    description=toolset.description,
                    enabled=name in enabled,
                    tools=[spec.name for spec in toolset.tools],
                )
                for name, toolset in allowed.items()
            ]
        )

    @meta.tool(title="Enable toolset", read_only=True, destructive=False, idempotent=True)
    async def enable_toolset(ctx: ToolContext, toolset: ToolsetName) -> ToolsetEnabled:
        """Switch on a toolset: its tools are listed from now on.

        The client is told the tool list changed. Changes nothing in the store. Next: call
        the new tools (list the tools again if your client does not refresh them by itself).
        """
        if toolset not in allowed:  # the published enum refuses it first; kept for safety
            raise InvalidInputError(f"No toolset {toolset!r}; nothing was changed.")
        if toolset in enabled:
            return ToolsetEnabled(toolset=toolset, added=[], message="Already enabled.")
        specs = allowed[toolset].tools
        add_tools(server, specs)
        enabled.add(toolset)
        await ctx.notify_tools_changed()  # 2026-07-28 sessions, through subscriptions/listen
        await ctx.session.send_tool_list_changed()  # 2025-era sessions (dropped on the others)
        names = [spec.name for spec in specs]
        return ToolsetEnabled(toolset=toolset, added=names, message=f"Enabled: {', '.join(names)}.")

    return meta


def _advertise_tool_list_changes(server: MCPServer[Any]) -> None:
    """Tell 2025-era clients the tool list can change: MCPServer never passes notification
    options to its low-level server, so `tools.listChanged` would read false (no public
    hook in mcp 2.3; 2026-07-28 clients learn it from `subscriptions/listen`)."""
    low = server._lowlevel_server
    options = NotificationOptions(tools_changed=True)
    low.create_initialization_options = functools.partial(  # type: ignore[method-assign]
        type(low).create_initialization_options, low, options
    )
