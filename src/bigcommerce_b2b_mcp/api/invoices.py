"""Invoices (Invoice Management): `/ip/invoices`."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from ..models.common import Page, unix
from ..models.invoice import CreatedInvoice, Invoice, InvoiceStatus, NewInvoice
from .envelope import Params

if TYPE_CHECKING:
    from .client import B2BClient

InvoiceSort = Literal["createdAt", "updatedAt", "dueDate", "invoiceNumber", "openBalance", "status"]


def invoice_filters(
    *,
    company_id: int | None = None,
    status: InvoiceStatus | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    sort_by: InvoiceSort = "createdAt",
    order_by: Literal["ASC", "DESC"] = "DESC",
) -> Params:
    """Query parameters of `GET /ip/invoices` (`customerId` is the company id)."""
    return {
        "customerId": company_id,
        "status": status.code if status is not None else None,
        "beginDateAt": unix(created_from) if created_from else None,
        "endDateAt": unix(created_to) if created_to else None,
        "sortBy": sort_by,
        "orderBy": order_by,
    }


class InvoicesAPI:
    """Create, read and list invoices."""

    def __init__(self, client: B2BClient) -> None:
        self._client = client

    async def create(self, invoice: NewInvoice) -> CreatedInvoice:
        envelope = await self._client.request(
            "POST", "/ip/invoices", json=invoice.to_api(), resource="invoice"
        )
        return envelope.record(CreatedInvoice)

    async def get(self, invoice_id: int) -> Invoice:
        envelope = await self._client.request(
            "GET", f"/ip/invoices/{invoice_id}", resource="invoice"
        )
        return envelope.record(Invoice, id=invoice_id)

    async def list(self, params: Params, *, limit: int = 10, offset: int = 0) -> Page[Invoice]:
        """One page of invoices; build `params` with `invoice_filters`."""
        return await self._client.page(
            "/ip/invoices", params, Invoice, resource="invoice", limit=limit, offset=offset
        )
