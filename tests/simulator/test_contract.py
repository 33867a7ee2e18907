"""Contract: every simulator answer and every client request body matches the official spec.

The client drives the simulator through every operation the server uses; a recording
transport keeps each exchange, and each is validated against the operation's schema in
../shared/b2b-openapi. Known departures are listed once, with reasons, in tests/openapi.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

import httpx2
import pytest

from bigcommerce_b2b_mcp.api.client import B2BClient
from bigcommerce_b2b_mcp.errors import APIError
from bigcommerce_b2b_mcp.models.address import AddressQuery, AddressUpdate, NewAddress
from bigcommerce_b2b_mcp.models.common import ExtraFieldValue
from bigcommerce_b2b_mcp.models.company import (
    CompanyQuery,
    CompanyStatus,
    CompanyUpdate,
    NewCompany,
)
from bigcommerce_b2b_mcp.models.invoice import (
    AmountValue,
    InvoiceQuery,
    LineItemPrice,
    NewInvoice,
    NewInvoiceDetails,
    NewLineItem,
    NewLines,
)
from bigcommerce_b2b_mcp.models.order import OrderQuery
from bigcommerce_b2b_mcp.models.quote import QuoteQuery
from bigcommerce_b2b_mcp.models.user import NewUser, UserQuery, UserUpdate
from bigcommerce_b2b_mcp.simulator.app import API_PREFIX, create_app
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.conftest import STORE_HASH, TOKEN, Sleeps
from tests.openapi import needs_specs, problems, template_of

pytestmark = [
    pytest.mark.anyio,
    needs_specs,
]


@dataclass
class Exchange:
    method: str
    template: str
    request_body: Any
    status: int
    response_body: Any


class Recorder(httpx2.AsyncBaseTransport):
    """Forwards to the simulator and keeps every exchange."""

    def __init__(self, inner: httpx2.AsyncBaseTransport) -> None:
        self.inner = inner
        self.exchanges: list[Exchange] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response = await self.inner.handle_async_request(request)
        content = await response.aread()
        path = request.url.path.removeprefix(API_PREFIX)
        self.exchanges.append(
            Exchange(
                method=request.method.lower(),
                template=template_of(path),
                request_body=json.loads(request.content) if request.content else None,
                status=response.status_code,
                response_body=json.loads(content),
            )
        )
        return httpx2.Response(response.status_code, headers=response.headers, content=content)


async def exercise_every_operation(client: B2BClient, store: SimulatedStore) -> None:
    company = await client.companies.create(
        NewCompany(
            company_name="Contract Co",
            company_email="c@contract.example",
            company_phone="1",
            country="US",
            admin_first_name="C",
            admin_last_name="Co",
            admin_email="admin@contract.example",
            admin_phone_number="2",
            city="Austin",
            extra_fields=[ExtraFieldValue(field_name="Tax Code", field_value="G")],
        )
    )
    cid = company.company_id
    await client.companies.get(cid)
    await client.companies.update(
        cid, CompanyUpdate(company_name="Contract Co 2", zip_code="78704")
    )
    await client.companies.set_status(cid, CompanyStatus.APPROVED)
    await client.companies.list(CompanyQuery(q="Contract", is_include_extra_fields=True), limit=5)
    user = await client.users.create(
        NewUser(
            company_id=cid,
            first_name="U",
            last_name="Ser",
            email="u@contract.example",
            role=1,
            channel_ids=[1],
            phone_number="3",
        )
    )
    await client.users.get(user.user_id)
    await client.users.update(user.user_id, UserUpdate(last_name="Sir", role=2))
    await client.users.get_by_email("u@contract.example")
    await client.users.list(UserQuery(company_id=cid))
    address = await client.addresses.create(
        NewAddress(
            company_id=cid,
            first_name="A",
            last_name="D",
            address_line1="1 Main",
            city="Austin",
            state_name="Texas",
            country_name="United States",
            country_code="US",
            zip_code="78704",
            is_billing=True,
            is_default_billing=True,
        )
    )
    await client.addresses.get(address.address_id)
    await client.addresses.update(
        address.address_id, AddressUpdate(label="HQ", is_shipping=True, is_default_shipping=True)
    )
    await client.addresses.list(AddressQuery(company_id=cid))
    quotes = await client.quotes.list(QuoteQuery(sort_by="created_at"), limit=3)
    await client.quotes.get(quotes.items[0].quote_id or 0)
    orders = await client.orders.list(
        OrderQuery(
            company_id=next(o["company_id"] for o in store.orders.values() if o["company_id"])
        )
    )
    await client.orders.get(orders.items[0].bc_order_id or 0)
    invoice = await client.invoices.create(
        NewInvoice(
            invoice_number="C-1",
            customer_id=str(cid),
            original_balance=AmountValue(code="USD", value=10),
            open_balance=AmountValue(code="USD", value=10),
            order_number="100",
            purchase_order_number="PO-9",
            due_date=1_800_000_000,
            details=NewInvoiceDetails(
                details=NewLines(
                    line_items=[
                        NewLineItem(
                            sku="S",
                            quantity="2",
                            unit_price=LineItemPrice(code="USD", value=Decimal("5")),
                        )
                    ]
                )
            ),
        )
    )
    await client.invoices.get(invoice.id)
    await client.invoices.list(InvoiceQuery(company_id=cid))
    missing = 999_999
    for failing in (
        lambda: client.companies.get(missing),
        lambda: client.users.get(missing),
        lambda: client.addresses.get(missing),
        lambda: client.orders.get(missing),
        lambda: client.invoices.get(missing),
        lambda: client.users.create(
            NewUser.model_construct(
                **cast(
                    dict[str, Any],
                    {
                        "company_id": cid,
                        "first_name": "x",
                        "email": "bad",
                        "role": 1,
                        "channel_ids": [1],
                    },
                )
            )
        ),
    ):
        with pytest.raises(APIError):
            await failing()


@pytest.fixture
async def exchanges(store: SimulatedStore) -> list[Exchange]:
    recorder = Recorder(httpx2.ASGITransport(app=create_app(store, rate_limit=10_000)))
    async with B2BClient(
        store_hash=STORE_HASH,
        access_token=TOKEN,
        base_url=f"http://sim{API_PREFIX}",
        transport=recorder,
        sleep=Sleeps(),
    ) as client:
        await exercise_every_operation(client, store)
    return recorder.exchanges


async def test_every_operation_was_exercised(exchanges: list[Exchange]) -> None:
    seen = {(e.method, e.template) for e in exchanges if e.status == 200}
    assert seen >= {
        ("post", "/companies"),
        ("get", "/companies/{companyId}"),
        ("put", "/companies/{companyId}"),
        ("put", "/companies/{companyId}/status"),
        ("get", "/companies"),
        ("post", "/users"),
        ("get", "/users/{userId}"),
        ("put", "/users/{userId}"),
        ("get", "/users"),
        ("post", "/addresses"),
        ("get", "/addresses/{addressId}"),
        ("put", "/addresses/{addressId}"),
        ("get", "/addresses"),
        ("get", "/rfq"),
        ("get", "/rfq/{quote_id}"),
        ("get", "/orders"),
        ("get", "/orders/{bcOrderId}"),
        ("post", "/ip/invoices"),
        ("get", "/ip/invoices/{invoiceId}"),
        ("get", "/ip/invoices"),
    }
    assert {e.status for e in exchanges} >= {200, 404, 422}


async def test_simulator_responses_match_the_spec(exchanges: list[Exchange]) -> None:
    found = {
        f"{e.method.upper()} {e.template} {e.status}": problems(
            e.method, e.template, e.response_body, status=e.status
        )
        for e in exchanges
    }
    assert {op: errors for op, errors in found.items() if errors} == {}


async def test_client_request_bodies_match_the_spec(exchanges: list[Exchange]) -> None:
    found = {
        f"{e.method.upper()} {e.template}": problems(e.method, e.template, e.request_body)
        for e in exchanges
        if e.request_body is not None and e.status != 422
    }
    assert {op: errors for op, errors in found.items() if errors} == {}
