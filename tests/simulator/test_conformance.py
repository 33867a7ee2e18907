"""Property-based conformance: requests generated from the official spec, against the simulator.

For every operation the simulator serves, schemathesis generates valid requests (half of
them about records that exist) and invalid ones. Every answer must be the JSON envelope,
never a server error, match the documented schema for its status, and use a documented
status. Invalid requests must be refused. Known departures come from deviations.yaml.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.generation.case import Case
from schemathesis.specs.openapi.checks import negative_data_rejection

from bigcommerce_b2b_mcp.simulator.app import API_PREFIX, create_app
from bigcommerce_b2b_mcp.simulator.seed import seed
from bigcommerce_b2b_mcp.simulator.store import SimulatedStore
from tests.conftest import STORE_HASH, TOKEN, Clock
from tests.openapi import (
    SIMULATED,
    covers,
    deviations,
    envelope_has_code,
    needs_specs,
    problems,
    simulated_spec,
)

pytestmark = needs_specs

AUTH = {"X-Auth-Token": TOKEN, "X-Store-Hash": STORE_HASH}
EXAMPLES = 40
# Statuses any operation may answer: the API's status-code page documents them all.
GENERIC = {400, 401, 403, 404, 405, 413, 415, 422, 429}
REFUSALS = [str(status) for status in sorted(GENERIC | {409})]
OPERATIONS = [(method, template) for template, methods in SIMULATED.items() for method in methods]


class Simulated:
    """The simulator app, its store, and the spec's operations bound to it."""

    def __init__(self) -> None:
        self.store = SimulatedStore(store_hash=STORE_HASH, access_token=TOKEN, clock=Clock())
        seed(self.store)
        self.schema = schemathesis.openapi.from_dict(simulated_spec(API_PREFIX))
        self.schema.app = create_app(self.store, rate_limit=10**9)
        self.schema.config.checks.negative_data_rejection.expected_statuses = REFUSALS
        children = [c["id"] for c in self.store.companies.values() if c["parent_id"]]
        self.ids: dict[str, Callable[[], list[int]]] = {
            "companyId": lambda: list(self.store.companies),
            "userId": lambda: list(self.store.users),
            "addressId": lambda: list(self.store.addresses),
            "quote_id": lambda: list(self.store.quotes),
            "bcOrderId": lambda: list(self.store.orders),
            "invoiceId": lambda: list(self.store.invoices),
            "customerId": lambda: [u["customer_id"] for u in self.store.users.values()],
            # The seeded subsidiaries, fixed: detaching one must not change what is drawn.
            "childCompanyId": lambda: children,
            "salesStaffId": lambda: list(self.store.sales_staff),
            "orderId": lambda: [o["id"] for o in self.store.orders.values()],
        }


@pytest.fixture(scope="module")
def simulated() -> Simulated:
    return Simulated()


@pytest.mark.parametrize("mode", ["positive", "negative"])
@pytest.mark.parametrize(("method", "template"), OPERATIONS, ids=lambda x: str(x))
def test_the_simulator_answers_as_the_spec_says(
    simulated: Simulated, method: str, template: str, mode: str
) -> None:
    operation = simulated.schema[template][method.upper()]
    generation = GenerationMode.POSITIVE if mode == "positive" else GenerationMode.NEGATIVE
    found: dict[str, str] = {}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        case=operation.as_strategy(generation_mode=generation), real=st.booleans(), rnd=st.randoms()
    )
    def run(case: Case[Any], real: bool, rnd: random.Random) -> None:
        if real and generation is GenerationMode.POSITIVE:
            for name in case.path_parameters or {}:
                if name in simulated.ids:
                    case.path_parameters[name] = rnd.choice(simulated.ids[name]())
        response = case.call(headers=AUTH)
        for problem in _violations(case, response, method, template, generation):
            found.setdefault(problem, _describe(case))

    try:
        run()
    except Unsatisfiable:
        # The spec leaves nothing invalid to send here (e.g. a free-text path id).
        assert generation is GenerationMode.NEGATIVE
    assert found == {}, "\n".join(f"{problem}\n    {case}" for problem, case in found.items())


def _violations(
    case: Case[Any], response: Any, method: str, template: str, generation: GenerationMode
) -> Iterator[str]:
    status = response.status_code
    if status >= 500:
        yield f"server error {status}"
        return
    if status == 204 and not response.content:  # No Content, as the spec documents it
        return
    try:
        body = json.loads(response.content)
    except ValueError:
        yield f"{status} answered with a body that is not JSON"
        return
    if not isinstance(body, dict):
        yield f"{status} answered with JSON that is not an object"
        return
    if envelope_has_code(method, template, status) and body.get("code") != status:
        yield f"{status} answered without the {{code, data, meta}} envelope"
        return
    for problem in problems(method, template, body, status=status):
        yield f"{status} {problem}"
    documented = {int(code) for code in case.operation.definition.raw.get("responses", {})}
    if generation is GenerationMode.POSITIVE and status not in documented | GENERIC | {200}:
        yield f"undocumented status {status}"
    if generation is GenerationMode.NEGATIVE:
        yield from _accepted_invalid(case, response, method, template)


def _accepted_invalid(case: Case[Any], response: Any, method: str, template: str) -> Iterator[str]:
    try:
        case.validate_response(response, checks=[negative_data_rejection], headers=AUTH)
    except (Exception, BaseExceptionGroup) as failure:  # schemathesis groups its failures
        what = str(failure).split("Reproduce")[0]
        component = re.search(r"Invalid component: (.*?)(?:\n\s*\n|$)", what, re.DOTALL)
        found = component.group(1) if component else what[:200]
        detail = " ".join(found.split())
        accepted = [
            entry["accepts"]
            for entry in deviations()
            if "accepts" in entry and covers(entry, method, template)
        ]
        for part in _each_invalid_part(case, detail):
            if part and not any(re.search(pattern, part) for pattern in accepted):
                yield f"accepted an invalid request: {part}"


def _each_invalid_part(case: Case[Any], detail: str) -> Iterator[str]:
    """The invalid query parameters one by one, with their values; or the whole detail.

    A value no query string can carry (an object, nested lists) never reaches the
    simulator: the HTTP client drops or flattens it, so it says nothing about the simulator.
    """
    named = re.match(r"parameters? ((?:`[^`]+`(?:, )?)+) in query", detail)
    if named is None:
        yield detail
        return
    arrays = {
        parameter["name"]
        for parameter in case.operation.definition.raw.get("parameters", [])
        if parameter.get("schema", {}).get("type") == "array"
    }
    for name in re.findall(r"`([^`]+)`", named.group(1)):
        value = (case.query or {}).get(name)
        if name in arrays and not isinstance(value, list | dict):
            continue  # one value of a list parameter reads the same as a list of one
        if _sendable(value):
            yield f"parameter `{name}` in query{detail[named.end() :]} value={json.dumps(value)}"


def _sendable(value: Any) -> bool:
    if isinstance(value, list):
        return bool(value) and all(_sendable(item) and not isinstance(item, list) for item in value)
    return not isinstance(value, dict)


def _describe(case: Case[Any]) -> str:
    body = case.body if isinstance(case.body, dict | list | str | int | float) else None
    return json.dumps(
        {"path": case.path_parameters, "query": case.query, "body": body}, default=str
    )[:400]
