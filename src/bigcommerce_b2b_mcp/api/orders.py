"""B2B orders: `/orders`."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import NotFoundError
from ..models.order import Order, OrderProduct, OrderQuery, OrdersMoved, OrderUpdate
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

    async def products(self, bc_order_id: int) -> list[OrderProduct]:
        """The order's lines: product, SKU, quantity and options."""
        envelope = await self._client.request(
            "GET", f"/orders/{bc_order_id}/products", resource="order"
        )
        return envelope.records(OrderProduct)

    async def update(self, bc_order_id: int, update: OrderUpdate) -> Order:
        envelope = await self._client.request(
            "PUT", f"/orders/{bc_order_id}", json=update.to_api(), resource="order"
        )
        return envelope.record(Order, bcOrderId=bc_order_id)

    async def assign_to_company(self, customer_id: int) -> int | None:
        """Move a customer's earlier orders to their company; how many moved (if said)."""
        envelope = await self._client.request(
            "PUT", f"/customers/{customer_id}/orders/b2b", resource="company user"
        )
        return envelope.record(OrdersMoved).total
