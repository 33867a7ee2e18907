"""Company user tools: the buyers who log in and order for a company."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from ..errors import InvalidInputError, NotFoundError
from ..models.common import Page
from ..models.company import CompanyId
from ..models.user import (
    ChannelIds,
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
    )
    created = await api(ctx).users.create(user)
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
    role: Annotated[UserRole | None, Field(description="New role.")] = None,
) -> User:
    """Change a company user's name, email, phone or role; only the fields given change.

    A user cannot move to another company. Returns the user as they now are.
    """
    update = UserUpdate(
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone_number=phone_number,
        role=role.code if role is not None else None,
    )
    if not update.to_api():
        raise InvalidInputError("Nothing to change: give at least one field besides user_id.")
    return await api(ctx).users.update(user_id, update)
