"""Companies: the B2B buyer accounts.

The write fields are declared once here, with their limits from the official spec and a
description for the model; the request bodies and the tools' parameters both use them.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

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
    Nested,
    NewId,
    OrderBy,
    Query,
    RequestModel,
    SortKey,
    Text,
    TimeRange,
    Timestamp,
    ZeroOne,
    code_of,
)


class CompanyStatus(CodedEnum):
    """Where a company stands: only approved companies can buy."""

    PENDING = "pending", 0
    APPROVED = "approved", 1
    REJECTED = "rejected", 2
    INACTIVE = "inactive", 3


CompanyId = Annotated[
    int, Field(gt=0, le=MAX_ID, description="B2B company id (from list_companies).")
]
CompanyName = Annotated[str, Field(min_length=1, max_length=200, description="Company name.")]
CompanyEmail = Annotated[
    EmailStr, Field(max_length=200, description="The company's main email address.")
]
CompanyPhone = Annotated[
    str, Field(min_length=1, max_length=50, description="The company's main phone number.")
]
Country = Annotated[
    str, Field(min_length=1, max_length=200, description="Country: full name or ISO code, e.g. US.")
]
AdminName = Annotated[str, Field(min_length=1, max_length=100, description="Admin user's name.")]
AdminEmail = Annotated[
    EmailStr,
    Field(max_length=100, description="Admin's email; must not belong to another company user."),
]
AdminPhone = Annotated[str, Field(min_length=1, max_length=100, description="Admin's phone.")]
AddressLine = Annotated[str, Field(max_length=200, description="Street address line.")]
City = Annotated[str, Field(min_length=1, max_length=100, description="City.")]
State = Annotated[
    str, Field(min_length=1, max_length=50, description="State, full name (e.g. Texas).")
]
ZipCode = Annotated[str, Field(max_length=50, description="Postal code.")]
CustomerGroupId = Annotated[
    int,
    Field(
        ge=0,
        le=MAX_ID,
        description="BigCommerce customer group (price tier); 0 for none, omit for the default.",
    ),
]
ExternalId = Annotated[
    str, Field(min_length=1, max_length=100, description="The company's id in an ERP or CRM.")
]


class ParentCompany(APIModel):
    id: Int = None
    name: Text = None


class PriceList(APIModel):
    """A price list assigned to the company on one storefront channel."""

    channel_id: Int = None
    channel_name: Text = None
    price_list_id: Int = None
    price_list_name: Text = None


class Company(APIModel):
    """A company as the API describes it (ids, status and dates coerced from strings)."""

    renames: ClassVar[dict[str, str]] = {"price_list_assign": "price_lists"}

    company_id: Int = None
    company_name: Text = None
    company_email: Text = None
    company_phone: Text = None
    company_status: Annotated[
        CompanyStatus | int | None,
        BeforeValidator(code_of(CompanyStatus)),
        Field(description="Known statuses by name, others as codes."),
    ] = None
    bc_group_id: Int = Field(default=None, description="BigCommerce customer group id.")
    bc_group_name: Text = None
    catalog_id: Text = None
    catalog_name: Text = None
    uuid: Text = Field(default=None, description="The company's id in an ERP or CRM.")
    address_line1: Text = None
    address_line2: Text = None
    city: Text = None
    state: Text = None
    country: Text = None
    zip_code: Text = None
    parent_company: Nested[ParentCompany] = None
    price_lists: Items[PriceList] = Field(
        default_factory=list, description="Price lists per storefront channel."
    )
    extra_fields: Items[ExtraField] = Field(default_factory=list)
    created_at: Timestamp = None
    updated_at: Timestamp = None


class HierarchyCompany(APIModel):
    """A company in an account hierarchy, with the companies below it."""

    company_id: Int = None
    company_name: Text = None
    company_status: Annotated[
        CompanyStatus | int | None, BeforeValidator(code_of(CompanyStatus))
    ] = None
    subsidiaries: Items[HierarchyCompany] = Field(default_factory=list)


class CompanyRole(APIModel):
    """A company user role: predefined (admin, buyers) or custom, with its id for users."""

    id: Int = Field(default=None, description="The role's id (a user's company_role_id).")
    name: Text = None
    role_type: Int = Field(default=None, description="1 predefined, 2 custom.")
    role_level: Int = None


class RoleQuery(Query):
    """Query parameters of `GET /companies/roles`."""

    q: str | None = None


class ParentAssignment(RequestModel):
    """Body of `POST /companies/{companyId}/parent`."""

    parent_company_id: CompanyId


class CreatedCompany(APIModel):
    """What `POST /companies` answers."""

    company_id: NewId
    customer_id: Int = None
    customer_group_id: Int = None


CompanySort = Literal["updated_at", "company_name"]


class CompanyQuery(TimeRange):
    """Query parameters of `GET /companies` (the API sorts by nothing else)."""

    q: str | None = None
    company_status: Annotated[CompanyStatus, AsCode] | None = None
    sort_by: Annotated[CompanySort, SortKey] = "updated_at"
    descending: OrderBy = True
    extra_fields: list[str] | None = Field(default=None, description='"name:value" filters.')
    is_include_extra_fields: ZeroOne | None = None


class CompanyAddressFields(RequestModel):
    address_line1: AddressLine | None = None
    address_line2: AddressLine | None = None
    city: City | None = None
    state: State | None = None
    zip_code: ZipCode | None = None


class NewCompany(CompanyAddressFields):
    """Body of `POST /companies`: the company and its first admin user."""

    company_name: CompanyName
    company_email: CompanyEmail
    company_phone: CompanyPhone
    country: Country
    admin_first_name: AdminName
    admin_last_name: AdminName
    admin_email: AdminEmail
    admin_phone_number: AdminPhone | None = None
    customer_group_id: CustomerGroupId | None = None
    uuid: ExternalId | None = None
    channel_ids: list[int] | None = None
    accept_creation_email: bool | None = None
    extra_fields: list[ExtraFieldValue] | None = None


class CompanyUpdate(CompanyAddressFields):
    """Body of `PUT /companies/{id}`: only the fields given change."""

    company_name: CompanyName | None = None
    company_email: CompanyEmail | None = None
    company_phone: CompanyPhone | None = None
    country: Country | None = None
    customer_group_id: CustomerGroupId | None = None
    uuid: ExternalId | None = None
    extra_fields: list[ExtraFieldValue] | None = None
