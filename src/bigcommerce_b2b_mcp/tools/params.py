"""Parameter types only tools take (paging, dates, search text), each documented once.

The fields of records the tools write are declared in `models/`, shared with the request
bodies; this module holds what exists only on the tool side.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field, WithJsonSchema

from ..models.common import MAX_SEARCH

Limit = Annotated[
    int,
    Field(ge=1, le=100, description="Records per page (1-100). Small pages keep answers short."),
]
Offset = Annotated[
    int,
    Field(ge=0, le=10_000_000, description="Records to skip; use offset+limit for the next page."),
]
Descending = Annotated[bool, Field(description="Newest or highest first when true.")]
# ISO 8601 texts; the length bound keeps an argument from being anything but a date.
Moment = Annotated[
    datetime, WithJsonSchema({"type": "string", "format": "date-time", "maxLength": 40})
]
Day = Annotated[date, WithJsonSchema({"type": "string", "format": "date", "maxLength": 10})]
After = Annotated[
    Moment | None,
    Field(
        description="Only records from this moment on (ISO 8601: 2026-01-31, 2026-01-31T09:00Z)."
    ),
]
Before = Annotated[Moment | None, Field(description="Only records up to this moment (ISO 8601).")]
SearchText = Annotated[str, Field(min_length=1, max_length=MAX_SEARCH)]

# For updates: a parameter left out keeps the record's current value.
Keep = Field(description="Leave out to keep the current value.")
UnchangedFlag = Annotated[bool | None, Keep]

DEFAULT_LIMIT = 20
