"""Extra field definitions: `/{records}/extra-fields`, and checking values against them."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..errors import APIError, InvalidInputError
from ..models.common import ExtraFieldDefinition, ExtraFieldResource, ExtraFieldValue, Query

if TYPE_CHECKING:
    from .client import B2BClient

logger = logging.getLogger(__name__)

PATHS: dict[ExtraFieldResource, str] = {
    "company": "/companies/extra-fields",
    "user": "/users/extra-fields",
    "address": "/addresses/extra-fields",
    "order": "/orders/extra-fields",
    "quote": "/rfq/extra-fields",
    "invoice": "/ip/invoices/extra-fields",
}
# Definitions change rarely (in the control panel); a write checks against a recent copy.
_FRESH_FOR = 600.0


class ExtraFieldsAPI:
    """The extra fields a store defines per kind of record, kept for a few minutes."""

    def __init__(self, client: B2BClient) -> None:
        self._client = client
        self._cache: dict[ExtraFieldResource, tuple[float, list[ExtraFieldDefinition]]] = {}

    async def definitions(
        self, resource: ExtraFieldResource, *, fresh: bool = False
    ) -> list[ExtraFieldDefinition]:
        """The definitions; `fresh` reads them anew instead of from the recent copy."""
        cached = self._cache.get(resource)
        if not fresh and cached is not None and time.monotonic() - cached[0] < _FRESH_FOR:
            return cached[1]
        found = [
            field
            async for field in self._client.each(
                PATHS[resource],
                Query().to_api(),
                ExtraFieldDefinition,
                resource=f"{resource} extra field",
                page_size=200,
            )
        ]
        self._cache[resource] = (time.monotonic(), found)
        return found

    async def check(
        self,
        resource: ExtraFieldResource,
        given: Iterable[ExtraFieldValue] | None,
        *,
        creating: bool,
    ) -> None:
        """Refuse, before the write, extra fields the store does not define, and (when
        creating) a missing required one; the message lists what the store expects."""
        if given is None and not creating:
            return
        try:
            definitions = await self.definitions(resource)
        except APIError as exc:
            # The check only spares a doomed write; the API checks the same itself.
            logger.warning(
                "Could not read the %s extra field definitions (%s); the API will check them",
                resource,
                type(exc).__name__,
            )
            return
        names = {field.field_name for field in definitions if field.field_name}
        named = {field.field_name for field in given or ()}
        unknown = sorted(named - names)
        missing = sorted(
            field.field_name
            for field in definitions
            if creating and field.is_required and field.field_name and field.field_name not in named
        )
        if not unknown and not missing:
            return
        problems = []
        if missing:
            problems.append(f"required but missing: {', '.join(missing)}")
        if unknown:
            known = ", ".join(sorted(names)) or "none"
            problems.append(f"not defined by the store: {', '.join(unknown)} (it defines: {known})")
        raise InvalidInputError(
            f"Extra fields of the {resource}: {'; '.join(problems)}. Nothing was written; "
            f"list_extra_field_definitions(resource='{resource}') describes them."
        )
