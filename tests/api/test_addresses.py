"""Company addresses through the client, against the simulator."""

from __future__ import annotations

from typing import Any, cast

import pytest
from pydantic import ValidationError

from bigcommerce_b2b_mcp.api.client import B2BClient
from bigcommerce_b2b_mcp.errors import InvalidInputError, NotFoundError
from bigcommerce_b2b_mcp.models.address import Address, AddressQuery, AddressUpdate, NewAddress
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore

pytestmark = pytest.mark.anyio


async def test_create_list_and_update_an_address(api: B2BClient, store: SimulatedStore) -> None:
    company_id = min(store.companies)
    created = await api.addresses.create(
        NewAddress(
            company_id=company_id,
            first_name="Ida",
            last_name="Lane",
            address_line1="1 Dock St",
            city="Hamburg",
            country_name="Germany",
            is_shipping=True,
        )
    )
    page = await api.addresses.list(AddressQuery(company_id=company_id), limit=50)
    assert created.address_id in [a.address_id for a in page.items]
    await api.addresses.update(
        created.address_id, AddressUpdate(city="Bremen", is_shipping=True, is_default_shipping=True)
    )
    address = await api.addresses.get(created.address_id)
    assert address.city == "Bremen"
    assert address.country_code == "DE"
    assert address.is_default_shipping


async def test_missing_required_fields_come_back_per_field(
    api: B2BClient, store: SimulatedStore
) -> None:
    body = NewAddress.model_construct(
        **cast(
            dict[str, Any],
            {
                "company_id": min(store.companies),
                "first_name": "A",
                "address_line1": "x",
                "city": "y",
                "country_name": "Germany",
            },
        )
    )
    with pytest.raises(InvalidInputError) as caught:
        await api.addresses.create(body)
    assert caught.value.field_errors == {"last_name": ["This field is required."]}


async def test_a_default_flag_needs_its_kind_locally() -> None:
    with pytest.raises(ValidationError, match="is_default_billing"):
        AddressUpdate(is_default_billing=True)


async def test_unknown_address_is_not_found(api: B2BClient) -> None:
    with pytest.raises(NotFoundError, match="Address matching query does not exist"):
        await api.addresses.get(1)


def test_the_older_nested_country_shape_is_flattened() -> None:
    address = Address.model_validate(
        {
            "addressId": "6",
            "companyId": 1,
            "country": {"countryCode": "US", "countryName": "United States"},
            "state": {"stateCode": "TX", "stateName": "Texas"},
        }
    )
    assert (address.address_id, address.country_code, address.state_name) == (6, "US", "Texas")
