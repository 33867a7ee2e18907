"""Company addresses: `/addresses`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models.address import Address, AddressQuery, AddressUpdate, CreatedAddress, NewAddress
from .records import Endpoint, Records

if TYPE_CHECKING:
    from .client import B2BClient

ADDRESSES = Endpoint("/addresses", Address, "address", "addressId")


class AddressesAPI(Records[Address, AddressQuery]):
    """Create, read, update and list company addresses."""

    def __init__(self, client: B2BClient) -> None:
        super().__init__(client, ADDRESSES)

    async def create(self, address: NewAddress) -> CreatedAddress:
        envelope = await self._client.request(
            "POST", "/addresses", json=address.to_api(), resource="address"
        )
        return envelope.record(CreatedAddress)

    async def update(self, address_id: int, update: AddressUpdate) -> None:
        await self._client.request(
            "PUT", f"/addresses/{address_id}", json=update.to_api(), resource="address"
        )
