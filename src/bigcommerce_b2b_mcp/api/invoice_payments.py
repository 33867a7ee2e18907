"""Invoice payments (Invoice Management): `/ip/payments`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models.invoice_payment import (
    CreatedPayment,
    InvoicePayment,
    NewOfflinePayment,
    PaymentQuery,
)
from .records import Endpoint, Records

if TYPE_CHECKING:
    from .client import B2BClient

PAYMENTS = Endpoint("/ip/payments", InvoicePayment, "invoice payment", "id")


class InvoicePaymentsAPI(Records[InvoicePayment, PaymentQuery]):
    """List invoice payments and record payments received outside the store."""

    def __init__(self, client: B2BClient) -> None:
        super().__init__(client, PAYMENTS)

    async def record_offline(self, payment: NewOfflinePayment) -> CreatedPayment:
        envelope = await self._client.request(
            "POST", "/ip/payments/offline", json=payment.to_api(), resource="invoice payment"
        )
        return envelope.record(CreatedPayment)
