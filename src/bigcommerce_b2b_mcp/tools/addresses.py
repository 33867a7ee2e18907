"""Company address tools: billing and shipping addresses of a company."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field

from ..errors import InvalidInputError
from ..models.address import (
    Address,
    AddressCity,
    AddressId,
    AddressPhone,
    AddressQuery,
    AddressUpdate,
    AddressZip,
    ContactName,
    CountryCode,
    CountryName,
    Label,
    NewAddress,
    StateCode,
    StateName,
    Street,
    Street2,
)
from ..models.common import ExtraFields, Page, extra_field_values
from ..models.company import CompanyId
from .context import ToolContext, api
from .params import DEFAULT_LIMIT, Keep, Limit, Offset, UnchangedFlag
from .toolset import Toolset

toolset = Toolset("addresses", "Company billing and shipping addresses.")


class AddressPage(Page[Address]):
    """A page of company addresses."""


class AddressCreated(BaseModel):
    address_id: int = Field(description="The new address's id.")
    company_id: int = Field(description="The company it belongs to.")


@toolset.tool(title="List company addresses", read_only=True, destructive=False, idempotent=True)
async def list_company_addresses(
    ctx: ToolContext,
    company_id: CompanyId,
    billing: Annotated[bool | None, Field(description="true: only billing addresses.")] = None,
    shipping: Annotated[bool | None, Field(description="true: only shipping addresses.")] = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> AddressPage:
    """List a company's addresses with their billing/shipping roles and defaults, paged.

    Next: update_company_address with an address_id, or create_company_address.
    """
    query = AddressQuery(company_id=company_id, is_billing=billing, is_shipping=shipping)
    return AddressPage.of(await api(ctx).addresses.list(query, limit=limit, offset=offset))


@toolset.tool(
    title="Create company address",
    read_only=False,
    destructive=False,
    idempotent=False,
    check="list_company_addresses(company_id={company_id})",
)
async def create_company_address(
    ctx: ToolContext,
    company_id: CompanyId,
    first_name: Annotated[ContactName, Field(description="Contact first name.")],
    last_name: Annotated[ContactName, Field(description="Contact last name.")],
    address_line1: Street,
    city: AddressCity,
    country_name: CountryName,
    country_code: CountryCode | None = None,
    state_name: StateName | None = None,
    state_code: StateCode | None = None,
    zip_code: AddressZip | None = None,
    address_line2: Street2 | None = None,
    phone_number: AddressPhone | None = None,
    label: Label | None = None,
    is_billing: Annotated[bool, Field(description="Usable as a billing address.")] = False,
    is_shipping: Annotated[bool, Field(description="Usable as a shipping address.")] = True,
    is_default_billing: Annotated[
        bool, Field(description="Make it the default billing address.")
    ] = False,
    is_default_shipping: Annotated[
        bool, Field(description="Make it the default shipping address.")
    ] = False,
    extra_fields: ExtraFields | None = None,
) -> AddressCreated:
    """Add a billing and/or shipping address to a company.

    A new default replaces the company's previous default of that kind. Creates a new
    record each call: after an error, check list_company_addresses before retrying.
    """
    address = NewAddress(
        company_id=company_id,
        first_name=first_name,
        last_name=last_name,
        address_line1=address_line1,
        address_line2=address_line2,
        city=city,
        country_name=country_name,
        country_code=country_code,
        state_name=state_name,
        state_code=state_code,
        zip_code=zip_code,
        phone_number=phone_number,
        label=label,
        is_billing=is_billing or is_default_billing,
        is_shipping=is_shipping or is_default_shipping,
        is_default_billing=is_default_billing,
        is_default_shipping=is_default_shipping,
        extra_fields=extra_field_values(extra_fields),
    )
    client = api(ctx)
    await client.extra_fields.check("address", extra_fields, creating=True)
    created = await client.addresses.create(address)
    return AddressCreated(address_id=created.address_id, company_id=company_id)


@toolset.tool(
    title="Update company address",
    read_only=False,
    destructive=True,
    idempotent=True,
    check="list_company_addresses for the address's company (address_id={address_id})",
)
async def update_company_address(
    ctx: ToolContext,
    address_id: AddressId,
    first_name: Annotated[ContactName | None, Keep] = None,
    last_name: Annotated[ContactName | None, Keep] = None,
    address_line1: Annotated[Street | None, Keep] = None,
    address_line2: Annotated[Street2 | None, Keep] = None,
    city: Annotated[AddressCity | None, Keep] = None,
    state_name: Annotated[StateName | None, Keep] = None,
    state_code: Annotated[StateCode | None, Keep] = None,
    country_name: Annotated[
        CountryName | None, Field(description="New country; give country_code with it.")
    ] = None,
    country_code: Annotated[CountryCode | None, Keep] = None,
    zip_code: Annotated[AddressZip | None, Keep] = None,
    phone_number: Annotated[AddressPhone | None, Keep] = None,
    label: Annotated[Label | None, Keep] = None,
    is_billing: UnchangedFlag = None,
    is_shipping: UnchangedFlag = None,
    is_default_billing: Annotated[
        bool | None, Field(description="Make it (or stop it being) the default billing address.")
    ] = None,
    is_default_shipping: Annotated[
        bool | None, Field(description="Make it (or stop it being) the default shipping address.")
    ] = None,
    extra_fields: Annotated[ExtraFields | None, Keep] = None,
) -> Address:
    """Change an address; only the fields given change. Returns the address as it now is.

    Extra fields not named keep their values.
    Changing the country needs both country_name and country_code. Setting a default
    also marks the address as billing/shipping.
    """
    fields: dict[str, Any] = {
        "first_name": first_name,
        "last_name": last_name,
        "address_line1": address_line1,
        "address_line2": address_line2,
        "city": city,
        "state_name": state_name,
        "state_code": state_code,
        "country_name": country_name,
        "country_code": country_code,
        "zip_code": zip_code,
        "phone_number": phone_number,
        "label": label,
        "is_billing": is_billing,
        "is_shipping": is_shipping,
    }
    # Checked before any request; the default flags are added below once their kind is known.
    flags_given = is_default_billing is not None or is_default_shipping is not None
    if not AddressUpdate(**fields).to_api() and not flags_given and extra_fields is None:
        raise InvalidInputError("Nothing to change: give at least one field besides address_id.")
    client = api(ctx)
    await client.extra_fields.check("address", extra_fields, creating=False)
    # The API takes a default flag only together with its kind: keep the current kind.
    kind_needed = (is_default_billing is not None and is_billing is None) or (
        is_default_shipping is not None and is_shipping is None
    )
    if kind_needed or extra_fields is not None:
        current = await client.addresses.get(address_id)
        fields["extra_fields"] = extra_field_values(extra_fields, current=current.extra_fields)
        if is_default_billing is not None and is_billing is None:
            fields["is_billing"] = is_default_billing or bool(current.is_billing)
        if is_default_shipping is not None and is_shipping is None:
            fields["is_shipping"] = is_default_shipping or bool(current.is_shipping)
    update = AddressUpdate(
        **fields, is_default_billing=is_default_billing, is_default_shipping=is_default_shipping
    )
    await client.addresses.update(address_id, update)
    return await client.addresses.get(address_id)
