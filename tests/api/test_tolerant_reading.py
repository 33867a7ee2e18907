"""Tolerant reading: whatever a store sends for a record, the client reads it and keeps its id.

Bodies are generated from the official response schemas (`hypothesis-jsonschema`), then
reshaped the way real stores and proxies do: types flipped between numbers and strings,
nulls and "" for values, fields missing, fields nobody documented, objects sent alone
where a list was expected, pagination with parts missing. Every example the spec gives
for these operations must parse too.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import anyio
import httpx2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from bigcommerce_b2b_mcp.api.client import B2BClient
from bigcommerce_b2b_mcp.errors import UnavailableError
from bigcommerce_b2b_mcp.models.address import AddressQuery, NewAddress
from bigcommerce_b2b_mcp.models.common import Page
from bigcommerce_b2b_mcp.models.company import CompanyQuery, NewCompany
from bigcommerce_b2b_mcp.models.invoice import AmountValue, InvoiceQuery, NewInvoice
from bigcommerce_b2b_mcp.models.order import OrderQuery
from bigcommerce_b2b_mcp.models.quote import QuoteQuery
from bigcommerce_b2b_mcp.models.user import NewUser, UserQuery, UserUpdate
from tests.conftest import Sleeps
from tests.openapi import SPECS_MISSING, data_schema, needs_specs, response_examples

pytestmark = needs_specs

Call = Callable[[B2BClient], Awaitable[Any]]


@dataclass(frozen=True)
class Read:
    """An operation the client reads, how to call it, and where the records' ids are."""

    method: str
    template: str
    call: Call
    id_key: str | None = None  # the API's id field, checked on every record of a list
    id_attr: str = ""
    write: bool = False

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.template}"


def _records(result: Any) -> list[Any]:
    return list(result.items) if isinstance(result, Page) else [result]


NEW_COMPANY = NewCompany(
    company_name="A",
    company_email="a@a.example",
    company_phone="1",
    country="US",
    admin_first_name="A",
    admin_last_name="B",
    admin_email="b@a.example",
)
READS = [
    Read(
        "get",
        "/companies",
        lambda c: c.companies.list(CompanyQuery()),
        "companyId",
        "company_id",
    ),
    Read("get", "/companies/{companyId}", lambda c: c.companies.get(7)),
    Read("get", "/users", lambda c: c.users.list(UserQuery()), "id", "id"),
    Read("get", "/users/{userId}", lambda c: c.users.get(7)),
    Read("put", "/users/{userId}", lambda c: c.users.update(7, UserUpdate(last_name="X"))),
    Read(
        "get",
        "/addresses",
        lambda c: c.addresses.list(AddressQuery()),
        "addressId",
        "address_id",
    ),
    Read("get", "/addresses/{addressId}", lambda c: c.addresses.get(7)),
    Read("get", "/rfq", lambda c: c.quotes.list(QuoteQuery()), "quoteId", "quote_id"),
    Read("get", "/rfq/{quote_id}", lambda c: c.quotes.get(7)),
    Read("get", "/orders", lambda c: c.orders.list(OrderQuery()), "bcOrderId", "bc_order_id"),
    Read("get", "/orders/{bcOrderId}", lambda c: c.orders.get(7)),
    Read("get", "/ip/invoices", lambda c: c.invoices.list(InvoiceQuery()), "id", "id"),
    Read("get", "/ip/invoices/{invoiceId}", lambda c: c.invoices.get(7)),
    Read(
        "post",
        "/companies",
        lambda c: c.companies.create(NEW_COMPANY),
        "companyId",
        "company_id",
        write=True,
    ),
    Read(
        "post",
        "/users",
        lambda c: c.users.create(
            NewUser(
                company_id=1,
                first_name="A",
                last_name="B",
                email="a@b.example",
                role=1,
                channel_ids=[1],
            )
        ),
        "userId",
        "user_id",
        write=True,
    ),
    Read(
        "post",
        "/addresses",
        lambda c: c.addresses.create(
            NewAddress(
                company_id=1,
                first_name="A",
                last_name="B",
                address_line1="1 Main",
                city="Austin",
                country_name="United States",
            )
        ),
        "addressId",
        "address_id",
        write=True,
    ),
    Read(
        "post",
        "/ip/invoices",
        lambda c: c.invoices.create(
            NewInvoice(
                invoice_number="1",
                customer_id="1",
                original_balance=AmountValue(code="USD", value=1),
                open_balance=AmountValue(code="USD", value=1),
            )
        ),
        "id",
        "id",
        write=True,
    ),
]


async def answered(body: Any, call: Call) -> Any:
    """`call` against a store that answers every request with `body`."""

    def answer(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, content=json.dumps(body).encode())

    async with B2BClient(
        store_hash="s",
        access_token="t",
        base_url="https://store.test/api/v3/io",
        transport=httpx2.MockTransport(answer),
        sleep=Sleeps(),
    ) as client:
        return await call(client)


async def outcome(body: Any, call: Call) -> tuple[Any, UnavailableError | None]:
    """What `call` reads from `body`, or the error it reports instead."""
    try:
        return await answered(body, call), None
    except UnavailableError as error:
        return None, error


# --- How real stores reshape a body -------------------------------------------------------

_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8)
)


