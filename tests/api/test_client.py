"""The client's envelope handling, error mapping, retries and paging, against scripted answers."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import httpx2
import pytest

from bigcommerce_b2b_mcp.api.client import B2BClient, RetryPolicy
from bigcommerce_b2b_mcp.errors import (
    InvalidInputError,
    NotAllowedError,
    NotFoundError,
    RateLimitedError,
    UnavailableError,
)
from tests.conftest import Sleeps

pytestmark = pytest.mark.anyio

TOKEN = "sk-do-not-leak-123"
Handler = Callable[[httpx2.Request], httpx2.Response]


def scripted(*answers: httpx2.Response | Exception) -> tuple[Handler, list[httpx2.Request]]:
    """A handler that gives the answers in order and records every request."""
    seen: list[httpx2.Request] = []
    queue = list(answers)

    def handle(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    return handle, seen


def answer(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx2.Response:
    return httpx2.Response(status, json=body, headers=headers)


def make(handler: Handler, sleeps: Sleeps | None = None) -> B2BClient:
    return B2BClient(
        store_hash="abc123",
        access_token=TOKEN,
        base_url="https://b2b.test/api/v3/io",
        transport=httpx2.MockTransport(handler),
        retry=RetryPolicy(max_attempts=3, base_delay=0.1, max_delay=0.2),
        sleep=sleeps or Sleeps(),
    )


OK = {"code": 200, "data": {"companyId": 7}, "meta": {"message": "SUCCESS"}}


async def test_sends_auth_headers_and_json() -> None:
    handler, seen = scripted(answer(200, OK))
    async with make(handler) as client:
        await client.request("POST", "/companies", json={"companyName": "A"})
    request = seen[0]
    assert request.headers["X-Auth-Token"] == TOKEN
    assert request.headers["X-Store-Hash"] == "abc123"
    assert request.url.path == "/api/v3/io/companies"
    assert json.loads(request.content) == {"companyName": "A"}


@pytest.mark.parametrize(
    ("body", "records", "total"),
    [
        (
            {
                "code": 200,
                "data": [1, 2],
                "meta": {
                    "message": "SUCCESS",
                    "pagination": {"totalCount": 9, "offset": 0, "limit": 2},
                },
            },
            [1, 2],
            9,
        ),
        (
            {
                "code": 200,
                "message": "SUCCESS",
                "data": {"list": [3], "pagination": {"totalCount": 1, "offset": 0, "limit": 10}},
            },
            [3],
            1,
        ),
        (
            {
                "code": 200,
                "data": [4],
                "meta": {"message": "SUCCESS", "totalCount": 5, "offset": 0, "limit": 1},
            },
            [4],
            5,
        ),
    ],
    ids=["meta.pagination", "quotes data.list", "pagination flat in meta"],
)
async def test_unwraps_every_envelope_variant(body: Any, records: list[int], total: int) -> None:
    handler, _ = scripted(answer(200, body))
    async with make(handler) as client:
        envelope = await client.request("GET", "/things")
    assert envelope.data == records
    assert envelope.pagination is not None
    assert envelope.pagination.total == total
    assert envelope.message == "SUCCESS"


async def test_401_is_a_refused_token() -> None:
    body = {
        "code": 401,
        "data": {"errMsg": "Invalid token header. No credentials provided."},
        "meta": {"message": "Invalid token header. No credentials provided."},
    }
    handler, _ = scripted(answer(401, body))
    async with make(handler) as client:
        with pytest.raises(NotAllowedError) as caught:
            await client.request("GET", "/companies")
    assert caught.value.status == 401
    assert not caught.value.missing_scope


async def test_403_says_the_scope_is_missing() -> None:
    handler, _ = scripted(answer(403, {"code": 403, "data": {}, "meta": {"message": "Forbidden"}}))
    async with make(handler) as client:
        with pytest.raises(NotAllowedError) as caught:
            await client.request("GET", "/companies")
    assert caught.value.missing_scope
    assert "B2B Edition scope" in str(caught.value)


async def test_404_names_the_resource() -> None:
    body = {
        "code": 404,
        "data": {"errMsg": "User matching query does not exist."},
        "meta": {"message": "Not Found Error"},
    }
    handler, _ = scripted(answer(404, body))
    async with make(handler) as client:
        with pytest.raises(NotFoundError) as caught:
            await client.request("GET", "/users/9", resource="user")
    assert caught.value.resource == "user"
    assert "User matching query does not exist" in str(caught.value)


async def test_422_field_errors_come_back_in_snake_case() -> None:
    body = {
        "code": 422,
        "meta": {"message": "Parameter Error"},
        "data": {
            "errMsg": {
                "firstName": ["This field may not be null."],
                "last_name": ["This field may not be null."],
                "roles": {"0": ['"99" is not a valid choice.']},
                "non_field_errors": ["User must have a role."],
            }
        },
    }
    handler, _ = scripted(answer(422, body))
    async with make(handler) as client:
        with pytest.raises(InvalidInputError) as caught:
            await client.request("POST", "/users", json={})
    assert caught.value.field_errors == {
        "first_name": ["This field may not be null."],
        "last_name": ["This field may not be null."],
        "roles": ['"99" is not a valid choice.'],
        "input": ["User must have a role."],
    }


async def test_422_with_a_sentence_keeps_the_sentence() -> None:
    body = {"code": 422, "data": {}, "meta": {"message": "The company name is required."}}
    handler, _ = scripted(answer(422, body))
    async with make(handler) as client:
        with pytest.raises(InvalidInputError, match="The company name is required"):
            await client.request("POST", "/companies", json={})


async def test_413_is_invalid_input() -> None:
    body = {"code": 413, "meta": {"message": "Request Entity Too Large"}, "data": {}}
    handler, _ = scripted(answer(413, body))
    async with make(handler) as client:
        with pytest.raises(InvalidInputError, match="more records than the API allows"):
            await client.request("GET", "/companies", params={"limit": 999})


async def test_429_waits_for_the_window_reset_then_retries() -> None:
    limited = answer(
        429,
        {"code": 429, "data": {}, "meta": {"message": "Too Many Requests"}},
        {"X-Request-Window-Resets-After": "2.5 s"},
    )
    handler, seen = scripted(limited, answer(200, OK))
    sleeps = Sleeps()
    async with make(handler, sleeps) as client:
        envelope = await client.request("GET", "/companies/7")
    assert envelope.data == {"companyId": 7}
    assert sleeps.calls == [2.5]
    assert len(seen) == 2


async def test_429_that_persists_raises_with_the_retry_time() -> None:
    limited = answer(
        429,
        {"code": 429, "data": {}, "meta": {"message": "Too Many Requests"}},
        {"X-Retry-After": "12"},
    )
    handler, seen = scripted(limited)
    async with make(handler) as client:
        with pytest.raises(RateLimitedError) as caught:
            await client.request("GET", "/companies")
    assert caught.value.retry_after == 12
    assert len(seen) == 3


async def test_a_post_rejected_with_429_is_retried_because_it_never_ran() -> None:
    limited = answer(
        429,
        {"code": 429, "data": {}, "meta": {"message": "Too Many Requests"}},
        {"X-Request-Window-Resets-After": "0.1 s"},
    )
    handler, seen = scripted(limited, answer(200, OK))
    async with make(handler) as client:
        await client.request("POST", "/companies", json={})
    assert len(seen) == 2


async def test_5xx_on_a_read_is_retried_with_backoff() -> None:
    failing = answer(503, {"code": 503, "data": {}, "meta": {"message": "Service Unavailable"}})
    handler, seen = scripted(failing, failing, answer(200, OK))
    sleeps = Sleeps()
    async with make(handler, sleeps) as client:
        await client.request("GET", "/companies/7")
    assert len(seen) == 3
    assert len(sleeps.calls) == 2
    assert all(0 < s <= 0.2 for s in sleeps.calls)


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
async def test_5xx_on_an_update_is_never_retried_and_may_have_been_applied(method: str) -> None:
    handler, seen = scripted(answer(502, {}), answer(200, OK))
    async with make(handler) as client:
        with pytest.raises(UnavailableError) as caught:
            await client.request(method, "/companies/7", json={"companyName": "B"})
    assert len(seen) == 1
    assert caught.value.maybe_applied
    assert "may have been applied" in str(caught.value)


async def test_5xx_on_a_create_is_never_retried() -> None:
    handler, seen = scripted(answer(500, {"code": 500, "data": {}, "meta": {"message": "boom"}}))
    async with make(handler) as client:
        with pytest.raises(UnavailableError) as caught:
            await client.request("POST", "/companies", json={})
    assert len(seen) == 1
    assert caught.value.maybe_applied
    assert "may have been applied" in str(caught.value)


async def test_a_read_timeout_on_a_create_is_never_retried() -> None:
    handler, seen = scripted(httpx2.ReadTimeout("slow"))
    async with make(handler) as client:
        with pytest.raises(UnavailableError, match="timed out") as caught:
            await client.request("POST", "/ip/invoices", json={})
    assert len(seen) == 1
    assert caught.value.maybe_applied


async def test_a_create_that_could_not_connect_is_retried() -> None:
    handler, seen = scripted(httpx2.ConnectError("refused"), answer(200, OK))
    async with make(handler) as client:
        await client.request("POST", "/companies", json={})
    assert len(seen) == 2


async def test_network_errors_on_reads_are_retried_then_reported() -> None:
    handler, seen = scripted(httpx2.ReadTimeout("slow"))
    async with make(handler) as client:
        with pytest.raises(UnavailableError) as caught:
            await client.request("GET", "/companies")
    assert len(seen) == 3
    assert not caught.value.maybe_applied


async def test_an_answer_that_is_not_json_is_unavailable() -> None:
    handler, _ = scripted(httpx2.Response(200, text="<html>gateway</html>"))
    async with make(handler) as client:
        with pytest.raises(UnavailableError, match="could not read") as caught:
            await client.request("GET", "/companies")
    assert not caught.value.maybe_applied


async def test_an_exhausted_window_delays_the_next_request() -> None:
    spent = answer(
        200, OK, {"X-Requests-Remaining": "0 times", "X-Request-Window-Resets-After": "12 s"}
    )
    handler, _ = scripted(spent, answer(200, OK))
    sleeps = Sleeps()
    async with make(handler, sleeps) as client:
        await client.request("GET", "/companies/1")
        assert sleeps.calls == []
        await client.request("GET", "/companies/2")
    assert len(sleeps.calls) == 1
    assert 11 < sleeps.calls[0] <= 12


async def test_a_window_too_far_away_fails_at_once_saying_how_long() -> None:
    spent = answer(
        200, OK, {"X-Requests-Remaining": "0 times", "X-Request-Window-Resets-After": "45 s"}
    )
    handler, seen = scripted(spent, answer(200, OK))
    sleeps = Sleeps()
    async with make(handler, sleeps) as client:
        await client.request("GET", "/companies/1")
        with pytest.raises(RateLimitedError, match="budget is used up for 45 s") as caught:
            await client.request("GET", "/companies/2")
    assert sleeps.calls == []
    assert len(seen) == 1
    assert caught.value.retry_after is not None
    assert 44 < caught.value.retry_after <= 45


async def test_the_token_never_shows_in_repr_errors_or_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    handler, _ = scripted(
        httpx2.ReadTimeout("slow"),
        answer(401, {"code": 401, "data": {}, "meta": {"message": "no"}}),
    )
    async with make(handler) as client:
        assert TOKEN not in repr(client)
        with pytest.raises(NotAllowedError) as caught:
            await client.request("GET", "/companies")
    assert TOKEN not in str(caught.value)
    assert TOKEN not in repr(caught.value)
    assert TOKEN not in caplog.text


async def test_pages_stop_at_total_count() -> None:
    def handle(request: httpx2.Request) -> httpx2.Response:
        offset = int(request.url.params["offset"])
        limit = int(request.url.params["limit"])
        items = list(range(offset, min(offset + limit, 5)))
        return answer(
            200,
            {
                "code": 200,
                "data": items,
                "meta": {
                    "message": "SUCCESS",
                    "pagination": {"totalCount": 5, "offset": offset, "limit": limit},
                },
            },
        )

    seen: list[list[int]] = []
    async with make(handle) as client:
        async for page in client.pages("/companies", {}, resource="company", page_size=2):
            seen.append(page.data)
    assert seen == [[0, 1], [2, 3], [4]]


async def test_pages_respect_the_endpoint_maximum() -> None:
    limits: list[str] = []

    def handle(request: httpx2.Request) -> httpx2.Response:
        limits.append(request.url.params["limit"])
        return answer(200, {"code": 200, "data": [], "meta": {"message": "SUCCESS"}})

    async with make(handle) as client:
        async for _ in client.pages("/orders", {}, resource="order", page_size=500, max_limit=200):
            pass
    assert limits == ["200"]
