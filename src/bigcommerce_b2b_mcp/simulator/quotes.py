"""Simulated `/rfq`: the list nests records in `data.list` and puts `message` at the top."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .envelopes import APIFailure, envelope, page_of, parameter_error
from .inputs import EXTRA_FIELDS, Query, Rule, in_range, json_body, path_id, store_of, validated
from .store import Record, SimulatedStore

STATUSES = (0, 2, 3, 4, 5, 6, 7)
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
# The currency a quote's prices are shown in (the spec's `currency` schema).
CURRENCY_RULE = Rule(
    kind=dict,
    fields={
        "token": Rule(allow_blank=True),
        "location": Rule(choices=("left", "right")),
        "currencyCode": Rule(allow_blank=True),
        "decimalToken": Rule(allow_blank=True),
        "decimalPlaces": Rule(kind=int),
        "thousandsToken": Rule(allow_blank=True),
        "currencyExchangeRate": Rule(allow_blank=True),
    },
)
PRODUCT_RULES = {
    "sku": Rule(required=True, max_length=255),
    "productId": Rule(kind=int, required=True),
    "variantId": Rule(kind=int),
    "productName": Rule(max_length=255),
    "basePrice": Rule(kind=float, required=True),
    "discount": Rule(kind=float, required=True),
    "offeredPrice": Rule(kind=float, required=True),
    "quantity": Rule(kind=int, required=True),
    "notes": Rule(allow_blank=True),
    "options": Rule(
        kind=list,
        items=Rule(
            kind=dict,
            required=True,
            fields={
                "optionId": Rule(kind=int),
                "optionValue": Rule(allow_blank=True),
                "optionLabel": Rule(allow_blank=True),
                "optionName": Rule(allow_blank=True),
            },
        ),
    ),
}
CREATE_RULES = {
    "grandTotal": Rule(kind=float, required=True),
    "discount": Rule(kind=float, required=True),
    "totalAmount": Rule(kind=float, required=True),
    "subtotal": Rule(kind=float, required=True),
    "expiredAt": Rule(required=True),
    "productList": Rule(
        kind=list, required=True, items=Rule(kind=dict, required=True, fields=PRODUCT_RULES)
    ),
    "contactInfo": Rule(
        kind=dict,
        required=True,
        fields={
            "name": Rule(required=True, max_length=200),
            "email": Rule(required=True, email=True, max_length=200),
            "companyName": Rule(allow_blank=True, max_length=200),
            "phoneNumber": Rule(allow_blank=True, max_length=100),
        },
    ),
    "companyId": Rule(kind=int),
    "channelId": Rule(kind=int),
    "userEmail": Rule(email=True),
    "quoteTitle": Rule(allow_blank=True, max_length=200),
    "referenceNumber": Rule(allow_blank=True, max_length=200),
    "notes": Rule(allow_blank=True),
    "legalTerms": Rule(allow_blank=True),
    "message": Rule(allow_blank=True),
    "displayDiscount": Rule(kind=bool),
    "allowCheckout": Rule(kind=bool),
    "extraFields": EXTRA_FIELDS,
}
SALES_REP = "Store Owner"

_NOT_FOUND = APIFailure(404, "Not found error", "Quote does not exist.")  # the spec's example


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
        "created_by": SALES_REP,
        "sales_rep": SALES_REP,
        "sales_rep_email": "",
        "contact": contact,
        "products": products,
        "subtotal": subtotal,
        "discount": discount,
        "grand_total": round(subtotal - discount, 2),
        "notes": "",
        "legal_terms": "",
        "allow_checkout": True,
        "extra_fields": [],
        "history": [],
        "bc_order_id": "",
        "channel_id": 1,
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
        "channelId": quote["channel_id"],
        "channelName": "B2B Storefront",
        "extraFields": quote["extra_fields"],
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
            "legalTerms": quote["legal_terms"],
            "displayDiscount": quote["discount"] > 0,
            "allowCheckout": quote["allow_checkout"],
            "trackingHistory": quote["history"],
            "contactInfo": quote["contact"],
            "companyInfo": {
                "companyId": quote["company_id"] or 0,
                "companyName": company["name"] if company else quote["company_name"],
            },
            "productList": quote["products"],
            "salesRepInfo": {
                "salesRepName": quote["sales_rep"],
                "salesRepEmail": quote["sales_rep_email"] or _owner_email(store),
            },
        }
    )
    return shown


async def list_quotes(request: Request) -> JSONResponse:
    store = store_of(request)
    query = Query(request)
    limit, offset = query.page()
    sort_by = query.choice("sortBy", tuple(SORTS), "updatedAt")
    order_by = query.choice("orderBy", ("asc", "desc"), "desc")
    records: list[Any] = in_range(store.quotes.values(), query, expired="expired_at")
    if (status := query.code("status", STATUSES)) is not None:
        records = [r for r in records if r["status"] == status]
    for param, field in _TEXT_FILTERS.items():
        if (text := query.text(param)) is not None:
            records = [r for r in records if text.lower() in str(r[field]).lower()]
    if (q := query.text("q")) is not None:
        needle = q.lower()
        records = [
            r
            for r in records
            if needle in f"{r['number']} {r['title']} {r['company_name']}".lower()
        ]
    if channels := query.integers("channelIds"):
        records = [r for r in records if r["channel_id"] in channels]
    records.sort(key=lambda r: (r[SORTS[sort_by]], r["id"]), reverse=order_by == "desc")
    page, pagination = page_of(records, limit, offset)
    body = {
        "code": 200,
        "message": "SUCCESS",
        "data": {"list": [present_summary(r) for r in page], "pagination": pagination},
    }
    return JSONResponse(body)


# Text filters of GET /rfq: the part of the field they must contain.
_TEXT_FILTERS = {
    "quoteNumber": "number",
    "company": "company_name",
    "salesRep": "sales_rep",
    "quoteTitle": "title",
    "createdBy": "created_by",
}


async def create_quote(request: Request) -> JSONResponse:
    store = store_of(request)
    fields = validated(await json_body(request), CREATE_RULES)
    expires_at = _expiry(fields["expiredAt"])
    company_id = fields.get("companyId")
    if company_id is not None and company_id not in store.companies:
        raise parameter_error({"companyId": ["Company does not exist."]})
    rep = _sales_rep(store, fields.get("userEmail"))
    products = _products(fields["productList"])
    _totals_match(products, fields)
    quote = add_quote(
        store,
        company_id=company_id,
        contact=fields["contactInfo"],
        products=products,
        discount=fields["discount"],
        expires_at=expires_at,
        title=fields.get("quoteTitle") or "",
    )
    quote["channel_id"] = fields.get("channelId") or 1
    quote["sales_rep"], quote["created_by"], quote["sales_rep_email"] = rep
    _apply(store, quote, fields)
    return _saved(store, quote)


def _products(given: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "productId": p["productId"],
            "variantId": p.get("variantId") or 0,
            "productName": p.get("productName") or p["sku"],
            "sku": p["sku"],
            "basePrice": p["basePrice"],
            "discount": p["discount"],
            "offeredPrice": p["offeredPrice"],
            "quantity": p["quantity"],
            "options": p.get("options") or [],
            "notes": p.get("notes") or "",
        }
        for p in given
    ]


def _totals_match(products: list[dict[str, Any]], fields: dict[str, Any]) -> None:
    """The API refuses totals that do not add up from the lines."""
    subtotal = round(sum(p["offeredPrice"] * p["quantity"] for p in products), 2)
    discount = fields.get("discount", 0.0)
    if (
        abs(fields.get("subtotal", subtotal) - subtotal) > 0.005
        or abs(fields.get("grandTotal", subtotal - discount) - (subtotal - discount)) > 0.005
    ):
        detail = "Grand total amount not match for product list details"
        raise APIFailure(422, detail, detail)


def _owner_email(store: SimulatedStore) -> str:
    return f"owner@store-{store.store_hash}.example"


def _sales_rep(store: SimulatedStore, email: str | None) -> tuple[str, str, str]:
    """(name, created by, email) of the quote's owner: a B2B system user (3P notes)."""
    if email is None or email.lower() == _owner_email(store):
        return SALES_REP, SALES_REP, _owner_email(store)
    for staff in store.sales_staff.values():
        if staff["email"].lower() == email.lower():
            return staff["name"], staff["name"], staff["email"]
    detail = "Email must belong to an existing B2B Control Panel system user"
    raise APIFailure(422, detail, detail)


