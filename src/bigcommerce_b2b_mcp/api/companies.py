"""Companies: `/companies`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models.company import (
    Company,
    CompanyQuery,
    CompanyStatus,
    CompanyUpdate,
    CreatedCompany,
    NewCompany,
)
from .records import Endpoint, Records

if TYPE_CHECKING:
    from .client import B2BClient

COMPANIES = Endpoint("/companies", Company, "company", "companyId")


class CompaniesAPI(Records[Company, CompanyQuery]):
    """Create, read, update, list and approve companies."""

    def __init__(self, client: B2BClient) -> None:
        super().__init__(client, COMPANIES)

    async def create(self, company: NewCompany) -> CreatedCompany:
        """Create a company and its admin user."""
        envelope = await self._client.request(
            "POST", "/companies", json=company.to_api(), resource="company"
        )
        return envelope.record(CreatedCompany)

    async def update(self, company_id: int, update: CompanyUpdate) -> None:
        await self._client.request(
            "PUT", f"/companies/{company_id}", json=update.to_api(), resource="company"
        )

    async def set_status(self, company_id: int, status: CompanyStatus) -> None:
        await self._client.request(
            "PUT",
            f"/companies/{company_id}/status",
            json={"companyStatus": status.code},
            resource="company",
        )
