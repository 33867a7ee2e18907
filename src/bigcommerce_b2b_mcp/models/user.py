"""Company users: the buyers who log in for a company."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, EmailStr, Field

from .common import (
    MAX_ID,
    APIModel,
    AsCode,
    CodedEnum,
    ExtraField,
    ExtraFieldValue,
    Int,
    Items,
    NewId,
    RequestModel,
    Text,
    TimeRange,
    Timestamp,
    ZeroOne,
    code_of,
)
from .company import CompanyId


class UserRole(CodedEnum):
    """Built-in company roles. Custom roles report as junior_buyer with a company_role_id."""

    ADMIN = "admin", 0
    SENIOR_BUYER = "senior_buyer", 1
    JUNIOR_BUYER = "junior_buyer", 2


UserId = Annotated[int, Field(gt=0, le=MAX_ID, description="Company user id.")]
PersonName = Annotated[str, Field(min_length=1, max_length=150, description="Name.")]
UserEmail = Annotated[
    EmailStr,
    Field(max_length=150, description="Login email; unique across all companies."),
]
UserPhone = Annotated[str, Field(max_length=150, description="Phone number.")]
ChannelIds = Annotated[
    list[Annotated[int, Field(gt=0, le=MAX_ID)]],
    Field(
        min_length=1,
        max_length=50,
        description="Storefront channels the user may use (1 = default).",
    ),
]


CompanyRoleId = Annotated[
    int,
    Field(
        gt=0,
        le=MAX_ID,
        description="A company role's id (list_company_roles), for custom roles; replaces role.",
    ),
]


class Channel(APIModel):
    channel_id: Int = None
    channel_name: Text = None


class User(APIModel):
    """A company user. `customer_id` is the BigCommerce customer behind the user."""

    id: Int = None
    company_id: Int = None
    customer_id: Int = Field(default=None, description="BigCommerce customer id.")
    first_name: Text = None
    last_name: Text = None
    email: Text = None
    phone_number: Text = None
    role: Annotated[
        UserRole | int | None,
        BeforeValidator(code_of(UserRole)),
        Field(description="Known roles by name, others as codes."),
    ] = None
    company_role_id: Int = None
    company_role_name: Text = None
    uuid: Text = Field(default=None, description="The user's id in an ERP or CRM.")
    channel_list: Items[Channel] = Field(default_factory=list)
    extra_fields: Items[ExtraField] = Field(default_factory=list)
    created_at: Timestamp = None
    updated_at: Timestamp = None


class CreatedUser(APIModel):
    """What `POST /users` answers: the user id and the BigCommerce customer id."""

    user_id: NewId
    bc_id: Int = None


class UserQuery(TimeRange):
    """Query parameters of `GET /users` (`email` is an exact match; extra fields included)."""

    company_id: int | None = None
    email: str | None = None
    q: str | None = None
    roles: list[Annotated[UserRole, AsCode]] | None = None
    is_include_extra_fields: ZeroOne = True


class NewUser(RequestModel):
    """Body of `POST /users`."""

    company_id: CompanyId
    first_name: PersonName
    last_name: PersonName
    email: UserEmail
    role: Annotated[int, Field(ge=0, le=2)]
    channel_ids: ChannelIds
    phone_number: UserPhone | None = None
    company_role_id: CompanyRoleId | None = None
    uuid: str | None = None
    accept_welcome_email: bool | None = None
    extra_fields: list[ExtraFieldValue] | None = None


class UserUpdate(RequestModel):
    """Body of `PUT /users/{id}`: only the fields given change."""

    first_name: PersonName | None = None
    last_name: PersonName | None = None
    email: UserEmail | None = None
    phone_number: UserPhone | None = None
    role: Annotated[int | None, Field(ge=0, le=2)] = None
    company_role_id: CompanyRoleId | None = None
    uuid: str | None = None
    channel_ids: ChannelIds | None = None
    extra_fields: list[ExtraFieldValue] | None = None


class EmailLookup(RequestModel):
    """An email to look a user up by, checked before any request."""

    email: UserEmail
