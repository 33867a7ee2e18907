"""Simulated `/companies`: companies come back with string ids, status and timestamps."""

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
    in_range,
    json_body,
    page_of,
    path_id,
    store_of,
)
from .store import Record, SimulatedStore
from .users import add_user

ADDRESS_RULES = {
    "addressLine1": Rule(max_length=200, allow_blank=True),
    "addressLine2": Rule(max_length=200, allow_blank=True),
    "city": Rule(max_length=100),
    "state": Rule(max_length=50),
    "zipCode": Rule(max_length=50, allow_blank=True),
}
UPDATE_RULES = {
    **ADDRESS_RULES,
    "companyName": Rule(max_length=200),
    "companyEmail": Rule(max_length=200, email=True),
    "companyPhone": Rule(max_length=50),
    "country": Rule(max_length=200),
    "customerGroupId": Rule(kind=int),
    "uuid": Rule(allow_blank=True),
    "extraFields": Rule(kind=list),
}
CREATE_RULES = {
    **UPDATE_RULES,
    "companyName": Rule(required=True, max_length=200),
    "companyEmail": Rule(required=True, max_length=200, email=True),
    "companyPhone": Rule(required=True, max_length=50),
    "country": Rule(required=True, max_length=200),
    "adminFirstName": Rule(required=True, max_length=100),
    "adminLastName": Rule(required=True, max_length=100),
    "adminEmail": Rule(required=True, max_length=100, email=True),
    "adminPhoneNumber": Rule(max_length=100, allow_blank=True),
    "channelIds": Rule(kind=list),
}
# POST /companies reports its first problem as a sentence in meta.message.
_REQUIRED_SENTENCES = {
    "companyName": "The company name is required.",
    "companyPhone": "The company phone is required.",
    "companyEmail": "The company email is required.",
    "country": "The country is required.",
    "adminFirstName": "The admin first name is required.",
    "adminLastName": "The admin last name is required.",
    "adminEmail": "The admin email is required.",
}
_FIELDS = {
    "companyName": "name",
    "companyEmail": "email",
    "companyPhone": "phone",
    "country": "country",
    "addressLine1": "address_line1",
    "addressLine2": "address_line2",
    "city": "city",
    "state": "state",
    "zipCode": "zip_code",
    "uuid": "uuid",
    "customerGroupId": "bc_group_id",
}


def add_company(
    store: SimulatedStore,
    *,
    name: str,
    email: str,
    phone: str,
    country: str,
    admin: dict[str, Any],
    status: int = 1,
    created_at: int | None = None,
    extra: dict[str, Any] | None = None,
) -> Record:
    """Create a company and its admin user, as `POST /companies` does."""
    now = created_at if created_at is not None else store.now()
    company_id = store.next_id("company", start=1001)
    company: Record = {
        "id": company_id,
        "name": name,
        "email": email,
        "phone": phone,
        "country": country,
        "status": status,
        "address_line1": "",
        "address_line2": "",
        "city": "",
        "state": "",
        "zip_code": "",
        "uuid": "",
        "bc_group_id": store.next_id("customer_group"),
        "extra_fields": [],
        "channel_ids": [1],
        "created_at": now,
        "updated_at": now,
        **(extra or {}),
    }
    store.companies[company_id] = company
    add_user(store, company_id=company_id, role=0, created_at=now, **admin)
    return company


def present(company: Record, *, detail: bool, include_extra: bool) -> dict[str, Any]:
    """The API's company shape: ids, status and timestamps as strings."""
    shown: dict[str, Any] = {
        "companyId": str(company["id"]),
        "companyName": company["name"],
        "companyEmail": company["email"],
        "companyPhone": company["phone"],
        "companyStatus": str(company["status"]),
        "bcGroupId": str(company["bc_group_id"]) if detail else company["bc_group_id"],
        "bcGroupName": company["name"],
        "uuid": company["uuid"],
        "catalogId": "",
        "catalogName": "",
        "addressLine1": company["address_line1"],
        "addressLine2": company["address_line2"],
        "city": company["city"],
        "state": company["state"],
        "country": company["country"],
        "zipCode": company["zip_code"],
        "priceListAssign": [],
        "createdAt": str(company["created_at"]),
        "updatedAt": str(company["updated_at"]),
    }
    if detail or include_extra:
        shown["extraFields"] = company["extra_fields"]
    return shown


