"""Read tools against a store whose answers carry every oddity real stores have been seen to send.

The proxy rewrites each answer of the simulator: numbers become numeric strings and
numeric strings numbers (the spec's own company example has an integer phone), an
undocumented field appears, one extra field entry is malformed, and the pagination
object loses its limit and offset.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx2
import pytest
from mcp import Client

from bigcommerce_b2b_mcp.models.company import CompanyStatus
from bigcommerce_b2b_mcp.server import build_server
from bigcommerce_b2b_mcp.simulator.app import create_app
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.reshape import Reshape, reads
from tests.tools.calls import call
from tests.tools.conftest import settings

pytestmark = pytest.mark.anyio


def _flip(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    if isinstance(value, dict):
        return {key: _flip(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_flip(item) for item in value]
    return value


def _odd(record: dict[str, Any]) -> dict[str, Any]:
    odd: dict[str, Any] = _flip(record)
    odd["x_vendor_sync_state"] = {"erp": "Dynamics", "lastRun": 1790000000}
    fields: list[Any] = odd.get("extraFields") or []
    odd["extraFields"] = [*fields, {"fieldName": {"broken": True}, "fieldValue": "?"}, {}]
    return odd


def quirks(request: httpx2.Request, body: Any) -> Any:
    data = body.get("data")
    if isinstance(data, dict) and isinstance(data.get("list"), list):
        data = {**data, "list": [_odd(r) for r in data["list"]]}
        data["pagination"] = {"totalCount": data["pagination"]["totalCount"]}
    elif isinstance(data, list):
        data = [_odd(record) for record in data]
    elif isinstance(data, dict):
        data = _odd(data)
    meta = body.get("meta")
    if isinstance(meta, dict) and isinstance(meta.get("pagination"), dict):
        meta = {**meta, "pagination": {"totalCount": meta["pagination"]["totalCount"]}}
    return {**body, "data": data, "meta": meta}


@pytest.fixture
async def odd(store: SimulatedStore) -> Any:
    proxy = Reshape(
        httpx2.ASGITransport(app=create_app(store, rate_limit=10_000)),
        rewrite=quirks,
        applies=reads,
    )
    async with Client(build_server(settings(), transport=proxy)) as client:
        yield client


async def test_get_tools_read_odd_records_whole(
    odd: Client, store: SimulatedStore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    company_id = min(store.companies)
    company = await call(odd, "get_company", company_id=company_id)
    assert company["company_id"] == company_id
    assert company["company_phone"] == store.companies[company_id]["phone"]
    status = next(s for s in CompanyStatus if s.code == store.companies[company_id]["status"])
    assert company["company_status"] == status
    quote_id = min(store.quotes)
    assert (await call(odd, "get_quote", quote_id=quote_id))["quote_id"] == quote_id
    bc_order_id = next(o["bc_order_id"] for o in store.orders.values() if o["company_id"])
    order = await call(odd, "get_order", bc_order_id=bc_order_id)
    assert order["bc_order_id"] == bc_order_id
    assert order["total_inc_tax"] is not None
    invoice_id = min(store.invoices)
    invoice = await call(odd, "get_invoice", invoice_id=invoice_id)
    assert invoice["id"] == invoice_id
    assert invoice["original_balance"]["value"] is not None
    # Each malformed extra field was dropped with a warning naming the field, not its value.
    assert "extra_fields" in caplog.text
    assert "broken" not in caplog.text


@pytest.mark.parametrize(
    ("tool", "arguments", "id_field"),
    [
        ("list_companies", {}, "company_id"),
        ("list_company_users", {"company_id": 1001}, "id"),
        ("list_company_addresses", {"company_id": 1001}, "address_id"),
        ("list_quotes", {}, "quote_id"),
        ("list_orders", {}, "bc_order_id"),
        ("list_invoices", {}, "id"),
    ],
)
async def test_list_tools_read_odd_pages_without_limit_or_offset(
    odd: Client, tool: str, arguments: dict[str, Any], id_field: str
) -> None:
    page = await call(odd, tool, limit=5, **arguments)
    assert page["items"], tool
    assert all(isinstance(item[id_field], int) for item in page["items"])
    assert page["total"] is not None
    assert (page["offset"], page["limit"]) == (0, 5)
