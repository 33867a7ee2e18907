"""Deterministic seed data that looks like a real wholesale store."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime

from .addresses import add_address
from .companies import add_company
from .extra_fields import define
from .invoice_payments import record_payment
from .invoices import add_invoice
from .orders import add_order, add_product
from .payments import payment_defaults
from .quotes import add_quote
from .sales_staff import add_sales_staff
from .store import SimulatedStore
from .users import add_user

DAY = 86400

_PREFIXES = (
    "Acme",
    "Blue Ridge",
    "Cascade",
    "Dunmore",
    "Evergreen",
    "Foxglove",
    "Granite",
    "Harbor",
    "Ironwood",
    "Juniper",
    "Keystone",
    "Lakeside",
    "Meridian",
    "Northwind",
    "Oakridge",
    "Pinecrest",
    "Quarry",
    "Redwood",
    "Summit",
    "Tidewater",
    "Union",
    "Valley",
    "Westbrook",
    "Yellowstone",
    "Zenith",
    "Alder",
    "Birchwood",
    "Copperline",
    "Driftwood",
    "Elmstead",
    "Fairview",
    "Goldleaf",
    "Highland",
    "Ivory Coast",
    "Jadeport",
    "Kingsley",
)
_TRADES = (
    "Hardware Supply",
    "Restaurant Group",
    "Medical Supplies",
    "Office Outfitters",
    "Builders",
    "Salon Supply",
    "Auto Parts",
    "Hospitality",
    "Garden Centers",
    "Distributors",
)
_FIRST = (
    "Ava",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Felix",
    "Grace",
    "Hiro",
    "Isla",
    "Jonas",
    "Kara",
    "Liam",
    "Maya",
    "Noah",
    "Olga",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
)
_LAST = (
    "Nguyen",
    "Okafor",
    "Schmidt",
    "Garcia",
    "Patel",
    "Kowalski",
    "Rossi",
    "Tanaka",
    "Murphy",
    "Haddad",
    "Larsen",
    "Silva",
    "Cohen",
    "Dubois",
    "Moreau",
    "Walsh",
)
_CITIES = (
    ("Austin", "Texas", "TX", "78704"),
    ("Denver", "Colorado", "CO", "80202"),
    ("Portland", "Oregon", "OR", "97205"),
    ("Columbus", "Ohio", "OH", "43215"),
    ("Raleigh", "North Carolina", "NC", "27601"),
    ("Tampa", "Florida", "FL", "33602"),
    ("Madison", "Wisconsin", "WI", "53703"),
    ("Boise", "Idaho", "ID", "83702"),
)
_STREETS = ("Main", "Oak", "Pine", "Market")
_PRODUCTS = (
    ("DPB", 101, "Dustpan & Brush", 34.95),
    ("CC-12", 102, "Commercial Coffee Urn", 189.00),
    ("NTR-500", 103, "Nitrile Gloves (500)", 42.50),
    ("LED-40", 104, "LED Panel 40W", 58.00),
    ("SHV-3", 105, "Steel Shelving Unit", 240.00),
    ("TWL-24", 106, "Towel Bundle (24)", 61.20),
)


def seed(store: SimulatedStore, *, companies: int = 36, rng_seed: int = 20260101) -> None:
    """Fill `store` with companies, users, addresses, orders, quotes and invoices.

    The same seed gives the same store, with dates spread over the last two years
    before the store's clock, so the orders list's one-year window is exercised.
    """
    rng = random.Random(rng_seed)
    now = store.now()
    next_bc_order = 100
    for index in range(companies):
        created = now - rng.randint(20, 720) * DAY - rng.randint(0, DAY)
        name = f"{_PREFIXES[index % len(_PREFIXES)]} {rng.choice(_TRADES)}"
        slug = name.lower().replace(" ", "").replace("&", "")[:18]
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        status = rng.choices((1, 0, 2, 3), weights=(24, 5, 2, 3))[0]
        city, state, state_code, zip_code = rng.choice(_CITIES)
        company = add_company(
            store,
            name=name,
            email=f"accounts@{slug}.example",
            phone=f"+1-555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
            country="United States",
            status=status,
            created_at=created,
            admin={
                "first_name": first,
                "last_name": last,
                "email": f"{first.lower()}.{last.lower()}@{slug}.example",
                "phone": f"+1-555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
            },
            extra={
                "address_line1": f"{rng.randint(10, 9999)} {rng.choice(_STREETS)} St",
                "city": city,
                "state": state,
                "zip_code": zip_code,
            },
        )
        company_id = company["id"]
        buyers = [u for u in store.users.values() if u["company_id"] == company_id]
        for extra_user in range(rng.randint(0, 3)):
            bf, bl = rng.choice(_FIRST), rng.choice(_LAST)
            buyers.append(
                add_user(
                    store,
                    company_id=company_id,
                    first_name=bf,
                    last_name=bl,
                    email=f"{bf.lower()}.{bl.lower()}{extra_user}@{slug}.example",
                    role=rng.choice((1, 2, 2)),
                    created_at=created + rng.randint(1, 30) * DAY,
                )
            )
        for number in range(rng.randint(1, 3)):
            add_address(
                store,
                company_id=company_id,
                created_at=created + number * DAY,
                first_name=first,
                last_name=last,
                label="Head office" if number == 0 else f"Warehouse {number}",
                address_line1=f"{rng.randint(10, 9999)} Commerce Way",
                city=city,
                state_name=state,
                state_code=state_code,
                country_name="United States",
                country_code="US",
                zip_code=zip_code,
                is_billing=number == 0,
                is_shipping=True,
                is_default_billing=number == 0,
                is_default_shipping=number == 0,
            )
        if status != 1:
            continue
        for _ in range(rng.randint(0, 5)):
            buyer = rng.choice(buyers)
            ordered = created + rng.randint(1, max(1, (now - created) // DAY - 1)) * DAY
            order = add_order(
                store,
                bc_order_id=next_bc_order,
                company_id=company_id,
                customer_id=buyer["customer_id"],
                po_number=f"PO-{rng.randint(10000, 99999)}",
                created_at=ordered,
            )
            next_bc_order += 1
            if rng.random() < 0.5:
                paid = rng.random() < 0.5
                add_invoice(
                    store,
                    number=f"INV-{order['bc_order_id']:06d}",
                    company_id=company_id,
                    original_balance=order["total"],
                    open_balance=0.0 if paid else order["total"],
                    order_number=str(order["bc_order_id"]),
                    po_number=order["po_number"],
                    created_at=ordered + DAY,
                )
        if rng.random() < 0.6:
            sku, product_id, product_name, price = rng.choice(_PRODUCTS)
            quantity = rng.randint(5, 200)
            quoted = created + rng.randint(1, max(1, (now - created) // DAY - 1)) * DAY
            add_quote(
                store,
                company_id=company_id,
                contact={
                    "name": f"{first} {last}",
                    "email": buyers[0]["email"],
                    "companyName": name,
                },
                products=[
                    {
                        "productId": product_id,
                        "variantId": product_id * 10,
                        "productName": product_name,
                        "sku": sku,
                        "basePrice": price,
                        "discount": 0.0,
                        "offeredPrice": round(price * 0.9, 2),
                        "quantity": quantity,
                        "options": [],
                        "notes": "",
                    }
                ],
                expires_at=quoted + 30 * DAY,
                title=f"{product_name} for {name}",
                status=rng.choice((0, 2, 2, 3, 4, 5)),
                created_at=quoted,
            )
    for _ in range(6):  # guest and B2C orders: in the list, but no company
        add_order(
            store,
            bc_order_id=next_bc_order,
            company_id=0,
            customer_id=0,
            created_at=now - rng.randint(1, 200) * DAY,
        )
        next_bc_order += 1
    # A second generator, so the records above stay the same whatever is added below.
    _seed_the_desk(store, random.Random(rng_seed + 1))


_EXTRA_FIELDS = {
    "company": (("Tax code", 0, ()), ("Industry", 3, ("Retail", "Hospitality", "Health"))),
    "user": (("Cost center", 0, ()),),
    "address": (("Dock hours", 0, ()),),
    "order": (("Delivery instructions", 1, ()),),
    "quote": (("Project name", 0, ()),),
    "invoice": (("Department", 0, ()),),
}
_SALES_STAFF = (
    ("Dana Whitfield", "dana.whitfield"),
    ("Marcus Bell", "marcus.bell"),
    ("Sofia Lindqvist", "sofia.lindqvist"),
    ("Omar Farouk", "omar.farouk"),
)
_BRANDS = ("Keystone Supply", "Rustic Roots", "Brightline")
_OPTIONS = (("Color", ("Slate", "White", "Black")), ("Size", ("S", "M", "L")))


def _seed_the_desk(store: SimulatedStore, rng: random.Random) -> None:
    """What a B2B desk works with besides the records: extra field definitions, each
    company's credit, terms and payment methods, sales staff and the companies they
    cover, subsidiaries under a few parents, and the lines of every order."""
    for resource, fields in _EXTRA_FIELDS.items():
        for name, field_type, choices in fields:
            define(store, resource, name, field_type=field_type, choices=choices)
    for company in store.companies.values():
        payment_defaults(store, company)
        if rng.random() < 0.6:
            company["credit"].update(
                creditEnabled=True, availableCredit=float(rng.choice((5, 10, 25, 50, 100)) * 1000)
            )
        if rng.random() < 0.5:
            company["terms"] = {"isEnabled": True, "paymentTerms": rng.choice((15, 30, 30, 45))}
        company["payment_methods"]["bankdeposit"] = rng.random() < 0.4
    staff = [
        add_sales_staff(
            store,
            name=name,
            email=f"{handle}@store-{store.store_hash}.example",
            phone=f"+1-555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        )
        for name, handle in _SALES_STAFF
    ]
    companies = sorted(store.companies)
    for company_id in companies:
        if rng.random() < 0.7:
            rng.choice(staff)["assignments"][company_id] = store.companies[company_id]["created_at"]
    # Three account hierarchies: a parent with two or three subsidiaries each (fewer in a
    # small store).
    children = iter(companies[3:])
    for parent_id in companies[:3]:
        for child_id in itertools.islice(children, rng.randint(2, 3)):
            store.companies[child_id]["parent_id"] = parent_id
    # Invoices seeded as paid were paid by cheque or transfer; some open ones in part.
    for invoice in store.invoices.values():
        paid = invoice["original_balance"] - invoice["open_balance"]
        if paid > 0:
            invoice["open_balance"] = invoice["original_balance"]  # the payment lowers it
        elif rng.random() < 0.3:
            paid = round(invoice["original_balance"] * rng.choice((0.25, 0.5)), 2)
        if paid > 0:
            record_payment(
                store,
                company_id=invoice["company_id"],
                currency=invoice["currency"],
                lines=[(invoice, paid)],
                memo=rng.choice(("Cheque #", "Wire ref ", "ACH ")) + str(rng.randint(1000, 9999)),
                created_at=invoice["created_at"] + rng.randint(2, 25) * DAY,
            )
    for order in store.orders.values():
        for _ in range(rng.randint(1, 4)):
            sku, product_id, name, _price = rng.choice(_PRODUCTS)
            option, values = rng.choice(_OPTIONS)
            add_product(
                store,
                order,
                product_id=product_id,
                name=name,
                sku=sku,
                quantity=rng.randint(1, 40),
                brand=rng.choice(_BRANDS),
                options=[(option, rng.choice(values))] if rng.random() < 0.5 else [],
            )


def describe(store: SimulatedStore) -> str:
    when = datetime.fromtimestamp(store.now(), tz=UTC).isoformat(timespec="seconds")
    return (
        f"{len(store.companies)} companies, {len(store.users)} users, {len(store.addresses)} "
        f"addresses, {len(store.orders)} orders, {len(store.quotes)} quotes, "
        f"{len(store.invoices)} invoices as of {when}"
    )
