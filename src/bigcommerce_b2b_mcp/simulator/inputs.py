"""What a request brings the simulated API: path ids, query parameters and JSON bodies.

Everything is checked the way the real backend (Django REST Framework) checks it, and
answered with its wording: a bad value is a 422 with field errors, never a crash. Bodies
come out of `validated` cleaned (known fields only, values of the declared kind), so no
handler ever stores a value of the wrong shape.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from .envelopes import APIFailure, parameter_error, too_large
from .store import SimulatedStore

MAX_LIMIT = 250

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_INTEGER = re.compile(r"^\s*[+-]?\d+(\.0*)?\s*$")
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def store_of(request: Request) -> SimulatedStore:
    store: SimulatedStore = request.app.state.store
    return store


def path_id(request: Request, name: str, failure: APIFailure) -> int:
    """An integer path parameter; anything else is the endpoint's 404."""
    raw = str(request.path_params.get(name, ""))
    if not re.fullmatch(r"\d{1,10}", raw):
        raise failure
    return int(raw)


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object; a body that is not an object is a 422 like DRF's."""
    raw = await request.body()
    if not raw:
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        raise APIFailure(400, "Bad Requests Error", "JSON parse error.") from None
    if not isinstance(body, dict):
        raise parameter_error({"non_field_errors": ["Invalid data. Expected a dictionary."]})
    return body


class Query:
    """Typed access to query parameters with DRF-style 422s for bad values."""

    def __init__(self, request: Request) -> None:
        self._params = request.query_params

    def has(self, name: str) -> bool:
        return name in self._params and self._params[name] != ""

    def text(self, name: str) -> str | None:
        value = self._params.get(name)
        return value if value else None

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self._params.get(name)
        if value is None or value == "":
            return default
        if not _INTEGER.match(value):
            raise parameter_error({name: ["A valid integer is required."]})
        return int(value.strip().split(".")[0])

    def number(self, name: str) -> float | None:
        value = self._params.get(name)
        if value is None or value == "":
            return None
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise parameter_error({name: ["A valid number is required."]})
        return number

    def flag(self, name: str) -> bool | None:
        value = self._params.get(name)
        if value is None or value == "":
            return None
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise parameter_error({name: ["Must be a valid boolean."]})

    def integers(self, name: str) -> list[int]:
        """A list, as `name=1&name=2`, `name[]=1,2` or `name=1,2`."""
        values: list[int] = []
        for part in self._parts(name):
            if not _INTEGER.match(part):
                raise parameter_error({name: {"0": ["A valid integer is required."]}})
            values.append(int(part.strip().split(".")[0]))
        return values

    def texts(self, name: str) -> list[str]:
        return list(self._parts(name))

    def choice(self, name: str, choices: Sequence[str], default: str) -> str:
        value = self._params.get(name)
        if value is None or value == "":
            return default
        if value not in choices:
            raise parameter_error({name: [f'"{value}" is not a valid choice.']})
        return value

    def code(self, name: str, choices: Iterable[int]) -> int | None:
        """An integer that must be one of `choices` (a status or role code)."""
        value = self.integer(name)
        if value is not None and value not in choices:
            raise parameter_error({name: [f'"{value}" is not a valid choice.']})
        return value

    def page(self, max_limit: int = MAX_LIMIT) -> tuple[int, int]:
        """`(limit, offset)`: default 10 and 0; above the endpoint's maximum is a 413."""
        limit = self.integer("limit")
        offset = self.integer("offset")
        limit, offset = (10 if limit is None else limit), (0 if offset is None else offset)
        if limit > max_limit:
            raise too_large()
        if limit < 1:
            raise parameter_error({"limit": ["Ensure this value is greater than or equal to 1."]})
        if offset < 0:
            raise parameter_error({"offset": ["Ensure this value is greater than or equal to 0."]})
        return limit, offset

    def _parts(self, name: str) -> Iterable[str]:
        for raw in self._params.getlist(name) + self._params.getlist(f"{name}[]"):
            yield from (part for part in raw.split(",") if part.strip())


def in_range(
    records: Iterable[Mapping[str, Any]],
    query: Query,
    *,
    whole: bool = True,
    created: str = "created_at",
    modified: str = "updated_at",
    expired: str | None = None,
) -> list[Mapping[str, Any]]:
    """Records within `min/maxCreated`, `min/maxModified` (and `min/maxExpired`), inclusive.

    The bounds are unix seconds: whole numbers, or any number where the spec says so.
    """
    bounds: list[tuple[str, Callable[[float, float], bool], float]] = []
    fields = [("Created", created), ("Modified", modified)]
    if expired is not None:
        fields.append(("Expired", expired))
    for suffix, field in fields:
        for prefix, compare in (("min", _at_least), ("max", _at_most)):
            name = f"{prefix}{suffix}"
            value = query.integer(name) if whole else query.number(name)
            if value is not None:
                bounds.append((field, compare, value))
    return [r for r in records if all(compare(r[field], bound) for field, compare, bound in bounds)]


