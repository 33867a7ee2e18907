"""Company addresses: billing and shipping addresses of a company."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, model_validator

from .common import APIModel, ExtraField, ExtraFieldValue, OptionalStr, RequestModel, Timestamp


class Address(APIModel):
    """A company address (the flat shape; the older nested country/state shape is flattened)."""

    address_id: int
    company_id: int
    label: OptionalStr = None
    first_name: str = ""
    last_name: str = ""
    phone_number: OptionalStr = None
    address_line1: str = ""
    address_line2: OptionalStr = None
    city: str = ""
    state_name: OptionalStr = None
    state_code: OptionalStr = None
    country_name: OptionalStr = None
    country_code: OptionalStr = None
    zip_code: OptionalStr = None
    is_billing: bool = False
    is_shipping: bool = False
    is_default_billing: bool = False
    is_default_shipping: bool = False
    external_id: OptionalStr = None
    extra_fields: list[ExtraField] = Field(default_factory=list)
    created_at: Timestamp = None
    updated_at: Timestamp = None

    @model_validator(mode="before")
    @classmethod
    def _flatten_nested_country_and_state(cls, data: Any) -> Any:
        if isinstance(data, dict) and (
            isinstance(data.get("country"), dict) or isinstance(data.get("state"), dict)
        ):
            data = dict(data)
            for key in ("country", "state"):
                nested = data.pop(key, None)
                if isinstance(nested, dict):
                    for name, value in nested.items():
                        data.setdefault(name, value)
        return data


class CreatedAddress(APIModel):
    address_id: int


Name = Annotated[str, Field(min_length=1, max_length=50)]


class AddressFields(RequestModel):
    phone_number: Annotated[str | None, Field(max_length=50)] = None
    address_line2: Annotated[str | None, Field(max_length=200)] = None
    state_name: Annotated[str | None, Field(min_length=1, max_length=150)] = None
    state_code: Annotated[str | None, Field(min_length=1, max_length=10)] = None
    country_code: Annotated[str | None, Field(min_length=2, max_length=2)] = None
    zip_code: Annotated[str | None, Field(max_length=50)] = None
    is_billing: bool | None = None
    is_shipping: bool | None = None
    is_default_billing: bool | None = None
    is_default_shipping: bool | None = None
    label: Annotated[str | None, Field(max_length=100)] = None
    external_id: str | None = None
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

    company_id: Annotated[int, Field(gt=0)]
    first_name: Name
    last_name: Name
    address_line1: Annotated[str, Field(min_length=1, max_length=200)]
    city: Annotated[str, Field(min_length=1, max_length=100)]
    country_name: Annotated[str, Field(min_length=1, max_length=150)]


class AddressUpdate(AddressFields):
    """Body of `PUT /addresses/{id}`: only the fields given change."""

    first_name: Name | None = None
    last_name: Name | None = None
    address_line1: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    city: Annotated[str | None, Field(min_length=1, max_length=100)] = None
    country_name: Annotated[str | None, Field(min_length=1, max_length=150)] = None

    @model_validator(mode="after")
    def _country_name_needs_code(self) -> AddressUpdate:
        if self.country_name is not None and self.country_code is None:
            raise ValueError("changing country_name needs country_code too")
        return self
