"""Simulated `/ip/invoices`: money as decimal strings, the company id as a string."""

from __future__ import annotations

import math
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .envelopes import APIFailure, envelope, logical_error, page_of, parameter_error
from .inputs import EXTRA_FIELDS, Query, Rule, json_body, path_id, store_of, validated
from .store import Record, SimulatedStore

DUE_DAYS = 30
CHANNEL_ID = 1  # every simulated invoice belongs to the one storefront
SORTS = {
    "invoiceNumber": "number",
    "createdAt": "created_at",
    "updatedAt": "updated_at",
    "dueDate": "due_date",
    "customerId": "company_id",
    "externalCustomerId": "external_customer_id",
    "isPendingPayment": "is_pending_payment",
    "openBalance": "open_balance",
    "originalBalance": "original_balance",
    "status": "status",
}
SEARCHABLE = {
    "invoiceNumber": "number",
    "type": "type",
    "orderNumber": "order_number",
    "purchaseOrderNumber": "po_number",
    "customerId": "company_id",
    "externalCustomerId": "external_customer_id",
}
_MONEY = Rule(
    kind=dict,
    required=True,
    fields={"code": Rule(required=True, max_length=3), "value": Rule(kind=float, required=True)},
)
_TEXT_MONEY = Rule(
    kind=dict,
    required=True,
    fields={"code": Rule(required=True, max_length=3), "value": Rule(required=True)},
)
_ADDRESS = {
    name: Rule(required=True, allow_blank=True, max_length=200)
    for name in (
        "firstName",
        "lastName",
        "street1",
        "street2",
        "city",
        "state",
        "zipCode",
        "country",
    )
}
DETAILS = Rule(
    kind=dict,
    fields={
        "header": Rule(
            kind=dict,
            fields={
                "costLines": Rule(
                    kind=list,
                    items=Rule(
                        kind=dict,
                        required=True,
                        fields={"amount": _TEXT_MONEY, "description": Rule(required=True)},
                    ),
                ),
                "billingAddress": Rule(kind=dict, fields=_ADDRESS),
                "shippingAddresses": Rule(
                    kind=list, items=Rule(kind=dict, required=True, fields=_ADDRESS)
                ),
            },
        ),
        "details": Rule(
            kind=dict,
            fields={
                "lineItems": Rule(
                    kind=list,
                    items=Rule(
                        kind=dict,
                        required=True,
                        fields={
                            "sku": Rule(required=True, max_length=255),
                            "quantity": Rule(required=True),
                            "unitPrice": _TEXT_MONEY,
                            "description": Rule(allow_blank=True),
                            "type": Rule(allow_blank=True),
                            "comments": Rule(allow_blank=True),
                            "unitDiscount": Rule(kind=dict, fields=_TEXT_MONEY.fields),
                        },
                    ),
                ),
                "shipments": Rule(
                    kind=list,
                    items=Rule(
                        kind=dict,
                        required=True,
                        fields={
                            name: Rule(required=True, allow_blank=True)
                            for name in (
                                "addressIndex",
                                "shipDate",
                                "shipVia",
                                "trackingNumber",
                                "comments",
                            )
                        },
                    ),
                ),
            },
        ),
    },
)
CREATE_RULES = {
    "invoiceNumber": Rule(required=True, max_length=100),
    "customerId": Rule(required=True),
    "originalBalance": _MONEY,
    "openBalance": _MONEY,
    "type": Rule(allow_blank=True, max_length=100),
    "dueDate": Rule(kind=int),
    "issuedAt": Rule(kind=float),
    "status": Rule(kind=int, choices=(0, 1, 2)),
    "source": Rule(kind=int, choices=(0, 1)),
    "orderNumber": Rule(allow_blank=True, max_length=100),
    "purchaseOrderNumber": Rule(allow_blank=True, max_length=100),
    "externalId": Rule(allow_blank=True, max_length=100),
    "externalCustomerId": Rule(allow_blank=True, max_length=100),
    "channelId": Rule(kind=int),
    "externalPdfUrl": Rule(allow_blank=True, max_length=2000),
    "termsConditions": Rule(allow_blank=True),
    "details": DETAILS,
    "extraFields": EXTRA_FIELDS,
}

_NOT_FOUND = APIFailure(404, "Not Found Error", "Invoice does not exist")


