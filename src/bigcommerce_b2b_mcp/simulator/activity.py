"""Demo activity: the store's buyers and staff at work, a few changes every few seconds.

The changes come in a fixed cycle of ten, one for each trigger: a company applies, a
buyer joins, an address is added, an order and a quote come in, an application is
approved, an order ships, a quote is ordered, an invoice is issued and one is paid. The
cycle feeds itself (the company that applies is the one approved later, the order that
comes in is the one that ships), so the demo never runs out of things to change.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from itertools import count, cycle, islice

import anyio

from .addresses import add_address
from .companies import add_company
from .invoice_payments import record_payment
from .invoices import add_invoice
from .orders import add_order, set_status
from .quotes import add_quote, mark_ordered
from .store import Record, SimulatedStore
from .users import add_user

logger = logging.getLogger(__name__)

DAY = 86400
STEPS_PER_TICK = 3  # ten changes in four ticks
_NAMES = ("Aurora", "Beacon", "Crescent", "Delta", "Ember", "Frontier", "Gallant", "Horizon")
_TRADES = ("Supply Co", "Wholesale", "Trading", "Outfitters", "Provisions")
_CITIES = (("Austin", "Texas", "TX"), ("Denver", "Colorado", "CO"), ("Tacoma", "Washington", "WA"))
# Where an order goes next: awaiting payment, fulfillment or shipment, then shipped, then done.
_NEXT_ORDER_STATUS = {1: 11, 7: 11, 9: 2, 11: 2, 2: 10}
_OPEN_QUOTE = (0, 2, 3)


class Demo:
    """One change at a time; each `step` says what it did."""

    def __init__(self, store: SimulatedStore, rng: random.Random) -> None:
        self.store = store
        self.rng = rng
        self.steps: tuple[Callable[[int], str], ...] = (
            self.company_applies,
            self.buyer_joins,
            self.address_added,
            self.order_placed,
            self.quote_requested,
            self.application_decided,
            self.order_moves,
            self.quote_ordered,
            self.invoice_issued,
            self.invoice_paid,
        )

    def company_applies(self, serial: int) -> str:
        name = f"{self.rng.choice(_NAMES)} {self.rng.choice(_TRADES)} {serial}"
        slug = name.lower().replace(" ", "")
        company = add_company(
            self.store,
            name=name,
            email=f"ap@{slug}.example",
            phone=f"+1-555-01{serial % 100:02d}",
            country="United States",
            admin={
                "first_name": "Demo",
                "last_name": f"Admin{serial}",
                "email": f"admin@{slug}.example",
            },
            status=0,  # an application from the storefront waits for the merchant
        )
        return f"company {company['id']} applied"

    def buyer_joins(self, serial: int) -> str:
        company = self._approved_company()
        user = add_user(
            self.store,
            company_id=company["id"],
            first_name="Demo",
            last_name=f"Buyer{serial}",
            email=f"buyer{serial}.{self.store.now()}@demo.example",
            role=self.rng.choice((1, 2)),
        )
        return f"user {user['id']} joined company {company['id']}"

    def address_added(self, serial: int) -> str:
        company = self._approved_company()
        city, state, code = self.rng.choice(_CITIES)
        address = add_address(
            self.store,
            company_id=company["id"],
            first_name="Receiving",
            last_name="Dock",
            address_line1=f"{100 + serial} Warehouse Way",
            city=city,
            state_name=state,
            state_code=code,
            country_name="United States",
            country_code="US",
            zip_code=f"{70000 + serial % 10000:05d}",
            is_shipping=True,
            label=f"Dock {serial}",
        )
        return f"address {address['id']} added to company {company['id']}"

    def order_placed(self, serial: int) -> str:
        order = self._new_order(serial, f"PO-D{serial}")
        return f"order {order['bc_order_id']} placed"

    def quote_requested(self, serial: int) -> str:
        company = self._approved_company()
        buyer = self._buyer(company)
        quote = add_quote(
            self.store,
            company_id=company["id"],
            contact={
                "name": f"{buyer['first_name']} {buyer['last_name']}",
                "email": buyer["email"],
            },
            products=[
                {
                    "productId": 101,
                    "variantId": 1010,
                    "productName": "Dustpan & Brush",
                    "sku": "DPB",
                    "basePrice": 34.95,
                    "discount": 0.0,
                    "offeredPrice": 31.45,
                    "quantity": self.rng.randint(5, 50),
                    "options": [],
                    "notes": "",
                }
            ],
            expires_at=self.store.now() + 30 * DAY,
            title=f"Demo quote {serial}",
        )
        return f"quote {quote['id']} requested"

    def application_decided(self, serial: int) -> str:
        pending = [c for c in self.store.companies.values() if c["status"] == 0]
        if not pending:
            return self.company_applies(serial)
        company = min(pending, key=lambda c: c["created_at"])
        company["status"] = 2 if self.rng.random() < 0.2 else 1  # most are approved
        company["updated_at"] = self.store.now()
        verdict = "approved" if company["status"] == 1 else "rejected"
        return f"company {company['id']} {verdict}"

    def order_moves(self, serial: int) -> str:
        moving = [
            o
            for o in self.store.orders.values()
            if o["company_id"] and o["status_code"] in _NEXT_ORDER_STATUS
        ]
        if not moving:
            return self.order_placed(serial)
        order = min(moving, key=lambda o: o["updated_at"])
        set_status(self.store, order, _NEXT_ORDER_STATUS[order["status_code"]])
        return f"order {order['bc_order_id']} now status {order['status_code']}"

    def quote_ordered(self, serial: int) -> str:
        now = self.store.now()
        open_quotes = [
            q
            for q in self.store.quotes.values()
            if q["status"] in _OPEN_QUOTE and q["expired_at"] > now and q["company_id"]
        ]
        if not open_quotes:
            return self.quote_requested(serial)
        # The oldest: one requested moments ago would be new and ordered in one poll.
        quote = min(open_quotes, key=lambda q: q["created_at"])
        company = self.store.companies[quote["company_id"]]
        order = self._new_order(serial, f"Quote {quote['number']}", company)
        mark_ordered(self.store, quote, order["bc_order_id"])
        return f"quote {quote['id']} ordered as order {order['bc_order_id']}"

    def invoice_issued(self, serial: int) -> str:
        invoiced = {i["order_number"] for i in self.store.invoices.values()}
        orders = [
            o
            for o in self.store.orders.values()
            if o["company_id"] and str(o["bc_order_id"]) not in invoiced
        ]
        order = max(orders, key=lambda o: o["created_at"]) if orders else self._new_order(serial)
        invoice = add_invoice(
            self.store,
            number=f"INV-D{serial:05d}",
            company_id=order["company_id"],
            original_balance=order["total"],
            open_balance=order["total"],
            order_number=str(order["bc_order_id"]),
            po_number=order["po_number"],
        )
        return f"invoice {invoice['id']} issued for order {order['bc_order_id']}"

    def invoice_paid(self, serial: int) -> str:
        unpaid = [i for i in self.store.invoices.values() if i["open_balance"] > 0]
        if not unpaid:
            return self.invoice_issued(serial)
        invoice = min(unpaid, key=lambda i: i["created_at"])
        # An open invoice is paid in part half the time; a part-paid one, in full.
        amount = invoice["open_balance"]
        if invoice["open_balance"] == invoice["original_balance"] and self.rng.random() < 0.5:
            amount = round(amount * self.rng.uniform(0.2, 0.8), 2)
        record_payment(
            self.store,
            company_id=invoice["company_id"],
            currency=invoice["currency"],
            lines=[(invoice, amount)],
            memo=f"Cheque {serial}",
        )
        return f"invoice {invoice['id']} paid {amount:.2f} {invoice['currency']}"

    def _approved_company(self) -> Record:
        approved = [c for c in self.store.companies.values() if c["status"] == 1]
        if not approved:  # a store with no approved company yet: the first one is
            first = next(iter(self.store.companies.values()))
            first["status"], first["updated_at"] = 1, self.store.now()
            approved = [first]
        return self.rng.choice(approved)

    def _buyer(self, company: Record) -> Record:
        return next(u for u in self.store.users.values() if u["company_id"] == company["id"])

    def _new_order(self, serial: int, po_number: str = "", company: Record | None = None) -> Record:
        company = company or self._approved_company()
        return add_order(
            self.store,
            bc_order_id=max(self.store.orders, default=100) + 1,
            company_id=company["id"],
            customer_id=self._buyer(company)["customer_id"],
            po_number=po_number,
            status_code=11,  # paid, waiting to be picked and packed
        )


async def generate_activity(
    store: SimulatedStore, interval: float, *, seed: int | None = None
) -> None:
    """Every `interval` seconds, the next `STEPS_PER_TICK` changes of the cycle, until
    cancelled: each trigger has something to report within four intervals."""
    demo = Demo(store, random.Random(seed))
    steps = zip(count(1), cycle(demo.steps), strict=False)
    while True:
        await anyio.sleep(interval)
        for serial, step in islice(steps, STEPS_PER_TICK):
            try:
                logger.info("demo activity: %s", step(serial))
            except Exception:  # the demo goes on without this one change
                logger.exception("demo activity failed")
