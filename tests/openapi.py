"""The official B2B Edition OpenAPI specs from ../shared, loaded for contract checks.

The specs are reference data kept beside the project, never copied into it. When they
are absent (the project cloned on its own), `SPECS_MISSING` says why tests skip.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import yaml
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPEC_DIR = Path(
    os.environ.get(
        "B2B_OPENAPI_DIR", Path(__file__).resolve().parents[2] / "shared" / "b2b-openapi"
    )
)
SPECS_MISSING = (
    None
    if (SPEC_DIR / "specs" / "api-v3").is_dir()
    else f"the official B2B Edition specs are not at {SPEC_DIR} (clone the project beside "
    "../shared, or set B2B_OPENAPI_DIR)"
)
# On a developer's machine the tests that need the specs skip without them; in CI (`CI` set)
# they run, and fail, because there a missing spec means the contract went unchecked.
IN_CI = bool(os.environ.get("CI"))
needs_specs = pytest.mark.skipif(
    SPECS_MISSING is not None and not IN_CI, reason=SPECS_MISSING or ""
)
_GITHUB = "https://raw.githubusercontent.com/bigcommerce/docs/main/docs/b2b-edition/"

# Spec file per path prefix (paths are relative to /api/v3/io).
# Spec file per path prefix (paths are relative to /api/v3/io); the longest prefix wins.
SPEC_FILES = {
    "/companies/{companyId}/credit": "specs/api-v3/payment/payment.yaml",
    "/companies/{companyId}/payment-terms": "specs/api-v3/payment/payment.yaml",
    "/companies/{companyId}/payments": "specs/api-v3/payment/payment.yaml",
    "/customers": "specs/api-v3/order/order.yaml",
    "/sales-staffs": "specs/api-v3/sales_staff/sales_staff.yaml",
    "/companies": "specs/api-v3/company/company.yaml",
    "/users": "specs/api-v3/user/user.yaml",
    "/addresses": "specs/api-v3/address/address.yaml",
    "/rfq": "specs/api-v3/quote/quote.yaml",
    "/orders": "specs/api-v3/order/order.yaml",
    "/ip": "specs/api-v3/invoice-management.yaml",
}

DEVIATIONS_FILE = Path(__file__).parent / "simulator" / "deviations.yaml"


@cache
def deviations() -> list[dict[str, Any]]:
    """Where the simulator departs from the spec: tests/simulator/deviations.yaml."""
    entries: list[dict[str, Any]] = yaml.safe_load(DEVIATIONS_FILE.read_text())
    return entries


def covers(entry: dict[str, Any], method: str, template: str) -> bool:
    operations = entry["operations"]
    return "*" in operations or f"{method.upper()} {template}" in operations


def _known(method: str, template: str, where: str, status: int | None) -> bool:
    where = where.replace("data.*.", "data.", 1)
    for entry in deviations():
        response = entry.get("response")
        if response is None or not covers(entry, method, template):
            continue
        if response.get("status") in (None, status) and where == response["where"]:
            return True
    return False


@cache
def _load(uri: str) -> Resource[Any]:
    if uri.startswith(_GITHUB):
        path = SPEC_DIR / uri.removeprefix(_GITHUB)
    elif uri.startswith("file://"):
        path = Path(uri.removeprefix("file://"))
    else:
        raise LookupError(uri)
    return Resource.from_contents(yaml.safe_load(path.read_text()), default_specification=DRAFT4)


@cache
def _registry() -> Registry[Any]:
    return Registry(retrieve=_load)  # type: ignore[call-arg]


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def spec_file(path: str) -> Path:
    prefixes = sorted(SPEC_FILES, key=len, reverse=True)
    prefix = next(p for p in prefixes if path == p or path.startswith(p + "/"))
    return SPEC_DIR / SPEC_FILES[prefix]


def operation_path(path: str) -> str:
    """The path as its spec file names it (invoices drop their `/ip` prefix)."""
    return path.removeprefix("/ip")


def _follow(base: str, parts: list[str]) -> str | None:
    """The absolute URI of the node at `parts`, following any `$ref` met on the way."""
    document = _registry().get_or_retrieve(base).value.contents
    node: Any = document
    trail: list[str] = []
    for part in parts:
        while isinstance(node, dict) and "$ref" in node:
            target = urljoin(base, node["$ref"])
            base, _, fragment = target.partition("#")
            node = _registry().get_or_retrieve(base).value.contents
            trail = [p.replace("~1", "/").replace("~0", "~") for p in fragment.split("/") if p]
            for step in trail:
                node = node[step]
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
        trail.append(part)
    return f"{base}#/{_pointer(*trail)}"


def _where(error: ValidationError) -> str:
    return ".".join(
        "*" if isinstance(p, int) or str(p).isdigit() else str(p) for p in error.absolute_path
    )


def problems(
    method: str,
    template: str,
    body: Any,
    *,
    status: int | None = None,
) -> list[str]:
    """Schema violations of a response (with `status`) or a request body (without)."""
    base = f"file://{spec_file(template).resolve()}"
    op_path = operation_path(template)
    if status is None:
        parts = ["paths", op_path, method, "requestBody", "content", "application/json", "schema"]
        validator_class: Any = OAS30WriteValidator
    else:
        parts = _response_parts(template, method, status)
        validator_class = OAS30ReadValidator
    schema_uri = _follow(base, parts)
    if schema_uri is None:
        return []  # the spec documents no body for this status
    schema = {"$ref": schema_uri}
    validator = validator_class(schema, registry=_registry())
    found: list[str] = []
    for error in _leaves(validator.iter_errors(body)):
        where = _where(error)
        if _known(method, template, where, status):
            continue
        found.append(f"{where or '(body)'}: {error.message[:200]}")
    return sorted(set(found))


def _leaves(errors: Iterable[ValidationError]) -> Iterable[ValidationError]:
    """The innermost errors: an allOf failure is reported by the branch that failed."""
    for error in errors:
        if error.context:
            yield from _leaves(error.context)
        else:
            yield error


def template_of(path: str) -> str:
    """`/companies/12/status` -> `/companies/{companyId}/status`, as the specs name them."""
    names = {
        "companies": "companyId",
        "users": "userId",
        "addresses": "addressId",
        "rfq": "quote_id",
        "orders": "bcOrderId",
        "invoices": "invoiceId",
        "customers": "customerId",
        "customer": "customerId",
        "sales-staffs": "salesStaffId",
        "subsidiaries": "childCompanyId",
    }
    if path.startswith("/ip/orders/"):  # invoicing takes B2B Edition's own order id
        names = {**names, "orders": "orderId"}
    segments = path.split("/")
    for index, segment in enumerate(segments):
        if re.fullmatch(r"\d+", segment):
            segments[index] = "{" + names[segments[index - 1]] + "}"
    return "/".join(segments)


def response_schema(method: str, template: str, status: int = 200) -> dict[str, Any]:
    """The operation's response body schema as one self-contained JSON Schema.

    References are inlined and OpenAPI 3.0 dialect is turned into plain JSON Schema
    (`nullable`), leaving out what only documents (examples, formats, defaults, which
    the specs sometimes mistype), so `hypothesis-jsonschema` can generate bodies from it.
    """
    raw = response_schema_raw(method, template, status)
    if not raw:
        raise LookupError(f"no {status} schema for {method.upper()} {template}")
    schema: dict[str, Any] = _plain(raw)
    return schema


HISTORICAL = "historical-0715ce0e"


def envelope_has_code(method: str, template: str, status: int) -> bool:
    """Whether the spec's answer for `status` carries the usual `code` (the hierarchy
    endpoints answer `{data, meta}` and `{status, title, errors}` instead)."""
    raw = response_schema_raw(method, template, status)
    return not raw or "code" in _property_names(raw)


def _property_names(schema: Any) -> set[str]:
    if not isinstance(schema, dict):
        return set()
    names = set(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        names |= _property_names(part)
    return names


def response_examples(method: str, template: str) -> list[Any]:
    """Every example body the spec gives for the operation's 2xx answers: in the current
    spec, in the first published one (whose examples look like real captures), and the
    one the current schema's field examples make up together."""
    found = _media_examples(method, template, spec_file(template))
    historical = SPEC_DIR / HISTORICAL / spec_file(template).relative_to(SPEC_DIR)
    if historical.exists():
        found += _media_examples(method, template, historical)
    assembled = _assembled(response_schema_raw(method, template))
    if assembled is not None:
        found.append(assembled)
    return found


