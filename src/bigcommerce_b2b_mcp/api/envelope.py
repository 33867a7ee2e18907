"""Reading the API's answers: the envelope, its records and pagination, rate-limit headers."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx2
from pydantic import BaseModel, ValidationError

from ..errors import UnavailableError, error_for_status, unreadable_answer
from ..models.common import Pagination

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Envelope:
    """The parts of a 2xx answer that matter once the envelope is unwrapped.

    `write` marks the answer to a request that changes the store: if such an answer
    cannot be read, the change has still happened, and the error says so.
    """

    data: Any
    message: str
    pagination: Pagination | None
    status: int
    write: bool = False

    def record(self, model: type[M], **known: Any) -> M:
        """`data` as one record; `known` (API field names) holds what the request already
        settled, such as the id asked for, which some answers leave out. A list holding
        just the record counts as the record."""
        data = self.data
        if isinstance(data, list) and len(data) == 1 and isinstance(data[0], Mapping):
            data = data[0]
        if isinstance(data, Mapping) and known:
            data = {**data, **known}
        return self._parse(model, data)

    def records(self, model: type[M]) -> list[M]:
        """`data` as a list of records; an entry that is not a record at all is skipped.

        One record where a list belongs counts as a list of one: the spec itself types
        some lists (addresses) as a single object.
        """
        items = [self.data] if isinstance(self.data, Mapping) else self.data
        if not isinstance(items, list):
            raise self._unreadable(f"a {model.__name__} list")
        records: list[M] = []
        for index, item in enumerate(items):
            try:
                records.append(model.model_validate(item))
            except ValidationError:
                logger.warning(
                    "%s list: skipped entry %d, which is not a record", model.__name__, index
                )
        return records

    @property
    def count(self) -> int:
        """How many entries the answer's list holds, readable or not (for paging)."""
        if isinstance(self.data, Mapping):
            return 1
        return len(self.data) if isinstance(self.data, list) else 0

    def _parse(self, model: type[M], data: Any) -> M:
        try:
            return model.model_validate(data)
        except ValidationError:
            raise self._unreadable(f"a {model.__name__}") from None

    def _unreadable(self, what: str) -> UnavailableError:
        logger.warning("The API answered %d without %s where one was expected", self.status, what)
        return unreadable_answer(self.status, write=self.write)


def unwrap(response: httpx2.Response, resource: str, *, write: bool) -> Envelope:
    """The envelope of a 2xx answer, or the matching `APIError` for any other.

    Tolerates every variant the API uses: `meta.message` or a top-level `message`,
    pagination in `meta.pagination`, directly in `meta`, or in `data.pagination`, and
    the quotes list's records in `data.list`.
    """
    status = response.status_code
    body = _read_body(response)
    if body is None and status == 204:  # No Content: a delete that succeeded
        body = {}
    if body is None:
        if 200 <= status < 300:
            logger.warning("The API answered %d with a body that is not a JSON object", status)
            raise unreadable_answer(status, write=write)
        body = {}
    raw_meta = body.get("meta")
    meta: dict[str, Any] = raw_meta if isinstance(raw_meta, dict) else {}
    data = body.get("data")
    message = meta.get("message") or body.get("message") or body.get("title") or ""
    message = message if isinstance(message, str) else ""
    errors = body.get("errors")
    if data is None and isinstance(errors, Mapping):
        # The hierarchy endpoints answer errors as {"status", "title", "errors": {...}}.
        data = {"errMsg": "; ".join(str(reason) for reason in errors.values())}
    code = body.get("code")
    if 200 <= status < 300 and isinstance(code, int) and not isinstance(code, bool) and code >= 400:
        status = code  # a 2xx whose envelope says it failed: the envelope knows better
    if 200 <= status < 300:
        return Envelope(
            data=_records(data),
            message=message,
            pagination=_pagination(meta, data),
            status=status,
            write=write,
        )
    raise error_for_status(
        status,
        message=message,
        data=data,
        resource=resource,
        retry_after=retry_after(response.headers),
        maybe_applied=write,
    )


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
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return body if isinstance(body, dict) else None


def _records(data: Any) -> Any:
    if isinstance(data, dict) and isinstance(data.get("list"), list):
        return data["list"]
    return data


def _pagination(meta: Mapping[str, Any], data: Any) -> Pagination | None:
    raw: Any = meta.get("pagination")
    if not isinstance(raw, Mapping) and isinstance(data, dict):
        raw = data.get("pagination")
    if not isinstance(raw, Mapping) and "totalCount" in meta:
        raw = meta
    return Pagination.model_validate(raw) if isinstance(raw, Mapping) else None
