"""Render the plot gallery of the docs into docs/images/ (needs the ``plot`` extra).

    python docs/gen_gallery.py [OUTDIR]

Each image is made by one ``aipower.plot`` call from the shipped data; the gallery page
(docs/gallery.md) shows the same calls. Re-run after a data release.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEFAULT_OUT = Path(__file__).resolve().parent / "images"


def gallery() -> dict[str, Callable[[], Any]]:
    """File name -> function drawing the plot and returning its Axes."""
    import aipower.plot as plot

    return {
        "series_publications.png": lambda: plot.series(
            "publications", countries=["US", "CN", "India", "UK"]
        ),
        "series_publications_share.png": lambda: plot.series(
            "publications_share", countries=["US", "CN", "Europe"]
        ),
        "compare_publications_2023.png": lambda: plot.compare("publications", year=2023, top=15),
        "compare_private_investment_2024.png": lambda: plot.compare(
            "private_investment", year=2024, top=15
        ),
    }


def render(out: Path = DEFAULT_OUT, dpi: int = 110) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, draw in gallery().items():
        ax = draw()
        target = out / name
        # metadata without the matplotlib version/date, so re-renders are byte-stable
        ax.figure.savefig(target, dpi=dpi, bbox_inches="tight", metadata={"Software": None})
        plt.close(ax.figure)
        written.append(target)
    return written


if __name__ == "__main__":
    for path in render(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT):
        print(path)
