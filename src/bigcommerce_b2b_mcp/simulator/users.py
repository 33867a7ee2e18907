"""Simulated `/users`: company users, unique by email, each on at least one channel."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .envelopes import APIFailure, envelope, logical_error, page_of, parameter_error
from .inputs import EXTRA_FIELDS, Query, Rule, in_range, json_body, path_id, store_of, validated
from .store import DEFAULT_CHANNEL, Record, SimulatedStore

ROLE_NAMES = {0: "Admin", 1: "Senior Buyer", 2: "Junior Buyer"}
# The store's company roles (`GET /companies/roles`): the three predefined, two custom.
ROLES = (
    {"id": 27605, "name": "Admin", "roleType": 1, "roleLevel": 1},
    {"id": 27606, "name": "Senior Buyer", "roleType": 1, "roleLevel": 1},
    {"id": 27607, "name": "Junior Buyer", "roleType": 1, "roleLevel": 1},
    {"id": 27690, "name": "Approver", "roleType": 2, "roleLevel": 1},
    {"id": 27691, "name": "Procurement Manager", "roleType": 2, "roleLevel": 1},
)
_ROLE_BY_ID = {role["id"]: role for role in ROLES}
CHANNEL_IDS = Rule(kind=list, items=Rule(kind=int, required=True), max_items=50)
UPDATE_RULES = {
    "firstName": Rule(max_length=150),
    "lastName": Rule(max_length=150),
    "email": Rule(max_length=150, email=True),
    "phoneNumber": Rule(max_length=150, allow_blank=True),
    "role": Rule(kind=int, choices=(0, 1, 2)),
    "companyRoleId": Rule(kind=int),
    "uuid": Rule(allow_blank=True, max_length=100),
    "channelIds": CHANNEL_IDS,
    "extraFields": EXTRA_FIELDS,
}
CREATE_RULES = {
    **UPDATE_RULES,
    "firstName": Rule(required=True, max_length=150),
    "lastName": Rule(required=True, max_length=150),
    "email": Rule(required=True, max_length=150, email=True),
    "companyId": Rule(kind=int, required=True),
    "acceptWelcomeEmail": Rule(kind=bool),
    "originChannelId": Rule(kind=int),
}
_FIELDS = {
    "firstName": "first_name",
    "lastName": "last_name",
    "email": "email",
    "phoneNumber": "phone",
    "uuid": "uuid",
    "extraFields": "extra_fields",
    "role": "role",
    "companyRoleId": "company_role_id",
    "channelIds": "channel_ids",
}
_NO_STOREFRONT = "At least one B2B storefront needs to be enabled for a Company user."

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


def present(user: Record, *, include_extra: bool = True) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "id": user["id"],
        "companyId": user["company_id"],
        "customerId": user["customer_id"],
        "firstName": user["first_name"],
        "lastName": user["last_name"],
        "email": user["email"],
        "phoneNumber": user["phone"],
        "role": user["role"],
        "companyRoleName": _role_name(user),
        "uuid": user["uuid"],
        "channelList": [_channel(channel_id) for channel_id in user["channel_ids"]],
        "createdAt": user["created_at"],
        "updatedAt": user["updated_at"],
    }
    if user["company_role_id"] is not None:
        shown["companyRoleId"] = user["company_role_id"]
    if include_extra:
        shown["extraFields"] = user["extra_fields"]
    return shown


def _role_name(user: Record) -> str:
    role = _ROLE_BY_ID.get(user["company_role_id"])
    return str(role["name"]) if role else ROLE_NAMES.get(user["role"], "Custom")


def _known_role(fields: dict[str, Any]) -> None:
    """A company role id must name one of the store's roles (inferred wording)."""
    role_id = fields.get("companyRoleId")
    if role_id is not None and role_id not in _ROLE_BY_ID:
        raise parameter_error(
            {"companyRoleId": [f'Invalid pk "{role_id}" - object does not exist.']}
        )


def _follow_role(user: Record, fields: dict[str, Any]) -> None:
    """Keep `role` and `companyRoleId` telling the same story: a predefined role id sets the
    matching role code, a custom one reports as junior buyer, and a role code alone clears
    the role id (inferred from how stores report custom roles)."""
    role_id = fields.get("companyRoleId")
    if role_id is not None:
        name = _ROLE_BY_ID[role_id]["name"]
        codes = {label: code for code, label in ROLE_NAMES.items()}
        user["role"] = codes.get(str(name), 2)
    elif fields.get("role") is not None:
        user["company_role_id"] = None


def _channel(channel_id: int) -> dict[str, Any]:
    if channel_id == DEFAULT_CHANNEL["channelId"]:
        return DEFAULT_CHANNEL
    return {"channelId": channel_id, "channelName": f"Storefront {channel_id}", "iconUrl": ""}


