"""What every kind of record offers: read one by id, list a page, walk them all.

A domain module describes its records once (`Endpoint`) and inherits these reads from
`Records`; it adds only its writes and its quirks.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from pydantic import BaseModel

from ..models.common import Page, Query

if TYPE_CHECKING:
    from .client import B2BClient

M = TypeVar("M", bound=BaseModel)
Q = TypeVar("Q", bound=Query)


@dataclass(frozen=True)
class Endpoint(Generic[M]):
    """Where a kind of record lives and how its answers read."""

    path: str
    model: type[M]
    resource: str  # names the record in errors: "No such company: ..."
    id_field: str  # the API's name for its id, filled in when an answer leaves it out
    max_limit: int = 250


class Records(Generic[M, Q]):
    """The reads of one endpoint, through the process's client."""

    def __init__(self, client: B2BClient, endpoint: Endpoint[M]) -> None:
        self._client = client
        self.endpoint = endpoint

    async def get(self, record_id: int) -> M:
        endpoint = self.endpoint
        envelope = await self._client.request(
            "GET", f"{endpoint.path}/{record_id}", resource=endpoint.resource
        )
        return envelope.record(endpoint.model, **{endpoint.id_field: record_id})

    async def list(self, query: Q, *, limit: int = 10, offset: int = 0) -> Page[M]:
        """One page of records matching `query`."""
        endpoint = self.endpoint
        return await self._client.page(
            endpoint.path,
            query.to_api(),
            endpoint.model,
            resource=endpoint.resource,
            limit=min(limit, endpoint.max_limit),
            offset=offset,
        )

    def each(self, query: Q, *, page_size: int = 100) -> AsyncIterator[M]:
        """Every record matching `query`, across pages."""
        endpoint = self.endpoint
        return self._client.each(
            endpoint.path,
            query.to_api(),
            endpoint.model,
            resource=endpoint.resource,
            page_size=page_size,
            max_limit=endpoint.max_limit,
        )
