"""Company users: `/users`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models.user import CreatedUser, NewUser, User, UserQuery, UserUpdate
from .records import Endpoint, Records

if TYPE_CHECKING:
    from .client import B2BClient

USERS = Endpoint("/users", User, "user", "id")


class UsersAPI(Records[User, UserQuery]):
    """Create, read, update and list company users."""

    def __init__(self, client: B2BClient) -> None:
        super().__init__(client, USERS)

    async def create(self, user: NewUser) -> CreatedUser:
        envelope = await self._client.request("POST", "/users", json=user.to_api(), resource="user")
        return envelope.record(CreatedUser)

    async def get_by_email(self, email: str) -> User | None:
        """The user with exactly this email, or None (emails are unique in B2B Edition)."""
        page = await self.list(UserQuery(email=email), limit=1)
        wanted = email.casefold()
        # An exact-match filter; a store that ignored it must not hand back someone else.
        return next((user for user in page.items if (user.email or "").casefold() == wanted), None)

    async def update(self, user_id: int, update: UserUpdate) -> User:
        envelope = await self._client.request(
            "PUT", f"/users/{user_id}", json=update.to_api(), resource="user"
        )
        return envelope.record(User, id=user_id)

    async def by_customer(self, customer_id: int) -> User:
        """The company user behind a BigCommerce customer."""
        envelope = await self._client.request(
            "GET", f"/users/customer/{customer_id}", resource="user"
        )
        return envelope.record(User, customerId=customer_id)
