"""B2B orders: `/orders`."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import NotFoundError
from ..models.order import Order, OrderQuery
from .records import Endpoint, Records

if TYPE_CHECKING:
    from .client import B2BClient

ORDERS = Endpoint("/orders", Order, "order", "bcOrderId", max_limit=200)


class OrdersAPI(Records[Order, OrderQuery]):
    """Read and list B2B orders, by the BigCommerce order id shoppers see."""

    def __init__(self, client: B2BClient) -> None:
        super().__init__(client, ORDERS)

    async def get(self, bc_order_id: int) -> Order:
        envelope = await self._client.request("GET", f"/orders/{bc_order_id}", resource="order")
        if isinstance(envelope.data, list):
            # The spec says a one-element list, real stores send the object itself.
            if not envelope.data:
                raise NotFoundError(f"No such order: {bc_order_id}.", resource="order")
            envelope = replace(envelope, data=envelope.data[0])
        return envelope.record(Order, bcOrderId=bc_order_id)
