"""B2B orders through the client, against the simulator."""

from __future__ import annotations

import json

import httpx2
import pytest

from bigcommerce_b2b_mcp.api.client import B2BClient
from bigcommerce_b2b_mcp.errors import NotFoundError
from bigcommerce_b2b_mcp.models.order import OrderQuery, OrderStatus
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore

pytestmark = pytest.mark.anyio


async def test_list_includes_orders_older_than_a_year(
    api: B2BClient, store: SimulatedStore
) -> None:
    b2b_orders = [o for o in store.orders.values() if o["company_id"]]
    old = [o for o in b2b_orders if o["created_at"] < store.now() - 365 * 86400]
    assert old, "the seed should hold orders older than the API's default window"
    seen = [o async for o in api.orders.each(OrderQuery())]
    assert len(seen) == len(store.orders)


async def test_get_by_bigcommerce_order_id(api: B2BClient, store: SimulatedStore) -> None:
    record = next(o for o in store.orders.values() if o["company_id"])
    order = await api.orders.get(record["bc_order_id"])
    assert order.bc_order_id == record["bc_order_id"]
    assert order.company_id == record["company_id"]
    assert isinstance(order.status_code, OrderStatus)


async def test_b2c_orders_have_no_company(api: B2BClient, store: SimulatedStore) -> None:
    record = next(o for o in store.orders.values() if not o["company_id"])
    assert (await api.orders.get(record["bc_order_id"])).company_id is None


async def test_unknown_order_is_not_found(api: B2BClient) -> None:
    with pytest.raises(NotFoundError, match="Order Does Not Exist"):
        await api.orders.get(1)


async def test_get_accepts_data_as_a_one_element_list() -> None:
    body = {
        "code": 200,
        "data": [{"id": 5, "bcOrderId": 77, "companyId": 3, "createdAt": 1}],
        "meta": {"message": "SUCCESS"},
    }
    transport = httpx2.MockTransport(lambda request: httpx2.Response(200, content=json.dumps(body)))
    async with B2BClient(store_hash="s", access_token="t", transport=transport) as client:
        order = await client.orders.get(77)
    assert (order.id, order.bc_order_id, order.company_id) == (5, 77, 3)
