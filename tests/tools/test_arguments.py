"""Strict arguments: what the published input schema refuses is refused, and nothing is sent.

Named cases first (each defect this guards against), then a fuzz test that drives every
tool with arguments generated from its own input schema, valid and invalid.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import httpx2
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from hypothesis import HealthCheck, assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator
from mcp import Client, MCPError
from mcp.types import CallToolResult, TextContent, Tool

from bigcommerce_b2b_mcp.resources.triggers import TriggerName
from bigcommerce_b2b_mcp.server import build_server
from bigcommerce_b2b_mcp.simulator.app import create_app
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from bigcommerce_b2b_mcp.tools.arguments import ArgumentCheck
from bigcommerce_b2b_mcp.tools.quick_check import quick_check
from tests.conftest import STORE_HASH, TOKEN
from tests.tools.calls import call, fail, read_json, until_first_poll
from tests.tools.conftest import settings
from tests.tools.test_surface import ALL

pytestmark = pytest.mark.anyio


class Recorder(httpx2.AsyncBaseTransport):
    """Passes requests to the simulator and counts them."""

    def __init__(self, store: SimulatedStore) -> None:
        self.inner = httpx2.ASGITransport(app=create_app(store, rate_limit=1_000_000))
        self.requests: list[str] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(f"{request.method} {request.url.path}")
        return await self.inner.handle_async_request(request)


@pytest.fixture
async def recorded(store: SimulatedStore) -> Any:
    recorder = Recorder(store)
    # Triggers poll once at start, then not again during the test.
    server = build_server(settings(poll_interval=1_000_000), transport=recorder)
    async with Client(server) as client:
        for trigger in get_args(TriggerName):  # every feed's first poll is done
            await until_first_poll(client, f"b2b://triggers/{trigger}")
        recorder.requests.clear()
        yield client, recorder


async def refused(recorded: Any, tool: str, **arguments: Any) -> str:
    client, recorder = recorded
    text = await fail(client, tool, **arguments)
    assert "Invalid input, nothing was sent" in text
    assert recorder.requests == [], "invalid input must not reach the API"
    return text


async def test_a_misspelt_argument_is_refused_not_dropped(
    recorded: Any, store: SimulatedStore
) -> None:
    company_id = min(store.companies)
    before = dict(store.companies[company_id])
    text = await refused(
        recorded,
        "update_company",
        company_id=company_id,
        compnay_name="Typo Inc",
        company_phone="+1 555 0199",
    )
    assert "compnay_name: unknown argument (did you mean company_name?)" in text
    assert "company_phone" in text  # the valid arguments are listed
    assert store.companies[company_id] == before


@pytest.mark.parametrize("company_id", [True, "1_001", "1001", 1001.5, [1001]])
async def test_ids_are_never_guessed_from_other_types(recorded: Any, company_id: Any) -> None:
    text = await refused(recorded, "get_company", company_id=company_id)
    assert "company_id: must be a whole number" in text


async def test_flags_and_enums_take_only_their_own_values(recorded: Any) -> None:
    await refused(recorded, "list_company_addresses", company_id=1001, billing="yes")
    text = await refused(recorded, "set_company_status", company_id=1001, status="active")
    assert "must be one of pending, approved, rejected, inactive" in text


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        ("list_companies", {"name_contains": "x" * 100_000}),
        ("list_quotes", {"search": "x" * 100_000}),
        ("get_company", {"company_id": 2**31}),
        ("get_trigger_events", {"trigger": "new-orders", "after": 2**63}),
        ("list_orders", {"offset": 10**12}),
    ],
)
async def test_values_beyond_what_the_api_takes_are_refused(
    recorded: Any, tool: str, arguments: dict[str, Any]
) -> None:
    text = await refused(recorded, tool, **arguments)
    assert "must be at most" in text
    assert "x" * 100 not in text, "the refused value is never echoed"


async def test_lists_sent_as_json_text_are_still_read(recorded: Any, store: SimulatedStore) -> None:
    """Some desktop clients send list arguments JSON-encoded; the SDK has always read them."""
    client, _ = recorded
    created = await call(
        client,
        "create_user",
        company_id=min(store.companies),
        first_name="Json",
        last_name="Text",
        email="json.text@example.com",
        channel_ids="[1]",
    )
    assert store.users[created["user_id"]]["channel_ids"] == [1]


async def test_the_events_template_clamps_a_huge_after_and_explains_a_bad_one(
    recorded: Any,
) -> None:
    client, _ = recorded
    page = await read_json(client, f"b2b://triggers/new-orders/events?after={2**70}")
    assert page["events"] == []
    with pytest.raises(MCPError, match="after must be a whole number"):
        await client.read_resource("b2b://triggers/new-orders/events?after=soon")


# --- Fuzz: every tool, arguments from its own schema -------------------------------------


@dataclass
class Harness:
    """A client kept open across hypothesis examples, driven from the test's thread."""

    portal: BlockingPortal
    client: Client
    recorder: Recorder
    tools: list[Tool]

    def call(self, name: str, arguments: dict[str, Any]) -> CallToolResult:
        self.recorder.requests.clear()
        result: CallToolResult = self.portal.call(self.client.call_tool, name, arguments)
        return result


