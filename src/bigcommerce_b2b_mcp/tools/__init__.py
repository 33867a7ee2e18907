"""The MCP tools, one module per domain; `TOOLSETS` is the only list of them."""

from __future__ import annotations

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
from .toolset import Toolset

TOOLSETS: tuple[Toolset, ...] = (
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
