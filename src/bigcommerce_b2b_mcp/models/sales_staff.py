"""Sales staff: the store's people assigned to look after companies."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from .common import MAX_ID, APIModel, Int, Items, OrderBy, Query, RequestModel, Text, Timestamp
from .company import CompanyId

SalesStaffId = Annotated[
    int, Field(gt=0, le=MAX_ID, description="Sales staff id (from list_sales_staff).")
]


class SalesStaff(APIModel):
    """A sales staff member and how many companies they cover."""

    renames: ClassVar[dict[str, str]] = {"sales_rep_name": "name", "role_name": "role"}

    id: Int = None
    name: Text = None
    email: Text = None
    phone_number: Text = None
    role: Text = None
    company_count: Int = None


class AssignedCompany(APIModel):
    id: Int = Field(default=None, description="The company's id.")
    company_name: Text = None
    assigned_at: Timestamp = None


class SalesStaffDetail(SalesStaff):
    """A sales staff member with the companies assigned to them."""

    assigned_companies: Items[AssignedCompany] = Field(default_factory=list)


class SalesStaffQuery(Query):
    """Query parameters of `GET /sales-staffs`."""

    company_id: int | None = None
    sort_by: Literal["updated_at", "email"] = "updated_at"  # the API spells these snake_case
    descending: OrderBy = True


class Assignment(RequestModel):
    company_id: CompanyId
    assign_status: bool
