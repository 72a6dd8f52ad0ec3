"""Build rules on provenance (issue 18): read_in, confirmation of inferred rows, inputs."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from aipower_build import build as build_mod
from aipower_build import curated
from aipower_build.curated import CuratedError
from aipower_build.ingest.base import observations_frame

OBS_2025 = "observations/aiindex_2025.csv"
MACROPOLO = "observations/macropolo.csv"


def _copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(build_mod.DATA_DIR, data)
    return data


def _edit(data: Path, rel: str, match: dict[str, str], changes: dict[str, str]) -> int:
    """Change the first row matching ``match``; return its line number."""
    path = data / rel
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    fields = list(rows[0])
    for i, row in enumerate(rows):
        if all(row[k] == v for k, v in match.items()):
            row.update(changes)
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            path.write_text(out.getvalue(), encoding="utf-8")
            return i + 2
    raise AssertionError(f"no row matches {match}")


def _observations(data: Path) -> object:
    src = curated.sources(data)
    vintages = {
        sid: (v if isinstance(v, str) else None)
        for sid, v in zip(src["source_id"], src["vintage"], strict=True)
    }
    return curated.observations(data, vintages)


DE_2023 = {"metric_id": "top100_cited_publications", "entity_id": "DEU", "year": "2023"}


def test_inferred_row_without_confirmation_is_refused(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    line = _edit(data, OBS_2025, DE_2023, {"confirmation": ""})
    with pytest.raises(CuratedError) as err:
        _observations(data)
    msg = str(err.value)
    assert f"aiindex_2025.csv, line {line}" in msg
    assert "inferred row without a confirmation" in msg
    assert "docs/research/not_found.md" in msg


def test_verified_row_read_in_a_copy_is_refused(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    match = {"metric_id": "talent_mobility_share", "year": "2019"}
    line = _edit(data, MACROPOLO, match, {"status": "verified"})
    with pytest.raises(CuratedError) as err:
        _observations(data)
    msg = str(err.value)
    assert f"macropolo.csv, line {line}" in msg
    assert "read in a copy (infoproc_2021_01_talent_flows)" in msg
    assert "a value read in a copy is secondary" in msg


@pytest.mark.parametrize(
    ("read_in", "expected"),
    [
        ("no_such_copy", "unknown read_in 'no_such_copy'"),
        ("macropolo_talent_tracker_1", "read_in names source_id itself"),
    ],
)
def test_bad_read_in_is_refused(tmp_path: Path, read_in: str, expected: str) -> None:
    data = _copy(tmp_path)
    match = {"metric_id": "talent_mobility_share", "year": "2019"}
    _edit(data, MACROPOLO, match, {"read_in": read_in})
    with pytest.raises(CuratedError, match=expected):
        _observations(data)


def test_curated_rows_carry_read_in_and_confirmation(tmp_path: Path) -> None:
    frame = _observations(build_mod.DATA_DIR)
    import pandas as pd

    assert isinstance(frame, pd.DataFrame)
    row = frame[(frame["metric_id"] == "talent_mobility_share") & (frame["year"] == 2019)].iloc[0]
    assert row["read_in"] == "infoproc_2021_01_talent_flows"
    assert row["inputs"] == []
    inferred = frame[frame["status"] == "inferred"]
    assert inferred["confirmation"].notna().all()


def test_ingest_frames_default_the_provenance_columns() -> None:
    frame = observations_frame(
        [
            {"metric_id": "m", "entity_id": "E", "year": 2020, "value": 1.0, "inputs": ["a"]},
            {"metric_id": "m", "entity_id": "E", "year": 2021, "value": 0.0},
        ]
    )
    assert frame["inputs"].tolist() == [["a"], []]
    assert frame["read_in"].tolist() == [None, None]
    assert frame["confirmation"].tolist() == [None, None]
