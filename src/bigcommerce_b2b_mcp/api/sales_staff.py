"""Sales staff: `/sales-staffs`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models.sales_staff import Assignment, SalesStaff, SalesStaffDetail, SalesStaffQuery
from .records import Endpoint, Records

if TYPE_CHECKING:
    from .client import B2BClient

SALES_STAFF = Endpoint("/sales-staffs", SalesStaff, "sales staff member", "id")


class SalesStaffAPI(Records[SalesStaff, SalesStaffQuery]):
    """List sales staff and change which companies they cover."""

    def __init__(self, client: B2BClient) -> None:
        super().__init__(client, SALES_STAFF)

    async def detail(self, sales_staff_id: int) -> SalesStaffDetail:
        envelope = await self._client.request(
            "GET", f"/sales-staffs/{sales_staff_id}", resource="sales staff member"
        )
        return envelope.record(SalesStaffDetail, id=sales_staff_id)

    async def assign(self, sales_staff_id: int, assignments: list[Assignment]) -> None:
        """Assign or unassign companies; the others keep their assignment."""
        await self._client.request(
            "PUT",
            f"/sales-staffs/{sales_staff_id}",
            json=[assignment.to_api() for assignment in assignments],
            resource="sales staff member",
        )
