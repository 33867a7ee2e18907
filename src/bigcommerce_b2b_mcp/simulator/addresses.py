"""Simulated `/addresses`: field errors come back in snake_case, as the real endpoint's do."""

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
    snake_case,
    store_of,
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
    "label": Rule(allow_blank=True),
    "externalId": Rule(allow_blank=True),
    "extraFields": Rule(kind=list),
}
CREATE_RULES = {
    **UPDATE_RULES,
    "companyId": Rule(kind=int, required=True),
    "firstName": Rule(required=True, max_length=50),
    "lastName": Rule(required=True, max_length=50),
    "addressLine1": Rule(required=True, max_length=200),
    "city": Rule(required=True, max_length=100),
}
_FIELDS = {name: snake_case(name) for name in UPDATE_RULES}

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


def present(address: Record) -> dict[str, Any]:
    return {
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
        "extraFields": address["extra_fields"],
    }


def _address(request: Request) -> Record:
    address = store_of(request).addresses.get(path_id(request, "addressId", _NOT_FOUND))
    if address is None:
        raise _NOT_FOUND
    return address


def _resolve_country(body: dict[str, Any], current: Record | None) -> dict[str, Any]:
    """Country name and code, consistent with each other, and a state where one is needed."""
    name = body.get("countryName")
    code = body.get("countryCode")
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
    state = body.get("stateName") or (current or {}).get("state_name")
    if resolved_code in COUNTRIES_WITH_STATES and not state:
        raise parameter_error({"state_name": ["This field is required for this country."]})
    return {"country_name": resolved_name, "country_code": resolved_code}


def _check_default_flags(body: dict[str, Any]) -> None:
    for default, kind in (("isDefaultBilling", "isBilling"), ("isDefaultShipping", "isShipping")):
        if default in body and kind not in body:
            raise logical_error("Check is default fields and corresponding field.")


async def list_addresses(request: Request) -> JSONResponse:
    store = store_of(request)
    query = Query(request)
    limit, offset = query.page()
    records: list[Any] = in_range(store.addresses.values(), query)
    if (company_id := query.integer("companyId")) is not None:
        records = [a for a in records if a["company_id"] == company_id]
    for param, field in (("isBilling", "is_billing"), ("isShipping", "is_shipping")):
        if (wanted := query.flag(param)) is not None:
            records = [a for a in records if a[field] == wanted]
    for param, field in (("city", "city"), ("firstName", "first_name"), ("lastName", "last_name")):
        if (text := query.text(param)) is not None:
            records = [a for a in records if text.lower() in a[field].lower()]
    if (country := query.text("country")) is not None:
        records = [
            a
            for a in records
            if country.lower() in (a["country_name"].lower(), a["country_code"].lower())
        ]
    records.sort(key=lambda a: a["id"], reverse=True)
    page, pagination = page_of(records, limit, offset)
    return envelope([present(a) for a in page], pagination=pagination)


async def create_address(request: Request) -> JSONResponse:
    store = store_of(request)
    body = await json_body(request)
    errors = field_errors(body, CREATE_RULES, key=snake_case)
    if errors:
        raise parameter_error(errors)
    if int(body["companyId"]) not in store.companies:
        raise parameter_error(
            {"company_id": [f'Invalid pk "{body["companyId"]}" - object does not exist.']}
        )
    _check_default_flags(body)
    country = _resolve_country(body, None)
    fields = {
        _FIELDS[name]: value
        for name, value in body.items()
        if name in _FIELDS and value is not None
    }
    address = add_address(store, company_id=int(body["companyId"]), **{**fields, **country})
    return envelope({"addressId": address["id"]})


async def get_address(request: Request) -> JSONResponse:
    return envelope(present(_address(request)))


async def update_address(request: Request) -> JSONResponse:
    store = store_of(request)
    address = _address(request)
    body = await json_body(request)
    errors = field_errors(body, UPDATE_RULES, key=snake_case)
    if errors:
        raise parameter_error(errors)
    _check_default_flags(body)
    if "countryName" in body and "countryCode" not in body:
        raise logical_error("Country code is required when the country name changes.")
    country = _resolve_country(body, address)
    for name, value in body.items():
        if name in _FIELDS and value is not None:
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