@contextmanager
def harness(store: SimulatedStore, state_dir: Path) -> Iterator[Harness]:
    recorder = Recorder(store)
    configured = settings(poll_interval=1_000_000, state_dir=state_dir)
    server = build_server(configured, transport=recorder)
    with (
        start_blocking_portal() as portal,
        portal.wrap_async_context_manager(Client(server)) as client,
    ):
        for trigger in get_args(TriggerName):  # every feed's first poll is done
            portal.call(until_first_poll, client, f"b2b://triggers/{trigger}")
        tools = portal.call(client.list_tools).tools
        yield Harness(portal, client, recorder, tools)


def _text(result: CallToolResult) -> str:
    block = result.content[0]
    assert isinstance(block, TextContent)
    return block.text


def _never_broken(name: str, result: CallToolResult) -> str:
    text = _text(result)
    assert text.strip() != f"Error executing tool {name}", "a bare SDK error reached the model"
    assert "Traceback" not in text
    assert TOKEN not in text
    assert "failed unexpectedly" not in text, text
    return text


def _invalid(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Arguments the schema refuses: one argument broken, an unknown one, or one missing."""
    properties: dict[str, Any] = schema.get("properties", {})
    wrong = st.one_of(
        st.booleans(),
        st.integers(min_value=-(2**64), max_value=2**64),
        # JSON has no infinity: a client sends null for it, which may well be valid.
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=5),
        st.text(min_size=300, max_size=400),
        st.just("1_001"),
        st.lists(st.integers(), max_size=2),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    )

    @st.composite
    def broken(draw: st.DrawFn) -> dict[str, Any]:
        arguments: dict[str, Any] = draw(from_schema(schema))  # type: ignore[arg-type]
        how = draw(st.sampled_from(["value", "unknown", "missing"]))
        if how == "value" and properties:
            arguments[draw(st.sampled_from(sorted(properties)))] = draw(wrong)
        elif how == "unknown":
            arguments[
                draw(st.text(min_size=1, max_size=12).filter(lambda k: k not in properties))
            ] = 1
        elif schema.get("required"):
            arguments.pop(draw(st.sampled_from(schema["required"])), None)
        return arguments

    return broken()


FUZZ = hypothesis_settings(
    max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    """One server for the whole fuzz run (its store grows with what valid calls create).

    Module-scoped, so it names its own state directory: the per-test clean environment
    does not exist yet, and the developer's own state must never be touched.
    """
    from bigcommerce_b2b_mcp.simulator.seed import seed

    store = SimulatedStore(store_hash=STORE_HASH, access_token=TOKEN)
    seed(store)
    with harness(store, tmp_path_factory.mktemp("state")) as h:
        yield h


def _tool(h: Harness, name: str) -> Tool:
    return next(tool for tool in h.tools if tool.name == name)


@pytest.mark.parametrize("name", ALL)
def test_valid_generated_arguments_never_break_a_tool(fuzzed: Harness, name: str) -> None:
    tool = _tool(fuzzed, name)

    @FUZZ
    @given(arguments=from_schema(tool.input_schema))
    def valid(arguments: dict[str, Any]) -> None:
        if name == "get_trigger_events":
            arguments["wait_seconds"] = 0
        text = _never_broken(name, fuzzed.call(name, arguments))
        if "nothing was sent" in text:
            assert fuzzed.recorder.requests == [], text

    valid()


@pytest.mark.parametrize("name", ALL)
def test_the_quick_check_agrees_with_jsonschema(fuzzed: Harness, name: str) -> None:
    """The fast path accepts exactly what jsonschema accepts, valid arguments or broken."""
    schema = _tool(fuzzed, name).input_schema
    validator = Draft202012Validator(schema)
    accepts = quick_check(schema)

    @hypothesis_settings(FUZZ, max_examples=60)
    @given(arguments=st.one_of(from_schema(schema), _invalid(schema)))
    def agree(arguments: dict[str, Any]) -> None:
        assert accepts(arguments) == validator.is_valid(arguments), json.dumps(arguments)[:200]

    agree()


@pytest.mark.parametrize("name", ALL)
def test_invalid_generated_arguments_are_refused_unsent(fuzzed: Harness, name: str) -> None:
    tool = _tool(fuzzed, name)
    validator = Draft202012Validator(tool.input_schema)
    check = ArgumentCheck(tool.input_schema)

    @FUZZ
    @given(arguments=_invalid(tool.input_schema))
    def invalid(arguments: dict[str, Any]) -> None:
        # A list or object sent JSON-encoded (e.g. extra_fields="[]") is decoded first.
        assume(not validator.is_valid(check.normalise(arguments)))
        result = fuzzed.call(name, arguments)
        text = _never_broken(name, result)
        assert result.is_error, f"{name} accepted {json.dumps(arguments)[:200]}"
        assert "Invalid input, nothing was sent" in text
        assert fuzzed.recorder.requests == [], f"{name} sent a request for invalid input"

    invalid()


async def test_tool_schemas_are_closed(recorded: Any) -> None:
    client, _ = recorded
    for tool in (await client.list_tools()).tools:
        assert tool.input_schema["additionalProperties"] is False, tool.name