def _apply(store: SimulatedStore, quote: Record, fields: dict[str, Any]) -> None:
    """The optional fields both create and update take; a message joins the history."""
    for name, key in _OPTIONAL.items():
        if fields.get(name) is not None:
            quote[key] = fields[name]
    if fields.get("message"):
        quote["history"].append(
            {"date": store.now(), "role": "Sales rep", "message": fields["message"]}
        )


_OPTIONAL = {
    "quoteTitle": "title",
    "referenceNumber": "reference",
    "notes": "notes",
    "legalTerms": "legal_terms",
    "allowCheckout": "allow_checkout",
    "extraFields": "extra_fields",
}


def _saved(store: SimulatedStore, quote: Record) -> JSONResponse:
    url = f"https://store-{store.store_hash}.example/quote/?id={quote['id']}&date={quote['created_at']}"
    body = {"code": 200, "message": "SUCCESS", "data": {"quoteId": quote["id"], "quoteUrl": url}}
    return JSONResponse(body)


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
    quote = _quote(request)
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


# Rules of `PUT /rfq/{id}`: the create's, none required.
UPDATE_RULES = {
    name: Rule(
        kind=rule.kind,
        max_length=rule.max_length,
        allow_blank=rule.allow_blank,
        email=rule.email,
        items=rule.items,
        fields=rule.fields,
    )
    for name, rule in CREATE_RULES.items()
    if name not in ("companyId", "userEmail")
}
# What a buyer can still act on: checkout and changes stop once ordered, expired or archived.
_OPEN = (0, 2, 3)
_CLOSED_WORDING = {
    4: "Quote has already been ordered",
    5: "Quote has expired",
    6: "Quote has been archived",
    7: "Draft Quote can not be ordered",
}


