"""aipower.describe and aipower.cite, and CITATION.cff."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

import aipower
from aipower._surfaces.cite import cited_sources


def test_describe_prints_and_returns(capsys: pytest.CaptureFixture[str]) -> None:
    text = aipower.describe("patents")
    printed = capsys.readouterr().out
    assert printed == text + "\n"
    assert isinstance(text, str)
    metric = aipower.metric("patents")
    assert text.startswith(f"{metric.title} ({metric.metric_id})")
    for part in (metric.definition[:40], metric.unit, "basis", "Sources (", "Coverage:"):
        assert part in text.replace("\n              ", " ")
    assert re.search(r"Coverage: \d+ entit(y|ies) x \d+ years? \(\d{4}-\d{4}\)", text)
    assert "statuses:" in text
    assert "CC-BY-NC-4.0" in text
    assert repr(text).startswith("<Description of 'cset_patents_granted'")


def test_describe_lists_vintages_and_licences() -> None:
    buf = io.StringIO()
    text = aipower.describe("patents_granted_share", file=buf)
    assert buf.getvalue() == text + "\n"
    assert "vintages present" in text
    metric = aipower.metric("patents_granted_share").metric_id
    table = aipower.table("observations")
    rows = table[table["metric_id"] == metric]
    for vintage in set(rows["vintage"]):
        assert vintage in text
    for source_id in set(rows["source_id"]):
        assert source_id in text
    assert "CC-BY-ND-4.0" in text


def test_describe_quiet_and_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    aipower.describe("notable_models", echo=False)
    assert capsys.readouterr().out == ""
    with pytest.raises(aipower.UnknownMetricError, match="patents"):
        aipower.describe("patnts")


def test_cite_bibtex_all_sources_with_stable_keys() -> None:
    text = aipower.cite()
    keys = re.findall(r"^@\w+\{([^,]+),", text, flags=re.M)
    sources = aipower.sources()
    assert keys[0] == "aipower"
    assert keys[1:] == sorted(sources["source_id"])
    assert aipower.cite() == text  # deterministic
    assert f"data {aipower.DATA_VERSION}" in text
    assert aipower.__version__ in text
    assert text.count("{") == text.count("}")
    for entry in text.split("\n\n")[1:]:
        assert "licence " in entry


def test_cite_for_one_metric() -> None:
    text = aipower.cite("training_gpu_hours")
    keys = re.findall(r"^@\w+\{([^,]+),", text, flags=re.M)
    rows = aipower.get_all("training_gpu_hours", entity="DeepSeek-V3", year=2024)
    used = {o.source_id for o in rows}
    assert set(keys[1:]) == used
    assert f"vintage {aipower.source('deepseek_v3_report').vintage}" in text
    assert [s.source_id for s in cited_sources("training_gpu_hours")] == keys[1:]


def test_cite_apa() -> None:
    text = aipower.cite("patents_granted_share", style="apa")
    first, *rest = text.strip().split("\n\n")
    assert first.startswith("aipower contributors. (")
    assert f"data version {aipower.DATA_VERSION}" in first
    vintage = aipower.source("aiindex_2025").vintage
    assert any(line.startswith("Stanford") and f"Vintage {vintage}" in line for line in rest)
    assert all("Licence " in line for line in rest)


def test_cite_rejects_bad_style() -> None:
    with pytest.raises(ValueError, match="bibtex"):
        aipower.cite(style="mla")  # type: ignore[arg-type]


def test_citation_cff(repo: Path) -> None:
    yaml = pytest.importorskip("yaml", reason="PyYAML comes with frictionless/mkdocs")
    cff = yaml.safe_load((repo / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["version"] == aipower.__version__
    assert cff["license"] == "MIT"
    assert cff["type"] == "software"
    assert "licence" in cff["message"].lower() or "license" in cff["message"].lower()
    assert cff["authors"]
