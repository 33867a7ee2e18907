"""The simulated API's answers: the `{code, data, meta}` envelope, its errors, and paging."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from starlette.responses import JSONResponse


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


class TitledFailure(APIFailure):
    """An error the other way some endpoints (hierarchies) answer: {status, title, errors}."""

    def __init__(self, status: int, title: str, errors: Mapping[str, str]) -> None:
        super().__init__(status, title)
        self.errors = dict(errors)

    def response(self) -> JSONResponse:
        body = {"status": self.status, "title": self.message, "errors": self.errors}
        return JSONResponse(body, status_code=self.status)


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
    """422 with Django REST Framework's field errors: `{field: [reason, ...]}`."""
    return APIFailure(422, "Parameter Error", dict(errors))


def logical_error(detail: str) -> APIFailure:
    """422 for a rule between fields or records, with the reason as a sentence."""
    return APIFailure(422, "Processing data contains logical errors", detail)


def too_large() -> APIFailure:
    """413 for a `limit` above the endpoint's maximum (documented for users, addresses, orders)."""
    return APIFailure(413, "Request Entity Too Large", data={})


def page_of(records: Sequence[Any], limit: int, offset: int) -> tuple[list[Any], dict[str, int]]:
    """The slice for one page and the pagination object the API reports."""
    return list(records[offset : offset + limit]), {
        "limit": limit,
        "offset": offset,
        "totalCount": len(records),
    }
