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
_GITHUB = "https://raw.githubusercontent.com/bigcommerce/docs/main/docs/b2b-edition/"

# Spec file per path prefix (paths are relative to /api/v3/io).
SPEC_FILES = {
    "/companies": "specs/api-v3/company/company.yaml",
    "/users": "specs/api-v3/user/user.yaml",
    "/addresses": "specs/api-v3/address/address.yaml",
    "/rfq": "specs/api-v3/quote/quote.yaml",
    "/orders": "specs/api-v3/order/order.yaml",
    "/ip": "specs/api-v3/invoice-management.yaml",
}

# Where the simulator (like real stores) knowingly departs from the official schema, each
# recorded once with its reason: (GET/POST path templates, where in the body, why). A list
# item's fields are written as `data.<field>`, covering the list and the detail alike.
_INVOICES = ("/ip/invoices", "/ip/invoices/{invoiceId}")
DEVIATIONS: list[tuple[tuple[str, ...], str, str]] = [
    (
        ("/companies", "/companies/{companyId}"),
        "data.companyId",
        "real stores send company ids as strings ('147340'); the schema says integer",
    ),
    (("/addresses",), "data", "the list's data is an array on real stores; the schema says object"),
    (
        ("/orders/{bcOrderId}",),
        "data",
        "real stores answer one order object; the schema says a one-element array",
    ),
    (
        _INVOICES,
        "data.details.details.lineItems.*.comments",
        "minLength 1, yet the spec's own example (and stores) send '' for no comment",
    ),
    (
        _INVOICES,
        "data.details.header.billingAddress.street2",
        "an address without a second line has street2 ''; the schema says minLength 1",
    ),
    (
        _INVOICES,
        "data.details.header.shippingAddresses.*.street2",
        "an address without a second line has street2 ''; the schema says minLength 1",
    ),
    (
        ("/users",),
        "data.errMsg",
        "the 422 errMsg is a oneOf of open object schemas, which no object can satisfy",
    ),
]


def _known(template: str, where: str) -> bool:
    where = where.replace("data.*.", "data.", 1)
    return any(template in paths and where == at for paths, at, _ in DEVIATIONS)


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
    prefix = next(p for p in SPEC_FILES if path == p or path.startswith(p + "/"))
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
        parts = [
            "paths",
            op_path,
            method,
            "responses",
            str(status),
            "content",
            "application/json",
            "schema",
        ]
        validator_class = OAS30ReadValidator
    schema_uri = _follow(base, parts)
    if schema_uri is None:
        return []  # the spec documents no body for this status
    schema = {"$ref": schema_uri}
    validator = validator_class(schema, registry=_registry())
    found: list[str] = []
    for error in _leaves(validator.iter_errors(body)):
        where = _where(error)
        if _known(template, where):
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
    }
    segments = path.split("/")
    for index, segment in enumerate(segments):
        if re.fullmatch(r"\d+", segment):
            segments[index] = "{" + names[segments[index - 1]] + "}"
    return "/".join(segments)
