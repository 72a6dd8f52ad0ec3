"""The docs: generated pages agree with the spec and data, the site builds with --strict
offline, the gallery renders, and the example notebook executes."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

import aipower
from aipower._spec import TABLES, VERDICTS


def _load(repo: Path, name: str) -> ModuleType:
    module_name = f"aipower_docs_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, repo / "docs" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pages(repo: Path) -> dict[str, str]:
    result: dict[str, str] = _load(repo, "gen_pages").pages()
    return result


def test_data_dictionary_covers_the_spec_and_metrics(pages: dict[str, str]) -> None:
    text = pages["reference/data-dictionary.md"]
    for spec in TABLES.values():
        assert f"## `{spec.name}`" in text
        for field in spec.fields:
            assert f"| `{field.name}` |" in text
    for metric_id in aipower.metrics()["metric_id"]:
        assert f"| `{metric_id}` |" in text
    assert "| `training_compute_flop` | number |  | FLOP |" in text


def test_sources_page_lists_every_source_with_licence(pages: dict[str, str]) -> None:
    text = pages["reference/sources.md"]
    for r in aipower.sources().itertuples():
        assert f"### {r.source_id}" in text
        assert f"licence `{r.license}`" in text
    assert "(../sources/cset.md)" in text  # per-source notes are linked


def test_claims_page_groups_by_claimant(pages: dict[str, str]) -> None:
    text = pages["reference/claims.md"]
    claims = aipower.claims()
    for r in claims.itertuples():
        assert re.search(rf"^### {re.escape(r.claim_id)} — .*{r.verdict}$", text, flags=re.M)
    titles = aipower.sources().set_index("source_id").loc[claims["stated_by"].unique(), "title"]
    for title in titles:
        assert f"## {title}" in text


def test_cli_page_documents_every_command(pages: dict[str, str]) -> None:
    for command in ("get-share", "describe", "export", "cite", "validate"):
        assert f"## `aipower {command}`" in pages["cli.md"]


def test_snippets(repo: Path) -> None:
    gen = _load(repo, "gen_pages")
    rules = gen.verdict_rules()
    for verdict in VERDICTS:
        assert f"**`{verdict}`**" in rules
    methodology = (repo / "docs" / "methodology.md").read_text(encoding="utf-8")
    rendered = gen.render_snippets(methodology)
    assert "<!-- gen:" not in rendered
    assert "| `verified` |" in rendered


def test_mkdocs_build_strict_offline(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built in-process, so the suite's network block proves the build needs no network."""
    if not all(importlib.util.find_spec(m) for m in ("mkdocs", "mkdocstrings", "material")):
        pytest.skip("mkdocs/mkdocstrings not installed: pip install -e '.[docs]'")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.chdir(repo)
    site = tmp_path / "site"
    config = load_config(str(repo / "mkdocs.yml"), strict=True, site_dir=str(site))
    build(config)  # raises mkdocs.exceptions.Abort on any warning under strict
    for page in (
        "index.html",
        "api/index.html",
        "reference/data-dictionary/index.html",
        "reference/sources/index.html",
        "reference/claims/index.html",
        "methodology/index.html",
        "gallery/index.html",
        "performance/index.html",
        "sources/cset/index.html",
        "research/aiindex_editions/index.html",
    ):
        assert (site / page).exists(), page
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    assert "aipower._surfaces.export.export" in api
    assert "Frictionless" in api
    methodology = (site / "methodology" / "index.html").read_text(encoding="utf-8")
    assert "gen:" not in methodology
    assert "unverified" in methodology
    assert not list(site.rglob("*.py"))
    for image in (repo / "docs" / "images").glob("*.png"):
        assert (site / "images" / image.name).exists()


def test_gallery_script(repo: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="matplotlib is in the test extra")
    gallery = _load(repo, "gen_gallery")
    written = gallery.render(tmp_path, dpi=60)
    names = {p.name for p in written}
    page = (repo / "docs" / "gallery.md").read_text(encoding="utf-8")
    for name in names:
        assert (tmp_path / name).stat().st_size > 8_000
        assert (repo / "docs" / "images" / name).exists(), "re-run python docs/gen_gallery.py"
        assert f"(images/{name})" in page


def test_example_notebook_executes(repo: Path, tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat", reason="the docs extra installs nbformat")
    nbclient = pytest.importorskip("nbclient", reason="the docs extra installs nbclient")
    pytest.importorskip("ipykernel", reason="the docs extra installs ipykernel")
    from jupyter_client.manager import KernelManager

    nb = nbformat.read(repo / "examples" / "tour.ipynb", as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        "commit the notebook without outputs"
    )
    km = KernelManager(kernel_name="python3", transport="ipc", ip=str(tmp_path / "kernel"))
    client = nbclient.NotebookClient(
        nb, km=km, timeout=180, resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    assert any("text/html" in o.get("data", {}) for o in outputs)