def add_invoice(
    store: SimulatedStore,
    *,
    number: str,
    company_id: int,
    original_balance: float,
    open_balance: float,
    currency: str = "USD",
    order_number: str = "",
    po_number: str = "",
    due_date: int | None = None,
    status: int | None = None,
    line_items: list[dict[str, Any]] | None = None,
    created_at: int | None = None,
) -> Record:
    """Store an invoice; an open balance of zero or less marks it paid."""
    now = created_at if created_at is not None else store.now()
    invoice: Record = {
        "id": store.next_id("invoice", start=1),
        "number": number,
        "company_id": company_id,
        "currency": currency,
        "original_balance": original_balance,
        "open_balance": open_balance,
        "order_number": order_number,
        "po_number": po_number,
        "type": "Invoice",
        "status": 0,
        "due_date": due_date if due_date is not None else now + DUE_DAYS * 86400,
        "line_items": line_items or [],
        "external_id": "",
        "external_customer_id": "",
        "terms": "",
        "issued_at": now,
        "extra_fields": [],
        "is_pending_payment": 0,
        "created_at": now,
        "updated_at": now,
    }
    invoice["status"] = (
        2 if open_balance <= 0 else (status if status is not None else settle(invoice))
    )
    store.invoices[invoice["id"]] = invoice
    return invoice


def money(amount: float, currency: str) -> dict[str, str]:
    """Money as Invoice Management sends it: the value a decimal string with 4 places."""
    return {"code": currency, "value": f"{amount:.4f}"}


def present(
    store: SimulatedStore, invoice: Record, *, include_extra: bool = True
) -> dict[str, Any]:
    """The API's invoice: money as decimal strings, the company id as a string.

    Optional text the invoice does not have is left out rather than sent empty.
    """
    company = store.companies.get(invoice["company_id"], {})
    shown: dict[str, Any] = {
        "id": invoice["id"],
        "invoiceNumber": invoice["number"],
        "type": invoice["type"],
        "customerId": str(invoice["company_id"]),
        "customerName": company.get("name", ""),
        "status": invoice["status"],
        "isPendingPayment": invoice["is_pending_payment"],
        "source": 0,
        "dueDate": invoice["due_date"],
        "originalBalance": money(invoice["original_balance"], invoice["currency"]),
        "openBalance": money(invoice["open_balance"], invoice["currency"]),
        "details": {"type": "StandardInvoiceDetails"},
        "channelId": str(CHANNEL_ID),
        "channelName": "B2B Storefront",
        "createdAt": str(invoice["created_at"]),
        "updatedAt": str(invoice["updated_at"]),
    }
    if include_extra:
        shown["extraFields"] = invoice["extra_fields"]
    for key, field in (
        ("orderNumber", "order_number"),
        ("purchaseOrderNumber", "po_number"),
        ("externalId", "external_id"),
        ("externalCustomerId", "external_customer_id"),
        ("termsConditions", "terms"),
    ):
        if invoice[field]:
            shown[key] = invoice[field]
    shown["details"]["header"] = _header(store, invoice)
    if invoice["line_items"]:
        shown["details"]["details"] = {"lineItems": invoice["line_items"]}
    return shown


def _header(store: SimulatedStore, invoice: Record) -> dict[str, Any]:
    """Cost lines and the company's default billing and shipping addresses."""
    addresses = [a for a in store.addresses.values() if a["company_id"] == invoice["company_id"]]
    billing = next((a for a in addresses if a["is_default_billing"]), None)
    shipping = next((a for a in addresses if a["is_default_shipping"]), billing)
    header: dict[str, Any] = {
        "costLines": [
            {
                "amount": money(invoice["original_balance"], invoice["currency"]),
                "description": "Subtotal",
            }
        ],
        "orderDate": invoice["issued_at"],
        "billingAddress": _invoice_address(billing),
        "shippingAddresses": [_invoice_address(shipping)],
    }
    return header


def _invoice_address(address: Record | None) -> dict[str, Any]:
    address = address or {}
    return {
        "firstName": address.get("first_name", ""),
        "lastName": address.get("last_name", ""),
        "street1": address.get("address_line1", ""),
        "street2": address.get("address_line2", ""),
        "city": address.get("city", ""),
        "state": address.get("state_name", ""),
        "zipCode": address.get("zip_code", ""),
        "country": address.get("country_name", ""),
        "customFields": {},
    }


def line_item(
    sku: str,
    quantity: int | str,
    unit_price: float,
    currency: str,
    description: str = "",
    unit_discount: float = 0.0,
) -> dict[str, Any]:
    """A line item as the API stores it: quantity and money as strings."""
    return {
        "sku": sku,
        "quantity": str(quantity),
        "unitPrice": money(unit_price, currency),
        "unitDiscount": money(unit_discount, currency),
        "type": "physical",
        "description": description or sku,
        "comments": "",
        "customFields": {},
    }