def _flipped(value: Any) -> Any:
    """The same value in the other JSON type a store might use for it."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value.strip()):
        return int(value.strip())
    if isinstance(value, dict):
        return [value]  # one object where a list was expected
    if isinstance(value, list) and len(value) == 1:
        return value[0]
    return json.dumps(value)  # JSON-encoded in a string


@st.composite
def reshaped(draw: st.DrawFn, value: Any, depth: int = 0) -> Any:
    if isinstance(value, list):
        return [draw(reshaped(item, depth + 1)) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        how = draw(st.sampled_from(["keep", "keep", "deeper", "flip", "null", "blank", "drop"]))
        if how == "keep":
            out[key] = item
        elif how == "deeper" and depth < 4:
            out[key] = draw(reshaped(item, depth + 1))
        elif how == "flip":
            out[key] = _flipped(item)
        elif how == "null":
            out[key] = None
        elif how == "blank":
            out[key] = ""
        elif how == "deeper":
            out[key] = item
    if draw(st.booleans()):
        out[draw(st.text(min_size=1, max_size=10))] = draw(
            st.one_of(_SCALARS, st.lists(_SCALARS, max_size=2))
        )
    return out


_PAGINATION = st.fixed_dictionaries(
    {},
    optional={
        "totalCount": st.one_of(st.integers(0, 10_000), st.text(max_size=3), st.none()),
        "offset": st.one_of(st.integers(0, 100), st.just("0"), st.none()),
        "limit": st.one_of(st.integers(1, 250), st.just("10"), st.none()),
    },
)
_META = st.one_of(
    st.fixed_dictionaries(
        {"message": st.sampled_from(["SUCCESS", "Success"])},
        optional={"pagination": st.one_of(_PAGINATION, st.text(max_size=3))},
    ),
    st.just("SUCCESS"),
    st.none(),
)


def _survives(raw: Any) -> int | None:
    """The id a person would read in `raw` (the oracle): whole numbers in any spelling."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and re.fullmatch(r"\s*[+-]?\d{1,18}(\.0*)?\s*", raw):
        return int(raw.strip().split(".")[0])
    return None


def _raw_records(data: Any) -> list[Any]:
    if isinstance(data, dict) and isinstance(data.get("list"), list):
        data = data["list"]
    if isinstance(data, dict):
        return [data]
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []


@pytest.mark.parametrize("read", READS, ids=str)
def test_reshaped_bodies_never_make_a_record_unreadable(read: Read) -> None:
    records = from_schema(data_schema(read.method, read.template))

    @settings(
        max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(data=records.flatmap(reshaped), meta=_META)
    def check(data: Any, meta: Any) -> None:
        result, error = anyio.run(outcome, {"code": 200, "data": data, "meta": meta}, read.call)
        raw = _raw_records(data)
        if error is not None:
            # Refusing is right only for an answer without the new record's id (then the
            # write may have been applied) or without any record at all.
            if read.write:
                assert error.maybe_applied
                assert not raw or _survives(raw[0].get(read.id_key)) is None, f"{read}: id lost"
            else:
                assert not isinstance(data, dict | list), f"{read} refused a readable body"
            return
        for record in _records(result):
            # What a tool returns is validated again by the SDK: it must read back as itself.
            assert type(record).model_validate(record.model_dump(mode="json")) == record
        if read.id_key is None:
            return
        parsed = _records(result)
        for raw_record, record in zip(raw, parsed, strict=False):
            expected = _survives(raw_record.get(read.id_key))
            if expected is not None:
                assert getattr(record, read.id_attr) == expected, f"{read} lost an id"

    check()


@pytest.mark.parametrize("read", [r for r in READS if not r.write], ids=str)
def test_a_missing_or_odd_pagination_never_fails_a_page(read: Read) -> None:
    @settings(max_examples=25, deadline=None, database=None)
    @given(pagination=_PAGINATION)
    def check(pagination: dict[str, Any]) -> None:
        body = {"code": 200, "data": [], "meta": {"message": "SUCCESS", "pagination": pagination}}
        if read.template == "/rfq":
            body = {
                "code": 200,
                "message": "SUCCESS",
                "data": {"list": [], "pagination": pagination},
            }
        if "{" in read.template:
            return
        page = anyio.run(answered, body, read.call)
        assert page.items == []
        assert page.has_more is False

    check()


EXAMPLES = [
    (read, index, example)
    for read in (READS if SPECS_MISSING is None else [])
    for index, example in enumerate(response_examples(read.method, read.template))
    if isinstance(example, dict) and _survives(example.get("code", 200)) in (None, 200)
]


@pytest.mark.parametrize(
    ("read", "example"),
    [(read, example) for read, _, example in EXAMPLES],
    ids=[f"{read}#{index}" for read, index, _ in EXAMPLES],
)
@pytest.mark.anyio
async def test_every_spec_example_parses_without_dropping_a_field(
    read: Read, example: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    result = await answered(example, read.call)
    assert _records(result), f"{read}: no record read from the example"
    assert not caplog.records, [record.getMessage() for record in caplog.records]
    if read.id_key:
        for raw, record in zip(_raw_records(example.get("data")), _records(result), strict=False):
            assert getattr(record, read.id_attr) == _survives(raw.get(read.id_key))


def test_the_spec_examples_were_found() -> None:
    assert len(EXAMPLES) >= 25
