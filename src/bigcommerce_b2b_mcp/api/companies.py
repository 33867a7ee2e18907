"""Companies: `/companies`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from ..models.common import Page
from ..models.company import Company, CompanyStatus, CompanyUpdate, CreatedCompany, NewCompany
from .envelope import Params, time_filters

if TYPE_CHECKING:
    from .client import B2BClient

CompanySort = Literal["updatedAt", "companyName"]
SortOrder = Literal["ASC", "DESC"]


def company_filters(
    *,
    q: str | None = None,
    status: CompanyStatus | None = None,
    min_created: datetime | None = None,
    max_created: datetime | None = None,
    min_modified: datetime | None = None,
    max_modified: datetime | None = None,
    sort_by: CompanySort = "updatedAt",
    order_by: SortOrder = "DESC",
    extra_fields: Sequence[str] = (),
    include_extra_fields: bool = False,
) -> Params:
    """Query parameters of `GET /companies`; `extra_fields` items are "name:value"."""
    return {
        "q": q,
        "companyStatus": status.code if status is not None else None,
        **time_filters(
            min_created=min_created,
            max_created=max_created,
            min_modified=min_modified,
            max_modified=max_modified,
        ),
        "sortBy": sort_by,
        "orderBy": order_by,
        "extraFields": list(extra_fields) or None,
        "isIncludeExtraFields": "1" if include_extra_fields else None,
    }


class CompaniesAPI:
    """Create, read, update, list and approve companies."""

    def __init__(self, client: B2BClient) -> None:
        self._client = client

    async def create(self, company: NewCompany) -> CreatedCompany:
        """Create a company and its admin user."""
        envelope = await self._client.request(
            "POST", "/companies", json=company.to_api(), resource="company"
        )
        return envelope.record(CreatedCompany)

    async def get(self, company_id: int) -> Company:
        envelope = await self._client.request("GET", f"/companies/{company_id}", resource="company")
        return envelope.record(Company, companyId=company_id)

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

    async def list(self, params: Params, *, limit: int = 10, offset: int = 0) -> Page[Company]:
        """One page of companies; build `params` with `company_filters`."""
        return await self._client.page(
            "/companies", params, Company, resource="company", limit=limit, offset=offset
        )

    def each(self, params: Params, *, page_size: int = 100) -> AsyncIterator[Company]:
        """Every company matching `params`, across pages."""
        return self._client.each(
            "/companies", params, Company, resource="company", page_size=page_size
        )
