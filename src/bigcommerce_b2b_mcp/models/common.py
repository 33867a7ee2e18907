"""Shared model bases, coercions and pagination for every B2B Edition domain."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Generic, Self, TypeVar

from pydantic import (
    AliasGenerator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    model_validator,
)
from pydantic.alias_generators import to_camel

T = TypeVar("T")


class CodedEnum(StrEnum):
    """An enum named for people and models, carrying the API's integer code.

    Members are declared as `NAME = "name", code`. Validation accepts the name, the code,
    or the code as a string (the API sends both), so `Status(1)` and `Status("1")` work.
    """

    _code: int

    def __new__(cls, value: str, code: int) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member._code = code
        return member

    @property
    def code(self) -> int:
        """The integer the API uses for this value."""
        return self._code

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        try:
            code = int(str(value))
        except ValueError:
            return None
        return next((member for member in cls if member.code == code), None)


def _blank_to_none(value: Any) -> Any:
    """The API sends "" (and sometimes 0 for dates) where a value is not set yet."""
    return None if value == "" else value


def _unix_to_datetime(value: Any) -> Any:
    value = _blank_to_none(value)
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, str) and not re.fullmatch(r"-?\d+(\.\d+)?", value.strip()):
        return value  # an ISO 8601 text, e.g. our own output read back
    seconds = int(float(value))
    return None if seconds == 0 else datetime.fromtimestamp(seconds, tz=UTC)


OptionalInt = Annotated[int | None, BeforeValidator(_blank_to_none)]
OptionalStr = Annotated[str | None, BeforeValidator(_blank_to_none)]
Timestamp = Annotated[AwareDatetime | None, BeforeValidator(_unix_to_datetime)]
Money = Annotated[
    Decimal,
    PlainSerializer(lambda amount: str(amount), return_type=str, when_used="json"),
]


def snake_case(name: str) -> str:
    """`addressLine1` -> `address_line1` (digits stay with their word, unlike pydantic's)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def unix(moment: datetime) -> int:
    """A datetime as the unix seconds the API's filters take."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


class APIModel(BaseModel):
    """A record as the API returns it: read from camelCase, presented in snake_case.

    Incoming keys are converted (`companyId` -> `company_id`, then `renames`), so the
    fields carry no aliases and every schema of the model is snake_case. Unknown fields
    are ignored so a new API field never breaks a response.
    """

    model_config = ConfigDict(extra="ignore")

    renames: ClassVar[dict[str, str]] = {}

    @model_validator(mode="before")
    @classmethod
    def _from_api(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        converted: dict[str, Any] = {}
        for key, value in data.items():
            name = snake_case(str(key))
            converted.setdefault(cls.renames.get(name, name), value)
        return converted


class RequestModel(BaseModel):
    """A request body: snake_case in Python, camelCase on the wire, validated before sending."""

    model_config = ConfigDict(
        alias_generator=AliasGenerator(serialization_alias=to_camel),
        extra="forbid",
        str_strip_whitespace=True,
    )

    def to_api(self) -> dict[str, Any]:
        """The JSON body the API expects: camelCase keys, unset fields left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class ExtraField(APIModel):
    """A store-defined extra field value."""

    field_name: str
    field_value: str | int | float | None = None


class ExtraFieldValue(RequestModel):
    """An extra field value to send with a create or update."""

    field_name: Annotated[str, Field(min_length=1, description="The extra field's name.")]
    field_value: Annotated[str, Field(description="Its value.")]


class Pagination(APIModel):
    """Offset pagination as every list endpoint reports it."""

    renames: ClassVar[dict[str, str]] = {"total_count": "total"}

    total: int
    offset: int
    limit: int

    @property
    def has_more(self) -> bool:
        return self.offset + self.limit < self.total


class Page(BaseModel, Generic[T]):
    """One page of a list: the records and where they sit in the whole."""

    items: list[T]
    total: int = Field(description="How many records match in all.")
    offset: int = Field(description="Index of the first record on this page.")
    limit: int = Field(description="Page size asked for.")
    has_more: bool = Field(description="True when more records follow; pass offset+limit.")

    @classmethod
    def of(cls, page: Page[T]) -> Self:
        """The same page as a named subclass (tools name their pages for the schema)."""
        return cls(
            items=page.items,
            total=page.total,
            offset=page.offset,
            limit=page.limit,
            has_more=page.has_more,
        )
