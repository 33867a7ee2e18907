"""Simulated `/ip/payments`: payments against invoices, offline ones recorded by staff."""

from __future__ import annotations

import math
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .envelopes import APIFailure, envelope, page_of
from .inputs import Query, Rule, json_body, store_of, validated
from .invoices import money, settle
from .store import Record, SimulatedStore

COMPLETED = 3
OFFLINE_RULES = {
    "lineItems": Rule(
        kind=list,
        required=True,
        items=Rule(
            kind=dict,
            required=True,
            fields={"invoiceId": Rule(kind=int, required=True), "amount": Rule(required=True)},
        ),
    ),
    "currency": Rule(required=True, max_length=3),
    "details": Rule(kind=dict, required=True, fields={"memo": Rule(allow_blank=True)}),
    "customerId": Rule(required=True),
    "externalId": Rule(allow_blank=True, max_length=100),
    "externalCustomerId": Rule(allow_blank=True, max_length=100),
    "payerName": Rule(allow_blank=True, max_length=200),
    "payerCustomerId": Rule(allow_blank=True),
    "processingStatus": Rule(kind=int, choices=(1, 2, 3, 4)),
    "channelId": Rule(kind=int),
}
SORTS = {
    "createdAt": "created_at",
    "updatedAt": "updated_at",
    "totalAmount": "total",
    "processingStatus": "status",
    "customerId": "company_id",
    "moduleName": "module",
    "appliedStatus": "status",
    "fundingStatus": "status",
    "externalCustomerId": "external_id",
}
SEARCHABLE = {
    "id": "id",
    "customerId": "company_id",
    "externalId": "external_id",
    "externalCustomerId": "external_id",
}


def record_payment(
    store: SimulatedStore,
    *,
    company_id: int,
    currency: str,
    lines: list[tuple[Record, float]],
    memo: str,
    payer: str = "Store offline payment",
    status: int = COMPLETED,
    external_id: str = "",
    created_at: int | None = None,
) -> Record:
    """Store an offline payment; a completed one lowers its invoices' open balances."""
    now = created_at if created_at is not None else store.now()
    payment: Record = {
        "id": store.next_id("payment", start=1),
        "company_id": company_id,
        "currency": currency,
        "lines": [(invoice["id"], amount) for invoice, amount in lines],
        "total": round(sum(amount for _, amount in lines), 4),
        "memo": memo,
        "payer": payer,
        "status": status,
        "module": "payments_offline",
        "external_id": external_id,
        "created_at": now,
        "updated_at": now,
    }
    if status == COMPLETED:
        for invoice, amount in lines:
            invoice["open_balance"] = round(invoice["open_balance"] - amount, 4)
            invoice["status"] = settle(invoice)
            invoice["updated_at"] = now
    store.payments[payment["id"]] = payment
    return payment


def present(store: SimulatedStore, payment: Record) -> dict[str, Any]:
    """The API's payment: ids and money as strings, null where nothing was given."""
    company = store.companies.get(payment["company_id"], {})
    lines = []
    for invoice_id, amount in payment["lines"]:
        invoice = store.invoices.get(invoice_id, {})
        lines.append(
            {
                "paymentId": payment["id"],
                "invoiceId": invoice_id,
                "invoiceNumber": invoice.get("number", ""),
                "amount": money(amount, payment["currency"]),
            }
        )
    return {
        "id": payment["id"],
        "createdAt": payment["created_at"],
        "updatedAt": payment["updated_at"],
        "storeHash": store.store_hash,
        "customerId": str(payment["company_id"]),
        "externalId": payment["external_id"] or None,
        "externalCustomerId": None,
        "payerName": payment["payer"],
        "payerCustomerId": str(payment["company_id"]),
        "details": {"memo": payment["memo"]},
        "moduleName": payment["module"],
        "fees": [],
        "moduleData": {
            "transactions": [
                {"memo": payment["memo"], "type": "OfflineTransaction", "rawTransaction": None}
            ]
        },
        "processingStatus": payment["status"],
        "appliedStatus": 1,
        "fundingStatus": 2,
        "total": money(payment["total"], payment["currency"]),
        "lineItems": lines,
        "customerName": company.get("name", ""),
        "allowedOperations": [],
        "allowedStatuses": [1, 2, 3, 4],
        "channelId": "1",
        "channelName": "B2B Storefront",
    }


