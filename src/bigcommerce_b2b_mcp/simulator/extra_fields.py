"""Simulated `/{records}/extra-fields`: the extra fields the store defines per kind of record."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .envelopes import APIFailure, envelope, page_of
from .inputs import Query, store_of
from .store import Record, SimulatedStore

PATHS = {
    "company": "/companies/extra-fields",
    "user": "/users/extra-fields",
    "address": "/addresses/extra-fields",
    "order": "/orders/extra-fields",
    "quote": "/rfq/extra-fields",
    "invoice": "/ip/invoices/extra-fields",
}


def define(
    store: SimulatedStore,
    resource: str,
    name: str,
    *,
    field_type: int = 0,
    required: bool = False,
    choices: tuple[str, ...] = (),
) -> Record:
    """Add an extra field definition, as the control panel does (orders' spell theirs with
    numbers and a `listOfValues`, as their spec says)."""
    field: Record = {
        "id": store.next_id("extra_field", start=70001),
        "uuid": "",
        "fieldName": name,
        "fieldType": field_type,
        "isRequired": required,
        "isUnique": False,
        "visibleToEnduser": True,
        "configType": 2,
        "defaultValue": "",
        "maximumLength": "100" if field_type == 0 else "",
        "numberOfRows": "3" if field_type == 1 else "",
        "maximumValue": "",
        "listOfValue": list(choices),
    }
    if resource == "order":
        field.update(
            uuid=0,
            labelName=name,
            maximumLength=100 if field_type == 0 else 0,
            numberOfRows=3 if field_type == 1 else 0,
            maximumValue=0,
            listOfValues=field.pop("listOfValue"),
        )
    store.extra_fields.setdefault(resource, []).append(field)
    return field


def missing_required(store: SimulatedStore, resource: str, given: list[dict[str, Any]]) -> None:
    """422 as the spec words it when a required extra field is left out of a create."""
    names = {str(field.get("fieldName")) for field in given}
    for field in store.extra_fields.get(resource, []):
        if field["isRequired"] and field["fieldName"] not in names:
            detail = f"{field['fieldName']} is a required extra field"
            raise APIFailure(422, detail, detail)


def _listing(resource: str) -> Any:
    # The order extra fields' spec caps a page at 200, like the orders list; the others at 250.
    max_limit = 200 if resource == "order" else 250

    async def list_definitions(request: Request) -> JSONResponse:
        limit, offset = Query(request).page(max_limit)
        page, pagination = page_of(store_of(request).extra_fields.get(resource, []), limit, offset)
        return envelope(page, pagination=pagination)

    return list_definitions


ROUTES = [Route(path, _listing(resource), methods=["GET"]) for resource, path in PATHS.items()]
