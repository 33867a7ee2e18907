"""Reading the API's answers: envelopes, pagination, rate-limit headers, typed records."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import httpx2
from pydantic import BaseModel, ValidationError

from ..errors import UnavailableError, error_for_status
from ..models.common import Pagination, unix

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

Params = Mapping[str, str | int | float | bool | list[int] | list[str] | None]


def time_filters(
    *,
    min_created: datetime | None = None,
    max_created: datetime | None = None,
    min_modified: datetime | None = None,
    max_modified: datetime | None = None,
) -> dict[str, int | None]:
    """The creation and modification bounds most list endpoints take, as unix seconds."""
    return {
        "minCreated": unix(min_created) if min_created else None,
        "maxCreated": unix(max_created) if max_created else None,
        "minModified": unix(min_modified) if min_modified else None,
        "maxModified": unix(max_modified) if max_modified else None,
    }


@dataclass(frozen=True)
class Envelope:
    """The parts of an API answer that matter once the envelope is unwrapped."""

    data: Any
    message: str
    pagination: Pagination | None


def unwrap(response: httpx2.Response, resource: str, *, maybe_applied: bool) -> Envelope:
    """The envelope of a 2xx answer, or the matching `APIError` for any other.

    Tolerates every variant the API uses: `meta.message` or a top-level `message`,
    pagination in `meta.pagination`, directly in `meta`, or in `data.pagination`, and
    the quotes list's records in `data.list`.
    """
    status = response.status_code
    body = _read_body(response)
    if body is None:
        if 200 <= status < 300:
            raise UnavailableError(
                "The B2B Edition API sent an answer that is not JSON.", status=status
            )
        body = {}
    raw_meta = body.get("meta")
    meta: dict[str, Any] = raw_meta if isinstance(raw_meta, dict) else {}
    data = body.get("data")
    message = str(meta.get("message") or body.get("message") or "")
    if 200 <= status < 300:
        return Envelope(data=_records(data), message=message, pagination=_pagination(meta, data))
    raise error_for_status(
        status,
        message=message,
        data=data,
        resource=resource,
        retry_after=retry_after(response.headers),
        maybe_applied=maybe_applied,
    )


def parse(model: type[M], data: Any) -> M:
    """Validate one record from the API; a shape we cannot read is the API's failure."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields = sorted({".".join(str(part) for part in err["loc"]) for err in exc.errors()})
        logger.warning("Unexpected %s shape from the API: %s", model.__name__, fields)
        raise UnavailableError(
            f"The B2B Edition API answered with a {model.__name__} this server cannot read."
        ) from None


def parse_list(model: type[M], data: Any) -> list[M]:
    return [parse(model, item) for item in (data if isinstance(data, list) else [])]


def header_number(header: str | None) -> float | None:
    """Rate-limit headers carry units ("0.39 s", "150 times"): keep the number."""
    if not header:
        return None
    try:
        return float(header.split()[0])
    except (ValueError, IndexError):
        return None


def retry_after(headers: httpx2.Headers) -> float | None:
    """Seconds until the API takes requests again, from whichever header it sent."""
    for name in ("X-Retry-After", "Retry-After", "X-Request-Window-Resets-After"):
        seconds = header_number(headers.get(name))
        if seconds is not None:
            return max(seconds, 0.0)
    millis = header_number(headers.get("X-Rate-Limit-Time-Reset-Ms"))
    return None if millis is None else max(millis / 1000, 0.0)


def _read_body(response: httpx2.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _records(data: Any) -> Any:
    if isinstance(data, dict) and isinstance(data.get("list"), list):
        return data["list"]
    return data


def _pagination(meta: Mapping[str, Any], data: Any) -> Pagination | None:
    raw: Any = meta.get("pagination")
    if raw is None and isinstance(data, dict):
        raw = data.get("pagination")
    if raw is None and "totalCount" in meta:
        raw = meta
    return Pagination.model_validate(raw) if isinstance(raw, Mapping) else None
