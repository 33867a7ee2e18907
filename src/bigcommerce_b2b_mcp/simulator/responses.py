"""The simulated API's envelopes, errors, query parsing and paging, as the real API shapes them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from .store import SimulatedStore

MAX_LIMIT = 250


class APIFailure(Exception):
    """Raised by a handler to answer with an error envelope."""

    def __init__(
        self,
        status: int,
        message: str,
        err_msg: str | Mapping[str, Any] | None = None,
        *,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.err_msg = err_msg
        self.data = data

    def response(self) -> JSONResponse:
        data: dict[str, Any] = dict(self.data or {})
        if self.err_msg is not None:
            data["errMsg"] = self.err_msg
        return envelope(data, status=self.status, message=self.message)


def envelope(
    data: Any,
    *,
    status: int = 200,
    message: str = "SUCCESS",
    pagination: Mapping[str, int] | None = None,
) -> JSONResponse:
    """`{"code", "data", "meta": {"message"[, "pagination"]}}`, the usual shape."""
    meta: dict[str, Any] = {"message": message}
    if pagination is not None:
        meta["pagination"] = dict(pagination)
    return JSONResponse({"code": status, "data": data, "meta": meta}, status_code=status)


def parameter_error(errors: Mapping[str, Any]) -> APIFailure:
    return APIFailure(422, "Parameter Error", dict(errors))


def logical_error(detail: str) -> APIFailure:
    return APIFailure(422, "Processing data contains logical errors", detail)


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object; a body that is not an object is a 422 like DRF's."""
    raw = await request.body()
    if not raw:
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
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
        try:
            return int(float(value))
        except ValueError:
            raise parameter_error({name: ["A valid integer is required."]}) from None

    def flag(self, name: str) -> bool | None:
        value = self._params.get(name)
        if value is None or value == "":
            return None
        lowered = value.lower()
        if lowered in ("1", "true"):
            return True
        if lowered in ("0", "false"):
            return False
        raise parameter_error({name: ["Must be a valid boolean."]})

    def integers(self, name: str) -> list[int]:
        values: list[int] = []
        for raw in self._params.getlist(name) + self._params.getlist(f"{name}[]"):
            for part in raw.split(","):
                if not part.strip():
                    continue
                try:
                    values.append(int(part))
                except ValueError:
                    raise parameter_error({name: {"0": ["A valid integer is required."]}}) from None
        return values

    def choice(self, name: str, choices: Sequence[str], default: str) -> str:
        value = self._params.get(name)
        if value is None or value == "":
            return default
        if value not in choices:
            raise parameter_error({name: [f'"{value}" is not a valid choice.']})
        return value

    def page(self, max_limit: int = MAX_LIMIT) -> tuple[int, int]:
        """`(limit, offset)`: default 10 and 0; above the endpoint's maximum is a 413."""
        limit = self.integer("limit", 10) or 10
        offset = self.integer("offset", 0) or 0
        if limit > max_limit:
            raise APIFailure(413, "Request Entity Too Large", data={})
        if limit < 1 or offset < 0:
            raise parameter_error(
                {
                    "limit" if limit < 1 else "offset": [
                        "Ensure this value is greater than or equal to 0."
                    ]
                }
            )
        return limit, offset


def in_range(
    records: Iterable[Mapping[str, Any]],
    query: Query,
    *,
    created: str = "created_at",
    modified: str = "updated_at",
) -> list[Mapping[str, Any]]:
    """Records within `min/maxCreated` and `min/maxModified` (unix seconds, inclusive)."""
    bounds: list[tuple[str, Callable[[float, int], bool], int]] = []
    for param, field, compare in (
        ("minCreated", created, _at_least),
        ("maxCreated", created, _at_most),
        ("minModified", modified, _at_least),
        ("maxModified", modified, _at_most),
    ):
        value = query.integer(param)
        if value is not None:
            bounds.append((field, compare, value))
    return [r for r in records if all(compare(r[field], bound) for field, compare, bound in bounds)]


def _at_least(value: float, bound: int) -> bool:
    return int(value) >= bound


def _at_most(value: float, bound: int) -> bool:
    return int(value) <= bound


def page_of(records: Sequence[Any], limit: int, offset: int) -> tuple[list[Any], dict[str, int]]:
    """The slice for one page and the pagination object the API reports."""
    return list(records[offset : offset + limit]), {
        "limit": limit,
        "offset": offset,
        "totalCount": len(records),
    }


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


@dataclass(frozen=True)
class Rule:
    """How one body field is checked, with Django REST Framework's wording on failure."""

    kind: type = str
    required: bool = False
    max_length: int | None = None
    allow_blank: bool = False
    email: bool = False
    choices: tuple[int, ...] | None = None


def field_errors(
    body: Mapping[str, Any],
    rules: Mapping[str, Rule],
    *,
    key: Callable[[str], str] = lambda name: name,
) -> dict[str, list[str]]:
    """DRF-style errors for `body`; `key` renames fields as the endpoint reports them."""
    errors: dict[str, list[str]] = {}
    for name, rule in rules.items():
        if name not in body:
            if rule.required:
                errors[key(name)] = ["This field is required."]
            continue
        problem = _problem(body[name], rule)
        if problem:
            errors[key(name)] = [problem]
    return errors


def _problem(value: Any, rule: Rule) -> str | None:
    if value is None:
        return "This field may not be null." if rule.required else None
    if rule.kind is str:
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            return "Not a valid string."
        text = str(value)
        if not text.strip() and not rule.allow_blank:
            return "This field may not be blank."
        if rule.max_length is not None and len(text) > rule.max_length:
            return f"Ensure this field has no more than {rule.max_length} characters."
        if rule.email and not _EMAIL.match(text):
            return "Enter a valid email address."
        return None
    if rule.kind is int:
        if isinstance(value, bool) or not _is_integer(value):
            return "A valid integer is required."
        if rule.choices is not None and int(value) not in rule.choices:
            return f'"{value}" is not a valid choice.'
        return None
    if rule.kind is float:
        try:
            float(value)
        except (TypeError, ValueError):
            return "A valid number is required."
        return None
    if rule.kind is bool:
        return None if isinstance(value, bool) or value in (0, 1) else "Must be a valid boolean."
    if rule.kind is list:
        if not isinstance(value, list):
            return f'Expected a list of items but got type "{type(value).__name__}".'
        return None
    if rule.kind is dict and not isinstance(value, dict):
        return "Invalid data. Expected a dictionary."
    return None


def _is_integer(value: Any) -> bool:
    try:
        return int(str(value)) == float(str(value))
    except ValueError:
        return False


def snake_case(name: str) -> str:
    """How the Django side names a camelCase field: `addressLine1` -> `address_line1`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def store_of(request: Request) -> SimulatedStore:
    store: SimulatedStore = request.app.state.store
    return store


def path_id(request: Request, name: str, failure: APIFailure) -> int:
    """An integer path parameter; anything else is the endpoint's 404."""
    try:
        return int(request.path_params[name])
    except (KeyError, ValueError):
        raise failure from None
