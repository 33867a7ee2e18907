"""The trigger tool, for clients that cannot subscribe to resources."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ..resources.events import MAX_SEQ
from ..resources.hub import EventPage
from ..resources.triggers import TriggerName
from .context import ToolContext
from .toolset import Toolset

toolset = Toolset(
    "triggers",
    "New companies, users, addresses, orders, quotes and invoices, and status changes, as "
    "they happen.",
)


@toolset.tool(title="Get trigger events", read_only=True, destructive=False, idempotent=True)
async def get_trigger_events(
    ctx: ToolContext,
    trigger: Annotated[TriggerName, Field(description="Which trigger to read.")],
    after: Annotated[
        int,
        Field(
            ge=0, le=MAX_SEQ, description="Only events with a higher seq; pass the last next_after."
        ),
    ] = 0,
    limit: Annotated[int, Field(ge=1, le=200, description="At most this many events.")] = 50,
    wait_seconds: Annotated[
        float,
        Field(ge=0, le=300, description="Wait up to this long for the first new event (0: don't)."),
    ] = 0,
) -> EventPage:
    """Get a trigger's events since a sequence number: new records or status changes.

    Triggers: new-companies, new-users, new-addresses, new-orders, new-quotes,
    new-invoices, and company-, order-, quote- and invoice-status-changes (events with
    from_status and to_status; an invoice past its due date unpaid goes to "overdue").
    For clients that cannot subscribe to the b2b://triggers/... resources. Start with
    after=0, then pass next_after each time to get only what is new; with wait_seconds it
    waits (reporting progress) and returns as soon as an event arrives. Each event's data
    is the record as the matching get_* tool returns it; poller.last_error says why no
    events come if polling has failed.
    """
    hub = ctx.request_context.lifespan_context.triggers

    async def progress(done: float, total: float) -> None:
        await ctx.report_progress(done, total, message=f"waiting for {trigger}")

    if wait_seconds <= 0:
        page: EventPage = await hub.page(trigger, after=after, limit=limit)
        return page
    result: EventPage = await hub.wait(
        trigger, after=after, limit=limit, wait_seconds=wait_seconds, progress=progress
    )
    return result
