"""What a poll's observation of a record means for the triggers of its feed.

A feed (one kind of record: companies, orders, ...) remembers each record's last status
and deadline. Comparing an observation with that memory gives the events: a record not
seen before is new; one whose status differs has changed; one past its deadline in an
open status is overdue. This module is that comparison alone, with no storage, so the
event store can apply it inside the transaction that also writes its outcome: two
processes sharing a state file then never report the same change twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

# How far back a poll looks past its high-water mark, for records the API shows late.
OVERLAP_SECONDS = 120


class RecordNotKept(Exception):
    """An event needs the whole record, and the poll kept only its outline."""


@dataclass(frozen=True, slots=True)
class Observation:
    """A record as one poll saw it: the outline a feed remembers, and the record itself
    where it may make an event (None where the poll did not keep it)."""

    entity_id: str
    created_at: int | None  # None where the API does not say (addresses)
    modified_at: int | None
    status: str | None = None
    deadline: int | None = None  # a quote's expiry or an invoice's due date, unix seconds
    data: dict[str, Any] | None = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        """The record, for an event (raises `RecordNotKept` if the poll left it out)."""
        if self.data is None:
            raise RecordNotKept(self.entity_id)
        return self.data

    def outline(self) -> Observation:
        """The observation without the record: all a feed remembers of it."""
        return replace(self, data=None)


@dataclass(frozen=True)
class FeedRules:
    """Which triggers a feed serves, and when a passed deadline matters."""

    feed: str
    new_trigger: str | None = None
    status_trigger: str | None = None
    open_statuses: frozenset[str] = frozenset()
    # What an open record becomes when its deadline passes: a status of its own (a quote
    # expires), or, with `deadline_is_status` False, a change reported once per deadline
    # while the record keeps its status (an invoice falls overdue, and is still open).
    deadline_status: str | None = None
    deadline_is_status: bool = False


@dataclass(frozen=True)
class Known:
    """What the feed remembers of a record."""

    status: str | None
    deadline: int | None
    flagged: bool  # its passed deadline has been dealt with (reported, or old news)


@dataclass(frozen=True)
class Context:
    """The poll a decision belongs to."""

    now: int
    # The feed's first poll: what exists is remembered silently, unless created from here on.
    baseline_start: int | None = None
    # When the feed's first poll was made (later polls only).
    baseline_at: int | None = None
    # A trigger of the previous version's kind: records created after its mark and not
    # in its seen set are still new (so an upgrade loses nothing).
    legacy_mark: int | None = None
    legacy_seen: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Emit:
    """An event a decision calls for."""

    trigger: str
    kind: Literal["new", "change"]
    from_status: str | None = None
    to_status: str | None = None
    at: int | None = None  # when the change happened, as far as the API says

    def event_id(self, entity_id: str) -> str:
        if self.kind == "new":
            return f"{self.trigger}:{entity_id}"
        return f"{self.trigger}:{entity_id}:{self.to_status}@{self.at}"


def decide(
    rules: FeedRules, known: Known | None, seen: Observation, context: Context
) -> tuple[list[Emit], Known]:
    """The events `seen` calls for, and what to remember of the record from now on."""
    emits: list[Emit] = []
    changed_at = seen.modified_at
    if rules.deadline_is_status and seen.status in rules.open_statuses and _is_past(seen, context):
        seen = replace(seen, status=rules.deadline_status)  # whether or not the store says so
        changed_at = seen.deadline
    if known is None:
        remembered = Known(seen.status, seen.deadline, flagged=False)
        if context.baseline_start is not None:
            if _is_past(seen, context):
                remembered = Known(seen.status, seen.deadline, flagged=True)  # old news
            if rules.new_trigger and _new_at_baseline(seen, context):
                emits.append(Emit(rules.new_trigger, "new"))
            return emits, remembered
        # Only a record created since the first poll is new: one found later but older
        # (the API showed it late) is remembered without a word. Without a creation time,
        # the feed's query (by creation) vouches for it.
        if rules.new_trigger and (
            seen.created_at is None
            or seen.created_at >= (context.baseline_at or 0) - OVERLAP_SECONDS
        ):
            emits.append(Emit(rules.new_trigger, "new"))
    else:
        if (
            rules.status_trigger
            and known.status is not None
            and seen.status is not None
            and seen.status != known.status
        ):
            emits.append(
                Emit(rules.status_trigger, "change", known.status, seen.status, changed_at)
            )
        flagged = known.flagged and known.deadline == seen.deadline
        status = seen.status if seen.status is not None else known.status
        remembered = Known(status, seen.deadline, flagged)
    if (
        rules.status_trigger
        and rules.deadline_status
        and not rules.deadline_is_status
        and not remembered.flagged
        and remembered.status in rules.open_statuses
        and _is_past(seen, context)
    ):
        emits.append(
            Emit(
                rules.status_trigger,
                "change",
                remembered.status,
                rules.deadline_status,
                seen.deadline,
            )
        )
        remembered = Known(remembered.status, remembered.deadline, flagged=True)
    return emits, remembered


def _is_past(seen: Observation, context: Context) -> bool:
    return seen.deadline is not None and seen.deadline < context.now


def _new_at_baseline(seen: Observation, context: Context) -> bool:
    if seen.created_at is None:
        return False  # no way to tell when it came: what exists at the first poll is old
    if context.legacy_mark is not None:
        return (
            seen.created_at >= context.legacy_mark - OVERLAP_SECONDS
            and seen.entity_id not in context.legacy_seen
        )
    assert context.baseline_start is not None
    return seen.created_at >= context.baseline_start