async def list_invoices(request: Request) -> JSONResponse:
    store = store_of(request)
    query = Query(request)
    limit, offset = _page(query)
    sort_by = query.choice("sortBy", tuple(SORTS), "createdAt")
    order_by = query.choice("orderBy", ("ASC", "DESC"), "DESC")
    search_by = query.choice("searchBy", tuple(SEARCHABLE), "")
    include_extra = query.choice("isIncludeExtraFields", ("0", "1"), "0") == "1"
    records: list[Any] = list(store.invoices.values())
    if (company := query.text("customerId")) is not None:
        records = [i for i in records if str(i["company_id"]) == company.strip()]
    if (name := query.text("customerName")) is not None:
        records = [i for i in records if name.lower() in _company_name(store, i).lower()]
    if (status := query.code("status", (0, 1, 2))) is not None:
        records = [i for i in records if i["status"] == status]
    if (begin := query.number("beginDateAt")) is not None:
        records = [i for i in records if i["created_at"] >= begin]
    if (end := query.number("endDateAt")) is not None:
        records = [i for i in records if i["created_at"] <= end]
    if channels := query.integers("channelIds"):
        records = [i for i in records if CHANNEL_ID in channels]
    if external_ids := query.texts("externalId"):
        records = [i for i in records if i["external_id"] in external_ids]
    if (q := query.text("q")) is not None:
        needle = q.lower()
        fields = [SEARCHABLE[search_by]] if search_by else ["number", "order_number", "po_number"]
        records = [i for i in records if any(needle in str(i[f]).lower() for f in fields)]
    records.sort(key=lambda i: (i[SORTS[sort_by]], i["id"]), reverse=order_by == "DESC")
    page, pagination = page_of(records, limit, offset)
    data = [present(store, i, include_extra=include_extra) for i in page]
    return envelope(data, message="Success", pagination=pagination)


def _page(query: Query) -> tuple[int, int]:
    """Invoices take `limit` and `offset` as numbers, with no documented maximum."""
    limit = query.number("limit")
    offset = query.number("offset")
    if limit is not None and limit < 1:
        raise parameter_error({"limit": ["Ensure this value is greater than or equal to 1."]})
    if offset is not None and offset < 0:
        raise parameter_error({"offset": ["Ensure this value is greater than or equal to 0."]})
    return int(limit or 10), int(offset or 0)


def _company_name(store: SimulatedStore, invoice: Record) -> str:
    return str(store.companies.get(invoice["company_id"], {}).get("name", ""))


async def create_invoice(request: Request) -> JSONResponse:
    store = store_of(request)
    fields = validated(await json_body(request), CREATE_RULES)
    company = fields["customerId"].strip()
    if not company.isdigit():
        raise parameter_error({"customerId": ["A valid integer is required."]})
    if int(company) not in store.companies:
        raise parameter_error({"customerId": ["Company does not exist."]})
    if any(i["number"] == fields["invoiceNumber"] for i in store.invoices.values()):
        raise APIFailure(400, "Bad Requests Error", "The invoice number already exists.")
    original, currency = fields["originalBalance"]["value"], fields["originalBalance"]["code"]
    lines = ((fields.get("details") or {}).get("details") or {}).get("lineItems") or []
    prices = [_decimal_text(line["unitPrice"]["value"], "unitPrice") for line in lines]
    discounts = [
        _decimal_text(line["unitDiscount"]["value"], "unitDiscount")
        if line.get("unitDiscount")
        else 0.0
        for line in lines
    ]
    invoice = add_invoice(
        store,
        number=fields["invoiceNumber"],
        company_id=int(company),
        original_balance=original,
        open_balance=fields["openBalance"]["value"],
        currency=currency,
        order_number=fields.get("orderNumber") or "",
        po_number=fields.get("purchaseOrderNumber") or "",
        due_date=fields.get("dueDate"),
        status=fields.get("status"),
        line_items=[
            line_item(
                line["sku"],
                line["quantity"],
                price,
                line["unitPrice"]["code"],
                line.get("description") or "",
                discount,
            )
            for line, price, discount in zip(lines, prices, discounts, strict=True)
        ],
    )
    for name, field in _OPTIONAL.items():
        if fields.get(name):
            invoice[field] = fields[name]
    if fields.get("issuedAt") is not None:
        invoice["issued_at"] = int(fields["issuedAt"])
    return envelope({"id": invoice["id"]}, message="Success")


# Optional text of an invoice, as the API names it and as the record keeps it.
_OPTIONAL = {
    "externalId": "external_id",
    "externalCustomerId": "external_customer_id",
    "type": "type",
    "termsConditions": "terms",
    "purchaseOrderNumber": "po_number",
    "extraFields": "extra_fields",
}


