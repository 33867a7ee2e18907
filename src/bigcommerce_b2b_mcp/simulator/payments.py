"""Simulated company payments: credit, payment terms (net days) and payment methods."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .envelopes import APIFailure, envelope
from .inputs import Rule, json_body, path_id, store_of, validated
from .store import Record, SimulatedStore

NET_DAYS = (0, 5, 15, 30, 45, 60)
# The store's payment methods (enabled or not per company).
METHODS = (
    (1, "cod", "Cash on delivery"),
    (2, "cheque", "Check"),
    (3, "bankdeposit", "Bank deposit"),
    (4, "authorizenet", "Authorize.net"),
    (5, "braintree", "Braintree"),
)
CREDIT_RULES = {
    "creditEnabled": Rule(kind=bool),
    "creditCurrency": Rule(max_length=3),
    "availableCredit": Rule(kind=float),
    "limitPurchases": Rule(kind=bool),
    "creditHold": Rule(kind=bool),
}
TERMS_RULES = {
    "isEnabled": Rule(kind=bool, required=True),
    "paymentTerms": Rule(kind=int, required=True, choices=NET_DAYS),
}
METHOD_RULES = {
    "payments": Rule(
        kind=list,
        required=True,
        items=Rule(
            kind=dict,
            required=True,
            fields={
                "code": Rule(required=True, max_length=100),
                "isEnabled": Rule(kind=bool, required=True),
            },
        ),
    )
}
_NO_COMPANY = APIFailure(404, "Company Does not Exist", "Company Does not Exist")
_CREDIT_OFF = APIFailure(400, "API logic error", "Store company credit is not enabled")


def payment_defaults(store: SimulatedStore, company: Record) -> None:
    """A new company's credit (off), terms (the store default) and methods (the first two)."""
    company.setdefault(
        "credit",
        {
            "creditEnabled": False,
            "creditCurrency": "USD",
            "availableCredit": 0.0,
            "limitPurchases": False,
            "creditHold": False,
        },
    )
    company.setdefault("terms", {"isEnabled": False, "paymentTerms": store.default_net_days})
    company.setdefault(
        "payment_methods", {code: index < 2 for index, (_, code, _) in enumerate(METHODS)}
    )


def _company(request: Request) -> Record:
    store = store_of(request)
    company = store.companies.get(path_id(request, "companyId", _NO_COMPANY))
    if company is None:
        raise _NO_COMPANY
    payment_defaults(store, company)
    return company


async def get_credit(request: Request) -> JSONResponse:
    if not store_of(request).credit_enabled:
        raise _CREDIT_OFF
    return envelope(_company(request)["credit"], message="Success")


async def update_credit(request: Request) -> JSONResponse:
    if not store_of(request).credit_enabled:
        raise _CREDIT_OFF
    company = _company(request)
    fields = validated(await json_body(request), CREDIT_RULES)
    company["credit"].update({name: value for name, value in fields.items() if value is not None})
    return envelope(company["credit"], message="Success")


async def get_terms(request: Request) -> JSONResponse:
    terms = dict(_company(request)["terms"])
    if not terms["isEnabled"]:
        terms["paymentTerms"] = store_of(request).default_net_days
    return envelope(terms, message="Success")


async def update_terms(request: Request) -> JSONResponse:
    store = store_of(request)
    company = _company(request)
    body = await json_body(request)
    if "paymentTerms" in body and body["paymentTerms"] not in NET_DAYS:
        detail = "Payment terms value error, must be in [0, 5, 15, 30, 45, 60]; "
        raise APIFailure(400, "Bad Requests Error", detail)
    fields = validated(body, TERMS_RULES)
    days = fields["paymentTerms"] if fields["isEnabled"] else store.default_net_days
    company["terms"] = {"isEnabled": fields["isEnabled"], "paymentTerms": days}
    return envelope(company["terms"], message="Success")


def _methods(company: Record) -> list[dict[str, Any]]:
    return [
        {
            "paymentId": payment_id,
            "code": code,
            "paymentTitle": title,
            "isEnabled": company["payment_methods"][code],
        }
        for payment_id, code, title in METHODS
    ]


async def get_methods(request: Request) -> JSONResponse:
    return envelope(_methods(_company(request)), message="Success")


async def update_methods(request: Request) -> JSONResponse:
    company = _company(request)
    body = await json_body(request)
    if not isinstance(body.get("payments"), list) or any(
        not isinstance(item, dict) or "code" not in item for item in body["payments"]
    ):
        raise APIFailure(400, "Bad Requests Error", "Code is required.; ")
    fields = validated(body, METHOD_RULES)
    for item in fields["payments"]:
        if item["code"] not in company["payment_methods"]:
            raise APIFailure(404, "Payment Does not Exist", "Payment Does not Exist")
    for item in fields["payments"]:
        company["payment_methods"][item["code"]] = item["isEnabled"]
    return envelope([], message="Success")


ROUTES = [
    Route("/companies/{companyId}/credit", get_credit, methods=["GET"]),
    Route("/companies/{companyId}/credit", update_credit, methods=["PUT"]),
    Route("/companies/{companyId}/payment-terms", get_terms, methods=["GET"]),
    Route("/companies/{companyId}/payment-terms", update_terms, methods=["PUT"]),
    Route("/companies/{companyId}/payments", get_methods, methods=["GET"]),
    Route("/companies/{companyId}/payments", update_methods, methods=["PUT"]),
]
