"""Simulated `/users`: company users, unique by email, each on at least one channel."""

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
    logical_error,
    page_of,
    parameter_error,
    path_id,
    store_of,
)
from .store import DEFAULT_CHANNEL, Record, SimulatedStore

ROLE_NAMES = {0: "Admin", 1: "Senior Buyer", 2: "Junior Buyer"}
UPDATE_RULES = {
    "firstName": Rule(max_length=150),
    "lastName": Rule(max_length=150),
    "email": Rule(max_length=150, email=True),
    "phoneNumber": Rule(max_length=150, allow_blank=True),
    "role": Rule(kind=int, choices=(0, 1, 2)),
    "companyRoleId": Rule(kind=int),
    "uuid": Rule(allow_blank=True),
    "channelIds": Rule(kind=list),
    "extraFields": Rule(kind=list),
}
CREATE_RULES = {
    **UPDATE_RULES,
    "firstName": Rule(required=True, max_length=150),
    "lastName": Rule(required=True, max_length=150),
    "email": Rule(required=True, max_length=150, email=True),
    "companyId": Rule(kind=int, required=True),
}
_FIELDS = {
    "firstName": "first_name",
    "lastName": "last_name",
    "email": "email",
    "phoneNumber": "phone",
    "uuid": "uuid",
    "extraFields": "extra_fields",
}

_NOT_FOUND = APIFailure(404, "Not Found Error", "User matching query does not exist.")


def add_user(
    store: SimulatedStore,
    *,
    company_id: int,
    first_name: str,
    last_name: str,
    email: str,
    role: int,
    phone: str = "",
    created_at: int | None = None,
) -> Record:
    """Create a company user and the BigCommerce customer behind it."""
    now = created_at if created_at is not None else store.now()
    user_id = store.next_id("user", start=5001)
    user: Record = {
        "id": user_id,
        "company_id": company_id,
        "customer_id": store.next_id("customer", start=201),
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "phone": phone,
        "role": role,
        "company_role_id": None,
        "uuid": "",
        "channel_ids": [1],
        "extra_fields": [],
        "created_at": now,
        "updated_at": now,
    }
    store.users[user_id] = user
    return user


def present(user: Record) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "id": user["id"],
        "companyId": user["company_id"],
        "customerId": user["customer_id"],
        "firstName": user["first_name"],
        "lastName": user["last_name"],
        "email": user["email"],
        "phoneNumber": user["phone"],
        "role": user["role"],
        "companyRoleName": ROLE_NAMES.get(user["role"], "Custom"),
        "uuid": user["uuid"],
        "extraFields": user["extra_fields"],
        "channelList": [DEFAULT_CHANNEL for _ in user["channel_ids"][:1]],
        "createdAt": user["created_at"],
        "updatedAt": user["updated_at"],
    }
    if user["company_role_id"] is not None:
        shown["companyRoleId"] = user["company_role_id"]
    return shown


def _user(request: Request) -> Record:
    user = store_of(request).users.get(path_id(request, "userId", _NOT_FOUND))
    if user is None:
        raise _NOT_FOUND
    return user


def _check_email_free(store: SimulatedStore, email: str, user_id: int | None = None) -> None:
    owner = store.user_by_email(email)
    if owner is not None and owner["id"] != user_id:
        raise logical_error(f"Email already exists. ['{email}']")


def _check_channels(body: dict[str, Any]) -> None:
    if "channelIds" in body and not body["channelIds"]:
        raise logical_error("At least one B2B storefront needs to be enabled for a Company user.")


async def list_users(request: Request) -> JSONResponse:
    store = store_of(request)
    query = Query(request)
    limit, offset = query.page()
    roles = query.integers("roles")
    if any(role not in ROLE_NAMES for role in roles):
        bad = next(role for role in roles if role not in ROLE_NAMES)
        raise parameter_error({"roles": {"0": [f'"{bad}" is not a valid choice.']}})
    records: list[Any] = in_range(store.users.values(), query)
    if (company_id := query.integer("companyId")) is not None:
        records = [u for u in records if u["company_id"] == company_id]
    if (email := query.text("email")) is not None:
        records = [u for u in records if u["email"].lower() == email.lower()]
    if roles:
        records = [u for u in records if u["role"] in roles]
    if (q := query.text("q")) is not None:
        needle = q.lower()
        records = [u for u in records if needle in _searchable(store, u)]
    records.sort(key=lambda u: u["id"], reverse=True)
    page, pagination = page_of(records, limit, offset)
    return envelope([present(u) for u in page], message="Success", pagination=pagination)


def _searchable(store: SimulatedStore, user: Record) -> str:
    company = store.companies.get(user["company_id"], {})
    return " ".join(
        (user["first_name"], user["last_name"], user["email"], company.get("name", ""))
    ).lower()


async def create_user(request: Request) -> JSONResponse:
    store = store_of(request)
    body = await json_body(request)
    errors = field_errors(body, CREATE_RULES)
    if body.get("role") is None and body.get("companyRoleId") is None and not errors:
        errors["non_field_errors"] = ["User must have a role."]
    if errors:
        raise parameter_error(errors)
    if int(body["companyId"]) not in store.companies:
        raise parameter_error(
            {"companyId": [f'Invalid pk "{body["companyId"]}" - object does not exist.']}
        )
    if not body.get("channelIds"):
        raise logical_error("At least one B2B storefront needs to be enabled for a Company user.")
    _check_email_free(store, body["email"])
    user = add_user(
        store,
        company_id=int(body["companyId"]),
        first_name=body["firstName"],
        last_name=body["lastName"],
        email=body["email"],
        role=int(body["role"]) if body.get("role") is not None else 2,
        phone=body.get("phoneNumber") or "",
    )
    user["channel_ids"] = [int(c) for c in body["channelIds"]]
    user["uuid"] = body.get("uuid") or ""
    user["extra_fields"] = body.get("extraFields") or []
    user["company_role_id"] = body.get("companyRoleId")
    return envelope({"userId": user["id"], "bcId": user["customer_id"]}, message="Success")


async def get_user(request: Request) -> JSONResponse:
    return envelope(present(_user(request)), message="Success")


async def update_user(request: Request) -> JSONResponse:
    store = store_of(request)
    user = _user(request)
    body = await json_body(request)
    errors = field_errors(body, UPDATE_RULES)
    if errors:
        raise parameter_error(errors)
    _check_channels(body)
    if body.get("email") is not None:
        _check_email_free(store, body["email"], user["id"])
    for name, field in _FIELDS.items():
        if body.get(name) is not None:
            user[field] = body[name]
    if body.get("role") is not None:
        user["role"] = int(body["role"])
    if body.get("companyRoleId") is not None:
        user["company_role_id"] = int(body["companyRoleId"])
    if body.get("channelIds"):
        user["channel_ids"] = [int(c) for c in body["channelIds"]]
    user["updated_at"] = store.now()
    return envelope(present(user), message="Success")


ROUTES = [
    Route("/users", list_users, methods=["GET"]),
    Route("/users", create_user, methods=["POST"]),
    Route("/users/{userId}", get_user, methods=["GET"]),
    Route("/users/{userId}", update_user, methods=["PUT"]),
]
