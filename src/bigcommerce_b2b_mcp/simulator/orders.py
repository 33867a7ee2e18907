"""Simulated `/orders`: B2B records of BigCommerce orders, B2C orders included in lists."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .envelopes import APIFailure, envelope, logical_error, page_of
from .extra_fields import missing_required
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
UPDATE_RULES = {
    "poNumber": Rule(allow_blank=True, max_length=200),
    "extraFields": EXTRA_FIELDS,
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
_NO_SUCH_ORDER = APIFailure(404, "The order does not exist.", data={})  # the products' wording


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
        "products": [],
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
    missing_required(store, "order", fields.get("extraFields") or [])
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
    return envelope(present(_order(request), detail=True))


def set_status(store: SimulatedStore, order: Record, status_code: int) -> None:
    """Move an order to another BigCommerce status, as fulfilment does (not through B2B)."""
    order["status_code"] = status_code
    order["updated_at"] = store.now()


def add_product(
    store: SimulatedStore,
    order: Record,
    *,
    product_id: int,
    name: str,
    sku: str,
    quantity: int,
    brand: str = "",
    options: Sequence[tuple[str, str]] = (),
) -> Record:
    """Add a line to an order (B2B Edition keeps no prices for it)."""
    line_id = store.next_id("order_product", start=3001)
    line: Record = {
        "id": line_id,
        "productId": product_id,
        "createdAt": order["created_at"],
        "updatedAt": order["created_at"],
        "productName": name,
        "variantSku": sku,
        "variantId": product_id * 10,
        "productBrandName": brand,
        "quantity": quantity,
        "options": [
            {
                "id": store.next_id("order_product_option", start=101),
                "optionId": 4000 + index,
                "productOptionId": 200 + index,
                "orderProductId": line_id,
                "displayName": option,
                "displayNameCustomer": option,
                "displayNameMerchant": option,
                "displayValue": value,
                "displayValueCustomer": value,
                "displayValueMerchant": value,
                "value": index + 1,
                "type": "Multiple choice",
                "name": option.lower(),
                "displayStyle": "Dropdown",
            }
            for index, (option, value) in enumerate(options)
        ],
    }
    order["products"].append(line)
    return line


def _order(request: Request) -> Record:
    order = store_of(request).orders.get(path_id(request, "bcOrderId", _NOT_FOUND))
    if order is None:
        raise _NOT_FOUND
    return order


async def list_order_products(request: Request) -> JSONResponse:
    order = store_of(request).orders.get(path_id(request, "bcOrderId", _NO_SUCH_ORDER))
    if order is None:
        raise _NO_SUCH_ORDER
    return JSONResponse({"code": 200, "data": order["products"], "message": "SUCCESS"})


async def update_order(request: Request) -> JSONResponse:
    store = store_of(request)
    order = _order(request)
    fields = validated(await json_body(request), UPDATE_RULES)
    if not fields:
        raise logical_error("Provide poNumber or extraFields.")
    if fields.get("poNumber") is not None:
        order["po_number"] = fields["poNumber"]
    if fields.get("extraFields") is not None:
        order["extra_fields"] = fields["extraFields"]
    order["updated_at"] = store.now()
    return JSONResponse({"code": 200, "data": [present(order, detail=True)], "message": "SUCCESS"})


async def assign_customer_orders(request: Request) -> JSONResponse:
    """Move a company user's earlier (B2C) orders to their company."""
    store = store_of(request)
    no_user = APIFailure(404, "User does not exist or action not support for this user.", data={})
    user = store.user_by_customer(path_id(request, "customerId", no_user))
    if user is None:
        raise no_user
    moved = 0
    for order in store.orders.values():
        if (
            order["customer_id"] == user["customer_id"]
            and order["company_id"] != user["company_id"]
        ):
            order["company_id"] = user["company_id"]
            order["updated_at"] = store.now()
            moved += 1
    return JSONResponse({"code": 200, "data": {"total": moved}, "message": "SUCCESS"})


ROUTES = [
    Route("/orders", list_orders, methods=["GET"]),
    Route("/orders", create_order, methods=["POST"]),
    Route("/orders/{bcOrderId}", get_order, methods=["GET"]),
    Route("/orders/{bcOrderId}", update_order, methods=["PUT"]),
    Route("/orders/{bcOrderId}/products", list_order_products, methods=["GET"]),
    Route("/customers/{customerId}/orders/b2b", assign_customer_orders, methods=["PUT"]),
]
