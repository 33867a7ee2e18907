"""Simulated `/ip/invoices`: money as decimal strings, the company id as a string."""

from __future__ import annotations

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
    json_body,
    page_of,
    parameter_error,
    path_id,
    store_of,
)
from .store import Record, SimulatedStore

DUE_DAYS = 30
SORTS = {
    "invoiceNumber": "number",
    "createdAt": "created_at",
    "updatedAt": "updated_at",
    "dueDate": "due_date",
    "customerId": "company_id",
    "openBalance": "open_balance",
    "originalBalance": "original_balance",
    "status": "status",
}
CREATE_RULES = {
    "invoiceNumber": Rule(required=True, max_length=100),
    "customerId": Rule(required=True),
    "originalBalance": Rule(kind=dict, required=True),
    "openBalance": Rule(kind=dict, required=True),
    "type": Rule(allow_blank=True),
    "dueDate": Rule(kind=int),
    "status": Rule(kind=int, choices=(0, 1, 2)),
    "orderNumber": Rule(allow_blank=True),
    "purchaseOrderNumber": Rule(allow_blank=True),
    "details": Rule(kind=dict),
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
        "created_at": now,
        "updated_at": now,
    }
    store.invoices[invoice["id"]] = invoice
    return invoice


def _money(amount: float, currency: str) -> dict[str, str]:
    return {"code": currency, "value": f"{amount:.4f}"}


def present(store: SimulatedStore, invoice: Record) -> dict[str, Any]:
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
        "isPendingPayment": 0,
        "source": 0,
        "dueDate": invoice["due_date"],
        "originalBalance": _money(invoice["original_balance"], invoice["currency"]),
        "openBalance": _money(invoice["open_balance"], invoice["currency"]),
        "details": {"type": "StandardInvoiceDetails"},
        "channelId": "1",
        "channelName": "B2B Storefront",
        "extraFields": [],
        "createdAt": str(invoice["created_at"]),
        "updatedAt": str(invoice["updated_at"]),
    }
    for key, field in (("orderNumber", "order_number"), ("purchaseOrderNumber", "po_number")):
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


def _balance(body: dict[str, Any], name: str, errors: dict[str, list[str]]) -> tuple[float, str]:
    raw = body.get(name)
    if isinstance(raw, dict) and "code" in raw and "value" in raw:
        try:
            return float(raw["value"]), str(raw["code"])
        except (TypeError, ValueError):
            pass
    errors[name] = ["code and value are required."]
    return 0.0, ""


async def list_invoices(request: Request) -> JSONResponse:
    store = store_of(request)
    query = Query(request)
    limit, offset = query.page()
    sort_by = query.choice("sortBy", tuple(SORTS), "createdAt")
    order_by = query.choice("orderBy", ("ASC", "DESC"), "DESC")
    records: list[Any] = list(store.invoices.values())
    if (company_id := query.integer("customerId")) is not None:
        records = [i for i in records if i["company_id"] == company_id]
    if (status := query.integer("status")) is not None:
        records = [i for i in records if i["status"] == status]
    if (begin := query.integer("beginDateAt")) is not None:
        records = [i for i in records if i["created_at"] >= begin]
    if (end := query.integer("endDateAt")) is not None:
        records = [i for i in records if i["created_at"] <= end]
    if (q := query.text("q")) is not None:
        records = [
            i
            for i in records
            if q.lower() in f"{i['number']} {i['order_number']} {i['po_number']}".lower()
        ]
    records.sort(key=lambda i: (i[SORTS[sort_by]], i["id"]), reverse=order_by == "DESC")
    page, pagination = page_of(records, limit, offset)
    return envelope([present(store, i) for i in page], message="Success", pagination=pagination)


async def create_invoice(request: Request) -> JSONResponse:
    store = store_of(request)
    body = await json_body(request)
    errors = field_errors(body, CREATE_RULES)
    original, currency = (
        _balance(body, "originalBalance", errors) if "originalBalance" in body else (0.0, "")
    )
    open_balance, _ = _balance(body, "openBalance", errors) if "openBalance" in body else (0.0, "")
    if errors:
        raise parameter_error(errors)
    try:
        company_id = int(str(body["customerId"]))
    except ValueError:
        raise parameter_error({"customerId": ["A valid integer is required."]}) from None
    if company_id not in store.companies:
        raise parameter_error({"customerId": ["Company does not exist."]})
    if any(i["number"] == body["invoiceNumber"] for i in store.invoices.values()):
        raise APIFailure(400, "Bad Requests Error", "The invoice number already exists.")
    lines = ((body.get("details") or {}).get("details") or {}).get("lineItems") or []
    invoice = add_invoice(
        store,
        number=str(body["invoiceNumber"]),
        company_id=company_id,
        original_balance=original,
        open_balance=open_balance,
        currency=currency,
        order_number=str(body.get("orderNumber") or ""),
        po_number=str(body.get("purchaseOrderNumber") or ""),
        due_date=body.get("dueDate"),
        status=body.get("status"),
        line_items=[
            line_item(
                str(line.get("sku") or ""),
                str(line.get("quantity") or "1"),
                float(line["unitPrice"]["value"]),
                str(line["unitPrice"]["code"]),
                str(line.get("description") or ""),
            )
            for line in lines
            if isinstance(line, dict) and isinstance(line.get("unitPrice"), dict)
        ],
    )
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
