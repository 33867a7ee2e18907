"""Invoices (Invoice Management): `/ip/invoices`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models.invoice import (
    CreatedInvoice,
    CreatedOrderInvoice,
    Invoice,
    InvoicePdf,
    InvoiceQuery,
    InvoiceUpdate,
    NewInvoice,
)
from .records import Endpoint, Records

if TYPE_CHECKING:
    from .client import B2BClient

INVOICES = Endpoint("/ip/invoices", Invoice, "invoice", "id")


class InvoicesAPI(Records[Invoice, InvoiceQuery]):
    """Create, read, change and list invoices."""

    def __init__(self, client: B2BClient) -> None:
        super().__init__(client, INVOICES)

    async def create(self, invoice: NewInvoice) -> CreatedInvoice:
        envelope = await self._client.request(
            "POST", "/ip/invoices", json=invoice.to_api(), resource="invoice"
        )
        return envelope.record(CreatedInvoice)

    async def create_from_order(self, order_id: int) -> CreatedOrderInvoice:
        """Invoice a B2B order; `order_id` is B2B Edition's internal id, not the BigCommerce one."""
        envelope = await self._client.request(
            "POST", f"/ip/orders/{order_id}/invoices", json={}, resource="order"
        )
        return envelope.record(CreatedOrderInvoice)

    async def update(self, invoice_id: int, update: InvoiceUpdate) -> None:
        await self._client.request(
            "PUT", f"/ip/invoices/{invoice_id}", json=update.to_api(), resource="invoice"
        )

    async def pdf(self, invoice_id: int) -> InvoicePdf:
        envelope = await self._client.request(
            "GET", f"/ip/invoices/{invoice_id}/download-pdf", resource="invoice"
        )
        return envelope.record(InvoicePdf)