def _company(request: Request) -> Record:
    missing = APIFailure(404, "This resource is not found.", data={})
    company = store_of(request).companies.get(path_id(request, "companyId", missing))
    if company is None:
        raise missing
    return company


async def list_companies(request: Request) -> JSONResponse:
    store = store_of(request)
    query = Query(request)
    limit, offset = query.page()
    sort_by = query.choice("sortBy", ("updatedAt", "companyName"), "updatedAt")
    order_by = query.choice("orderBy", ("ASC", "DESC"), "DESC")
    records: list[Any] = in_range(store.companies.values(), query)
    status = query.integer("companyStatus")
    if status is not None:
        records = [c for c in records if c["status"] == status]
    if (q := query.text("q")) is not None:
        records = [c for c in records if q.lower() in c["name"].lower()]
    key = "name" if sort_by == "companyName" else "updated_at"
    records.sort(key=lambda c: (c[key], c["id"]), reverse=order_by == "DESC")
    include_extra = query.text("isIncludeExtraFields") == "1"
    page, pagination = page_of(records, limit, offset)
    data = [present(c, detail=False, include_extra=include_extra) for c in page]
    return envelope(data, pagination=pagination)


async def create_company(request: Request) -> JSONResponse:
    store = store_of(request)
    body = await json_body(request)
    for name, sentence in _REQUIRED_SENTENCES.items():
        if body.get(name) in (None, ""):
            raise APIFailure(422, sentence, data={})
    errors = field_errors(body, CREATE_RULES)
    if errors:
        raise APIFailure(422, "Parameter Error", errors)
    if store.user_by_email(body["adminEmail"]) is not None:
        raise APIFailure(422, "Parameter Error", {"adminEmail": ["Email already exists."]})
    admin = {
        "first_name": body["adminFirstName"],
        "last_name": body["adminLastName"],
        "email": body["adminEmail"],
        "phone": body.get("adminPhoneNumber") or "",
    }
    extra = {
        _FIELDS[name]: body[name]
        for name in ("addressLine1", "addressLine2", "city", "state", "zipCode", "uuid")
        if body.get(name) is not None
    }
    extra["extra_fields"] = body.get("extraFields") or []
    company = add_company(
        store,
        name=body["companyName"],
        email=body["companyEmail"],
        phone=body["companyPhone"],
        country=body["country"],
        admin=admin,
        extra=extra,
    )
    admin_user = store.user_by_email(body["adminEmail"])
    assert admin_user is not None
    return envelope(
        {
            "companyId": company["id"],
            "customerId": admin_user["customer_id"],
            "customerGroupId": company["bc_group_id"],
        }
    )


async def get_company(request: Request) -> JSONResponse:
    return envelope(present(_company(request), detail=True, include_extra=True))


async def update_company(request: Request) -> JSONResponse:
    store = store_of(request)
    company = _company(request)
    body = await json_body(request)
    errors = field_errors(body, UPDATE_RULES)
    if errors:
        raise APIFailure(422, "Parameter Error", errors)
    for name, field in _FIELDS.items():
        if body.get(name) is not None:
            company[field] = body[name]
    if body.get("extraFields") is not None:
        company["extra_fields"] = body["extraFields"]
    company["updated_at"] = store.now()
    return envelope({"companyId": company["id"]})


async def set_company_status(request: Request) -> JSONResponse:
    store = store_of(request)
    company = _company(request)
    body = await json_body(request)
    errors = field_errors(
        body, {"companyStatus": Rule(kind=int, required=True, choices=(0, 1, 2, 3))}
    )
    if errors:
        raise APIFailure(422, "Parameter Error", errors)
    company["status"] = int(body["companyStatus"])
    company["updated_at"] = store.now()
    return envelope({"companyId": company["id"]})


ROUTES = [
    Route("/companies", list_companies, methods=["GET"]),
    Route("/companies", create_company, methods=["POST"]),
    Route("/companies/{companyId}", get_company, methods=["GET"]),
    Route("/companies/{companyId}", update_company, methods=["PUT"]),
    Route("/companies/{companyId}/status", set_company_status, methods=["PUT"]),
]