def response_schema_raw(method: str, template: str, status: int = 200) -> Any:
    """The response schema with references inlined, documentation (examples) kept."""
    base = f"file://{spec_file(template).resolve()}"
    uri = _follow(base, _response_parts(template, method, status))
    return _inline({"$ref": uri}, base, ()) if uri else {}


def _response_parts(template: str, method: str, status: int) -> list[str]:
    return [
        "paths",
        operation_path(template),
        method,
        "responses",
        str(status),
        "content",
        "application/json",
        "schema",
    ]


def _assembled(schema: Any) -> Any:
    """An example built from the field-level examples of `schema`, None if it has none."""
    if not isinstance(schema, dict):
        return None
    if "example" in schema:
        return schema["example"]
    if "allOf" in schema:
        parts = [_assembled(branch) for branch in schema["allOf"]]
        objects = [part for part in parts if isinstance(part, dict)]
        return {k: v for part in objects for k, v in part.items()} if objects else None
    if schema.get("type") == "array" or "items" in schema:
        item = _assembled(schema.get("items"))
        return None if item is None else [item]
    properties = schema.get("properties")
    if isinstance(properties, dict):
        built = {name: _assembled(sub) for name, sub in properties.items()}
        built = {name: value for name, value in built.items() if value is not None}
        return built or None
    return None


