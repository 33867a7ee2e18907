"""Company user tools: the buyers who log in and order for a company."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from ..errors import InvalidInputError, NotFoundError
from ..models.common import ExtraFields, Page, extra_field_values
from ..models.company import CompanyId
from ..models.order import CustomerId
from ..models.user import (
    ChannelIds,
    CompanyRoleId,
    EmailLookup,
    NewUser,
    PersonName,
    User,
    UserEmail,
    UserId,
    UserPhone,
    UserQuery,
    UserRole,
    UserUpdate,
)
from .context import ToolContext, api
from .params import DEFAULT_LIMIT, Keep, Limit, Offset
from .toolset import Toolset

toolset = Toolset("users", "Company users: the buyers of a company.")


class UserPage(Page[User]):
    """A page of company users."""


class UserCreated(BaseModel):
    user_id: int = Field(description="The new user's id.")
    customer_id: int | None = Field(
        default=None, description="BigCommerce customer id created for the user."
    )


@toolset.tool(
    title="Create company user",
    read_only=False,
    destructive=False,
    idempotent=False,
    check="get_user_by_email(email={email!r})",
)
async def create_user(
    ctx: ToolContext,
    company_id: CompanyId,
    first_name: Annotated[PersonName, Field(description="First name.")],
    last_name: Annotated[PersonName, Field(description="Last name.")],
    email: UserEmail,
    role: Annotated[
        UserRole,
        Field(
            description="admin runs the company; senior_buyer orders; junior_buyer needs approval"
        ),
    ] = UserRole.JUNIOR_BUYER,
    phone_number: UserPhone | None = None,
    channel_ids: ChannelIds = [1],  # noqa: B006 - pydantic copies defaults
    company_role_id: CompanyRoleId | None = None,
    extra_fields: ExtraFields | None = None,
) -> UserCreated:
    """Add a buyer to a company; B2B Edition also creates a store customer for them.

    Fails if the email already belongs to any company user: use get_user_by_email to find
    that user instead of retrying. Next: get_user with the returned user_id.
    """
    user = NewUser(
        company_id=company_id,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role.code,
        phone_number=phone_number,
        channel_ids=channel_ids,
        company_role_id=company_role_id,
        extra_fields=extra_field_values(extra_fields),
    )
    client = api(ctx)
    await client.extra_fields.check("user", extra_fields, creating=True)
    created = await client.users.create(user)
    return UserCreated(user_id=created.user_id, customer_id=created.bc_id)


@toolset.tool(title="Get company user", read_only=True, destructive=False, idempotent=True)
async def get_user(ctx: ToolContext, user_id: UserId) -> User:
    """Get one company user by id: name, email, role, company and channels.

    Use get_user_by_email when you only know the email address.
    """
    return await api(ctx).users.get(user_id)


@toolset.tool(title="Find user by email", read_only=True, destructive=False, idempotent=True)
async def get_user_by_email(
    ctx: ToolContext,
    email: Annotated[UserEmail, Field(description="The exact email address.")],
) -> User:
    """Find the company user with exactly this email (emails are unique in B2B Edition).

    Returns the user with their company_id. Not a search: use list_company_users to browse
    a company's users. Next: get_company with the company_id, or update_user.
    """
    lookup = EmailLookup(email=email)
    user = await api(ctx).users.get_by_email(lookup.email)
    if user is None:
        raise NotFoundError("No company user has this email.", resource="user")
    return user


@toolset.tool(title="List company users", read_only=True, destructive=False, idempotent=True)
async def list_company_users(
    ctx: ToolContext,
    company_id: CompanyId,
    role: Annotated[UserRole | None, Field(description="Only users with this role.")] = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> UserPage:
    """List the users of one company, newest first, paged (follow has_more).

    Next: get_user or update_user with a user's id.
    """
    query = UserQuery(company_id=company_id, roles=[role] if role else None)
    return UserPage.of(await api(ctx).users.list(query, limit=limit, offset=offset))


@toolset.tool(
    title="Update company user",
    read_only=False,
    destructive=True,
    idempotent=True,
    check="get_user(user_id={user_id})",
)
async def update_user(
    ctx: ToolContext,
    user_id: UserId,
    first_name: Annotated[PersonName | None, Keep] = None,
    last_name: Annotated[PersonName | None, Keep] = None,
    email: Annotated[
        UserEmail | None, Field(description="New login email (must be unused).")
    ] = None,
    phone_number: Annotated[UserPhone | None, Keep] = None,
    role: Annotated[UserRole | None, Field(description="New predefined role.")] = None,
    company_role_id: CompanyRoleId | None = None,
    channel_ids: Annotated[
        ChannelIds | None, Field(description="Storefront channels the user may use, all of them.")
    ] = None,
    extra_fields: Annotated[ExtraFields | None, Keep] = None,
) -> User:
    """Change a company user's name, email, phone, role, channels or extra fields.

    Only the fields given change (extra fields not named keep their values).
    For a custom role pass company_role_id (list_company_roles has the ids), not role.
    A user cannot move to another company. Returns the user as they now are.
    """
    if role is not None and company_role_id is not None:
        raise InvalidInputError("Give role or company_role_id, not both; nothing was sent.")
    update = UserUpdate(
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone_number=phone_number,
        role=role.code if role is not None else None,
        company_role_id=company_role_id,
        channel_ids=channel_ids,
    )
    if not update.to_api() and extra_fields is None:
        raise InvalidInputError("Nothing to change: give at least one field besides user_id.")
    client = api(ctx)
    if extra_fields is not None:
        await client.extra_fields.check("user", extra_fields, creating=False)
        current = (await client.users.get(user_id)).extra_fields
        update.extra_fields = extra_field_values(extra_fields, current=current)
    return await client.users.update(user_id, update)


@toolset.tool(title="Find user by customer id", read_only=True, destructive=False, idempotent=True)
async def get_user_by_customer_id(ctx: ToolContext, customer_id: CustomerId) -> User:
    """Find the company user behind a BigCommerce customer id, with their company_id.

    Orders and the storefront know a buyer by this customer id.
    Fails for customers who are not company users (B2C shoppers). Next: get_company
    with the company_id, or assign_customer_orders_to_company.
    """
    return await api(ctx).users.by_customer(customer_id)