def _decimal_text(value: Any, field: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or number < 0:
        raise parameter_error({"details": [f"{field}.value: A valid number is required."]})
    return number


def _invoice(request: Request) -> Record:
    invoice = store_of(request).invoices.get(path_id(request, "invoiceId", _NOT_FOUND))
    if invoice is None:
        raise _NOT_FOUND
    return invoice


async def get_invoice(request: Request) -> JSONResponse:
    return envelope(present(store_of(request), _invoice(request)), message="Success")


UPDATE_RULES = {
    "invoiceNumber": Rule(max_length=100),
    "type": Rule(max_length=100),
    "dueDate": Rule(kind=float),
    "status": Rule(kind=int, choices=(0, 1, 2)),
    "purchaseOrderNumber": Rule(max_length=100),
    "externalId": Rule(max_length=100),
    "externalCustomerId": Rule(max_length=100),
    "customerId": Rule(),
    "source": Rule(kind=int, choices=(0, 1)),
    "originalBalance": Rule(kind=dict, fields=_TEXT_MONEY.fields),
    "openBalance": Rule(kind=dict, fields=_TEXT_MONEY.fields),
    "createdAt": Rule(kind=int),
    "externalPdfUrl": Rule(allow_blank=True, max_length=2000),
    "details": DETAILS,
    "extraFields": EXTRA_FIELDS,
}


async def update_invoice(request: Request) -> JSONResponse:
    """Only the fields given change; a new open balance moves the status with it."""
    store = store_of(request)
    invoice = _invoice(request)
    fields = validated(await json_body(request), UPDATE_RULES)
    number = fields.get("invoiceNumber")
    if number and any(
        i["number"] == number and i["id"] != invoice["id"] for i in store.invoices.values()
    ):
        raise APIFailure(400, "Bad Requests Error", "The invoice number already exists.")
    for name, key in ("originalBalance", "original_balance"), ("openBalance", "open_balance"):
        if name in fields:
            if fields[name].get("code", invoice["currency"]) != invoice["currency"]:
                raise parameter_error({name: ["The currency cannot change."]})
            invoice[key] = _decimal_text(fields[name].get("value"), name)
    if invoice["open_balance"] > invoice["original_balance"]:
        raise parameter_error({"openBalance": ["The open balance exceeds the original balance."]})
    if number:
        invoice["number"] = number
    for name, key in _OPTIONAL.items():
        if fields.get(name) is not None:
            invoice[key] = fields[name]
    if fields.get("dueDate") is not None:
        invoice["due_date"] = int(fields["dueDate"])
    invoice["status"] = fields.get("status", settle(invoice))
    invoice["updated_at"] = store.now()
    return envelope({"id": invoice["id"]}, message="Success")


def settle(invoice: Record) -> int:
    """The status an invoice's balances say: paid, partially paid or open."""
    if invoice["open_balance"] <= 0:
        return 2
    return 1 if invoice["open_balance"] < invoice["original_balance"] else 0


_NO_ORDER = APIFailure(404, "Not Found Error", "Order does not exist")


async def invoice_order(request: Request) -> JSONResponse:
    """`POST /ip/orders/{orderId}/invoices`, by B2B Edition's internal order id."""
    store = store_of(request)
    order_id = path_id(request, "orderId", _NO_ORDER)
    order = next((o for o in store.orders.values() if o["id"] == order_id), None)
    if order is None:
        raise _NO_ORDER
    bc_order_id = str(order["bc_order_id"])
    if not order["company_id"]:  # inferred: invoices belong to companies
        raise logical_error("Only orders of a company can be invoiced.")
    if any(i["order_number"] == bc_order_id for i in store.invoices.values()):
        raise logical_error("The order has already been invoiced.")  # inferred wording
    invoice = add_invoice(
        store,
        number=f"{store.next_id('invoice_number', start=len(store.invoices) + 1):08d}",
        company_id=order["company_id"],
        original_balance=order["total"],
        open_balance=order["total"],
        order_number=bc_order_id,
        po_number=order["po_number"],
        # The real invoice copies the BigCommerce order's priced lines; this store keeps
        # no line prices (as B2B Edition does not), so its invoice bills the total alone.
    )
    invoice["issued_at"] = order["created_at"]
    data = {"invoiceNumber": invoice["number"], "invoiceId": invoice["id"]}
    return envelope(data, message="SUCCESS")


async def download_pdf(request: Request) -> JSONResponse:
    store = store_of(request)
    invoice = _invoice(request)
    url = f"https://s3.example/bundleb2b-invoice/{store.store_hash}_{invoice['number']}.pdf"
    return envelope({"url": url}, message="SUCCESS")


ROUTES = [
    Route("/ip/invoices", list_invoices, methods=["GET"]),
    Route("/ip/invoices", create_invoice, methods=["POST"]),
    Route("/ip/invoices/{invoiceId}", get_invoice, methods=["GET"]),
    Route("/ip/invoices/{invoiceId}", update_invoice, methods=["PUT"]),
    Route("/ip/invoices/{invoiceId}/download-pdf", download_pdf, methods=["GET"]),
    Route("/ip/orders/{orderId}/invoices", invoice_order, methods=["POST"]),
]
