"""Tool arguments, checked against the input schema each tool publishes, before anything runs.

The published schema is the contract: an argument it does not allow is refused with a
sentence per problem (never echoing the value), and nothing is sent. Schemas are published
closed (`additionalProperties: false`), so a misspelt argument is refused instead of silently
dropped, and types are exact, so `true` is not the company id 1 and "1_001" is not 1001.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

from .quick_check import quick_check

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

_TYPES = {
    "integer": "a whole number",
    "number": "a number",
    "string": "a string",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}


# Formats some clients cannot check without a validator package they may lack (CrewAI
# and AutoGen refuse a server over `email`): said in words instead, checked on our side.
# Each: a word that shows a description already says it, and what to add if not.
_FORMATS = {
    "email": ("email", "an email address"),
    "date-time": ("ISO 8601", "ISO 8601 date and time, e.g. 2026-11-01T09:00:00Z"),
    "date": ("YYYY-MM-DD", "a date, YYYY-MM-DD"),
}


def published(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` as tools publish it, portable to every client and agent framework:

    - self-contained: each `$ref` replaced by its definition, no `$defs` (OpenAI's strict
      mode refuses a bare `$ref` in `anyOf`);
    - closed: every object refuses arguments it does not declare;
    - no `format`: what it asked for is said in the description, and checked here;
    - no `title`s: pydantic's repeat each argument's name;
    - an optional argument's description sits on the property and on its non-null
      branch (Gemini keeps only the branch's).
    """
    definitions = schema.get("$defs", {})
    inlined = {key: value for key, value in schema.items() if key != "$defs"}
    result: dict[str, Any] = _published(_inlined(inlined, definitions, depth=0))
    return result


