"""Shared model bases, tolerant field types and pagination for every B2B Edition domain.

Reading is tolerant: real stores send ids, codes and timestamps as numbers or strings,
"" or null for absent values, money as numbers or decimal strings, and fields nobody
documented. A response model never fails a whole record because of one field: a value
that cannot be read is dropped (with a warning naming the field, never its value) and the
field keeps its default. Writing is strict: request models refuse anything doubtful
before a request is sent.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Generic, Literal, Self, TypeVar, cast

from pydantic import (
    AliasGenerator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PlainSerializer,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic.alias_generators import to_camel

T = TypeVar("T")
E = TypeVar("E", bound="CodedEnum")

logger = logging.getLogger(__name__)


class CodedEnum(StrEnum):
    """An enum named for people and models, carrying the API's integer code.

    Members are declared as `NAME = "name", code`. Validation accepts the name or the code
    in any spelling the API uses, so `Status(1)`, `Status("1")` and `Status(1.0)` work.
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
            code = to_int(value)
        except ValueError:
            return None
        return next((member for member in cls if member.code == code), None)


# --- Reading: conversions that accept every way a store spells a value -------------------

_WHOLE = re.compile(r"[+-]?\d+(?:\.0*)?")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
# Above this a "unix time" is in milliseconds (it would be past the year 5000 in seconds).
_MILLISECONDS_FROM = 100_000_000_000


