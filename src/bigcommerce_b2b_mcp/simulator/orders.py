"""Simulated `/orders`: B2B records of BigCommerce orders, B2C orders included in lists."""

from __future__ import annotations

import random
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .envelopes import APIFailure, envelope, page_of
from .inputs import EXTRA_FIELDS, Query, Rule, in_range, json_body, path_id, store_of, validated
from .store import Record, SimulatedStore

MAX_LIMIT = 200
CHANNEL_ID = 1  # every simulated order comes from the one storefront
DEFAULT_WINDOW = 365 * 24 * 3600
STATUS_NAMES = {
    0: "Incomplete",
    1: "Pending",
    2: "Shipped",
    3: "Partially Shipped",
    4: "Refunded",
    5: "Cancelled",
    6: "Declined",
    7: "Awaiting Payment",
    8: "Awaiting Pickup",
    9: "Awaiting Shipment",
    10: "Completed",
    11: "Awaiting Fulfillment",
    12: "Manual Verification Required",
    13: "Disputed",
    14: "Partially Refunded",
}
CREATE_RULES = {
    "bcOrderId": Rule(kind=int, required=True),
    "customerId": Rule(kind=int, required=True),
    "poNumber": Rule(allow_blank=True, max_length=200),
    "extraFields": EXTRA_FIELDS,
}
MONEY = [
    {
        "currencyLocation": "left",
        "currencyToken": "$",
        "decimalToken": ".",
        "decimalPlaces": 2,
        "thousandsToken": ",",
    }
]

_NOT_FOUND = APIFailure(404, "Order Does Not Exist.", data={})


def add_order(
    store: SimulatedStore,
    *,
    bc_order_id: int,
    company_id: int,
    customer_id: int,
    po_number: str = "",
    status_code: int | None = None,
    total: float | None = None,
    items: int | None = None,
    created_at: int | None = None,
) -> Record:
    """Store the B2B record of a BigCommerce order (company 0 for a B2C order)."""
    now = created_at if created_at is not None else store.now()
    shape = random.Random(bc_order_id)  # the same order always gets the same totals
    order: Record = {
        "id": store.next_id("order", start=9001),
        "bc_order_id": bc_order_id,
        "company_id": company_id,
        "customer_id": customer_id,
        "total": total if total is not None else round(shape.uniform(40, 5000), 2),
        "items": items if items is not None else shape.randint(1, 60),
        "status_code": status_code if status_code is not None else shape.choice((1, 7, 9, 10, 11)),
        "po_number": po_number,
        "extra_fields": [],
        "created_at": now,
        "updated_at": now,
    }
    store.orders[bc_order_id] = order
    return order


def present(order: Record, *, detail: bool, extra: bool = False) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "id": order["id"],
        "bcOrderId": order["bc_order_id"],
        "companyId": order["company_id"],
        "totalIncTax": order["total"],
        "usdIncTax": order["total"],
        "currencyCode": "USD",
        "poNumber": order["po_number"],
        "status": STATUS_NAMES[order["status_code"]],
        "customStatus": STATUS_NAMES[order["status_code"]],
        "statusCode": order["status_code"],
        "items": order["items"],
        "money": MONEY,
        "isArchived": False,
        "channelId": CHANNEL_ID,
        "channelName": "B2B Storefront",
        "extraInfo": [],
        "createdAt": order["created_at"],
        "updatedAt": order["updated_at"],
    }
    if detail:
        shown.update({"isInvoiceOrder": 0, "invoiceStatus": None})
    if detail or extra:
        shown["extraFields"] = order["extra_fields"]
    return shown


async def list_orders(request: Request) -> JSONResponse:
    store = store_of(request)
    query = Query(request)
    limit, offset = query.page(MAX_LIMIT)
    sort_by = query.choice("sortBy", ("createdAt", "updatedAt"), "updatedAt")
    order_by = query.choice("orderBy", ("ASC", "DESC"), "DESC")
    show_extra = bool(query.flag("showExtra"))
    records: list[Any] = in_range(store.orders.values(), query)
    if not query.has("minCreated") and not query.has("minModified"):
        since = store.now() - DEFAULT_WINDOW
        records = [o for o in records if o["created_at"] >= since or o["updated_at"] >= since]
    if (company_id := query.integer("companyId")) is not None:
        records = [o for o in records if o["company_id"] == company_id]
    if (bc_order_id := query.integer("bcOrderId")) is not None:
        records = [o for o in records if o["bc_order_id"] == bc_order_id]
    if channels := query.integers("channelIds"):
        records = [o for o in records if CHANNEL_ID in channels]
    key = "created_at" if sort_by == "createdAt" else "updated_at"
    records.sort(key=lambda o: (o[key], o["id"]), reverse=order_by == "DESC")
    page, pagination = page_of(records, limit, offset)
    data = [present(o, detail=False, extra=show_extra) for o in page]
    return envelope(data, pagination=pagination)


async def create_order(request: Request) -> JSONResponse:
    """Register a BigCommerce order with B2B Edition, as the real `POST /orders` does."""
    store = store_of(request)
    fields = validated(await json_body(request), CREATE_RULES)
    if fields["bcOrderId"] in store.orders:
        raise APIFailure(400, "The order already exists.", "The order already exists.")
    user = store.user_by_customer(fields["customerId"])
    order = add_order(
        store,
        bc_order_id=fields["bcOrderId"],
        company_id=user["company_id"] if user else 0,
        customer_id=fields["customerId"],
        po_number=fields.get("poNumber") or "",
    )
    order["extra_fields"] = fields.get("extraFields") or []
    return envelope(present(order, detail=False))


async def get_order(request: Request) -> JSONResponse:
    order = store_of(request).orders.get(path_id(request, "bcOrderId", _NOT_FOUND))
    if order is None:
        raise _NOT_FOUND
    return envelope(present(order, detail=True))


ROUTES = [
    Route("/orders", list_orders, methods=["GET"]),
    Route("/orders", create_order, methods=["POST"]),
    Route("/orders/{bcOrderId}", get_order, methods=["GET"]),
]
