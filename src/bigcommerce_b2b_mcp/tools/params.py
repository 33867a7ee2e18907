"""Parameter types shared by the tools: ids, paging, dates and emails, each documented once."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

CompanyId = Annotated[int, Field(gt=0, description="B2B company id (from list_companies).")]
Limit = Annotated[
    int,
    Field(ge=1, le=100, description="Records per page (1-100). Small pages keep answers short."),
]
Offset = Annotated[
    int, Field(ge=0, description="Records to skip; use offset+limit for the next page.")
]
Descending = Annotated[bool, Field(description="Newest or highest first when true.")]
After = Annotated[
    datetime | None,
    Field(
        description="Only records from this moment on (ISO 8601: 2026-01-31, 2026-01-31T09:00Z)."
    ),
]
Before = Annotated[datetime | None, Field(description="Only records up to this moment (ISO 8601).")]
# Plain strings with the email format advertised: the request models check them, so a bad
# address gets the same clear, field-named message as every other invalid input.
Email = Annotated[str, Field(max_length=150, json_schema_extra={"format": "email"})]

# For updates: a parameter left out keeps the record's current value.
Unchanged = Annotated[str | None, Field(description="Leave out to keep the current value.")]
UnchangedFlag = Annotated[bool | None, Field(description="Leave out to keep the current value.")]

DEFAULT_LIMIT = 20