def _inlined(node: Any, definitions: dict[str, Any], depth: int) -> Any:
    if depth > 20:  # pydantic emits no recursive argument types; never loop on one
        raise ValueError("an input schema refers to itself")
    if isinstance(node, list):
        return [_inlined(item, definitions, depth) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        target = definitions[ref.removeprefix("#/$defs/")]
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return _inlined(merged, definitions, depth + 1)
    return {key: _inlined(value, definitions, depth) for key, value in node.items()}


def _published(node: Any) -> Any:
    if isinstance(node, list):
        return [_published(item) for item in node]
    if not isinstance(node, dict):
        return node
    formats = _formats(node)
    copy = {key: _published(value) for key, value in node.items() if not _noise(key, value)}
    if "properties" in copy:
        copy.setdefault("additionalProperties", False)
        for name, spec in copy["properties"].items():
            copy["properties"][name] = _described(spec, _formats_within(node["properties"][name]))
    elif formats and "description" in copy:
        copy["description"] = _with_formats(copy["description"], formats)
    return copy


def _noise(key: str, value: Any) -> bool:
    """A keyword no client needs in an input schema: `format` (see above), or a title."""
    return key == "format" or _title(key, value)


def _title(key: str, value: Any) -> bool:
    """Pydantic's `title`, which repeats a field's name ("Company Id"). A property named
    `title` is a schema, not text, and stays."""
    return key == "title" and isinstance(value, str)


def published_output(schema: dict[str, Any]) -> dict[str, Any]:
    """An output schema as published, cheap for the clients that validate every result
    against it: definitions inlined (only a recursive one stays a `$ref`: following
    references is the costliest step of validating), without pydantic's `title`s, and
    each union of bare types (`anyOf: [{type: string}, {type: null}]`) as one list of
    types, which means the same."""
    definitions = schema.get("$defs", {})
    kept: dict[str, Any] = {}
    body = {key: value for key, value in schema.items() if key != "$defs"}
    result: dict[str, Any] = _compact(_inline_output(body, definitions, (), kept))
    if kept:
        result["$defs"] = {name: _compact(kept[name]) for name in sorted(kept)}
    return result


def _inline_output(
    node: Any, definitions: dict[str, Any], within: tuple[str, ...], kept: dict[str, Any]
) -> Any:
    """`node` with each `$ref` replaced by its definition, except one to a definition it
    is already within (recursion), which stays and keeps its definition in `kept`."""
    if isinstance(node, list):
        return [_inline_output(item, definitions, within, kept) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        name = ref.removeprefix("#/$defs/")
        if name in within:
            if name not in kept:
                kept[name] = {}  # placeholder: a definition refers to itself once
                kept[name] = _inline_output(definitions[name], definitions, (name,), kept)
            return node
        merged = {**definitions[name], **{k: v for k, v in node.items() if k != "$ref"}}
        return _inline_output(merged, definitions, (*within, name), kept)
    return {key: _inline_output(value, definitions, within, kept) for key, value in node.items()}


def _compact(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_compact(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    node = {key: _compact(value) for key, value in schema.items() if not _title(key, value)}
    branches = node.get("anyOf")
    if isinstance(branches, list) and all(_bare_type(branch) for branch in branches):
        node.pop("anyOf")
        node["type"] = [branch["type"] for branch in branches]
    return node


def _bare_type(branch: Any) -> bool:
    return isinstance(branch, dict) and set(branch) == {"type"} and isinstance(branch["type"], str)


def _described(spec: dict[str, Any], formats: list[str]) -> dict[str, Any]:
    """A property with one description, on itself and on each non-null branch."""
    branches = spec.get("anyOf", [])
    described = [b["description"] for b in branches if "description" in b]
    description = spec.get("description") or (described[0] if described else None)
    if description is None:
        return spec
    description = _with_formats(description, formats)
    result = {**spec, "description": description}
    if branches:
        result["anyOf"] = [
            branch if branch.get("type") == "null" else {**branch, "description": description}
            for branch in branches
        ]
    return result


def _formats(node: dict[str, Any]) -> list[str]:
    value = node.get("format")
    return [value] if isinstance(value, str) else []


def _formats_within(spec: Any) -> list[str]:
    """The formats of a property, its union's branches and its list items."""
    if not isinstance(spec, dict):
        return []
    found = _formats(spec)
    for branch in spec.get("anyOf", []):
        found += _formats_within(branch)
    found += _formats_within(spec.get("items"))
    return found


def _with_formats(description: str, formats: Iterable[str]) -> str:
    missing = [
        phrase
        for marker, phrase in (_FORMATS.get(f, (f, f)) for f in dict.fromkeys(formats))
        if marker.lower() not in description.lower()
    ]
    return f"{description.rstrip()} ({'; '.join(missing)})" if missing else description


class ArgumentCheck:
    """Checks one tool's arguments against its (closed) input schema."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self._schema = schema
        self._accepts = quick_check(schema)
        self._validator: Draft202012Validator | None = None  # when first needed
        self._names = sorted(schema.get("properties", {}))
        self._structured = {
            name for name, spec in schema.get("properties", {}).items() if self._takes_json(spec)
        }

    def normalise(self, arguments: dict[str, Any]) -> dict[str, Any]:
        """Lists and objects some clients send JSON-encoded in a string, decoded."""
        fixed = dict(arguments)
        for name in self._structured & set(arguments):
            value = arguments[name]
            if isinstance(value, str):
                try:
                    decoded = json.loads(value)
                except (ValueError, RecursionError):
                    continue
                if isinstance(decoded, list | dict):
                    fixed[name] = decoded
        return fixed

    def problems(self, arguments: dict[str, Any]) -> list[str]:
        """One sentence per problem, in argument order; empty when the arguments are valid.

        Valid arguments are recognised by `quick_check`; jsonschema (imported then) decides
        the rest and says what is wrong."""
        if self._accepts(arguments):
            return []
        if self._validator is None:
            from jsonschema import Draft202012Validator

            self._validator = Draft202012Validator(self._schema)
        found: list[str] = []
        for error in sorted(self._validator.iter_errors(arguments), key=_order):
            found.extend(self._describe(error))
        return list(dict.fromkeys(found))

    def _describe(self, error: ValidationError) -> Iterable[str]:
        where = _path(error.absolute_path)
        if error.validator in ("anyOf", "oneOf") and error.context:
            # `X | None`: say what is wrong against X, not that it is not null either.
            for inner in error.context:
                if not (inner.validator == "type" and inner.validator_value == "null"):
                    yield from self._describe(inner)
            return
        if error.validator == "additionalProperties":
            given = error.instance if isinstance(error.instance, dict) else {}
            allowed = (
                set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
            )
            for name in sorted(set(given) - allowed):
                yield self._unknown(where, name, sorted(allowed))
            return
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else "?"
            yield f"{_join(where, missing)}: required, but missing"
            return
        yield f"{where or 'arguments'}: {_rule(error)}"

    def _unknown(self, where: str, name: str, allowed: Sequence[str]) -> str:
        shown = name if len(name) <= 40 else name[:40] + "…"
        hint = difflib.get_close_matches(name, allowed, n=1)
        maybe = f" (did you mean {hint[0]}?)" if hint else ""
        return (
            f"{_join(where, shown)}: unknown argument{maybe}; "
            f"the arguments{' of ' + where if where else ''} are {', '.join(allowed)}"
        )

    def _takes_json(self, spec: dict[str, Any]) -> bool:
        kinds = {spec.get("type")} | {branch.get("type") for branch in spec.get("anyOf", [])}
        refs = [spec.get("$ref")] + [branch.get("$ref") for branch in spec.get("anyOf", [])]
        return bool(kinds & {"array", "object"}) or any(
            isinstance(ref, str) and self._resolves_to_object(ref) for ref in refs
        )

    def _resolves_to_object(self, ref: str) -> bool:
        node: Any = self._schema
        for part in ref.removeprefix("#/").split("/"):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        return isinstance(node, dict) and node.get("type") == "object"


def _rule(error: ValidationError) -> str:
    """The broken rule in words; the rejected value is never repeated (it may be huge)."""
    rule, limit = error.validator, cast(Any, error.validator_value)
    if rule == "type":
        kinds = limit if isinstance(limit, list) else [limit]
        return "must be " + " or ".join(_TYPES.get(str(kind), str(kind)) for kind in kinds)
    if rule == "maxLength":
        return f"must be at most {limit} characters"
    if rule == "minLength":
        return "must not be empty" if limit == 1 else f"must be at least {limit} characters"
    if rule == "maxItems":
        return f"must have at most {limit} items"
    if rule == "minItems":
        return f"must have at least {limit} item{'s' if limit != 1 else ''}"
    if rule in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        words = {
            "minimum": "at least",
            "maximum": "at most",
            "exclusiveMinimum": "more than",
            "exclusiveMaximum": "less than",
        }
        return f"must be {words[str(rule)]} {limit}"
    if rule == "enum":
        return "must be one of " + ", ".join(str(choice) for choice in limit)
    if rule == "const":
        return f"must be {limit}"
    if rule == "pattern":
        return f"must match the pattern {limit}"
    return f"is not allowed here ({rule})"


def _path(parts: Iterable[Any]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _order(error: ValidationError) -> tuple[str, ...]:
    return tuple(str(part) for part in error.absolute_path)
