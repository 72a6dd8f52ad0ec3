"""aipower.coverage(): which releases and years aipower holds per metric."""

from __future__ import annotations

import subprocess
import sys

import pytest

import aipower


def test_coverage_lists_every_ai_index_edition_for_notable_models() -> None:
    frame = aipower.coverage("notable_models", family="aiindex")
    assert list(frame["source_id"]) == ["aiindex_2026", "aiindex_2025", "aiindex_2024"]
    by_source = frame.set_index("source_id")
    assert by_source.loc["aiindex_2024", "years"] == [2023]
    assert by_source.loc["aiindex_2025", "years"] == [2024]
    assert by_source.loc["aiindex_2026", "years"] == [2025]
    # read in the April 2026 PDF; only the release-day counts (priority 1) stay secondary
    assert by_source.loc["aiindex_2026", "statuses"] == "secondary;verified"


def test_coverage_rows_add_up_to_the_observations_table() -> None:
    frame = aipower.coverage()
    assert int(frame["rows"].sum()) == len(aipower.table("observations"))
    assert (frame["first_year"] <= frame["last_year"]).all()


def test_coverage_as_first_call_in_a_fresh_process() -> None:
    # regression: coverage() before any other query found an empty source index
    code = "import aipower; print(len(aipower.coverage(family='aiindex')) > 0)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "True"


def test_coverage_unknown_family_suggests() -> None:
    with pytest.raises(aipower.UnknownSourceError, match="aiindex"):
        aipower.coverage(family="aiindx")


def test_coverage_is_a_copy() -> None:
    first = aipower.coverage("publications")
    first.loc[:, "rows"] = -1
    assert (aipower.coverage("publications")["rows"] > 0).all()
