"""A fast, conservative test that arguments satisfy a tool's published input schema.

Nearly every call's arguments are valid. This accepts them in a few microseconds, without
importing jsonschema, which costs a server about 3 MiB and tens of microseconds a call.
Anything it does not accept, and any schema using a keyword it does not know, goes to
jsonschema (`arguments.ArgumentCheck`), which decides and says what is wrong. So this
only has to be sound: it never accepts what jsonschema would refuse. A property test
holds the two together over every tool's schema.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Accepts = Callable[[Any], bool]

# Keywords that say something about a value but never refuse one.
_ANNOTATIONS = frozenset({"description", "default", "title", "examples", "$comment"})


class _Unknown(Exception):
    """The schema uses something this module does not check: leave it to jsonschema."""


def quick_check(schema: Any) -> Accepts:
    """A predicate that is True only for values the schema certainly accepts."""
    try:
        return _compile(schema)
    except _Unknown:
        return _never


def _never(value: Any) -> bool:
    return False


def _compile(schema: Any) -> Accepts:
    if not isinstance(schema, dict):
        raise _Unknown
    checks = [
        _keyword(key, limit, schema) for key, limit in schema.items() if key not in _ANNOTATIONS
    ]
    if len(checks) == 1:
        return checks[0]
    return lambda value: all(check(value) for check in checks)


def _keyword(key: str, limit: Any, schema: dict[str, Any]) -> Accepts:
    if key == "type":
        kinds = frozenset(limit if isinstance(limit, list) else [limit])
        if not kinds <= _KINDS.keys():
            raise _Unknown
        tests = [_KINDS[kind] for kind in kinds]
        return lambda value: any(test(value) for test in tests)
    if key == "enum" and all(
        choice is None or isinstance(choice, str) or _is_number(choice) for choice in limit
    ):
        # Strings, numbers (1 and 1.0 alike, as jsonschema compares) and null; a boolean
        # is never one of these, though True == 1 in Python.
        choices = frozenset(choice for choice in limit if choice is not None)
        takes_null = None in limit
        return lambda value: (
            (value is None and takes_null)
            or ((isinstance(value, str) or _is_number(value)) and value in choices)
        )
    if key in _BOUNDS and _is_number(limit):
        within = _BOUNDS[key]
        return lambda value: not _is_number(value) or within(value, limit)
    if key in ("minLength", "maxLength") and _is_integer(limit):
        shortest, longest = (limit, None) if key == "minLength" else (0, limit)
        return lambda value: not isinstance(value, str) or _fits(len(value), shortest, longest)
    if key in ("minItems", "maxItems") and _is_integer(limit):
        fewest, most = (limit, None) if key == "minItems" else (0, limit)
        return lambda value: not isinstance(value, list) or _fits(len(value), fewest, most)
    if key == "pattern" and isinstance(limit, str):
        pattern = re.compile(limit)
        return lambda value: not isinstance(value, str) or pattern.search(value) is not None
    if key == "items" and isinstance(limit, dict):
        item = _compile(limit)
        return lambda value: not isinstance(value, list) or all(item(each) for each in value)
    if key == "anyOf" and isinstance(limit, list) and limit:
        branches = [_compile(branch) for branch in limit]
        return lambda value: any(branch(value) for branch in branches)
    if key == "required" and isinstance(limit, list):
        names = tuple(limit)
        return lambda value: not isinstance(value, dict) or all(name in value for name in names)
    if key == "properties" and isinstance(limit, dict):
        properties = [(name, _compile(spec)) for name, spec in limit.items()]
        return lambda value: (
            not isinstance(value, dict)
            or all(check(value[name]) for name, check in properties if name in value)
        )
    if key == "additionalProperties" and limit is False and "patternProperties" not in schema:
        declared = frozenset(schema.get("properties", {}))
        return lambda value: not isinstance(value, dict) or value.keys() <= declared
    raise _Unknown


def _fits(size: int, least: int, most: int | None) -> bool:
    return size >= least and (most is None or size <= most)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


# JSON Schema's types as jsonschema checks them: a boolean is not a number, 1.0 is an integer.
_KINDS: dict[str, Accepts] = {
    "string": lambda value: isinstance(value, str),
    "integer": _is_integer,
    "number": _is_number,
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "array": lambda value: isinstance(value, list),
    "object": lambda value: isinstance(value, dict),
}
_BOUNDS: dict[str, Callable[[Any, Any], bool]] = {
    "minimum": lambda value, limit: value >= limit,
    "maximum": lambda value, limit: value <= limit,
    "exclusiveMinimum": lambda value, limit: value > limit,
    "exclusiveMaximum": lambda value, limit: value < limit,
}