def _at_least(value: float, bound: float) -> bool:
    return value >= bound


def _at_most(value: float, bound: float) -> bool:
    return value <= bound


@dataclass(frozen=True)
class Rule:
    """How one body field is checked, with Django REST Framework's wording on failure.

    `kind` is str, int, float, bool, list or dict; a list checks each item against
    `items`, a dict its `fields` (unknown keys inside are dropped, as DRF drops them).
    """

    kind: type = str
    required: bool = False
    max_length: int | None = None
    allow_blank: bool = False
    email: bool = False
    choices: tuple[Any, ...] | None = None
    items: Rule | None = None
    fields: Mapping[str, Rule] | None = None
    max_items: int | None = None
    nullable: bool = False


def validated(
    body: Mapping[str, Any],
    rules: Mapping[str, Rule],
    *,
    key: Callable[[str], str] = lambda name: name,
) -> dict[str, Any]:
    """`body` cleaned to the fields `rules` know; DRF-style 422 if any is wrong.

    `key` renames fields as the endpoint reports them (some answer in snake_case).
    """
    errors, cleaned = _object(body, rules, key)
    if errors:
        raise parameter_error(errors)
    return cleaned


def _object(
    body: Mapping[str, Any], rules: Mapping[str, Rule], key: Callable[[str], str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    errors: dict[str, Any] = {}
    cleaned: dict[str, Any] = {}
    for name, rule in rules.items():
        if name not in body:
            if rule.required:
                errors[key(name)] = ["This field is required."]
            continue
        problem, value = _check(body[name], rule, key)
        if problem:
            errors[key(name)] = problem
        else:
            cleaned[name] = value
    return errors, cleaned


def _check(value: Any, rule: Rule, key: Callable[[str], str]) -> tuple[Any, Any]:
    """(problem, cleaned value): the problem is a list of reasons or nested errors."""
    if value is None:
        # DRF refuses null for any field not declared nullable, required or not.
        return (None if rule.nullable else ["This field may not be null."]), None
    kind = rule.kind
    if kind is str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return ["Not a valid string."], None
        text = str(value)
        if not text.strip() and not rule.allow_blank:
            return ["This field may not be blank."], None
        if rule.max_length is not None and len(text) > rule.max_length:
            return [f"Ensure this field has no more than {rule.max_length} characters."], None
        if rule.email and not _EMAIL.match(text):
            return ["Enter a valid email address."], None
        return _choice(text, rule)
    if kind is int:
        if isinstance(value, bool) or not _INTEGER.match(str(value)):
            return ["A valid integer is required."], None
        return _choice(int(str(value).strip().split(".")[0]), rule)
    if kind is float:
        try:
            number = float(value) if not isinstance(value, bool) else math.nan
        except (TypeError, ValueError):
            number = math.nan
        if not math.isfinite(number):
            return ["A valid number is required."], None
        return None, number
    if kind is bool:
        if isinstance(value, bool):
            return None, value
        text = str(value).lower()
        if isinstance(value, int | str) and text in _TRUE | _FALSE:
            return None, text in _TRUE
        return ["Must be a valid boolean."], None
    if kind is list:
        return _list(value, rule, key)
    if kind is dict:
        if not isinstance(value, dict):
            return [
                "Invalid data. Expected a dictionary, but got " + type(value).__name__ + "."
            ], None
        if rule.fields is None:
            return None, value
        errors, cleaned = _object(value, rule.fields, key)
        return (errors or None), cleaned
    return None, value


def _list(value: Any, rule: Rule, key: Callable[[str], str]) -> tuple[Any, Any]:
    if not isinstance(value, list):
        return [f'Expected a list of items but got type "{type(value).__name__}".'], None
    if rule.max_items is not None and len(value) > rule.max_items:
        return [f"Ensure this field has no more than {rule.max_items} elements."], None
    if rule.items is None:
        return None, value
    errors: dict[str, Any] = {}
    cleaned: list[Any] = []
    for index, item in enumerate(value):
        problem, clean = _check(item, rule.items, key)
        if problem:
            errors[str(index)] = problem
        else:
            cleaned.append(clean)
    return (errors or None), cleaned


def _choice(value: Any, rule: Rule) -> tuple[Any, Any]:
    if rule.choices is not None and value not in rule.choices:
        return [f'"{value}" is not a valid choice.'], None
    return None, value


def snake_case(name: str) -> str:
    """How the Django side names a camelCase field: `addressLine1` -> `address_line1`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# Extra field values, as every create and update takes them: a name and a text value each.
EXTRA_FIELDS = Rule(
    kind=list,
    items=Rule(
        kind=dict,
        required=True,
        fields={
            "fieldName": Rule(required=True, max_length=100),
            "fieldValue": Rule(required=True, allow_blank=True, max_length=1000),
        },
    ),
)
