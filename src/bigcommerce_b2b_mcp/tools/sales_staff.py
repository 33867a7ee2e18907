"""Sales staff tools: the store's people and the companies each one looks after."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ..errors import InvalidInputError
from ..models.common import Page
from ..models.company import CompanyId
from ..models.sales_staff import (
    Assignment,
    SalesStaff,
    SalesStaffDetail,
    SalesStaffId,
    SalesStaffQuery,
)
from .context import ToolContext, api
from .params import DEFAULT_LIMIT, Descending, Limit, Offset
from .toolset import Toolset

toolset = Toolset("sales_staff", "Sales staff and the companies each one covers.")

CompanyIds = Annotated[list[CompanyId], Field(max_length=100)]


class SalesStaffPage(Page[SalesStaff]):
    """A page of sales staff."""


@toolset.tool(title="List sales staff", read_only=True, destructive=False, idempotent=True)
async def list_sales_staff(
    ctx: ToolContext,
    company_id: Annotated[
        CompanyId | None, Field(description="Only the staff who cover this company.")
    ] = None,
    sort_by: Annotated[
        Literal["updated_at", "email"], Field(description="Sort key.")
    ] = "updated_at",
    descending: Descending = True,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> SalesStaffPage:
    """List the store's sales staff (sales reps) with how many companies each covers.

    Answers "who is the sales rep for this company?" with company_id. Next:
    get_sales_staff for the companies one of them covers, assign_sales_staff to change them.
    """
    query = SalesStaffQuery(company_id=company_id, sort_by=sort_by, descending=descending)
    page = await api(ctx).sales_staff.list(query, limit=limit, offset=offset)
    return SalesStaffPage.of(page)


@toolset.tool(title="Get sales staff", read_only=True, destructive=False, idempotent=True)
async def get_sales_staff(ctx: ToolContext, sales_staff_id: SalesStaffId) -> SalesStaffDetail:
    """Get one sales staff member with every company assigned to them, and since when.

    Next: assign_sales_staff to change the companies they cover.
    """
    return await api(ctx).sales_staff.detail(sales_staff_id)


@toolset.tool(
    title="Assign sales staff",
    read_only=False,
    destructive=True,
    idempotent=True,
    check="get_sales_staff(sales_staff_id={sales_staff_id})",
)
async def assign_sales_staff(
    ctx: ToolContext,
    sales_staff_id: SalesStaffId,
    assign_company_ids: Annotated[
        CompanyIds, Field(description="Companies this person should now cover.")
    ] = [],  # noqa: B006 - pydantic copies defaults
    unassign_company_ids: Annotated[
        CompanyIds, Field(description="Companies this person should stop covering.")
    ] = [],  # noqa: B006 - pydantic copies defaults
) -> SalesStaffDetail:
    """Change which companies a sales staff member covers.

    Companies not named keep their assignment. A company may have several staff.
    Returns the staff member with all their companies as they now are.
    """
    both = set(assign_company_ids) & set(unassign_company_ids)
    if both:
        listed = ", ".join(str(company) for company in sorted(both))
        raise InvalidInputError(f"Both assigned and unassigned: {listed}; nothing was sent.")
    assignments = [
        Assignment(company_id=company, assign_status=True) for company in assign_company_ids
    ] + [Assignment(company_id=company, assign_status=False) for company in unassign_company_ids]
    if not assignments:
        raise InvalidInputError("Nothing to change: name companies to assign or unassign.")
    client = api(ctx)
    await client.sales_staff.assign(sales_staff_id, assignments)
    return await client.sales_staff.detail(sales_staff_id)
