"""Companies: `/companies`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models.company import (
    Company,
    CompanyQuery,
    CompanyRole,
    CompanyStatus,
    CompanyUpdate,
    CreatedCompany,
    HierarchyCompany,
    NewCompany,
    ParentAssignment,
    RoleQuery,
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

    async def hierarchy(self, company_id: int) -> list[HierarchyCompany]:
        """The account hierarchy the company belongs to, from its top."""
        envelope = await self._client.request(
            "GET", f"/companies/{company_id}/hierarchy", params={"limit": 250}, resource="company"
        )
        return envelope.records(HierarchyCompany)

    async def set_parent(self, company_id: int, parent: ParentAssignment) -> None:
        await self._client.request(
            "POST", f"/companies/{company_id}/parent", json=parent.to_api(), resource="company"
        )

    async def detach(self, parent_id: int, company_id: int) -> None:
        """Take a company out from under its parent; its own subsidiaries stay with it."""
        await self._client.request(
            "DELETE", f"/companies/{parent_id}/subsidiaries/{company_id}", resource="company"
        )


ROLES = Endpoint("/companies/roles", CompanyRole, "company role", "id")


class RolesAPI(Records[CompanyRole, RoleQuery]):
    """Company user roles (read-only here)."""

    def __init__(self, client: B2BClient) -> None:
        super().__init__(client, ROLES)
