"""B2B orders: `/orders`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from ..errors import NotFoundError
from ..models.common import Page, unix
from ..models.order import Order
from .envelope import Params

if TYPE_CHECKING:
    from .client import B2BClient

ORDERS_MAX_LIMIT = 200

# Without minCreated or minModified the API returns only the last year of orders; asking
# from the first second of 1970 makes "all orders" mean all orders.
_BEGINNING = 1


def order_filters(
    *,
    company_id: int | None = None,
    min_created: datetime | None = None,
    max_created: datetime | None = None,
    min_modified: datetime | None = None,
    max_modified: datetime | None = None,
    sort_by: Literal["createdAt", "updatedAt"] = "createdAt",
    order_by: Literal["ASC", "DESC"] = "DESC",
) -> Params:
    """Query parameters of `GET /orders`, always with an explicit lower time bound."""
    min_created_unix = unix(min_created) if min_created else None
    min_modified_unix = unix(min_modified) if min_modified else None
    if min_created_unix is None and min_modified_unix is None:
        min_created_unix = _BEGINNING
    return {
        "companyId": company_id,
        "minCreated": min_created_unix,
        "maxCreated": unix(max_created) if max_created else None,
        "minModified": min_modified_unix,
        "maxModified": unix(max_modified) if max_modified else None,
        "sortBy": sort_by,
        "orderBy": order_by,
    }


class OrdersAPI:
    """Read and list B2B orders."""

    def __init__(self, client: B2BClient) -> None:
        self._client = client

    async def get(self, bc_order_id: int) -> Order:
        """The B2B record of a BigCommerce order (by the order id shoppers see)."""
        envelope = await self._client.request("GET", f"/orders/{bc_order_id}", resource="order")
        if isinstance(envelope.data, list):
            # The spec says a one-element list, real stores send the object itself.
            if not envelope.data:
                raise NotFoundError(f"No such order: {bc_order_id}.", resource="order")
            envelope = replace(envelope, data=envelope.data[0])
        return envelope.record(Order, bcOrderId=bc_order_id)

    async def list(self, params: Params, *, limit: int = 10, offset: int = 0) -> Page[Order]:
        """One page of orders; build `params` with `order_filters`."""
        return await self._client.page(
            "/orders",
            params,
            Order,
            resource="order",
            limit=min(limit, ORDERS_MAX_LIMIT),
            offset=offset,
        )

    def each(self, params: Params, *, page_size: int = 100) -> AsyncIterator[Order]:
        return self._client.each(
            "/orders",
            params,
            Order,
            resource="order",
            page_size=page_size,
            max_limit=ORDERS_MAX_LIMIT,
        )
