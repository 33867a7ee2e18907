"""Company tools: find, read, create, change and approve B2B buyer companies."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from ..errors import InvalidInputError
from ..models.common import (
    ExtraFieldDefinition,
    ExtraFieldResource,
    ExtraFields,
    Page,
    extra_field_values,
)
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
    CompanyRole,
    CompanySort,
    CompanyStatus,
    CompanyUpdate,
    Country,
    CustomerGroupId,
    ExternalId,
    HierarchyCompany,
    NewCompany,
    ParentAssignment,
    RoleQuery,
    State,
    ZipCode,
)
from .context import ToolContext, api
from .params import DEFAULT_LIMIT, After, Descending, Keep, Limit, Offset, SearchText
from .toolset import Toolset

toolset = Toolset(
    "companies",
    "Buyer companies: search, read, create, update, approve; hierarchies, roles, extra fields.",
)


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
    extra_fields: ExtraFields | None = None,
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
        extra_fields=extra_field_values(extra_fields),
    )
    client = api(ctx)
    await client.extra_fields.check("company", extra_fields, creating=True)
    created = await client.companies.create(company)
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
    extra_fields: Annotated[ExtraFields | None, Keep] = None,
) -> Company:
    """Change a company's name, contact details, address, customer group or extra fields.

    Only the fields given change (extra fields not named keep their values). To approve,
    reject or deactivate a company use set_company_status instead; to move it under
    another, set_parent_company. Returns the company as it now is.
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
    if not update.to_api() and extra_fields is None:
        raise InvalidInputError("Nothing to change: give at least one field besides company_id.")
    client = api(ctx)
    if extra_fields is not None:
        await client.extra_fields.check("company", extra_fields, creating=False)
        current = (await client.companies.get(company_id)).extra_fields
        update.extra_fields = extra_field_values(extra_fields, current=current)
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


class CompanyHierarchy(BaseModel):
    """The account hierarchy a company belongs to, from its top company down."""

    company_id: int = Field(description="The company asked about.")
    items: list[HierarchyCompany] = Field(
        description="The top of the hierarchy, each with its subsidiaries nested."
    )


@toolset.tool(title="Get company hierarchy", read_only=True, destructive=False, idempotent=True)
async def get_company_hierarchy(ctx: ToolContext, company_id: CompanyId) -> CompanyHierarchy:
    """Show the account hierarchy a company belongs to, from its top company down.

    Every subsidiary is nested under its parent (at most three levels). A company with no
    parent and no subsidiaries is a hierarchy of one. The API allows about 15 of these calls
    a minute. Next: set_parent_company to move a company.
    """
    return CompanyHierarchy(
        company_id=company_id, items=await api(ctx).companies.hierarchy(company_id)
    )


@toolset.tool(
    title="Set parent company",
    read_only=False,
    destructive=True,
    idempotent=True,
    check="get_company_hierarchy(company_id={company_id})",
)
async def set_parent_company(
    ctx: ToolContext,
    company_id: CompanyId,
    parent_company_id: Annotated[
        CompanyId | None,
        Field(description="The company to put it under; null takes it out of its hierarchy."),
    ],
) -> CompanyHierarchy:
    """Put a company under a parent company (a subsidiary), or take it out from under one.

    The parent's users can then act for the subsidiary. Refused when the parent sits
    below the company, or when the hierarchy would go deeper than the store allows.
    Taken out, the company keeps its own subsidiaries. Returns its hierarchy as it now is.
    """
    client = api(ctx)
    if parent_company_id is None:
        parent = (await client.companies.get(company_id)).parent_company
        if parent is not None and parent.id:
            await client.companies.detach(parent.id, company_id)
    else:
        if parent_company_id == company_id:
            raise InvalidInputError("A company cannot be its own parent; nothing was sent.")
        assignment = ParentAssignment(parent_company_id=parent_company_id)
        await client.companies.set_parent(company_id, assignment)
    return CompanyHierarchy(
        company_id=company_id, items=await client.companies.hierarchy(company_id)
    )


class RolePage(Page[CompanyRole]):
    """A page of company roles."""


@toolset.tool(title="List company roles", read_only=True, destructive=False, idempotent=True)
async def list_company_roles(
    ctx: ToolContext,
    name_contains: Annotated[SearchText | None, Field(description="Part of the role name.")] = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> RolePage:
    """List the roles a company user can have, predefined and custom, with their ids.

    The predefined roles are Admin, Senior Buyer and Junior Buyer; a store adds its own.
    Pass a role's id as company_role_id to update_user or create_user.
    """
    query = RoleQuery(q=name_contains)
    return RolePage.of(await api(ctx).roles.list(query, limit=limit, offset=offset))


class ExtraFieldDefinitions(BaseModel):
    """The extra fields the store defines for one kind of record."""

    resource: ExtraFieldResource
    items: list[ExtraFieldDefinition]


@toolset.tool(
    title="List extra field definitions", read_only=True, destructive=False, idempotent=True
)
async def list_extra_field_definitions(
    ctx: ToolContext,
    resource: Annotated[
        ExtraFieldResource, Field(description="The kind of record whose extra fields to list.")
    ],
) -> ExtraFieldDefinitions:
    """List the extra fields the store defines for one kind of record.

    For companies, users, addresses, orders, quotes or invoices: each field's name, type,
    whether it is required, and a dropdown's allowed values. Call it before passing
    extra_fields to a create or update tool, which take them by name; a required field must
    be given when creating.
    """
    items = await api(ctx).extra_fields.definitions(resource, fresh=True)
    return ExtraFieldDefinitions(resource=resource, items=items)
