"""Companies: the B2B buyer accounts."""

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


class CompanyStatus(CodedEnum):
    """Where a company stands: only approved companies can buy."""

    PENDING = "pending", 0
    APPROVED = "approved", 1
    REJECTED = "rejected", 2
    INACTIVE = "inactive", 3


class ParentCompany(APIModel):
    id: int
    name: str = ""


class Company(APIModel):
    """A company as the API describes it (ids, status and dates coerced from strings)."""

    company_id: int
    company_name: str
    company_email: str = ""
    company_phone: str = ""
    company_status: Annotated[CompanyStatus | int, Field(union_mode="left_to_right")]
    bc_group_id: OptionalInt = None
    bc_group_name: OptionalStr = None
    catalog_id: OptionalStr = None
    catalog_name: OptionalStr = None
    uuid: OptionalStr = None
    address_line1: OptionalStr = None
    address_line2: OptionalStr = None
    city: OptionalStr = None
    state: OptionalStr = None
    country: OptionalStr = None
    zip_code: OptionalStr = None
    parent_company: ParentCompany | None = None
    extra_fields: list[ExtraField] = Field(default_factory=list)
    created_at: Timestamp = None
    updated_at: Timestamp = None


class CreatedCompany(APIModel):
    """What `POST /companies` answers."""

    company_id: int
    customer_id: OptionalInt = None
    customer_group_id: OptionalInt = None


class CompanyAddressFields(RequestModel):
    address_line1: Annotated[str | None, Field(max_length=200)] = None
    address_line2: Annotated[str | None, Field(max_length=200)] = None
    city: Annotated[str | None, Field(min_length=1, max_length=100)] = None
    state: Annotated[str | None, Field(min_length=1, max_length=50)] = None
    zip_code: Annotated[str | None, Field(max_length=50)] = None


class NewCompany(CompanyAddressFields):
    """Body of `POST /companies`: the company and its first admin user."""

    company_name: Annotated[str, Field(min_length=1, max_length=200)]
    company_email: Annotated[EmailStr, Field(max_length=200)]
    company_phone: Annotated[str, Field(min_length=1, max_length=50)]
    country: Annotated[str, Field(min_length=1, max_length=200)]
    admin_first_name: Annotated[str, Field(min_length=1, max_length=100)]
    admin_last_name: Annotated[str, Field(min_length=1, max_length=100)]
    admin_email: Annotated[EmailStr, Field(max_length=100)]
    admin_phone_number: Annotated[str | None, Field(min_length=1, max_length=100)] = None
    customer_group_id: int | None = None
    uuid: str | None = None
    channel_ids: list[int] | None = None
    accept_creation_email: bool | None = None
    extra_fields: list[ExtraFieldValue] | None = None


class CompanyUpdate(CompanyAddressFields):
    """Body of `PUT /companies/{id}`: only the fields given change."""

    company_name: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    company_email: Annotated[EmailStr | None, Field(max_length=200)] = None
    company_phone: Annotated[str | None, Field(min_length=1, max_length=50)] = None
    country: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    customer_group_id: int | None = None
    uuid: str | None = None
    extra_fields: list[ExtraFieldValue] | None = None
