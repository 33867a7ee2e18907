"""Companies through the client, against the simulator."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from bigcommerce_b2b_mcp.api.client import B2BClient
from bigcommerce_b2b_mcp.errors import InvalidInputError, NotFoundError
from bigcommerce_b2b_mcp.models.company import (
    CompanyQuery,
    CompanyStatus,
    CompanyUpdate,
    NewCompany,
)
from bigcommerce_b2b_mcp.models.user import UserQuery
from tests.conftest import T0, Clock

pytestmark = pytest.mark.anyio


def new_company(**overrides: object) -> NewCompany:
    fields: dict[str, object] = {
        "company_name": "Northwind Traders",
        "company_email": "ap@northwind.example",
        "company_phone": "+1 555 0100",
        "country": "US",
        "admin_first_name": "Nora",
        "admin_last_name": "West",
        "admin_email": "nora@northwind.example",
        "city": "Seattle",
    }
    fields.update(overrides)
    return NewCompany.model_validate(fields)


async def test_create_then_get_coerces_the_string_typed_fields(api: B2BClient) -> None:
    created = await api.companies.create(new_company())
    company = await api.companies.get(created.company_id)
    assert company.company_id == created.company_id
    assert company.company_name == "Northwind Traders"
    assert company.company_status is CompanyStatus.APPROVED
    assert company.created_at == datetime.fromtimestamp(int(T0), tz=UTC)
    assert company.city == "Seattle"
    assert company.uuid is None


async def test_create_also_creates_the_admin_user(api: B2BClient) -> None:
    created = await api.companies.create(new_company())
    admin = await api.users.get_by_email("nora@northwind.example")
    assert admin is not None
    assert admin.company_id == created.company_id
    assert admin.customer_id == created.customer_id


async def test_bad_input_fails_before_any_request() -> None:
    with pytest.raises(ValidationError) as caught:
        new_company(company_email="not-an-email", company_name="")
    fields = {err["loc"][0] for err in caught.value.errors()}
    assert fields == {"company_email", "company_name"}


async def test_an_admin_email_already_in_use_is_refused(api: B2BClient) -> None:
    await api.companies.create(new_company())
    with pytest.raises(InvalidInputError) as caught:
        await api.companies.create(new_company(company_name="Other"))
    assert "admin_email" in caught.value.field_errors


async def test_update_and_set_status(api: B2BClient, clock: Clock) -> None:
    created = await api.companies.create(new_company())
    clock.advance(60)
    await api.companies.update(created.company_id, CompanyUpdate(company_phone="+1 555 0199"))
    await api.companies.set_status(created.company_id, CompanyStatus.INACTIVE)
    company = await api.companies.get(created.company_id)
    assert company.company_phone == "+1 555 0199"
    assert company.company_status is CompanyStatus.INACTIVE
    assert company.updated_at == datetime.fromtimestamp(int(T0) + 60, tz=UTC)


async def test_missing_company_is_not_found(api: B2BClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        await api.companies.get(999_999)
    assert caught.value.resource == "company"


async def test_list_filters_by_status_name_and_creation(api: B2BClient, clock: Clock) -> None:
    clock.advance(3600)
    created = await api.companies.create(new_company(company_name="Zebra Goods Unique"))
    since = datetime.fromtimestamp(clock.now, tz=UTC)
    page = await api.companies.list(CompanyQuery(min_created=since))
    assert [c.company_id for c in page.items] == [created.company_id]
    found = await api.companies.list(CompanyQuery(q="zebra goods"))
    assert found.total == 1
    pending = await api.companies.list(
        CompanyQuery(company_status=CompanyStatus.PENDING), limit=250
    )
    assert pending.items
    assert all(c.company_status is CompanyStatus.PENDING for c in pending.items)


async def test_list_pages_report_totals(api: B2BClient) -> None:
    first = await api.companies.list(
        CompanyQuery(sort_by="company_name", descending=False), limit=5
    )
    assert first.total == 36
    assert first.has_more
    names = [c.company_name or "" for c in first.items]
    assert names == sorted(names)
    everything = [c async for c in api.companies.each(CompanyQuery(), page_size=7)]
    assert len({c.company_id for c in everything}) == 36


async def test_users_of_a_company(api: B2BClient) -> None:
    created = await api.companies.create(new_company())
    page = await api.users.list(UserQuery(company_id=created.company_id))
    assert [u.email for u in page.items] == ["nora@northwind.example"]
