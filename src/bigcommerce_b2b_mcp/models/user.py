"""Company users: the buyers who log in for a company."""

from __future__ import annotations

from typing import Annotated

from pydantic import EmailStr, Field

from .common import (
    APIModel,
    CodedEnum,
    ExtraField,
    ExtraFieldValue,
    OptionalInt,
    OptionalStr,
    RequestModel,
    Timestamp,
)


class UserRole(CodedEnum):
    """Built-in company roles. Custom roles report as junior_buyer with a company_role_id."""

    ADMIN = "admin", 0
    SENIOR_BUYER = "senior_buyer", 1
    JUNIOR_BUYER = "junior_buyer", 2


class Channel(APIModel):
    channel_id: int
    channel_name: str = ""


class User(APIModel):
    """A company user. `customer_id` is the BigCommerce customer behind the user."""

    id: int
    company_id: int
    customer_id: OptionalInt = None
    first_name: str = ""
    last_name: str = ""
    email: str
    phone_number: OptionalStr = None
    role: Annotated[UserRole | int, Field(union_mode="left_to_right")]
    company_role_id: OptionalInt = None
    company_role_name: OptionalStr = None
    uuid: OptionalStr = None
    channel_list: list[Channel] = Field(default_factory=list)
    extra_fields: list[ExtraField] = Field(default_factory=list)
    created_at: Timestamp = None
    updated_at: Timestamp = None


class CreatedUser(APIModel):
    """What `POST /users` answers: the user id and the BigCommerce customer id."""

    user_id: int
    bc_id: OptionalInt = None


class NewUser(RequestModel):
    """Body of `POST /users`."""

    company_id: Annotated[int, Field(gt=0)]
    first_name: Annotated[str, Field(min_length=1, max_length=150)]
    last_name: Annotated[str, Field(min_length=1, max_length=150)]
    email: Annotated[EmailStr, Field(max_length=150)]
    role: Annotated[int, Field(ge=0, le=2)]
    channel_ids: Annotated[list[int], Field(min_length=1)]
    phone_number: Annotated[str | None, Field(max_length=150)] = None
    company_role_id: int | None = None
    uuid: str | None = None
    accept_welcome_email: bool | None = None
    extra_fields: list[ExtraFieldValue] | None = None


class UserUpdate(RequestModel):
    """Body of `PUT /users/{id}`: only the fields given change."""

    first_name: Annotated[str | None, Field(min_length=1, max_length=150)] = None
    last_name: Annotated[str | None, Field(min_length=1, max_length=150)] = None
    email: Annotated[EmailStr | None, Field(max_length=150)] = None
    phone_number: Annotated[str | None, Field(max_length=150)] = None
    role: Annotated[int | None, Field(ge=0, le=2)] = None
    company_role_id: int | None = None
    uuid: str | None = None
    channel_ids: Annotated[list[int] | None, Field(min_length=1)] = None
    extra_fields: list[ExtraFieldValue] | None = None


class EmailLookup(RequestModel):
    """An email to look a user up by, checked before any request."""

    email: Annotated[EmailStr, Field(max_length=150)]
