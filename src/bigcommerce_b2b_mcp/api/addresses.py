"""Company addresses: `/addresses`."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ..models.address import Address, AddressUpdate, CreatedAddress, NewAddress
from ..models.common import Page
from .envelope import Params, time_filters

if TYPE_CHECKING:
    from .client import B2BClient


def address_filters(
    *,
    company_id: int | None = None,
    is_billing: bool | None = None,
    is_shipping: bool | None = None,
    city: str | None = None,
    country: str | None = None,
    min_created: datetime | None = None,
    max_created: datetime | None = None,
    min_modified: datetime | None = None,
    max_modified: datetime | None = None,
) -> Params:
    """Query parameters of `GET /addresses`."""
    return {
        "companyId": company_id,
        "isBilling": is_billing,
        "isShipping": is_shipping,
        "city": city,
        "country": country,
        **time_filters(
            min_created=min_created,
            max_created=max_created,
            min_modified=min_modified,
            max_modified=max_modified,
        ),
    }


class AddressesAPI:
    """Create, read, update and list company addresses."""

    def __init__(self, client: B2BClient) -> None:
        self._client = client

    async def create(self, address: NewAddress) -> CreatedAddress:
        envelope = await self._client.request(
            "POST", "/addresses", json=address.to_api(), resource="address"
        )
        return envelope.record(CreatedAddress)

    async def get(self, address_id: int) -> Address:
        envelope = await self._client.request("GET", f"/addresses/{address_id}", resource="address")
        return envelope.record(Address, addressId=address_id)

    async def update(self, address_id: int, update: AddressUpdate) -> None:
        await self._client.request(
            "PUT", f"/addresses/{address_id}", json=update.to_api(), resource="address"
        )

    async def list(self, params: Params, *, limit: int = 10, offset: int = 0) -> Page[Address]:
        """One page of addresses; build `params` with `address_filters`."""
        return await self._client.page(
            "/addresses", params, Address, resource="address", limit=limit, offset=offset
        )
