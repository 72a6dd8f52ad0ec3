"""Regression: mutating a returned frame's ``attrs`` dicts reached the cached frame.

``series(...).attrs["outside_series"]`` and ``compare(...).attrs["other_release"]`` are dicts;
the frame copy used to copy only list-valued attrs, so editing one of these dicts changed what
the next call returned.
"""

from __future__ import annotations

import aipower


def test_series_outside_series_dict_is_a_copy() -> None:
    first = aipower.series("notable_models", country="CN")
    first.attrs["outside_series"][1900] = "edited"
    first.attrs["releases"].append("edited")
    again = aipower.series("notable_models", country="CN")
    assert 1900 not in again.attrs["outside_series"]
    assert "edited" not in again.attrs["releases"]


def test_compare_other_release_dict_is_a_copy() -> None:
    first = aipower.compare("notable_models", year=2024)
    first.attrs["other_release"]["XXX"] = "edited"
    again = aipower.compare("notable_models", year=2024)
    assert "XXX" not in again.attrs["other_release"]


def test_series_rows_and_frame_agree() -> None:
    from aipower._query.api import compare_rows, series_rows

    sel = series_rows("notable_models", country="CN")
    frame = aipower.series("notable_models", country="CN")
    assert list(frame.index) == [o.year for o in sel.rows]
    assert list(frame["value"]) == [o.value for o in sel.rows]
    assert frame.attrs == sel.notes
    cmp = compare_rows("notable_models", year=2024)
    cframe = aipower.compare("notable_models", year=2024)
    assert list(cframe.index) == [o.entity_id for o in cmp.rows]
    assert cframe.attrs == cmp.notes
