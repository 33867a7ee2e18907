"""The simulated store's state: records per domain, id sequences, credentials and clock."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]

DEFAULT_CHANNEL = {"channelId": 1, "channelName": "B2B Storefront", "iconUrl": ""}


@dataclass
class SimulatedStore:
    """Everything the simulated B2B Edition API knows, in memory.

    Records are kept with plain Python values (ints, floats, unix seconds); each domain
    module presents them in the API's shape, quirks included. `clock` returns unix
    seconds and can be replaced to move time in tests. Like the real API, the
    simulator hands out ids in sequence, so a fresh store reuses the ids of an old one.
    """

    store_hash: str = "demo"
    access_token: str = "demo-token"  # noqa: S105 - the simulator's documented demo token
    token_without_scope: str | None = None
    # The spec makes `date` (the quote's creation day) required on GET /rfq/{id}; stores
    # mostly answer without it. This makes the simulator insist, as such a store would.
    require_quote_date: bool = False
    # Store-level B2B settings: company credit on or off, and the default payment terms.
    credit_enabled: bool = True
    default_net_days: int = 30
    clock: Callable[[], float] = time.time
    companies: dict[int, Record] = field(default_factory=dict)
    users: dict[int, Record] = field(default_factory=dict)
    addresses: dict[int, Record] = field(default_factory=dict)
    quotes: dict[int, Record] = field(default_factory=dict)
    orders: dict[int, Record] = field(default_factory=dict)
    invoices: dict[int, Record] = field(default_factory=dict)
    extra_fields: dict[str, list[Record]] = field(default_factory=dict)
    sales_staff: dict[int, Record] = field(default_factory=dict)
    payments: dict[int, Record] = field(default_factory=dict)
    _sequences: dict[str, int] = field(default_factory=dict)

    def now(self) -> int:
        return int(self.clock())

    def next_id(self, kind: str, start: int = 1) -> int:
        value = self._sequences.get(kind, start - 1) + 1
        self._sequences[kind] = value
        return value

    def user_by_email(self, email: str) -> Record | None:
        wanted = email.strip().lower()
        return next((u for u in self.users.values() if u["email"].lower() == wanted), None)

    def user_by_customer(self, customer_id: int) -> Record | None:
        return next((u for u in self.users.values() if u["customer_id"] == customer_id), None)
