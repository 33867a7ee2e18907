"""Contract: every simulator answer and every client request body matches the official spec.

The client drives the simulator through every operation the server uses; a recording
transport keeps each exchange, and each is validated against the operation's schema in
../shared/b2b-openapi. Known departures are listed once, with reasons, in tests/openapi.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
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
    ParentAssignment,
    RoleQuery,
)
from bigcommerce_b2b_mcp.models.invoice import (
    AmountValue,
    InvoiceQuery,
    InvoiceUpdate,
    NewInvoice,
    NewInvoiceDetails,
    NewLineItem,
    NewLines,
    TextAmount,
)
from bigcommerce_b2b_mcp.models.invoice_payment import (
    NewOfflinePayment,
    OfflinePaymentDetails,
    OfflinePaymentLine,
    PaymentQuery,
)
from bigcommerce_b2b_mcp.models.order import OrderQuery, OrderUpdate
from bigcommerce_b2b_mcp.models.payment import (
    CreditUpdate,
    PaymentMethodsUpdate,
    PaymentMethodSwitch,
    PaymentTermsUpdate,
)
from bigcommerce_b2b_mcp.models.quote import (
    NewQuote,
    QuoteContactInfo,
    QuoteLineItem,
    QuoteQuery,
    QuoteTotals,
    QuoteUpdate,
)
from bigcommerce_b2b_mcp.models.sales_staff import Assignment, SalesStaffQuery
from bigcommerce_b2b_mcp.models.user import NewUser, UserQuery, UserUpdate
from bigcommerce_b2b_mcp.simulator.app import API_PREFIX, create_app
from bigcommerce_b2b_mcp.simulator.orders import add_order
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.conftest import STORE_HASH, TOKEN, Sleeps
from tests.openapi import SIMULATED, needs_specs, problems, template_of

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
                response_body=json.loads(content) if content else None,
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
                            unit_price=TextAmount(code="USD", value=Decimal("5")),
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


async def exercise_the_desk(client: B2BClient, store: SimulatedStore) -> None:
    """The operations beyond the records: lines, credit, hierarchy, staff, quote and
    invoice lifecycles, payments, extra field definitions."""
    order = next(o for o in store.orders.values() if o["company_id"] and o["products"])
    company_id = order["company_id"]
    await client.orders.products(order["bc_order_id"])
    await client.orders.update(order["bc_order_id"], OrderUpdate(po_number="PO-C"))
    customer = next(u["customer_id"] for u in store.users.values())
    await client.orders.assign_to_company(customer)
    await client.users.by_customer(customer)
    await client.payments.credit(company_id)
    await client.payments.update_credit(company_id, CreditUpdate(available_credit=Decimal(500)))
    await client.payments.terms(company_id)
    await client.payments.update_terms(
        company_id, PaymentTermsUpdate(is_enabled=True, payment_terms=30)
    )
    await client.payments.methods(company_id)
    await client.payments.update_methods(
        company_id,
        PaymentMethodsUpdate(payments=[PaymentMethodSwitch(code="bankdeposit", is_enabled=True)]),
    )
    for resource in ("company", "user", "address", "order", "quote", "invoice"):
        await client.extra_fields.definitions(resource)

    child = next(c for c in store.companies.values() if c["parent_id"])
    await client.companies.hierarchy(child["id"])
    await client.companies.detach(child["parent_id"], child["id"])
    await client.companies.set_parent(
        child["id"], ParentAssignment(parent_company_id=min(store.companies))
    )
    await client.roles.list(RoleQuery(), limit=10)
    staff = await client.sales_staff.list(SalesStaffQuery(company_id=None), limit=10)
    staff_id = staff.items[0].id or 0
    await client.sales_staff.detail(staff_id)
    await client.sales_staff.assign(
        staff_id, [Assignment(company_id=company_id, assign_status=True)]
    )

    line = QuoteLineItem(
        product_id=105,
        sku="SHV-3",
        base_price=Decimal(240),
        discount=Decimal(30),
        offered_price=Decimal(210),
        quantity=10,
    )
    quote = await client.quotes.create(
        NewQuote(
            **QuoteTotals.of([line], Decimal(0)).model_dump(),
            product_list=[line],
            contact_info=QuoteContactInfo(name="Ava", email="ava@contract.example"),
            company_id=company_id,
            expired_at=date(2031, 3, 31),
            quote_title="Contract quote",
            message="Hello",
        )
    )
    quote_id = quote.quote_id or 0
    await client.quotes.update(
        quote_id,
        QuoteUpdate(
            expired_at=date(2031, 4, 30),
            notes="Held",
            product_list=[line],
            **QuoteTotals.of([line], Decimal(10)).model_dump(),
        ),
    )
    await client.quotes.pdf(quote_id)
    await client.quotes.checkout(quote_id)

    fresh = add_order(store, bc_order_id=95001, company_id=company_id, customer_id=customer)
    invoiced = await client.invoices.create_from_order(fresh["id"])
    await client.invoices.update(
        invoiced.invoice_id,
        InvoiceUpdate(
            due_date=1_900_000_000,
            purchase_order_number="PO-U",
            open_balance=TextAmount(code="USD", value=Decimal(fresh["total"]) / 2),
        ),
    )
    await client.invoices.pdf(invoiced.invoice_id)
    await client.invoices.list(InvoiceQuery(search_by="purchase_order_number", q="PO-U"), limit=5)
    await client.invoice_payments.record_offline(
        NewOfflinePayment(
            customer_id=str(company_id),
            currency="USD",
            line_items=[OfflinePaymentLine(invoice_id=invoiced.invoice_id, amount=Decimal(1))],
            details=OfflinePaymentDetails(memo="Cheque #1"),
        )
    )
    await client.invoice_payments.list(PaymentQuery(invoice_id=invoiced.invoice_id), limit=5)


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
        await exercise_the_desk(client, store)
    return recorder.exchanges


async def test_every_operation_was_exercised(exchanges: list[Exchange]) -> None:
    seen = {(e.method, e.template) for e in exchanges if e.status < 300}
    served = {(method, template) for template, methods in SIMULATED.items() for method in methods}
    # The simulator takes new orders, and quotes bought as orders, as a storefront would;
    # the server never places one.
    assert seen >= served - {("post", "/orders"), ("post", "/rfq/{quote_id}/ordered")}
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