async def list_payments(request: Request) -> JSONResponse:
    store = store_of(request)
    query = Query(request)
    limit, offset = query.page()
    sort_by = query.choice("sortBy", tuple(SORTS), "createdAt")
    order_by = query.choice("orderBy", ("ASC", "DESC"), "DESC")
    search_by = query.choice("searchBy", tuple(SEARCHABLE), "")
    records: list[Any] = list(store.payments.values())
    if (invoice_id := query.number("invoiceId")) is not None:
        records = [p for p in records if any(i == invoice_id for i, _ in p["lines"])]
    if (status := query.code("processingStatus", (0, 1, 2, 3, 4))) is not None:
        records = [p for p in records if p["status"] == status]
    if (name := query.text("customerName")) is not None:
        records = [
            p
            for p in records
            if name.lower() in str(store.companies.get(p["company_id"], {}).get("name", "")).lower()
        ]
    if channels := query.integers("channelIds"):
        records = [p for p in records if 1 in channels]
    if (q := query.text("q")) is not None:
        fields = [SEARCHABLE[search_by]] if search_by else sorted(set(SEARCHABLE.values()))
        records = [p for p in records if any(q.lower() in str(p[f]).lower() for f in fields)]
    records.sort(key=lambda p: (p[SORTS[sort_by]], p["id"]), reverse=order_by == "DESC")
    page, pagination = page_of(records, limit, offset)
    return envelope([present(store, p) for p in page], pagination=pagination)


def _invalid(detail: str) -> APIFailure:
    """The payments spec's 422: `errMsg` one sentence (wording inferred)."""
    return APIFailure(422, "Parameter Error", detail)


def _field_errors(errors: dict[str, Any]) -> APIFailure:
    """The payments spec's 422: the field errors in `data` (its example) and, as its
    schema requires, all of them as one sentence in `errMsg`."""
    return APIFailure(422, "Parameter Error", "; ".join(_flat(errors)), data=errors)


def _flat(errors: Any, where: str = "") -> list[str]:
    if isinstance(errors, dict):
        return [
            reason
            for name, nested in errors.items()
            for reason in _flat(nested, f"{where}.{name}" if where else str(name))
        ]
    return [f"{where}: {reason}" for reason in errors]


async def create_offline_payment(request: Request) -> JSONResponse:
    store = store_of(request)
    try:
        fields = validated(await json_body(request), OFFLINE_RULES)
    except APIFailure as failure:
        if isinstance(failure.err_msg, dict):
            raise _field_errors(failure.err_msg) from None
        raise
    company = fields["customerId"].strip()
    if not company.isdigit() or int(company) not in store.companies:
        raise _field_errors({"customerId": ["Company does not exist."]})
    if not fields["lineItems"]:
        raise _field_errors({"lineItems": ["This list may not be empty."]})
    lines: list[tuple[Record, float]] = []
    for line in fields["lineItems"]:
        invoice = store.invoices.get(line["invoiceId"])
        if invoice is None or invoice["company_id"] != int(company):
            raise _invalid(f"Invoice {line['invoiceId']} does not belong to the company.")
        if invoice["currency"] != fields["currency"]:
            raise _invalid(f"Invoice {invoice['number']} is not in {fields['currency']}.")
        amount = _amount(line["amount"])
        if amount > invoice["open_balance"] + 0.00005:
            raise _invalid(f"The amount exceeds the open balance of invoice {invoice['number']}.")
        lines.append((invoice, amount))
    payment = record_payment(
        store,
        company_id=int(company),
        currency=fields["currency"],
        lines=lines,
        memo=fields["details"].get("memo") or "",
        payer=fields.get("payerName") or "Store offline payment",
        status=fields.get("processingStatus", COMPLETED),
        external_id=fields.get("externalId") or "",
    )
    return envelope({"paymentId": payment["id"]})


def _amount(text: str) -> float:
    try:
        amount = float(text)
    except ValueError:
        amount = math.nan
    if not math.isfinite(amount) or amount <= 0:
        raise _field_errors({"lineItems": ["amount: A valid positive number is required."]})
    return amount


ROUTES = [
    Route("/ip/payments", list_payments, methods=["GET"]),
    Route("/ip/payments/offline", create_offline_payment, methods=["POST"]),
]
