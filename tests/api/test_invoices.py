"""Invoices through the client, against the simulator."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bigcommerce_b2b_mcp.api.client import B2BClient
from bigcommerce_b2b_mcp.errors import InvalidInputError, NotFoundError
from bigcommerce_b2b_mcp.models.invoice import AmountValue, InvoiceQuery, InvoiceStatus, NewInvoice
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore

pytestmark = pytest.mark.anyio


def invoice(company_id: int, number: str = "INV-T-1", open_value: float = 120.5) -> NewInvoice:
    return NewInvoice(
        invoice_number=number,
        customer_id=str(company_id),
        original_balance=AmountValue(code="USD", value=120.5),
        open_balance=AmountValue(code="USD", value=open_value),
        order_number="100",
    )


async def test_create_and_get_with_decimal_money(api: B2BClient, store: SimulatedStore) -> None:
    company_id = min(store.companies)
    created = await api.invoices.create(invoice(company_id))
    got = await api.invoices.get(created.id)
    assert got.company_id == company_id
    assert got.original_balance is not None
    assert got.original_balance.value == Decimal("120.5")
    assert got.status is InvoiceStatus.OPEN


async def test_a_zero_open_balance_is_paid(api: B2BClient, store: SimulatedStore) -> None:
    created = await api.invoices.create(invoice(min(store.companies), open_value=0))
    assert (await api.invoices.get(created.id)).status is InvoiceStatus.PAID


async def test_invoice_numbers_are_unique(api: B2BClient, store: SimulatedStore) -> None:
    await api.invoices.create(invoice(min(store.companies)))
    with pytest.raises(InvalidInputError, match="invoice number already exists"):
        await api.invoices.create(invoice(min(store.companies)))


async def test_list_by_company(api: B2BClient, store: SimulatedStore) -> None:
    company_id = next(i["company_id"] for i in store.invoices.values())
    page = await api.invoices.list(InvoiceQuery(company_id=company_id), limit=100)
    assert page.items
    assert {i.company_id for i in page.items} == {company_id}


async def test_unknown_invoice_is_not_found(api: B2BClient) -> None:
    with pytest.raises(NotFoundError, match="Invoice does not exist"):
        await api.invoices.get(99999)
