"""Simulated `/rfq`: the list nests records in `data.list` and puts `message` at the top."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .responses import (
    APIFailure,
    Query,
    Rule,
    envelope,
    field_errors,
    in_range,
    json_body,
    page_of,
    parameter_error,
    path_id,
    store_of,
)
from .store import Record, SimulatedStore

STATUSES = (0, 1, 2, 3, 4, 5, 6, 7)
SORTS = {
    "createdAt": "created_at",
    "updatedAt": "updated_at",
    "expiredAt": "expired_at",
    "status": "status",
    "company": "company_name",
    "salesRep": "sales_rep",
}
CURRENCY = {
    "token": "$",
    "location": "left",
    "currencyCode": "USD",
    "decimalToken": ".",
    "decimalPlaces": 2,
    "thousandsToken": ",",
    "currencyExchangeRate": 1,
}
CREATE_RULES = {
    "grandTotal": Rule(kind=float, required=True),
    "discount": Rule(kind=float, required=True),
    "totalAmount": Rule(kind=float, required=True),
    "subtotal": Rule(kind=float, required=True),
    "expiredAt": Rule(required=True),
    "productList": Rule(kind=list, required=True),
    "contactInfo": Rule(kind=dict, required=True),
    "companyId": Rule(kind=int),
    "quoteTitle": Rule(allow_blank=True),
    "referenceNumber": Rule(allow_blank=True),
    "notes": Rule(allow_blank=True),
}
PRODUCT_RULES = {
    "sku": Rule(required=True),
    "productId": Rule(kind=int, required=True),
    "basePrice": Rule(kind=float, required=True),
    "discount": Rule(kind=float, required=True),
    "offeredPrice": Rule(kind=float, required=True),
    "quantity": Rule(kind=int, required=True),
}

_NOT_FOUND = APIFailure(404, "Quote does not exist.", data={})


def add_quote(
    store: SimulatedStore,
    *,
    company_id: int | None,
    contact: dict[str, str],
    products: list[dict[str, Any]],
    discount: float = 0.0,
    expires_at: int,
    title: str = "",
    status: int = 2,
    created_at: int | None = None,
) -> Record:
    """Store a quote the way `POST /rfq` does (staff-created quotes start "In Process")."""
    now = created_at if created_at is not None else store.now()
    quote_id = store.next_id("quote", start=101)
    subtotal = round(sum(p["offeredPrice"] * p["quantity"] for p in products), 2)
    company = store.companies.get(company_id) if company_id else None
    quote: Record = {
        "id": quote_id,
        "number": f"QN{quote_id:06d}",
        "title": title,
        "reference": "",
        "status": status,
        "company_id": company_id,
        "company_name": company["name"] if company else contact.get("companyName", ""),
        "created_by": "Store Owner",
        "sales_rep": "Store Owner",
        "contact": contact,
        "products": products,
        "subtotal": subtotal,
        "discount": discount,
        "grand_total": round(subtotal - discount, 2),
        "notes": "",
        "bc_order_id": "",
        "created_at": now,
        "updated_at": now,
        "expired_at": expires_at,
    }
    store.quotes[quote_id] = quote
    return quote


def present_summary(quote: Record) -> dict[str, Any]:
    return {
        "quoteId": quote["id"],
        "quoteNumber": quote["number"],
        "quoteTitle": quote["title"],
        "referenceNumber": quote["reference"],
        "status": quote["status"],
        "company": quote["company_name"],
        "createdBy": quote["created_by"],
        "salesRep": quote["sales_rep"],
        "subtotal": quote["subtotal"],
        "currency": CURRENCY,
        "bcOrderId": quote["bc_order_id"],
        "orderId": quote["bc_order_id"],
        "channelId": 1,
        "channelName": "B2B Storefront",
        "extraFields": [],
        "createdAt": quote["created_at"],
        "updatedAt": quote["updated_at"],
        "expiredAt": quote["expired_at"],
    }


def present_detail(store: SimulatedStore, quote: Record) -> dict[str, Any]:
    """`GET /rfq/{id}`: the whole quote, and no quoteId of its own."""
    company = store.companies.get(quote["company_id"]) if quote["company_id"] else None
    shown = present_summary(quote)
    del shown["quoteId"], shown["company"], shown["salesRep"]
    shown.update(
        {
            "discount": quote["discount"],
            "grandTotal": quote["grand_total"],
            "totalAmount": quote["grand_total"],
            "shippingTotal": 0,
            "taxTotal": 0,
            "discountType": 2,
            "discountValue": quote["discount"],
            "notes": quote["notes"],
            "legalTerms": "",
            "displayDiscount": quote["discount"] > 0,
            "allowCheckout": True,
            "contactInfo": quote["contact"],
            "companyInfo": {
                "companyId": quote["company_id"] or 0,
                "companyName": company["name"] if company else quote["company_name"],
            },
            "productList": quote["products"],
            "salesRepInfo": {"salesRepName": quote["sales_rep"], "salesRepEmail": ""},
        }
    )
    return shown


async def list_quotes(request: Request) -> JSONResponse:
    store = store_of(request)
    query = Query(request)
    limit, offset = query.page()
    sort_by = query.choice("sortBy", tuple(SORTS), "updatedAt")
    order_by = query.choice("orderBy", ("asc", "desc"), "desc")
    records: list[Any] = in_range(store.quotes.values(), query)
    if (status := query.integer("status")) is not None:
        if status not in STATUSES:
            raise parameter_error({"status": [f'"{status}" is not a valid choice.']})
        records = [r for r in records if r["status"] == status]
    if (company := query.text("company")) is not None:
        records = [r for r in records if company.lower() in r["company_name"].lower()]
    if (q := query.text("q")) is not None:
        needle = q.lower()
        records = [
            r
            for r in records
            if needle in f"{r['number']} {r['title']} {r['company_name']}".lower()
        ]
    records.sort(key=lambda r: (r[SORTS[sort_by]], r["id"]), reverse=order_by == "desc")
    page, pagination = page_of(records, limit, offset)
    body = {
        "code": 200,
        "message": "SUCCESS",
        "data": {"list": [present_summary(r) for r in page], "pagination": pagination},
    }
    return JSONResponse(body)


async def create_quote(request: Request) -> JSONResponse:
    store = store_of(request)
    body = await json_body(request)
    errors = field_errors(body, CREATE_RULES)
    for index, product in enumerate(body.get("productList") or []):
        product_errors = (
            field_errors(product, PRODUCT_RULES)
            if isinstance(product, dict)
            else {"product": ["Invalid data."]}
        )
        if product_errors:
            errors[f"productList.{index}"] = [f"{k}: {v[0]}" for k, v in product_errors.items()]
    contact = body.get("contactInfo")
    if isinstance(contact, dict) and not (contact.get("name") and contact.get("email")):
        errors["contactInfo"] = ["name and email are required."]
    if errors:
        raise parameter_error(errors)
    expires_at = _expiry(body["expiredAt"])
    company_id = int(body["companyId"]) if body.get("companyId") is not None else None
    if company_id is not None and company_id not in store.companies:
        raise parameter_error({"companyId": ["Company does not exist."]})
    products = [
        {
            "productId": int(p["productId"]),
            "variantId": int(p.get("variantId") or 0),
            "productName": p.get("productName") or p["sku"],
            "sku": p["sku"],
            "basePrice": float(p["basePrice"]),
            "discount": float(p["discount"]),
            "offeredPrice": float(p["offeredPrice"]),
            "quantity": int(p["quantity"]),
            "options": p.get("options") or [],
            "notes": p.get("notes") or "",
        }
        for p in body["productList"]
    ]
    subtotal = round(sum(p["offeredPrice"] * p["quantity"] for p in products), 2)
    discount = float(body["discount"])
    if (
        abs(float(body["subtotal"]) - subtotal) > 0.005
        or abs(float(body["grandTotal"]) - (subtotal - discount)) > 0.005
    ):
        detail = "Grand total amount not match for product list details"
        raise APIFailure(422, detail, detail)
    quote = add_quote(
        store,
        company_id=company_id,
        contact=contact if isinstance(contact, dict) else {},
        products=products,
        discount=discount,
        expires_at=expires_at,
        title=body.get("quoteTitle") or "",
    )
    return JSONResponse(
        {
            "code": 200,
            "message": "SUCCESS",
            "data": {
                "quoteId": quote["id"],
                "quoteUrl": f"https://store-{store.store_hash}.example/quote/?id={quote['id']}&date={quote['created_at']}",
            },
        }
    )


def _expiry(value: Any) -> int:
    try:
        moment = datetime.strptime(str(value), "%m/%d/%Y").replace(tzinfo=UTC)
    except ValueError:
        raise parameter_error(
            {"expiredAt": ["Date has wrong format. Use one of these formats instead: MM/DD/YYYY."]}
        ) from None
    return int(moment.timestamp()) + 86399


async def get_quote(request: Request) -> JSONResponse:
    store = store_of(request)
    quote = store.quotes.get(path_id(request, "quoteId", _NOT_FOUND))
    if quote is None:
        raise _NOT_FOUND
    # The spec requires `date` (the creation day); stores answer without it too. A store
    # that insists answers as DRF does for a missing or mismatched field (inferred: the
    # real answer to a missing `date` is undocumented).
    day = Query(request).text("date")
    if day is not None:
        try:
            asked = datetime.strptime(day, "%m/%d/%Y").date()
        except ValueError:
            raise parameter_error({"date": ["Date has wrong format. Use MM/DD/YYYY."]}) from None
        if store.require_quote_date and asked != _creation_day(quote):
            raise _NOT_FOUND
    elif store.require_quote_date:
        raise parameter_error({"date": ["This field is required."]})
    return envelope(present_detail(store, quote))


def _creation_day(quote: Record) -> date:
    return datetime.fromtimestamp(quote["created_at"], UTC).date()


ROUTES = [
    Route("/rfq", list_quotes, methods=["GET"]),
    Route("/rfq", create_quote, methods=["POST"]),
    Route("/rfq/{quoteId}", get_quote, methods=["GET"]),
]
