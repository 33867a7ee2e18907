"""Simulated `/addresses`: field errors come back in snake_case, as the real endpoint's do."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .envelopes import APIFailure, envelope, logical_error, page_of, parameter_error
from .inputs import (
    EXTRA_FIELDS,
    Query,
    Rule,
    in_range,
    json_body,
    path_id,
    snake_case,
    store_of,
    validated,
)
from .store import Record, SimulatedStore

COUNTRIES = {
    "Australia": "AU",
    "Austria": "AT",
    "Belgium": "BE",
    "Brazil": "BR",
    "Canada": "CA",
    "Denmark": "DK",
    "France": "FR",
    "Germany": "DE",
    "India": "IN",
    "Ireland": "IE",
    "Italy": "IT",
    "Japan": "JP",
    "Mexico": "MX",
    "Netherlands": "NL",
    "New Zealand": "NZ",
    "Norway": "NO",
    "Poland": "PL",
    "Spain": "ES",
    "Sweden": "SE",
    "Switzerland": "CH",
    "United Kingdom": "GB",
    "United States": "US",
}
COUNTRIES_WITH_STATES = {"US", "CA", "AU", "IN", "MX", "BR"}
_NAMES = {code: name for name, code in COUNTRIES.items()}

UPDATE_RULES = {
    "firstName": Rule(max_length=50),
    "lastName": Rule(max_length=50),
    "phoneNumber": Rule(max_length=50, allow_blank=True),
    "addressLine1": Rule(max_length=200),
    "addressLine2": Rule(max_length=200, allow_blank=True),
    "city": Rule(max_length=100),
    "stateName": Rule(max_length=150, allow_blank=True),
    "stateCode": Rule(max_length=10, allow_blank=True),
    "countryName": Rule(max_length=150),
    "countryCode": Rule(max_length=2),
    "zipCode": Rule(max_length=50, allow_blank=True),
    "isBilling": Rule(kind=bool),
    "isShipping": Rule(kind=bool),
    "isDefaultBilling": Rule(kind=bool),
    "isDefaultShipping": Rule(kind=bool),
    "label": Rule(allow_blank=True, max_length=100),
    "externalId": Rule(allow_blank=True, max_length=100),
    "extraFields": EXTRA_FIELDS,
}
CREATE_RULES = {
    **UPDATE_RULES,
    "companyId": Rule(kind=int, required=True),
    "firstName": Rule(required=True, max_length=50),
    "lastName": Rule(required=True, max_length=50),
    "addressLine1": Rule(required=True, max_length=200),
    "city": Rule(required=True, max_length=100),
}
_FIELDS = {name: snake_case(name) for name in UPDATE_RULES} | {"companyId": "company_id"}

_NOT_FOUND = APIFailure(404, "Not Found Error", "Address matching query does not exist.")


def add_address(
    store: SimulatedStore, *, company_id: int, created_at: int | None = None, **fields: Any
) -> Record:
    """Store an address; a new default billing/shipping address takes over the flag."""
    now = created_at if created_at is not None else store.now()
    address_id = store.next_id("address", start=301)
    address: Record = {
        "id": address_id,
        "company_id": company_id,
        "first_name": "",
        "last_name": "",
        "phone_number": "",
        "address_line1": "",
        "address_line2": "",
        "city": "",
        "state_name": "",
        "state_code": "",
        "country_name": "",
        "country_code": "",
        "zip_code": "",
        "is_billing": False,
        "is_shipping": False,
        "is_default_billing": False,
        "is_default_shipping": False,
        "label": "",
        "external_id": "",
        "extra_fields": [],
        "created_at": now,
        "updated_at": now,
        **fields,
    }
    store.addresses[address_id] = address
    _one_default_per_company(store, address)
    return address


def _one_default_per_company(store: SimulatedStore, address: Record) -> None:
    for flag in ("is_default_billing", "is_default_shipping"):
        if address[flag]:
            for other in store.addresses.values():
                if other["company_id"] == address["company_id"] and other["id"] != address["id"]:
                    other[flag] = False


def present(address: Record, *, include_extra: bool = True) -> dict[str, Any]:
    shown = {
        "addressId": address["id"],
        "companyId": address["company_id"],
        "firstName": address["first_name"],
        "lastName": address["last_name"],
        "phoneNumber": address["phone_number"],
        "addressLine1": address["address_line1"],
        "addressLine2": address["address_line2"],
        "city": address["city"],
        "stateName": address["state_name"],
        "stateCode": address["state_code"],
        "countryName": address["country_name"],
        "countryCode": address["country_code"],
        "zipCode": address["zip_code"],
        "isBilling": address["is_billing"],
        "isShipping": address["is_shipping"],
        "isDefaultBilling": address["is_default_billing"],
        "isDefaultShipping": address["is_default_shipping"],
        "label": address["label"],
        "externalId": address["external_id"],
    }
    if include_extra:
        shown["extraFields"] = address["extra_fields"]
    return shown


def _address(request: Request) -> Record:
    address = store_of(request).addresses.get(path_id(request, "addressId", _NOT_FOUND))
    if address is None:
        raise _NOT_FOUND
    return address


def _resolve_country(fields: dict[str, Any], current: Record | None) -> dict[str, Any]:
    """Country name and code, consistent with each other, and a state where one is needed."""
    name = fields.get("countryName")
    code = fields.get("countryCode")
    if name is None and code is None:
        if current is None:
            raise parameter_error({"country_name": ["This field is required."]})
        return {}
    if name is not None and name not in COUNTRIES:
        raise parameter_error({"country_name": [f'"{name}" is not a valid country.']})
    if code is not None and code.upper() not in _NAMES:
        raise parameter_error({"country_code": [f'"{code}" is not a valid country code.']})
    resolved_code = code.upper() if code is not None else COUNTRIES[str(name)]
    resolved_name = str(name) if name is not None else _NAMES[resolved_code]
    if COUNTRIES[resolved_name] != resolved_code:
        raise logical_error("The country name does not match the country code.")
    state = fields.get("stateName") or (current or {}).get("state_name")
    if resolved_code in COUNTRIES_WITH_STATES and not state:
        raise parameter_error({"state_name": ["This field is required for this country."]})
    return {"country_name": resolved_name, "country_code": resolved_code}


def _check_default_flags(fields: dict[str, Any]) -> None:
    for default, kind in (("isDefaultBilling", "isBilling"), ("isDefaultShipping", "isShipping")):
        if default in fields and kind not in fields:
            raise logical_error("Check is default fields and corresponding field.")


async def list_addresses(request: Request) -> JSONResponse:
    store = store_of(request)
    query = Query(request)
    limit, offset = query.page()
    include_extra = query.code("isIncludeExtraFields", (0, 1)) == 1
    records: list[Any] = in_range(store.addresses.values(), query)
    if (company_id := query.integer("companyId")) is not None:
        records = [a for a in records if a["company_id"] == company_id]
    for param, field in (("isBilling", "is_billing"), ("isShipping", "is_shipping")):
        if (wanted := query.flag(param)) is not None:
            records = [a for a in records if a[field] == wanted]
    for param, fields in _TEXT_FILTERS.items():
        if (text := query.text(param)) is not None:
            needle = text.lower()
            records = [a for a in records if any(needle in a[f].lower() for f in fields)]
    if external_ids := query.texts("externalId"):
        records = [a for a in records if a["external_id"] in external_ids]
    records.sort(key=lambda a: a["id"], reverse=True)
    page, pagination = page_of(records, limit, offset)
    data = [present(a, include_extra=include_extra) for a in page]
    return envelope(data, pagination=pagination)


# Text filters of GET /addresses and the fields each searches (state: name or code).
_TEXT_FILTERS = {
    "firstName": ("first_name",),
    "lastName": ("last_name",),
    "address": ("address_line1", "address_line2"),
    "city": ("city",),
    "country": ("country_name", "country_code"),
    "state": ("state_name", "state_code"),
    "zipCode": ("zip_code",),
    "phoneNumber": ("phone_number",),
}


async def create_address(request: Request) -> JSONResponse:
    store = store_of(request)
    fields = validated(await json_body(request), CREATE_RULES, key=snake_case)
    if fields["companyId"] not in store.companies:
        raise parameter_error(
            {"company_id": [f'Invalid pk "{fields["companyId"]}" - object does not exist.']}
        )
    _check_default_flags(fields)
    country = _resolve_country(fields, None)
    stored = {_FIELDS[name]: value for name, value in fields.items() if value is not None}
    stored.pop("company_id")
    address = add_address(store, company_id=fields["companyId"], **{**stored, **country})
    return envelope({"addressId": address["id"]})


async def get_address(request: Request) -> JSONResponse:
    return envelope(present(_address(request)))


async def update_address(request: Request) -> JSONResponse:
    store = store_of(request)
    address = _address(request)
    fields = validated(await json_body(request), UPDATE_RULES, key=snake_case)
    _check_default_flags(fields)
    if "countryName" in fields and "countryCode" not in fields:
        raise logical_error("Country code is required when the country name changes.")
    country = _resolve_country(fields, address)
    for name, value in fields.items():
        if value is not None:
            address[_FIELDS[name]] = value
    address.update(country)
    address["updated_at"] = store.now()
    _one_default_per_company(store, address)
    return envelope({"addressId": address["id"]})


ROUTES = [
    Route("/addresses", list_addresses, methods=["GET"]),
    Route("/addresses", create_address, methods=["POST"]),
    Route("/addresses/{addressId}", get_address, methods=["GET"]),
    Route("/addresses/{addressId}", update_address, methods=["PUT"]),
]
