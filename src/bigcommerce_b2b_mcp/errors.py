"""The exception tree for everything that can go wrong talking to B2B Edition.

    B2BError
    ├── ConfigError             missing or invalid settings (start-up only)
    ├── StateStoreError         the trigger state (SQLite or Redis) cannot be used (triggers only)
    └── APIError                anything the API (or the road to it) answered
        ├── InvalidInputError   400 / 413 / 422, or rejected locally before any request
        ├── NotFoundError       404
        ├── NotAllowedError     401 / 403: wrong token, or a token without the B2B Edition scope
        ├── RateLimitedError    429, with the seconds until the window resets
        └── UnavailableError    5xx, timeouts, network failures, unreadable bodies

HTTP status is mapped to this tree in one place, `api.client`. No exception here ever
carries the access token, a raw response body or a traceback in its message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .models.common import snake_case


class B2BError(Exception):
    """Base of every error this package raises on purpose."""


class ConfigError(B2BError):
    """Settings are missing or invalid."""


class StateStoreError(B2BError):
    """The trigger state (a SQLite file, or Redis) cannot be used; the message says which,
    and what to do.

    `transient` is True where waiting may be enough: a file another process holds locked,
    Redis unreachable. Otherwise (corrupt, foreign, unwritable, a directory) the user has
    to act.
    """

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


class APIError(B2BError):
    """The B2B Edition API refused or failed a request.

    `status` is the HTTP status (None when the request never got an answer) and
    `api_message` the API's own short message (`meta.message` / `data.errMsg`).
    """

    def __init__(self, message: str, *, status: int | None = None, api_message: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.api_message = api_message


class InvalidInputError(APIError):
    """The request was invalid. `field_errors` maps snake_case field names to reasons."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        api_message: str = "",
        field_errors: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(message, status=status, api_message=api_message)
        self.field_errors: dict[str, list[str]] = {
            name: list(reasons) for name, reasons in (field_errors or {}).items()
        }


class NotFoundError(APIError):
    """The record does not exist. `resource` names its kind (company, user, ...)."""

    def __init__(
        self, message: str, *, resource: str = "", status: int | None = 404, api_message: str = ""
    ) -> None:
        super().__init__(message, status=status, api_message=api_message)
        self.resource = resource


class NotAllowedError(APIError):
    """401 or 403. `missing_scope` is True when the token is valid but lacks the B2B scope."""

    def __init__(
        self, message: str, *, status: int, api_message: str = "", missing_scope: bool = False
    ) -> None:
        super().__init__(message, status=status, api_message=api_message)
        self.missing_scope = missing_scope


class RateLimitedError(APIError):
    """429. `retry_after` is the number of seconds until the API accepts requests again."""

    def __init__(self, message: str, *, retry_after: float | None, api_message: str = "") -> None:
        super().__init__(message, status=429, api_message=api_message)
        self.retry_after = retry_after


class UnavailableError(APIError):
    """5xx, timeout, network failure or an unreadable answer.

    `maybe_applied` is True for a write whose request may have reached the API: the
    change may have happened, so it must be checked, not blindly repeated.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        api_message: str = "",
        maybe_applied: bool = False,
    ) -> None:
        super().__init__(message, status=status, api_message=api_message)
        self.maybe_applied = maybe_applied


MAYBE_APPLIED = "The change may have been applied."


def error_for_status(
    status: int,
    *,
    message: str,
    data: object,
    resource: str,
    retry_after: float | None,
    maybe_applied: bool,
) -> APIError:
    """The error for a non-2xx answer, built from the API's own short message.

    `data` is the envelope's `data`; its `errMsg` is a sentence or a map of field errors
    (camelCase or snake_case keys, normalised here to snake_case).
    """
    err_msg = data.get("errMsg") if isinstance(data, Mapping) else None
    detail = err_msg if isinstance(err_msg, str) else ""
    api_message = (detail or message)[:300]
    if status == 401:
        return NotAllowedError(
            "The B2B Edition API refused the access token (401): it is wrong, revoked, "
            "or belongs to another store than the store hash.",
            status=status,
            api_message=api_message,
        )
    if status == 403:
        return NotAllowedError(
            "The access token is valid but not allowed to do this (403): it most likely "
            "lacks the B2B Edition scope (set it to 'modify' on the store-level API account).",
            status=status,
            api_message=api_message,
            missing_scope=True,
        )
    if status == 404:
        return NotFoundError(
            f"No such {resource or 'record'}: {(api_message or 'not found').rstrip('.')}.",
            resource=resource,
            api_message=api_message,
        )
    if status in (400, 409, 413, 422):
        text = (api_message or "the API rejected the request").rstrip(".")
        if status == 413:
            text = "the request asked for more records than the API allows per page"
        return InvalidInputError(
            f"Invalid request ({status}): {text}.",
            status=status,
            api_message=api_message,
            field_errors=_field_errors(err_msg),
        )
    if status == 429:
        return RateLimitedError(
            "The store's B2B Edition rate limit is used up.",
            retry_after=retry_after,
            api_message=api_message,
        )
    if status >= 500:
        note = f" {MAYBE_APPLIED}" if maybe_applied else ""
        return UnavailableError(
            f"The B2B Edition API failed ({status}).{note}",
            status=status,
            api_message=api_message,
            maybe_applied=maybe_applied,
        )
    return APIError(
        f"The B2B Edition API answered {status}.", status=status, api_message=api_message
    )


def unreadable_answer(status: int, *, write: bool) -> UnavailableError:
    """A 2xx answer this server cannot read (truncated, HTML from a proxy, no record)."""
    if write:
        return UnavailableError(
            f"The B2B Edition API accepted the request ({status}) but its answer could not be "
            f"read. {MAYBE_APPLIED}",
            status=status,
            maybe_applied=True,
        )
    return UnavailableError(
        f"The B2B Edition API sent an answer ({status}) this server could not read.",
        status=status,
    )


def _field_errors(err_msg: object) -> dict[str, list[str]]:
    if not isinstance(err_msg, Mapping):
        return {}
    return {
        "input" if key == "non_field_errors" else snake_case(str(key)): _reasons(reasons)
        for key, reasons in err_msg.items()
    }


def _reasons(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [reason for nested in value.values() for reason in _reasons(nested)]
    if isinstance(value, list):
        return [reason for item in value for reason in _reasons(item)]
    return [str(value)]