async def update_quote(request: Request) -> JSONResponse:
    store = store_of(request)
    quote = _quote(request)
    body = await json_body(request)
    if "channelId" in body:  # 3P notes: the channel of a quote cannot change
        raise APIFailure(422, "Invalid channelId", "Invalid channelId")
    if "companyId" in body or "userEmail" in body:  # the spec: neither can change
        detail = "The company and sales rep of a quote cannot be changed"
        raise APIFailure(422, detail, detail)
    fields = validated(body, UPDATE_RULES)
    if quote["status"] == 4:
        detail = _CLOSED_WORDING[4]
        raise APIFailure(422, detail, detail)
    products = _products(fields["productList"]) if "productList" in fields else quote["products"]
    if "productList" in fields or "discount" in fields:
        _totals_match(products, {"discount": quote["discount"], **fields})
        quote["products"] = products
        quote["discount"] = fields.get("discount", quote["discount"])
        quote["subtotal"] = round(sum(p["offeredPrice"] * p["quantity"] for p in products), 2)
        quote["grand_total"] = round(quote["subtotal"] - quote["discount"], 2)
    if "expiredAt" in fields:
        quote["expired_at"] = _expiry(fields["expiredAt"])
    _apply(store, quote, fields)
    quote["updated_at"] = store.now()
    return _saved(store, quote)


async def export_pdf(request: Request) -> JSONResponse:
    store = store_of(request)
    quote = _quote(request)
    validated(await json_body(request), {"currency": CURRENCY_RULE})
    stamp = store.next_id("quote_pdf", start=1)
    url = f"https://s3.example/bundleb2b-quote/{store.store_hash}%3A{quote['number']}-{stamp}.pdf"
    return JSONResponse({"code": 200, "message": "SUCCESS", "data": {"url": url}})


async def checkout(request: Request) -> JSONResponse:
    store = store_of(request)
    quote = _quote(request)
    await json_body(request)
    if quote["status"] not in _OPEN:
        detail = _CLOSED_WORDING.get(quote["status"], "Quote can not be ordered")
        raise APIFailure(422, detail, detail)
    cart = str(uuid.UUID(int=store.next_id("cart", start=1) << 64 | quote["id"]))
    shop = f"https://store-{store.store_hash}.example"
    data = {
        "checkoutUrl": f"{shop}/cart.php?action=loadInCheckout&id={cart}",
        "cartId": cart,
        "cartUrl": f"{shop}/cart.php?action=load&id={cart}",
    }
    return JSONResponse({"code": 200, "message": "SUCCESS", "data": data})


async def assign_order(request: Request) -> JSONResponse:
    """`POST /rfq/{id}/ordered`: the quote was bought as this BigCommerce order."""
    store = store_of(request)
    quote = _quote(request)
    # The spec's only 422 here has a text errMsg: a body without a usable order id
    # (missing, or not even an object) names an invalid order.
    try:
        body = await json_body(request)
    except APIFailure as failure:
        if failure.status != 422:
            raise
        body = {}
    order_id = str(body.get("orderId") or "").strip()
    if not order_id.isdigit() or int(order_id) not in store.orders:
        raise APIFailure(422, "Invalid BigCommerce order", "Invalid BigCommerce order")
    if quote["status"] not in _OPEN:
        detail = _CLOSED_WORDING.get(quote["status"], "Quote can not be ordered")
        raise APIFailure(422, detail, detail)
    mark_ordered(store, quote, int(order_id))
    return JSONResponse({"code": 200, "message": "SUCCESS", "data": {}})


def mark_ordered(store: SimulatedStore, quote: Record, bc_order_id: int) -> None:
    quote["status"] = 4
    quote["bc_order_id"] = str(bc_order_id)
    quote["updated_at"] = store.now()


def _quote(request: Request) -> Record:
    quote = store_of(request).quotes.get(path_id(request, "quoteId", _NOT_FOUND))
    if quote is None:
        raise _NOT_FOUND
    return quote


def _creation_day(quote: Record) -> date:
    return datetime.fromtimestamp(quote["created_at"], UTC).date()


ROUTES = [
    Route("/rfq", list_quotes, methods=["GET"]),
    Route("/rfq", create_quote, methods=["POST"]),
    Route("/rfq/{quoteId}", get_quote, methods=["GET"]),
    Route("/rfq/{quoteId}", update_quote, methods=["PUT"]),
    Route("/rfq/{quoteId}/pdf-export", export_pdf, methods=["POST"]),
    Route("/rfq/{quoteId}/checkout", checkout, methods=["POST"]),
    Route("/rfq/{quoteId}/ordered", assign_order, methods=["POST"]),
]
