"""Simulated `/companies`: companies come back with string ids, status and timestamps."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .envelopes import APIFailure, TitledFailure, envelope, page_of, parameter_error
from .inputs import EXTRA_FIELDS, Query, Rule, in_range, json_body, path_id, store_of, validated
from .store import Record, SimulatedStore
from .users import ROLES, add_user

STATUSES = (0, 1, 2, 3)
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
    "companyPhone": Rule(max_length=50, allow_blank=True),
    "country": Rule(max_length=200),
    "customerGroupId": Rule(kind=int),
    "uuid": Rule(allow_blank=True, max_length=100),
    "extraFields": EXTRA_FIELDS,
    "priceListAssign": Rule(
        kind=list,
        items=Rule(
            kind=dict,
            required=True,
            fields={"channelId": Rule(kind=int, required=True), "priceListId": Rule(kind=int)},
        ),
    ),
}
CREATE_RULES = {
    **UPDATE_RULES,
    "companyName": Rule(required=True, max_length=200),
    "companyEmail": Rule(required=True, max_length=200, email=True),
    "companyPhone": Rule(required=True, max_length=50, allow_blank=True),
    "country": Rule(required=True, max_length=200),
    "adminFirstName": Rule(required=True, max_length=100),
    "adminLastName": Rule(required=True, max_length=100),
    "adminEmail": Rule(required=True, max_length=100, email=True),
    "adminPhoneNumber": Rule(max_length=100),
    "channelIds": Rule(kind=list, items=Rule(kind=int, required=True)),
    "originChannelId": Rule(kind=int),
    "catalogId": Rule(kind=int),
    "acceptCreationEmail": Rule(kind=bool),
    "userExtraFields": EXTRA_FIELDS,
}
# POST /companies reports a missing required field as a sentence in meta.message.
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
    "extraFields": "extra_fields",
    "priceListAssign": "price_lists",
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
        "price_lists": [],
        "parent_id": None,
        "channel_ids": [1],
        "created_at": now,
        "updated_at": now,
        **(extra or {}),
    }
    store.companies[company_id] = company
    add_user(store, company_id=company_id, role=0, created_at=now, **admin)
    return company


def present(
    store: SimulatedStore, company: Record, *, detail: bool, include_extra: bool
) -> dict[str, Any]:
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
        "priceListAssign": company["price_lists"],
        "parentCompany": _parent(store, company),
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
    include_extra = query.choice("isIncludeExtraFields", ("0", "1"), "0") == "1"
    match = query.choice("extraFieldFilterType", ("search", "exact-match"), "search")
    records: list[Any] = in_range(store.companies.values(), query, whole=False)
    if (status := query.code("companyStatus", STATUSES)) is not None:
        records = [c for c in records if c["status"] == status]
    if (q := query.text("q")) is not None:
        records = [c for c in records if q.lower() in c["name"].lower()]
    if (group := query.text("bcGroupId")) is not None:
        records = [c for c in records if str(c["bc_group_id"]) == group.strip()]
    if (customer_id := query.integer("customerId")) is not None:
        user = store.user_by_customer(customer_id)
        records = [c for c in records if user is not None and c["id"] == user["company_id"]]
    if (bc_order_id := query.integer("bcOrderId")) is not None:
        order = store.orders.get(bc_order_id)
        records = [c for c in records if order is not None and c["id"] == order["company_id"]]
    if (order_id := query.text("orderId")) is not None:
        owners = {o["company_id"] for o in store.orders.values() if str(o["id"]) == order_id}
        records = [c for c in records if c["id"] in owners]
    for wanted in query.texts("extraFields"):
        name, _, value = wanted.partition(":")
        records = [c for c in records if _has_extra_field(c, name, value, exact=match != "search")]
    key = "name" if sort_by == "companyName" else "updated_at"
    records.sort(key=lambda c: (c[key], c["id"]), reverse=order_by == "DESC")
    page, pagination = page_of(records, limit, offset)
    data = [present(store, c, detail=False, include_extra=include_extra) for c in page]
    return envelope(data, pagination=pagination)


def _has_extra_field(company: Record, name: str, value: str, *, exact: bool) -> bool:
    for field in company["extra_fields"]:
        if field["fieldName"] == name:
            stored = str(field["fieldValue"])
            return stored == value if exact else value.lower() in stored.lower()
    return False


async def create_company(request: Request) -> JSONResponse:
    store = store_of(request)
    body = await json_body(request)
    for name, sentence in _REQUIRED_SENTENCES.items():
        if body.get(name) is None or (name != "companyPhone" and body.get(name) == ""):
            raise APIFailure(422, sentence, data={})
    fields = validated(body, CREATE_RULES)
    if store.user_by_email(fields["adminEmail"]) is not None:
        raise parameter_error({"adminEmail": ["Email already exists."]})
    admin = {
        "first_name": fields["adminFirstName"],
        "last_name": fields["adminLastName"],
        "email": fields["adminEmail"],
        "phone": fields.get("adminPhoneNumber") or "",
    }
    extra = {
        _FIELDS[name]: value
        for name, value in fields.items()
        if name in _FIELDS
        and name not in ("companyName", "companyEmail", "companyPhone", "country")
        and value is not None
    }
    company = add_company(
        store,
        name=fields["companyName"],
        email=fields["companyEmail"],
        phone=fields["companyPhone"],
        country=fields["country"],
        admin=admin,
        extra=extra,
    )
    admin_user = store.user_by_email(fields["adminEmail"])
    assert admin_user is not None
    return envelope(
        {
            "companyId": company["id"],
            "customerId": admin_user["customer_id"],
            "customerGroupId": company["bc_group_id"],
        }
    )


async def get_company(request: Request) -> JSONResponse:
    company = _company(request)
    return envelope(present(store_of(request), company, detail=True, include_extra=True))


async def update_company(request: Request) -> JSONResponse:
    store = store_of(request)
    company = _company(request)
    fields = validated(await json_body(request), UPDATE_RULES)
    for name, value in fields.items():
        if value is not None:
            company[_FIELDS[name]] = value
    company["updated_at"] = store.now()
    return envelope({"companyId": company["id"]})


async def set_company_status(request: Request) -> JSONResponse:
    store = store_of(request)
    company = _company(request)
    rules = {"companyStatus": Rule(kind=int, required=True, choices=STATUSES)}
    fields = validated(await json_body(request), rules)
    company["status"] = fields["companyStatus"]
    company["updated_at"] = store.now()
    return envelope({"companyId": company["id"]})


# How deep an account hierarchy may go (inferred from the "maximum layer" error).
MAX_LAYERS = 3


def _parent(store: SimulatedStore, company: Record) -> dict[str, Any]:
    parent = store.companies.get(company["parent_id"]) if company["parent_id"] else None
    return {"id": parent["id"], "name": parent["name"]} if parent else {}


def _children(store: SimulatedStore, company_id: int) -> list[Record]:
    return [c for c in store.companies.values() if c["parent_id"] == company_id]


def _depth_below(store: SimulatedStore, company_id: int) -> int:
    return 1 + max((_depth_below(store, c["id"]) for c in _children(store, company_id)), default=0)


def _ancestors(store: SimulatedStore, company: Record) -> list[Record]:
    found: list[Record] = []
    while company["parent_id"] and company["parent_id"] in store.companies:
        company = store.companies[company["parent_id"]]
        found.append(company)
    return found


def _tree(store: SimulatedStore, company: Record) -> dict[str, Any]:
    return {
        "companyId": company["id"],
        "companyName": company["name"],
        "companyStatus": company["status"],
        "subsidiaries": [_tree(store, child) for child in _children(store, company["id"])],
    }


def _hierarchy_error(detail: str) -> TitledFailure:
    return TitledFailure(400, "Parameter Error.", {"1": detail})


async def get_hierarchy(request: Request) -> JSONResponse:
    store = store_of(request)
    company = _company(request)
    limit, offset = Query(request).page()
    top = ([company, *_ancestors(store, company)])[-1]
    trees, pagination = page_of([_tree(store, top)], limit, offset)
    return JSONResponse({"data": trees, "meta": {"message": "SUCCESS", "pagination": pagination}})


async def set_parent(request: Request) -> JSONResponse:
    store = store_of(request)
    company = _company(request)
    fields = validated(await json_body(request), {"parentCompanyId": Rule(kind=int, required=True)})
    parent = store.companies.get(fields["parentCompanyId"])
    if parent is None:
        raise _hierarchy_error("The parent company does not exist.")
    if parent["id"] == company["id"] or company in _ancestors(store, parent):
        raise _hierarchy_error("A company cannot be the parent of a company above it.")
    if len(_ancestors(store, parent)) + 1 + _depth_below(store, company["id"]) > MAX_LAYERS:
        raise _hierarchy_error("The parent company has reached the maximum layer.")
    company["parent_id"] = parent["id"]
    company["updated_at"] = store.now()
    return JSONResponse({"data": [], "meta": {"message": "SUCCESS"}}, status_code=201)


async def detach_subsidiary(request: Request) -> Response:
    store = store_of(request)
    parent = _company(request)
    child = store.companies.get(path_id(request, "childCompanyId", _invalid_child()))
    if child is None or child["parent_id"] != parent["id"]:
        raise _invalid_child()
    child["parent_id"] = None
    child["updated_at"] = store.now()
    return Response(status_code=204)


def _invalid_child() -> TitledFailure:
    return TitledFailure(400, "Parameter error.", {"1": "Invalid child company ID."})


async def list_roles(request: Request) -> JSONResponse:
    query = Query(request)
    limit, offset = query.page()
    roles = [dict(r) for r in ROLES]
    if (q := query.text("q")) is not None:
        roles = [r for r in roles if q.lower() in str(r["name"]).lower()]
    page, pagination = page_of(roles, limit, offset)
    return envelope(page, message="success", pagination=pagination)


ROUTES = [
    Route("/companies/roles", list_roles, methods=["GET"]),
    Route("/companies/{companyId}/hierarchy", get_hierarchy, methods=["GET"]),
    Route("/companies/{companyId}/parent", set_parent, methods=["POST"]),
    Route(
        "/companies/{companyId}/subsidiaries/{childCompanyId}",
        detach_subsidiary,
        methods=["DELETE"],
    ),
    Route("/companies", list_companies, methods=["GET"]),
    Route("/companies", create_company, methods=["POST"]),
    Route("/companies/{companyId}", get_company, methods=["GET"]),
    Route("/companies/{companyId}", update_company, methods=["PUT"]),
    Route("/companies/{companyId}/status", set_company_status, methods=["PUT"]),
]
