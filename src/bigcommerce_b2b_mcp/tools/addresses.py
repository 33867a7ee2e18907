"""Company address tools: billing and shipping addresses of a company."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import Context
from pydantic import Field

from ..api.addresses import address_filters
from ..errors import InvalidInputError
from ..models.address import Address, AddressUpdate, NewAddress
from ..models.common import APIModel, Page
from .params import DEFAULT_LIMIT, CompanyId, Limit, Offset, Unchanged, UnchangedFlag
from .toolset import Toolset, api

toolset = Toolset("addresses", "Company billing and shipping addresses.")


class AddressPage(Page[Address]):
    """A page of company addresses."""


class AddressCreated(APIModel):
    address_id: int = Field(description="The new address's id.")
    company_id: int = Field(description="The company it belongs to.")


@toolset.tool(title="List company addresses", read_only=True, destructive=False, idempotent=True)
async def list_company_addresses(
    ctx: Context[Any, Any],
    company_id: CompanyId,
    billing: Annotated[bool | None, Field(description="true: only billing addresses.")] = None,
    shipping: Annotated[bool | None, Field(description="true: only shipping addresses.")] = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> AddressPage:
    """List a company's addresses with their billing/shipping roles and defaults, paged.

    Next: update_company_address with an address_id, or create_company_address.
    """
    params = address_filters(company_id=company_id, is_billing=billing, is_shipping=shipping)
    return AddressPage.of(await api(ctx).addresses.list(params, limit=limit, offset=offset))


@toolset.tool(title="Create company address", read_only=False, destructive=False, idempotent=False)
async def create_company_address(
    ctx: Context[Any, Any],
    company_id: CompanyId,
    first_name: Annotated[str, Field(description="Contact first name.")],
    last_name: Annotated[str, Field(description="Contact last name.")],
    address_line1: Annotated[str, Field(description="Street address.")],
    city: Annotated[str, Field(description="City.")],
    country_name: Annotated[str, Field(description="Country, full name (e.g. United States).")],
    country_code: Annotated[
        str | None, Field(description="ISO 3166 two-letter code, e.g. US.")
    ] = None,
    state_name: Annotated[
        str | None,
        Field(description="State or province, full name; required where the country has states."),
    ] = None,
    state_code: Annotated[str | None, Field(description="State code, e.g. TX.")] = None,
    zip_code: Annotated[str | None, Field(description="Postal code.")] = None,
    address_line2: Annotated[str | None, Field(description="Suite, unit, building.")] = None,
    phone_number: Annotated[str | None, Field(description="Contact phone.")] = None,
    label: Annotated[
        str | None, Field(description="A name for it, e.g. 'Austin warehouse'.")
    ] = None,
    is_billing: Annotated[bool, Field(description="Usable as a billing address.")] = False,
    is_shipping: Annotated[bool, Field(description="Usable as a shipping address.")] = True,
    is_default_billing: Annotated[
        bool, Field(description="Make it the default billing address.")
    ] = False,
    is_default_shipping: Annotated[
        bool, Field(description="Make it the default shipping address.")
    ] = False,
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
    )
    created = await api(ctx).addresses.create(address)
    return AddressCreated(address_id=created.address_id, company_id=company_id)


@toolset.tool(title="Update company address", read_only=False, destructive=True, idempotent=True)
async def update_company_address(
    ctx: Context[Any, Any],
    address_id: Annotated[
        int, Field(gt=0, description="Address id (from list_company_addresses).")
    ],
    first_name: Unchanged = None,
    last_name: Unchanged = None,
    address_line1: Unchanged = None,
    address_line2: Unchanged = None,
    city: Unchanged = None,
    state_name: Unchanged = None,
    state_code: Unchanged = None,
    country_name: Annotated[
        str | None, Field(description="New country; give country_code with it.")
    ] = None,
    country_code: Unchanged = None,
    zip_code: Unchanged = None,
    phone_number: Unchanged = None,
    label: Unchanged = None,
    is_billing: UnchangedFlag = None,
    is_shipping: UnchangedFlag = None,
    is_default_billing: Annotated[
        bool | None, Field(description="Make it (or stop it being) the default billing address.")
    ] = None,
    is_default_shipping: Annotated[
        bool | None, Field(description="Make it (or stop it being) the default shipping address.")
    ] = None,
) -> Address:
    """Change an address; only the fields given change. Returns the address as it now is.

    Changing the country needs both country_name and country_code. Setting a default
    also marks the address as billing/shipping.
    """
    client = api(ctx)
    # The API takes a default flag only together with its kind: keep the current kind.
    if (is_default_billing is not None and is_billing is None) or (
        is_default_shipping is not None and is_shipping is None
    ):
        current = await client.addresses.get(address_id)
        if is_default_billing is not None and is_billing is None:
            is_billing = is_default_billing or current.is_billing
        if is_default_shipping is not None and is_shipping is None:
            is_shipping = is_default_shipping or current.is_shipping
    update = AddressUpdate(
        first_name=first_name,
        last_name=last_name,
        address_line1=address_line1,
        address_line2=address_line2,
        city=city,
        state_name=state_name,
        state_code=state_code,
        country_name=country_name,
        country_code=country_code,
        zip_code=zip_code,
        phone_number=phone_number,
        label=label,
        is_billing=is_billing,
        is_shipping=is_shipping,
        is_default_billing=is_default_billing,
        is_default_shipping=is_default_shipping,
    )
    if not update.to_api():
        raise InvalidInputError("Nothing to change: give at least one field besides address_id.")
    await client.addresses.update(address_id, update)
    return await client.addresses.get(address_id)
