"""Demo activity: a new company, user, order or quote every few seconds, so triggers fire."""

from __future__ import annotations

import logging
import random
from itertools import count

import anyio

from .companies import add_company
from .orders import add_order
from .quotes import add_quote
from .store import SimulatedStore
from .users import add_user

logger = logging.getLogger(__name__)

_NAMES = ("Aurora", "Beacon", "Crescent", "Delta", "Ember", "Frontier", "Gallant", "Horizon")
_TRADES = ("Supply Co", "Wholesale", "Trading", "Outfitters", "Provisions")


def make_activity(store: SimulatedStore, rng: random.Random, serial: int) -> str:
    """Create one record of a random kind, as a buyer or the merchant would; say what."""
    approved = [c for c in store.companies.values() if c["status"] == 1]
    kind = rng.choice(("company", "user", "order", "quote")) if approved else "company"
    if kind == "company":
        name = f"{rng.choice(_NAMES)} {rng.choice(_TRADES)} {serial}"
        slug = name.lower().replace(" ", "")
        company = add_company(
            store,
            name=name,
            email=f"ap@{slug}.example",
            phone=f"+1-555-01{serial % 100:02d}",
            country="United States",
            admin={
                "first_name": "Demo",
                "last_name": f"Admin{serial}",
                "email": f"admin@{slug}.example",
            },
        )
        return f"company {company['id']}"
    company = rng.choice(approved)
    if kind == "user":
        user = add_user(
            store,
            company_id=company["id"],
            first_name="Demo",
            last_name=f"Buyer{serial}",
            email=f"buyer{serial}.{store.now()}@demo.example",
            role=rng.choice((1, 2)),
        )
        return f"user {user['id']}"
    buyer = next(u for u in store.users.values() if u["company_id"] == company["id"])
    if kind == "order":
        bc_order_id = max(store.orders, default=100) + 1
        add_order(
            store,
            bc_order_id=bc_order_id,
            company_id=company["id"],
            customer_id=buyer["customer_id"],
            po_number=f"PO-D{serial}",
        )
        return f"order {bc_order_id}"
    quote = add_quote(
        store,
        company_id=company["id"],
        contact={"name": f"{buyer['first_name']} {buyer['last_name']}", "email": buyer["email"]},
        products=[
            {
                "productId": 101,
                "variantId": 1010,
                "productName": "Dustpan & Brush",
                "sku": "DPB",
                "basePrice": 34.95,
                "discount": 0.0,
                "offeredPrice": 31.45,
                "quantity": rng.randint(5, 50),
                "options": [],
                "notes": "",
            }
        ],
        expires_at=store.now() + 30 * 86400,
        title=f"Demo quote {serial}",
    )
    return f"quote {quote['id']}"


async def generate_activity(
    store: SimulatedStore, interval: float, *, seed: int | None = None
) -> None:
    """Every `interval` seconds, make one record, until cancelled."""
    rng = random.Random(seed)
    for serial in count(1):
        await anyio.sleep(interval)
        try:
            logger.info("demo activity: new %s", make_activity(store, rng, serial))
        except Exception:  # the demo goes on without this one record
            logger.exception("demo activity failed")