def _absent(value: Any) -> bool:
    """The API says "not set" with null, "" or whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def to_int(value: Any) -> int | None:
    """A whole number from an int, an integral float, or a numeric string ("42", "42.0")."""
    if _absent(value):
        return None
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        return int(value.strip().split(".")[0])
    raise ValueError("not a whole number")


def _to_text(value: Any) -> str | None:
    if _absent(value):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return str(int(value)) if value.is_integer() else repr(value)
    raise ValueError("not text")


def to_decimal(value: Any) -> Decimal | None:
    """A decimal from a number or a decimal string ("349.5000"); never NaN or infinity."""
    if _absent(value):
        return None
    if isinstance(value, bool):
        raise ValueError("a boolean is not an amount")
    if isinstance(value, Decimal):
        if value.is_finite():
            return value
        raise ValueError("not an amount")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float) and math.isfinite(value):
        return Decimal(repr(value))
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            pass
    raise ValueError("not an amount")


def _to_flag(value: Any) -> bool | None:
    if _absent(value):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "1.0"):
        return True
    if text in ("0", "false", "0.0"):
        return False
    raise ValueError("not a yes/no value")


def to_moment(value: Any) -> datetime | None:
    """A UTC datetime from unix seconds (number or string), milliseconds, or ISO 8601 text.

    0 means "not set", as it does in the API.
    """
    if isinstance(value, datetime):
        return value
    if _absent(value):
        return None
    if isinstance(value, bool):
        raise ValueError("a boolean is not a time")
    if isinstance(value, str) and not _NUMBER.fullmatch(value.strip()):
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError("not a time") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        seconds = float(value)
        if not math.isfinite(seconds):
            raise ValueError
        if abs(seconds) >= _MILLISECONDS_FROM:
            seconds /= 1000
        return None if seconds == 0 else datetime.fromtimestamp(seconds, tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        raise ValueError("not a time") from None


def _as_list(value: Any) -> Any:
    """Lists arrive as lists, as null, as one object, or JSON-encoded in a string."""
    if _absent(value):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ValueError("not a list") from None
    if isinstance(value, Mapping):
        return [value]
    return value


def _as_object(value: Any) -> Any:
    """Objects arrive as objects, as null or "", or JSON-encoded in a string."""
    if _absent(value):
        return None
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise ValueError("not an object") from None
    if isinstance(value, list) and len(value) == 1:
        return value[0]
    return value


def code_of(enum: type[E]) -> Callable[[Any], E | int | None]:
    """The enum member for a known name or code; the raw code for one this server does not know."""

    def convert(value: Any) -> E | int | None:
        if isinstance(value, enum):
            return value
        if _absent(value):
            return None
        try:
            member: E = cast(Any, enum)(value)
        except ValueError:
            return to_int(value)
        return member

    return convert


Int = Annotated[int | None, BeforeValidator(to_int)]
# The id of a record just created: the one field of an answer that must be there.
NewId = Annotated[int, BeforeValidator(to_int)]
Text = Annotated[str | None, BeforeValidator(_to_text)]
Amount = Annotated[Decimal | None, BeforeValidator(to_decimal)]
Flag = Annotated[bool | None, BeforeValidator(_to_flag)]
Timestamp = Annotated[AwareDatetime | None, BeforeValidator(to_moment)]
Items = Annotated[list[T], BeforeValidator(_as_list)]
Nested = Annotated[T | None, BeforeValidator(_as_object)]


# Ids are 32-bit integers in B2B Edition; a larger one cannot exist, so it is refused early.
MAX_ID = 2_147_483_647
# A free-text search longer than any name the API stores finds nothing, and makes a long URL.
MAX_SEARCH = 200


@functools.lru_cache(maxsize=4096)  # a record's keys repeat from one answer to the next
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
    are ignored. Every field has a default; a value that cannot be read is dropped with a
    warning, so one odd field never makes a record unreadable.
    """

    model_config = ConfigDict(extra="ignore", defer_build=True)

    renames: ClassVar[dict[str, str]] = {}

    @model_validator(mode="wrap")
    @classmethod
    def _tolerant(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        if isinstance(data, Mapping):
            data = cls._from_api(data)
        try:
            return handler(data)
        except ValidationError as exc:
            if not isinstance(data, dict):
                raise
            kept, dropped = _without_unreadable(data, exc)
            if not dropped:
                raise
            record = handler(kept)  # still failing: the caller drops this record instead
            logger.warning("%s: ignored unreadable %s", cls.__name__, ", ".join(dropped))
            return record

    @classmethod
    def _from_api(cls, data: Mapping[Any, Any]) -> dict[str, Any]:
        converted: dict[str, Any] = {}
        for key, value in data.items():
            name = snake_case(str(key))
            converted.setdefault(cls.renames.get(name, name), value)
        return converted


def _without_unreadable(
    data: dict[str, Any], exc: ValidationError
) -> tuple[dict[str, Any], list[str]]:
    """`data` without the values that failed: a bad list item goes, a bad field goes."""
    kept = dict(data)
    bad_items: dict[str, set[int]] = {}
    dropped: list[str] = []
    for error in exc.errors(include_url=False, include_input=False):
        loc = error["loc"]
        if not loc or not isinstance(loc[0], str) or loc[0] not in kept:
            continue
        field = loc[0]
        if len(loc) > 1 and isinstance(loc[1], int) and isinstance(kept[field], list):
            bad_items.setdefault(field, set()).add(loc[1])
            dropped.append(f"{field}[{loc[1]}] ({error['type']})")
        elif field in kept:
            del kept[field]
            bad_items.pop(field, None)
            dropped.append(f"{field} ({error['type']})")
    for field, indexes in bad_items.items():
        if field in kept:
            kept[field] = [item for i, item in enumerate(kept[field]) if i not in indexes]
    return kept, dropped


class RequestModel(BaseModel):
    """A request body: snake_case in Python, camelCase on the wire, validated before sending."""

    model_config = ConfigDict(
        alias_generator=AliasGenerator(serialization_alias=to_camel),
        extra="forbid",
        str_strip_whitespace=True,
        defer_build=True,
    )

    def to_api(self) -> dict[str, Any]:
        """The JSON body the API expects: camelCase keys, unset fields left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class Query(RequestModel):
    """The query parameters of a list endpoint: typed here, spelled as the API wants on the wire.

    Unset parameters are left out; times go as unix seconds, coded enums as their codes,
    sort keys in camelCase, `descending` as the endpoint's `orderBy`.
    """

    def to_api(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def _order(descending: bool) -> str:
    return "DESC" if descending else "ASC"


# Money a tool or a request sends. Published as plain JSON numbers: models send amounts as
# numbers, and the published schema is the contract every argument is checked against.
Money = Annotated[
    Decimal,
    Field(ge=0, le=1_000_000_000, decimal_places=4),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1_000_000_000}),
]

UnixTime = Annotated[datetime, PlainSerializer(lambda moment: unix(moment), return_type=int)]
# A coded enum as its integer code, e.g. CompanyStatus.APPROVED -> 1.
AsCode = PlainSerializer(lambda member: member.code, return_type=int)
# "1"/"0", as the isIncludeExtraFields parameters take it.
ZeroOne = Annotated[bool, PlainSerializer(lambda flag: "1" if flag else "0", return_type=str)]
SortKey = PlainSerializer(to_camel, return_type=str)
OrderBy = Annotated[
    bool, PlainSerializer(_order, return_type=str), Field(serialization_alias="orderBy")
]
# The quotes list spells orderBy in lower case.
LowerOrderBy = Annotated[
    bool,
    PlainSerializer(lambda descending: _order(descending).lower(), return_type=str),
    Field(serialization_alias="orderBy"),
]


class TimeRange(Query):
    """The creation and modification bounds most lists take."""

    min_created: UnixTime | None = None
    max_created: UnixTime | None = None
    min_modified: UnixTime | None = None
    max_modified: UnixTime | None = None


class ExtraField(APIModel):
    """A store-defined extra field and its value on this record."""

    field_name: Annotated[str, BeforeValidator(_to_text)]
    field_value: Text = None
    label_name: Text = None


class ExtraFieldValue(RequestModel):
    """An extra field value to send with a create or update."""

    field_name: Annotated[
        str, Field(min_length=1, max_length=100, description="The extra field's name.")
    ]
    field_value: Annotated[str, Field(max_length=1000, description="Its value.")]


class ExtraFieldType(CodedEnum):
    TEXT = "text", 0
    MULTI_LINE_TEXT = "multi_line_text", 1
    NUMBER = "number", 2
    DROPDOWN = "dropdown", 3


class ExtraFieldDefinition(APIModel):
    """An extra field the store defines for one kind of record."""

    renames: ClassVar[dict[str, str]] = {"list_of_value": "choices", "list_of_values": "choices"}

    id: Int = None
    field_name: Text = None
    field_type: Annotated[ExtraFieldType | int | None, BeforeValidator(code_of(ExtraFieldType))] = (
        None
    )
    is_required: Flag = Field(default=None, description="Must be given when creating a record.")
    is_unique: Flag = None
    visible_to_enduser: Flag = Field(default=None, description="Shown on the storefront.")
    default_value: Text = None
    maximum_length: Int = None
    maximum_value: Amount = None
    choices: Items[Annotated[str, BeforeValidator(_to_text)]] = Field(
        default_factory=list, description="The allowed values of a dropdown."
    )


ExtraFieldResource = Literal["company", "user", "address", "order", "quote", "invoice"]
# A list of name/value pairs rather than a {name: value} map: strict tool schemas (OpenAI's
# strict mode) cannot declare an object whose keys are not known in advance.
ExtraFields = Annotated[
    list[ExtraFieldValue],
    Field(
        max_length=50,
        description=(
            'Extra field values, e.g. [{"field_name": "Tax code", "field_value": "G"}]; '
            "list_extra_field_definitions shows the store's fields and which are required."
        ),
    ),
]


def extra_field_values(
    fields: Iterable[ExtraFieldValue] | None, *, current: Iterable[ExtraField] = ()
) -> list[ExtraFieldValue] | None:
    """The values to send, by name (a name given twice: the last value).

    With the record's `current` values, the others are sent unchanged alongside: whether
    an update replaces the whole list or merges into it is undocumented, and this way
    setting one field never drops the rest.
    """
    if fields is None:
        return None
    merged = {field.field_name: field.field_value or "" for field in current}
    merged.update((field.field_name, field.field_value) for field in fields)
    return [ExtraFieldValue(field_name=name, field_value=value) for name, value in merged.items()]


class Pagination(APIModel):
    """Offset pagination as list endpoints report it; any part may be missing."""

    renames: ClassVar[dict[str, str]] = {"total_count": "total"}

    total: Int = None
    offset: Int = None
    limit: Int = None


class Page(BaseModel, Generic[T]):
    """One page of a list: the records and where they sit in the whole."""

    items: list[T]
    total: int | None = Field(
        description="How many records match in all (null when the API did not say)."
    )
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