def _media_examples(method: str, template: str, spec: Path) -> list[Any]:
    base = f"file://{spec.resolve()}"
    operation = _resolve(base, ["paths", operation_path(template), method])
    found: list[Any] = []
    for status, response in (operation.get("responses") or {}).items():
        if not str(status).startswith("2"):
            continue
        media = ((response or {}).get("content") or {}).get("application/json") or {}
        if "example" in media:
            found.append(media["example"])
        for example in (media.get("examples") or {}).values():
            if isinstance(example, dict) and "value" in example:
                found.append(example["value"])
    return found


def _resolve(base: str, parts: list[str]) -> Any:
    uri = _follow(base, parts)
    if uri is None:
        return {}
    document, _, fragment = uri.partition("#")
    node: Any = _registry().get_or_retrieve(document).value.contents
    for part in (p for p in fragment.split("/") if p):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


_DOCUMENTATION = {
    "example",
    "examples",
    "format",
    "default",
    "readOnly",
    "writeOnly",
    "deprecated",
    "xml",
    "externalDocs",
    "discriminator",
    "title",
}


def _inline(node: Any, base: str, seen: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_inline(item, base, seen) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = urljoin(base, node["$ref"])
        if target in seen:
            return {}  # a recursive schema: anything goes below this point
        document, _, fragment = target.partition("#")
        resolved: Any = _registry().get_or_retrieve(document).value.contents
        for part in (p for p in fragment.split("/") if p):
            resolved = resolved[part.replace("~1", "/").replace("~0", "~")]
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        inlined = _inline(resolved, document, (*seen, target))
        return {**inlined, **_inline(siblings, base, seen)} if siblings else inlined
    return {key: _inline(value, base, seen) for key, value in node.items()}


def _plain(node: Any) -> Any:
    if isinstance(node, list):
        return [_plain(item) for item in node]
    if not isinstance(node, dict):
        return node
    plain = {
        key: _plain(value)
        for key, value in node.items()
        if key not in _DOCUMENTATION and not key.startswith("x-")
    }
    if "properties" in plain and isinstance(plain["properties"], dict):
        plain["properties"] = {name: _plain(value) for name, value in node["properties"].items()}
    if plain.pop("nullable", False):
        kind = plain.get("type")
        if isinstance(kind, str):
            plain["type"] = [kind, "null"]
            if "enum" in plain:
                plain["enum"] = [*plain["enum"], None]
    return plain


def data_schema(method: str, template: str) -> dict[str, Any]:
    """The schema of the response's `data`, every documented field required.

    Requiring them makes generated records carry every field; the tests then remove,
    blank and retype fields the way real stores do.
    """
    found = _properties_named(response_schema(method, template), "data")
    schema: dict[str, Any] = _all_required(
        _merged(found[0] if len(found) == 1 else {"allOf": found})
    )
    records = schema.get("properties", {}).get("list", schema)  # the quotes list's data.list
    if records.get("type") == "array":
        records["minItems"] = 1
    return schema


def _merged(node: Any) -> Any:
    """`allOf` branches folded into one schema (a later branch's field wins), so closing
    each object afterwards does not make the branches contradict each other."""
    if isinstance(node, list):
        return [_merged(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _merged(value) for key, value in node.items()}
    if "properties" in node:
        node["properties"] = {k: _merged(v) for k, v in node["properties"].items()}
    branches = node.pop("allOf", None)
    if not branches:
        return node
    merged: dict[str, Any] = {}
    for branch in [*branches, node]:
        if not isinstance(branch, dict):
            continue
        for key, value in branch.items():
            if key == "properties" and isinstance(value, dict):
                merged.setdefault("properties", {}).update(value)
            elif key == "required" and isinstance(value, list):
                merged["required"] = sorted({*merged.get("required", []), *value})
            else:
                merged[key] = value
    if "properties" in merged:
        merged.setdefault("type", "object")
    return merged


def _properties_named(schema: Any, name: str) -> list[Any]:
    if not isinstance(schema, dict):
        return []
    found = [schema["properties"][name]] if name in schema.get("properties", {}) else []
    for branch in schema.get("allOf", []):
        found += _properties_named(branch, name)
    return found


def _all_required(node: Any) -> Any:
    """Every object complete and closed (unknown fields are the mutations' job), lists and
    texts short, string patterns dropped: bodies come fast, and they still cover every field."""
    if isinstance(node, list):
        return [_all_required(item) for item in node]
    if not isinstance(node, dict):
        return node
    copy = {key: _all_required(value) for key, value in node.items() if key != "pattern"}
    if isinstance(copy.get("properties"), dict):
        copy["properties"] = {k: _all_required(v) for k, v in node["properties"].items()}
        copy["required"] = sorted(copy["properties"])
        copy["additionalProperties"] = False
    if copy.get("type") == "array" or "items" in copy:
        copy["maxItems"] = min(copy.get("maxItems", 2), 2)
    if copy.get("type") == "string":
        copy["maxLength"] = min(copy.get("maxLength", 12), 12)
    return copy


# The operations the simulator serves, by path (relative to /api/v3/io) and method.
SIMULATED: dict[str, tuple[str, ...]] = {
    "/companies": ("get", "post"),
    "/companies/{companyId}": ("get", "put"),
    "/companies/{companyId}/status": ("put",),
    "/companies/roles": ("get",),
    "/companies/{companyId}/hierarchy": ("get",),
    "/companies/{companyId}/parent": ("post",),
    "/companies/{companyId}/subsidiaries/{childCompanyId}": ("delete",),
    "/users/customer/{customerId}": ("get",),
    "/sales-staffs": ("get",),
    "/sales-staffs/{salesStaffId}": ("get", "put"),
    "/users": ("get", "post"),
    "/users/{userId}": ("get", "put"),
    "/addresses": ("get", "post"),
    "/addresses/{addressId}": ("get", "put"),
    "/rfq": ("get", "post"),
    "/rfq/{quote_id}": ("get", "put"),
    "/rfq/{quote_id}/pdf-export": ("post",),
    "/rfq/{quote_id}/checkout": ("post",),
    "/rfq/{quote_id}/ordered": ("post",),
    "/orders": ("get", "post"),
    "/orders/{bcOrderId}": ("get", "put"),
    "/orders/{bcOrderId}/products": ("get",),
    "/customers/{customerId}/orders/b2b": ("put",),
    "/companies/{companyId}/credit": ("get", "put"),
    "/companies/{companyId}/payment-terms": ("get", "put"),
    "/companies/{companyId}/payments": ("get", "put"),
    "/companies/extra-fields": ("get",),
    "/users/extra-fields": ("get",),
    "/addresses/extra-fields": ("get",),
    "/orders/extra-fields": ("get",),
    "/rfq/extra-fields": ("get",),
    "/ip/invoices/extra-fields": ("get",),
    "/ip/invoices": ("get", "post"),
    "/ip/invoices/{invoiceId}": ("get", "put"),
    "/ip/invoices/{invoiceId}/download-pdf": ("get",),
    "/ip/orders/{orderId}/invoices": ("post",),
    "/ip/payments": ("get",),
    "/ip/payments/offline": ("post",),
}


def simulated_spec(server: str) -> dict[str, Any]:
    """One self-contained OpenAPI document of the official operations the simulator serves."""
    paths: dict[str, Any] = {}
    for template, methods in SIMULATED.items():
        base = f"file://{spec_file(template).resolve()}"
        item = _resolve(base, ["paths", operation_path(template)])
        inlined = _inline(item, base, ())
        kept = {key: value for key, value in inlined.items() if key not in _METHODS}
        kept.update({method: inlined[method] for method in methods})
        paths[template] = kept
    return {
        "openapi": "3.0.3",
        "info": {"title": "B2B Edition operations the simulator serves", "version": "3"},
        "servers": [{"url": server}],
        "paths": paths,
    }


_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
