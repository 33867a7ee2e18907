"""Company users through the client, against the simulator."""

from __future__ import annotations

import pytest

from bigcommerce_b2b_mcp.api.client import B2BClient
from bigcommerce_b2b_mcp.errors import InvalidInputError, NotFoundError
from bigcommerce_b2b_mcp.models.user import NewUser, UserQuery, UserRole, UserUpdate
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore

pytestmark = pytest.mark.anyio


def some_company(store: SimulatedStore) -> int:
    return min(store.companies)


async def test_create_get_and_update_a_user(api: B2BClient, store: SimulatedStore) -> None:
    company_id = some_company(store)
    created = await api.users.create(
        NewUser(
            company_id=company_id,
            first_name="Ada",
            last_name="Byron",
            email="ada@example.com",
            role=UserRole.SENIOR_BUYER.code,
            channel_ids=[1],
        )
    )
    user = await api.users.get(created.user_id)
    assert user.role is UserRole.SENIOR_BUYER
    assert user.customer_id == created.bc_id
    updated = await api.users.update(
        created.user_id, UserUpdate(role=UserRole.JUNIOR_BUYER.code, phone_number="555")
    )
    assert updated.role is UserRole.JUNIOR_BUYER
    assert updated.phone_number == "555"


async def test_email_lookup_is_exact(api: B2BClient, store: SimulatedStore) -> None:
    email = next(iter(store.users.values()))["email"]
    found = await api.users.get_by_email(email)
    assert found is not None
    assert found.email == email
    assert await api.users.get_by_email(email[:-2]) is None


async def test_duplicate_email_is_refused(api: B2BClient, store: SimulatedStore) -> None:
    email = next(iter(store.users.values()))["email"]
    with pytest.raises(InvalidInputError, match="Email already exists"):
        await api.users.create(
            NewUser(
                company_id=some_company(store),
                first_name="A",
                last_name="B",
                email=email,
                role=2,
                channel_ids=[1],
            )
        )


async def test_a_user_needs_a_channel(api: B2BClient, store: SimulatedStore) -> None:
    with pytest.raises(InvalidInputError) as caught:
        await api.users.update(next(iter(store.users)), UserUpdate.model_construct(channel_ids=[]))
    assert "storefront" in " ".join(caught.value.field_errors["channel_ids"])


async def test_unknown_user_is_not_found(api: B2BClient) -> None:
    with pytest.raises(NotFoundError, match="User matching query does not exist"):
        await api.users.get(1)


async def test_filter_by_role(api: B2BClient) -> None:
    admins = await api.users.list(UserQuery(roles=[UserRole.ADMIN]), limit=250)
    assert admins.total == 36
    assert all(u.role is UserRole.ADMIN for u in admins.items)
