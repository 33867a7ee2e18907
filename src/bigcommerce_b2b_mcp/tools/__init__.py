"""The MCP tools, one module per domain.

`TOOLSET_NAMES` names the toolsets without importing them, so that choosing toolsets and
starting the server stay light; `toolsets()` imports and returns them, in that order (a
test holds the two together).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .toolset import Toolset

TOOLSET_NAMES = (
    "companies",
    "users",
    "addresses",
    "quotes",
    "orders",
    "invoices",
    "payments",
    "sales_staff",
    "triggers",
)


@functools.cache
def toolsets() -> tuple[Toolset, ...]:
    """Every toolset, its tools built (the models they use are imported here)."""
    from . import (
        addresses,
        companies,
        invoices,
        orders,
        payments,
        quotes,
        sales_staff,
        triggers,
        users,
    )

    return (
        companies.toolset,
        users.toolset,
        addresses.toolset,
        quotes.toolset,
        orders.toolset,
        invoices.toolset,
        payments.toolset,
        sales_staff.toolset,
        triggers.toolset,
    )
