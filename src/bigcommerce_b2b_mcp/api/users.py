"""Company users: `/users`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from ..models.common import Page
from ..models.user import CreatedUser, NewUser, User, UserRole, UserUpdate
from .envelope import Params, time_filters

if TYPE_CHECKING:
    from .client import B2BClient


def user_filters(
    *,
    company_id: int | None = None,
    email: str | None = None,
    q: str | None = None,
    roles: Sequence[UserRole] = (),
    min_created: datetime | None = None,
    max_created: datetime | None = None,
    min_modified: datetime | None = None,
    max_modified: datetime | None = None,
) -> Params:
    """Query parameters of `GET /users` (`email` is an exact match; extra fields included)."""
    return {
        "companyId": company_id,
        "email": email,
        "q": q,
        "isIncludeExtraFields": "1",
        "roles": [role.code for role in roles] or None,
        **time_filters(
            min_created=min_created,
            max_created=max_created,
            min_modified=min_modified,
            max_modified=max_modified,
        ),
    }


class UsersAPI:
    """Create, read, update and list company users."""

    def __init__(self, client: B2BClient) -> None:
        self._client = client

    async def create(self, user: NewUser) -> CreatedUser:
        envelope = await self._client.request("POST", "/users", json=user.to_api(), resource="user")
        return envelope.record(CreatedUser)

    async def get(self, user_id: int) -> User:
        envelope = await self._client.request("GET", f"/users/{user_id}", resource="user")
        return envelope.record(User, id=user_id)

    async def get_by_email(self, email: str) -> User | None:
        """The user with exactly this email, or None (emails are unique in B2B Edition)."""
        envelope = await self._client.request(
            "GET",
            "/users",
            params={"email": email, "limit": 1, "isIncludeExtraFields": "1"},
            resource="user",
        )
        wanted = email.casefold()
        # An exact-match filter; a store that ignored it must not hand back someone else.
        return next(
            (user for user in envelope.records(User) if (user.email or "").casefold() == wanted),
            None,
        )

    async def update(self, user_id: int, update: UserUpdate) -> User:
        envelope = await self._client.request(
            "PUT", f"/users/{user_id}", json=update.to_api(), resource="user"
        )
        return envelope.record(User, id=user_id)

    async def list(self, params: Params, *, limit: int = 10, offset: int = 0) -> Page[User]:
        """One page of users; build `params` with `user_filters`."""
        return await self._client.page(
            "/users", params, User, resource="user", limit=limit, offset=offset
        )

    def each(self, params: Params, *, page_size: int = 100) -> AsyncIterator[User]:
        return self._client.each("/users", params, User, resource="user", page_size=page_size)
