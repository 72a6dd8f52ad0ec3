"""aipower.plot: titled, unit-labelled, captioned PNGs (Agg backend)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import aipower

matplotlib = pytest.importorskip("matplotlib", reason="matplotlib is in the test extra")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures() -> object:
    yield None
    plt.close("all")


def _texts(ax: object) -> str:
    return "\n".join(t.get_text() for t in ax.texts)  # type: ignore[attr-defined]


def _save(ax: object, path: Path) -> Path:
    ax.figure.savefig(path, dpi=80, bbox_inches="tight")  # type: ignore[attr-defined]
    return path


def test_series_png(tmp_path: Path) -> None:
    ax = aipower.plot.series("publications", countries=["US", "CN"])
    assert ax.get_title(loc="left") == aipower.metric("publications").title
    assert ax.get_ylabel() == "publications"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["United States", "China"]
    caption = _texts(ax)
    assert "licence CC-BY-NC-4.0" in caption
    assert "Country Activity Tracker" in caption or "publications" in caption
    png = _save(ax, tmp_path / "series.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 15_000


def test_share_series_in_percent(tmp_path: Path) -> None:
    ax = aipower.plot.series("publications_share", countries=["CN"])
    assert "%" in ax.get_ylabel()
    ys = ax.get_lines()[0].get_ydata()
    assert max(ys) > 1  # percent, not a fraction
    assert "CC-BY-ND-4.0" in _texts(ax)
    assert _save(ax, tmp_path / "share.png").stat().st_size > 10_000


def test_compare_png(tmp_path: Path) -> None:
    ax = aipower.plot.compare("private_investment", year=2024, top=5)
    assert ax.get_title(loc="left").endswith(", 2024")
    assert ax.get_xlabel() == "billion USD"
    assert len(ax.patches) == 5
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "United States"  # largest on top
    assert "licence" in _texts(ax)
    assert _save(ax, tmp_path / "compare.png").stat().st_size > 10_000


def test_draws_into_given_axes() -> None:
    fig, (a, b) = plt.subplots(1, 2)
    assert aipower.plot.series("notable_models", countries="US", ax=a) is a
    assert aipower.plot.compare("publications", year=2023, top=3, ax=b) is b
    assert fig.axes == [a, b]


def test_errors() -> None:
    with pytest.raises(ValueError, match="top"):
        aipower.plot.compare("publications", year=2023, top=0)
    with pytest.raises(aipower.UnknownMetricError):
        aipower.plot.series("patnts")


def test_plot_is_lazy() -> None:
    code = (
        "import sys, aipower\n"
        "m = aipower.plot\n"
        "print('MPL', 'matplotlib' in sys.modules, 'pandas' in sys.modules, m.__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "MPL False False aipower.plot" in out.stdout
