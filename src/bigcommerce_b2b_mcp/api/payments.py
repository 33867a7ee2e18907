"""Company payments: `/companies/{id}/credit`, `/payment-terms` and `/payments`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models.payment import (
    Credit,
    CreditUpdate,
    PaymentMethod,
    PaymentMethodsUpdate,
    PaymentTerms,
    PaymentTermsUpdate,
)

if TYPE_CHECKING:
    from .client import B2BClient


class PaymentsAPI:
    """Credit, payment terms and payment methods, per company."""

    def __init__(self, client: B2BClient) -> None:
        self._client = client

    async def credit(self, company_id: int) -> Credit:
        envelope = await self._client.request(
            "GET", f"/companies/{company_id}/credit", resource="company"
        )
        return envelope.record(Credit)

    async def update_credit(self, company_id: int, update: CreditUpdate) -> Credit:
        envelope = await self._client.request(
            "PUT", f"/companies/{company_id}/credit", json=update.to_api(), resource="company"
        )
        return envelope.record(Credit)

    async def terms(self, company_id: int) -> PaymentTerms:
        envelope = await self._client.request(
            "GET", f"/companies/{company_id}/payment-terms", resource="company"
        )
        return envelope.record(PaymentTerms)

    async def update_terms(self, company_id: int, update: PaymentTermsUpdate) -> PaymentTerms:
        envelope = await self._client.request(
            "PUT",
            f"/companies/{company_id}/payment-terms",
            json=update.to_api(),
            resource="company",
        )
        return envelope.record(PaymentTerms)

    async def methods(self, company_id: int) -> list[PaymentMethod]:
        envelope = await self._client.request(
            "GET", f"/companies/{company_id}/payments", resource="company"
        )
        return envelope.records(PaymentMethod)

    async def update_methods(self, company_id: int, update: PaymentMethodsUpdate) -> None:
        await self._client.request(
            "PUT", f"/companies/{company_id}/payments", json=update.to_api(), resource="company"
        )
