"""The one list of deviations from the spec: complete, used, and what the README shows."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from tests.openapi import IN_CI, SIMULATED, SPECS_MISSING, deviations

README = Path(__file__).resolve().parents[2] / "README.md"
BEGIN = "<!-- deviations: generated from tests/simulator/deviations.yaml"
END = "<!-- end of deviations -->"
FIELDS = {"operations", "simulator", "spec", "evidence", "documented"}
OPERATIONS = {
    f"{method.upper()} {path}" for path, methods in SIMULATED.items() for method in methods
}


def test_the_specs_are_there_when_ci_runs() -> None:
    """Skipping is fine on a developer's machine; in CI a missing spec is a failure."""
    if IN_CI:
        assert SPECS_MISSING is None, SPECS_MISSING


def test_every_deviation_says_what_the_spec_says_and_why() -> None:
    for entry in deviations():
        assert set(entry) >= FIELDS, entry
        assert isinstance(entry["documented"], bool), entry
        assert set(entry) <= FIELDS | {"response", "accepts"}, entry
        for operation in entry["operations"]:
            assert operation == "*" or operation in OPERATIONS, operation
        if "accepts" in entry:
            re.compile(entry["accepts"])
        if "response" in entry:
            assert set(entry["response"]) <= {"where", "status"}, entry


def render(entries: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for documented, heading in ((True, "Documented"), (False, "Inferred (no official source)")):
        lines += ["", f"**{heading}**", ""]
        for entry in entries:
            if entry["documented"] is documented:
                where = ", ".join(
                    "every operation" if op == "*" else f"`{op}`" for op in entry["operations"]
                )
                lines.append(
                    f"- {where}: {entry['simulator']} *Spec:* {entry['spec']} "
                    f"*Evidence:* {entry['evidence']}"
                )
    return "\n".join(lines) + "\n"


def test_the_readme_shows_the_list() -> None:
    text = README.read_text()
    start = text.index(BEGIN)
    start = text.index("\n", start) + 1
    end = text.index(END)
    expected = render(deviations())
    if os.environ.get("UPDATE_README") == "1":
        README.write_text(text[:start] + expected + text[end:])
        return
    assert text[start:end] == expected, (
        "the README's deviation list is out of date: run "
        "UPDATE_README=1 uv run pytest tests/simulator/test_deviations.py"
    )
