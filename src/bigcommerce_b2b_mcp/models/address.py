"""Company addresses: billing and shipping addresses of a company."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Field, model_validator

from .common import (
    MAX_ID,
    APIModel,
    ExtraField,
    ExtraFieldValue,
    Flag,
    Int,
    Items,
    NewId,
    RequestModel,
    Text,
    TimeRange,
    Timestamp,
    snake_case,
)
from .company import CompanyId

AddressId = Annotated[
    int, Field(gt=0, le=MAX_ID, description="Address id (from list_company_addresses).")
]
ContactName = Annotated[str, Field(min_length=1, max_length=50, description="Contact name.")]
Street = Annotated[str, Field(min_length=1, max_length=200, description="Street address.")]
Street2 = Annotated[str, Field(max_length=200, description="Suite, unit, building.")]
AddressCity = Annotated[str, Field(min_length=1, max_length=100, description="City.")]
StateName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=150,
        description="State or province, full name; required where the country has states.",
    ),
]
StateCode = Annotated[str, Field(min_length=1, max_length=10, description="State code, e.g. TX.")]
CountryName = Annotated[
    str,
    Field(min_length=1, max_length=150, description="Country, full name (e.g. United States)."),
]
CountryCode = Annotated[
    str,
    Field(
        min_length=2,
        max_length=2,
        pattern=r"^[A-Za-z]{2}$",
        description="ISO 3166 two-letter country code, e.g. US.",
    ),
]
AddressZip = Annotated[str, Field(max_length=50, description="Postal code.")]
AddressPhone = Annotated[str, Field(max_length=50, description="Contact phone.")]
Label = Annotated[
    str, Field(max_length=100, description="A name for the address, e.g. 'Austin warehouse'.")
]


class Address(APIModel):
    """A company address (the flat shape; the older nested country/state shape is flattened)."""

    address_id: Int = None
    company_id: Int = None
    label: Text = None
    first_name: Text = None
    last_name: Text = None
    phone_number: Text = None
    address_line1: Text = None
    address_line2: Text = None
    city: Text = None
    state_name: Text = None
    state_code: Text = None
    country_name: Text = None
    country_code: Text = None
    zip_code: Text = None
    is_billing: Flag = None
    is_shipping: Flag = None
    is_default_billing: Flag = None
    is_default_shipping: Flag = None
    external_id: Text = None
    extra_fields: Items[ExtraField] = Field(default_factory=list)
    created_at: Timestamp = None
    updated_at: Timestamp = None

    @classmethod
    def _from_api(cls, data: Mapping[Any, Any]) -> dict[str, Any]:
        converted = super()._from_api(data)
        for key in ("country", "state"):
            nested = converted.get(key)
            if isinstance(nested, Mapping):
                del converted[key]
                for name, value in nested.items():
                    converted.setdefault(snake_case(str(name)), value)
        return converted


class AddressQuery(TimeRange):
    """Query parameters of `GET /addresses`."""

    company_id: int | None = None
    is_billing: bool | None = None
    is_shipping: bool | None = None
    city: str | None = None
    country: str | None = None


class CreatedAddress(APIModel):
    address_id: NewId


class AddressFields(RequestModel):
    phone_number: AddressPhone | None = None
    address_line2: Street2 | None = None
    state_name: StateName | None = None
    state_code: StateCode | None = None
    country_code: CountryCode | None = None
    zip_code: AddressZip | None = None
    is_billing: bool | None = None
    is_shipping: bool | None = None
    is_default_billing: bool | None = None
    is_default_shipping: bool | None = None
    label: Label | None = None
    external_id: Annotated[str, Field(max_length=100)] | None = None
    extra_fields: list[ExtraFieldValue] | None = None

    @model_validator(mode="after")
    def _defaults_need_their_kind(self) -> AddressFields:
        # The API rejects a default flag sent without its kind ("Check is default fields...").
        if self.is_default_billing is not None and self.is_billing is None:
            raise ValueError("is_default_billing must be sent together with is_billing")
        if self.is_default_shipping is not None and self.is_shipping is None:
            raise ValueError("is_default_shipping must be sent together with is_shipping")
        return self


class NewAddress(AddressFields):
    """Body of `POST /addresses`."""

    company_id: CompanyId
    first_name: ContactName
    last_name: ContactName
    address_line1: Street
    city: AddressCity
    country_name: CountryName


class AddressUpdate(AddressFields):
    """Body of `PUT /addresses/{id}`: only the fields given change."""

    first_name: ContactName | None = None
    last_name: ContactName | None = None
    address_line1: Street | None = None
    city: AddressCity | None = None
    country_name: CountryName | None = None

    @model_validator(mode="after")
    def _country_name_needs_code(self) -> AddressUpdate:
        if self.country_name is not None and self.country_code is None:
            raise ValueError("changing country_name needs country_code too")
        return self