def _user(request: Request) -> Record:
    user = store_of(request).users.get(path_id(request, "userId", _NOT_FOUND))
    if user is None:
        raise _NOT_FOUND
    return user


def _email_taken(store: SimulatedStore, email: str, user_id: int | None = None) -> bool:
    owner = store.user_by_email(email)
    return owner is not None and owner["id"] != user_id


async def list_users(request: Request) -> JSONResponse:
    store = store_of(request)
    query = Query(request)
    limit, offset = query.page()
    roles = query.integers("roles")
    if any(role not in ROLE_NAMES for role in roles):
        bad = next(role for role in roles if role not in ROLE_NAMES)
        raise parameter_error({"roles": {"0": [f'"{bad}" is not a valid choice.']}})
    include_extra = query.choice("isIncludeExtraFields", ("0", "1"), "0") == "1"
    records: list[Any] = in_range(store.users.values(), query)
    if (company_id := query.integer("companyId")) is not None:
        records = [u for u in records if u["company_id"] == company_id]
    if (email := query.text("email")) is not None:
        records = [u for u in records if u["email"].lower() == email.lower()]
    if (channel_id := query.integer("channelId")) is not None:
        records = [u for u in records if channel_id in u["channel_ids"]]
    if roles:
        records = [u for u in records if u["role"] in roles]
    if (q := query.text("q")) is not None:
        needle = q.lower()
        records = [u for u in records if needle in _searchable(store, u)]
    records.sort(key=lambda u: u["id"], reverse=True)
    page, pagination = page_of(records, limit, offset)
    data = [present(u, include_extra=include_extra) for u in page]
    return envelope(data, message="Success", pagination=pagination)


def _searchable(store: SimulatedStore, user: Record) -> str:
    company = store.companies.get(user["company_id"], {})
    return " ".join(
        (user["first_name"], user["last_name"], user["email"], company.get("name", ""))
    ).lower()


async def create_user(request: Request) -> JSONResponse:
    store = store_of(request)
    body = await json_body(request)
    if body.get("role") is None and body.get("companyRoleId") is None:
        raise parameter_error({"non_field_errors": ["User must have a role."]})
    fields = validated(body, CREATE_RULES)
    _known_role(fields)
    if fields["companyId"] not in store.companies:
        raise parameter_error(
            {"companyId": [f'Invalid pk "{fields["companyId"]}" - object does not exist.']}
        )
    if not fields.get("channelIds"):
        raise logical_error(_NO_STOREFRONT)
    if _email_taken(store, fields["email"]):
        raise logical_error(f"Email already exists. ['{fields['email']}']")
    user = add_user(
        store,
        company_id=fields["companyId"],
        first_name=fields["firstName"],
        last_name=fields["lastName"],
        email=fields["email"],
        role=fields["role"] if fields.get("role") is not None else 2,
        phone=fields.get("phoneNumber") or "",
    )
    for name in ("channelIds", "uuid", "extraFields", "companyRoleId"):
        if fields.get(name) is not None:
            user[_FIELDS[name]] = fields[name]
    _follow_role(user, fields)
    return envelope({"userId": user["id"], "bcId": user["customer_id"]}, message="Success")


async def get_user(request: Request) -> JSONResponse:
    return envelope(present(_user(request)), message="Success")


async def update_user(request: Request) -> JSONResponse:
    store = store_of(request)
    user = _user(request)
    fields = validated(await json_body(request), UPDATE_RULES)
    _known_role(fields)
    # PUT /users answers rule violations as field errors (its errMsg is an object).
    if "channelIds" in fields and not fields["channelIds"]:
        raise parameter_error({"channelIds": [_NO_STOREFRONT]})
    if fields.get("email") is not None and _email_taken(store, fields["email"], user["id"]):
        raise parameter_error({"email": ["Email already exists."]})
    for name, value in fields.items():
        if value is not None:
            user[_FIELDS[name]] = value
    _follow_role(user, fields)
    user["updated_at"] = store.now()
    return envelope(present(user), message="Success")


async def get_user_by_customer(request: Request) -> JSONResponse:
    store = store_of(request)
    user = store.user_by_customer(path_id(request, "customerId", _NOT_FOUND))
    if user is None:
        raise _NOT_FOUND
    return envelope(present(user), message="Success")


ROUTES = [
    Route("/users/customer/{customerId}", get_user_by_customer, methods=["GET"]),
    Route("/users", list_users, methods=["GET"]),
    Route("/users", create_user, methods=["POST"]),
    Route("/users/{userId}", get_user, methods=["GET"]),
    Route("/users/{userId}", update_user, methods=["PUT"]),
]
