"""Company tools: find, read, create, change and approve B2B buyer companies."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from ..errors import InvalidInputError
from ..models.common import Page
from ..models.company import (
    AddressLine,
    AdminEmail,
    AdminName,
    AdminPhone,
    City,
    Company,
    CompanyEmail,
    CompanyId,
    CompanyName,
    CompanyPhone,
    CompanyQuery,
    CompanySort,
    CompanyStatus,
    CompanyUpdate,
    Country,
    CustomerGroupId,
    ExternalId,
    NewCompany,
    State,
    ZipCode,
)
from .context import ToolContext, api
from .params import DEFAULT_LIMIT, After, Descending, Keep, Limit, Offset, SearchText
from .toolset import Toolset

toolset = Toolset("companies", "Buyer companies: search, read, create, update, approve.")


class CompanyPage(Page[Company]):
    """A page of companies."""


class CompanyCreated(BaseModel):
    """The new company's ids."""

    company_id: int = Field(description="The new company's id.")
    admin_customer_id: int | None = Field(
        default=None, description="BigCommerce customer id of the admin user created with it."
    )


@toolset.tool(title="List companies", read_only=True, destructive=False, idempotent=True)
async def list_companies(
    ctx: ToolContext,
    name_contains: Annotated[
        SearchText | None, Field(description="Part of the company name.")
    ] = None,
    status: Annotated[
        CompanyStatus | None, Field(description="Only companies in this status.")
    ] = None,
    created_after: After = None,
    updated_after: After = None,
    sort_by: Annotated[
        CompanySort, Field(description="Sort key (the API has no other).")
    ] = "updated_at",
    descending: Descending = True,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> CompanyPage:
    """Find B2B companies by name, status or date, most recently updated first.

    Use it to turn a company name into a company_id, or to review pending applications
    (status="pending"). Returns the company record with its primary address, paged: follow
    has_more with offset+limit. Next: get_company for one company, list_company_users,
    list_company_addresses, list_orders or list_invoices with its company_id.
    """
    query = CompanyQuery(
        q=name_contains,
        company_status=status,
        min_created=created_after,
        min_modified=updated_after,
        sort_by=sort_by,
        descending=descending,
    )
    page = await api(ctx).companies.list(query, limit=limit, offset=offset)
    return CompanyPage.of(page)


@toolset.tool(title="Get company", read_only=True, destructive=False, idempotent=True)
async def get_company(ctx: ToolContext, company_id: CompanyId) -> Company:
    """Get one B2B company by id: name, contact, status, primary address, extra fields.

    Does not include users, addresses, orders or invoices: call list_company_users,
    list_company_addresses, list_orders or list_invoices with the same company_id.
    """
    return await api(ctx).companies.get(company_id)


@toolset.tool(
    title="Create company",
    read_only=False,
    destructive=False,
    idempotent=False,
    check="list_companies(name_contains={company_name!r})",
)
async def create_company(
    ctx: ToolContext,
    company_name: CompanyName,
    company_email: CompanyEmail,
    company_phone: CompanyPhone,
    country: Country,
    admin_first_name: Annotated[AdminName, Field(description="Admin user's first name.")],
    admin_last_name: Annotated[AdminName, Field(description="Admin user's last name.")],
    admin_email: AdminEmail,
    admin_phone_number: AdminPhone | None = None,
    address_line1: AddressLine | None = None,
    address_line2: Annotated[
        AddressLine | None, Field(description="Suite, unit, building.")
    ] = None,
    city: City | None = None,
    state: State | None = None,
    zip_code: ZipCode | None = None,
    customer_group_id: CustomerGroupId | None = None,
    external_id: ExternalId | None = None,
    send_welcome_email: Annotated[
        bool, Field(description="Email the admin user an invitation.")
    ] = False,
) -> CompanyCreated:
    """Create a B2B company together with its admin user (who becomes a store customer).

    Creates a new record each call: before calling again after an error, check with
    list_companies whether it exists. Next: get_company with the returned company_id,
    get_user_by_email to find the admin user, create_company_address to add addresses,
    set_company_status if it should not be approved.
    """
    company = NewCompany(
        company_name=company_name,
        company_email=company_email,
        company_phone=company_phone,
        country=country,
        admin_first_name=admin_first_name,
        admin_last_name=admin_last_name,
        admin_email=admin_email,
        admin_phone_number=admin_phone_number,
        address_line1=address_line1,
        address_line2=address_line2,
        city=city,
        state=state,
        zip_code=zip_code,
        customer_group_id=customer_group_id,
        uuid=external_id,
        accept_creation_email=send_welcome_email,
    )
    created = await api(ctx).companies.create(company)
    return CompanyCreated(company_id=created.company_id, admin_customer_id=created.customer_id)


@toolset.tool(
    title="Update company",
    read_only=False,
    destructive=True,
    idempotent=True,
    check="get_company(company_id={company_id})",
)
async def update_company(
    ctx: ToolContext,
    company_id: CompanyId,
    company_name: Annotated[CompanyName | None, Keep] = None,
    company_email: Annotated[CompanyEmail | None, Keep] = None,
    company_phone: Annotated[CompanyPhone | None, Keep] = None,
    address_line1: Annotated[AddressLine | None, Keep] = None,
    address_line2: Annotated[AddressLine | None, Keep] = None,
    city: Annotated[City | None, Keep] = None,
    state: Annotated[State | None, Keep] = None,
    country: Annotated[Country | None, Keep] = None,
    zip_code: Annotated[ZipCode | None, Keep] = None,
    customer_group_id: Annotated[CustomerGroupId | None, Keep] = None,
    external_id: Annotated[ExternalId | None, Keep] = None,
) -> Company:
    """Change a company's name, contact details, primary address or customer group.

    Only the fields given change; the old values are overwritten. To approve, reject or
    deactivate a company use set_company_status instead. Returns the company as it now is.
    """
    update = CompanyUpdate(
        company_name=company_name,
        company_email=company_email,
        company_phone=company_phone,
        address_line1=address_line1,
        address_line2=address_line2,
        city=city,
        state=state,
        country=country,
        zip_code=zip_code,
        customer_group_id=customer_group_id,
        uuid=external_id,
    )
    if not update.to_api():
        raise InvalidInputError("Nothing to change: give at least one field besides company_id.")
    client = api(ctx)
    await client.companies.update(company_id, update)
    return await client.companies.get(company_id)


@toolset.tool(
    title="Set company status",
    read_only=False,
    destructive=True,
    idempotent=True,
    check="get_company(company_id={company_id})",
)
async def set_company_status(
    ctx: ToolContext,
    company_id: CompanyId,
    status: Annotated[
        CompanyStatus,
        Field(description="approved lets its buyers order; pending, rejected and inactive do not."),
    ],
) -> Company:
    """Approve, reject, deactivate or return a company to pending.

    Buyers of a company that is not approved cannot log in or place orders, so rejecting
    or deactivating an active company cuts them off. Returns the company as it now is.
    """
    client = api(ctx)
    await client.companies.set_status(company_id, status)
    return await client.companies.get(company_id)
