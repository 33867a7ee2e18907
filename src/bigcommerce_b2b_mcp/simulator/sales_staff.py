"""Simulated `/sales-staffs`: who covers which companies."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .envelopes import APIFailure, envelope, page_of
from .inputs import Query, path_id, store_of
from .store import Record, SimulatedStore

_NOT_FOUND = APIFailure(404, "Not Found Error", "Sales staff does not exist.")


def add_sales_staff(store: SimulatedStore, *, name: str, email: str, phone: str = "") -> Record:
    staff: Record = {
        "id": store.next_id("sales_staff", start=20101),
        "name": name,
        "email": email,
        "phone": phone,
        "role": "Sales Rep",
        "assignments": {},  # company id -> when assigned
        "updated_at": store.now(),
    }
    store.sales_staff[staff["id"]] = staff
    return staff


def _summary(staff: Record) -> dict[str, Any]:
    return {
        "id": staff["id"],
        "email": staff["email"],
        "salesRepName": staff["name"],
        "roleName": staff["role"],
        "companyCount": len(staff["assignments"]),
    }


def _detail(store: SimulatedStore, staff: Record) -> dict[str, Any]:
    companies = []
    for company_id, assigned_at in staff["assignments"].items():
        company = store.companies.get(company_id)
        if company is not None:
            companies.append(
                {
                    "id": company_id,
                    "bcId": str(company["bc_group_id"]),
                    "companyName": company["name"],
                    "bcGroupName": company["name"],
                    "assignedAt": assigned_at,
                }
            )
    return {
        "id": staff["id"],
        "email": staff["email"],
        "name": staff["name"],
        "phoneNumber": staff["phone"],
        "assignedCompanies": companies,
    }


async def list_sales_staff(request: Request) -> JSONResponse:
    store = store_of(request)
    query = Query(request)
    limit, offset = query.page()
    sort_by = query.choice("sortBy", ("updated_at", "email"), "updated_at")
    order_by = query.choice("orderBy", ("ASC", "DESC"), "DESC")
    records: list[Any] = list(store.sales_staff.values())
    if (company := query.integer("companyId")) is not None:
        records = [s for s in records if company in s["assignments"]]
    if (since := query.integer("minModified")) is not None:
        records = [s for s in records if s["updated_at"] >= since]
    records.sort(key=lambda s: (s[sort_by], s["id"]), reverse=order_by == "DESC")
    page, pagination = page_of(records, limit, offset)
    return envelope([_summary(s) for s in page], pagination=pagination)


def _staff(request: Request) -> Record:
    staff = store_of(request).sales_staff.get(path_id(request, "salesStaffId", _NOT_FOUND))
    if staff is None:
        raise _NOT_FOUND
    return staff


async def get_sales_staff(request: Request) -> JSONResponse:
    return envelope(_detail(store_of(request), _staff(request)))


async def assign_sales_staff(request: Request) -> JSONResponse:
    """Assign or unassign companies; the other assignments stay (the spec: non-destructive).

    Every failure is a 422 whose `errMsg` is one sentence, an unknown staff id included.
    """
    store = store_of(request)
    staff = store.sales_staff.get(path_id(request, "salesStaffId", _unknown_staff()))
    if staff is None:
        raise _unknown_staff()
    changes = [_assignment(store, item) for item in await _json_list(request)]
    for company_id, assign in changes:
        if assign:
            staff["assignments"].setdefault(company_id, store.now())
        else:
            staff["assignments"].pop(company_id, None)
    staff["updated_at"] = store.now()
    return envelope({})


def _assignment(store: SimulatedStore, item: Any) -> tuple[int, bool]:
    if not isinstance(item, dict):
        raise _parameter_error("Invalid data. Expected a dictionary.")
    company_id, assign = item.get("companyId"), item.get("assignStatus")
    if isinstance(company_id, bool) or not isinstance(company_id, int):
        raise _parameter_error("companyId: A valid integer is required.")
    if not isinstance(assign, bool):
        raise _parameter_error("assignStatus: Must be a valid boolean.")
    if company_id not in store.companies:
        raise _parameter_error(f"Company {company_id} does not exist.")
    return company_id, assign


def _unknown_staff() -> APIFailure:
    return _parameter_error("Sales staff does not exist.")


def _parameter_error(detail: str) -> APIFailure:
    """This endpoint words its 422 as one sentence (its spec: `errMsg` a string)."""
    return APIFailure(422, "Parameter Error", detail)


async def _json_list(request: Request) -> list[Any]:
    try:
        body = await request.json()
    except ValueError:
        raise APIFailure(400, "Bad Request", data={}) from None
    if not isinstance(body, list):
        raise _parameter_error("Expected a list of items.")
    return body


ROUTES = [
    Route("/sales-staffs", list_sales_staff, methods=["GET"]),
    Route("/sales-staffs/{salesStaffId}", get_sales_staff, methods=["GET"]),
    Route("/sales-staffs/{salesStaffId}", assign_sales_staff, methods=["PUT"]),
]
