"""Invoices (Invoice Management): `/ip/invoices`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models.invoice import CreatedInvoice, Invoice, InvoiceQuery, NewInvoice
from .records import Endpoint, Records

if TYPE_CHECKING:
    from .client import B2BClient

INVOICES = Endpoint("/ip/invoices", Invoice, "invoice", "id")


class InvoicesAPI(Records[Invoice, InvoiceQuery]):
    """Create, read and list invoices."""

    def __init__(self, client: B2BClient) -> None:
        super().__init__(client, INVOICES)

    async def create(self, invoice: NewInvoice) -> CreatedInvoice:
        envelope = await self._client.request(
            "POST", "/ip/invoices", json=invoice.to_api(), resource="invoice"
        )
        return envelope.record(CreatedInvoice)
