"""Simulated `/ip/invoices`: money as decimal strings, the company id as a string."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .envelopes import APIFailure, envelope, page_of, parameter_error
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
    if status is None:
        status = 2 if open_balance <= 0 else (1 if open_balance < original_balance else 0)
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
        "status": 2 if open_balance <= 0 else status,
        "due_date": due_date if due_date is not None else now + DUE_DAYS * 86400,
        "line_items": line_items or [],
        "external_id": "",
        "external_customer_id": "",
        "is_pending_payment": 0,
        "created_at": now,
        "updated_at": now,
    }
    store.invoices[invoice["id"]] = invoice
    return invoice


def _money(amount: float, currency: str) -> dict[str, str]:
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
        "originalBalance": _money(invoice["original_balance"], invoice["currency"]),
        "openBalance": _money(invoice["open_balance"], invoice["currency"]),
        "details": {"type": "StandardInvoiceDetails"},
        "channelId": str(CHANNEL_ID),
        "channelName": "B2B Storefront",
        "createdAt": str(invoice["created_at"]),
        "updatedAt": str(invoice["updated_at"]),
    }
    if include_extra:
        shown["extraFields"] = []
    for key, field in (
        ("orderNumber", "order_number"),
        ("purchaseOrderNumber", "po_number"),
        ("externalId", "external_id"),
        ("externalCustomerId", "external_customer_id"),
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
                "amount": _money(invoice["original_balance"], invoice["currency"]),
                "description": "Subtotal",
            }
        ],
        "orderDate": invoice["created_at"],
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
    sku: str, quantity: int | str, unit_price: float, currency: str, description: str = ""
) -> dict[str, Any]:
    """A line item as the API stores it: quantity and money as strings."""
    return {
        "sku": sku,
        "quantity": str(quantity),
        "unitPrice": _money(unit_price, currency),
        "unitDiscount": _money(0, currency),
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
    try:
        prices = [float(line["unitPrice"]["value"]) for line in lines]
    except ValueError:
        raise parameter_error(
            {"details": ["unitPrice.value: A valid number is required."]}
        ) from None
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
            )
            for line, price in zip(lines, prices, strict=True)
        ],
    )
    for name, field in (
        ("externalId", "external_id"),
        ("externalCustomerId", "external_customer_id"),
    ):
        if fields.get(name):
            invoice[field] = fields[name]
    if fields.get("type"):
        invoice["type"] = fields["type"]
    return envelope({"id": invoice["id"]}, message="Success")


async def get_invoice(request: Request) -> JSONResponse:
    store = store_of(request)
    invoice = store.invoices.get(path_id(request, "invoiceId", _NOT_FOUND))
    if invoice is None:
        raise _NOT_FOUND
    return envelope(present(store, invoice), message="Success")


ROUTES = [
    Route("/ip/invoices", list_invoices, methods=["GET"]),
    Route("/ip/invoices", create_invoice, methods=["POST"]),
    Route("/ip/invoices/{invoiceId}", get_invoice, methods=["GET"]),
]
