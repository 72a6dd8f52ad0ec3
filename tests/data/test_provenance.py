"""Provenance of what was actually read (issue 18): the copy, the rows counted, the pairings.

* every value read in a copy names the copy in the typed ``read_in`` field, and no ``verified``
  value rests on a copy;
* every derived value lists the keys of the rows it is computed from, and 100 random derived
  values are recomputed from those keys alone;
* an ``inferred`` value always states what confirms it;
* every metric's declared kind and unit fit the values it holds.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import random
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import aipower
from aipower_build.build import SOURCES_ROOT

#: words that, in the note of a row, say the value was seen in a copy rather than the source
COPY_WORDS = re.compile(
    r"verbatim copy|secondary copy|seen only in|seen in [a-z0-9_]+_|as reported by|"
    r"republished|quoted on|read in (?:a|the) (?:digest|copy|blog)",
    re.IGNORECASE,
)

#: rows known to have been read in a copy that aipower cannot name as a source of its own
UNNAMED_COPIES: set[tuple[str, str, int]] = set()


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    return aipower.table("observations")


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return aipower.table("sources").set_index("source_id")


# -- 1. the copy actually read ----------------------------------------------------------------
def test_no_verified_row_rests_on_a_copy(obs: pd.DataFrame) -> None:
    verified = obs[obs["status"] == "verified"]
    assert verified["read_in"].isna().all(), verified[verified["read_in"].notna()]
    notes = verified["note"].fillna("")
    mentions = verified[notes.str.contains(COPY_WORDS)]
    assert mentions.empty, mentions[["metric_id", "entity_id", "year", "source_id", "note"]]


def test_no_verified_row_comes_from_a_secondary_source(
    obs: pd.DataFrame, sources: pd.DataFrame
) -> None:
    primary = obs["source_id"].map(sources["primary"])
    assert not (primary.eq(False) & obs["status"].eq("verified")).any()


def test_rows_seen_in_a_copy_name_it(obs: pd.DataFrame) -> None:
    curated = obs[obs["source_id"].str.match(r"^(aiindex_|macropolo|mit_hf|deepseek)")]
    text = curated["note"].fillna("") + " " + curated["locator"]
    said = curated[text.str.contains(COPY_WORDS)]
    said = said[said["status"] == "secondary"]
    unnamed = {
        (r.metric_id, r.entity_id, int(r.year))
        for r in said.itertuples(index=False)
        if r.read_in is None or r.read_in != r.read_in
    }
    # Ipsos figures are read in the AI Index itself (filed under it), not in a copy of it
    unnamed = {k for k in unnamed if k[0] != "optimism"}
    assert unnamed == UNNAMED_COPIES


def test_read_in_names_a_source_of_its_own(obs: pd.DataFrame, sources: pd.DataFrame) -> None:
    copies = obs[obs["read_in"].notna()]
    assert (
        len(copies) == 79
    )  # AI Index 2024 29, MacroPolo 42, AI Index 2026 3, MIT-HF 2, DeepSeek 3
    assert (copies["read_in"] != copies["source_id"]).all()
    for copy in copies["read_in"].unique():
        row = sources.loc[copy]
        assert row["title"], copy
        assert row["how_read"], copy
        # no address recorded: the blog post, and the GitHub copy known only by its index id
        assert row["url"] or copy in ("cafeai_2025_12_01_downloads", "deepseek_v3_bilingual_copy")
        # the GitHub module's date is not known (its how_read says so)
        undated = ("conseilprev_observatoire_ia", "deepseek_v3_bilingual_copy")
        assert row["published"] or row["vintage"] or copy in undated, copy


def test_macropolo_takeaways_read_in_copies_are_secondary() -> None:
    mobility = aipower.get("talent_mobility_share", entity="WORLD", year=2019)
    assert mobility.value == 0.53
    assert mobility.status == "secondary"
    assert mobility.read_in is not None
    assert mobility.read_in.source_id == "infoproc_2021_01_talent_flows"
    assert (
        mobility.read_in.url == "https://infoproc.blogspot.com/2021/01/global-ai-talent-flows.html"
    )
    undergrad = aipower.get_share("talent_share_undergrad", country="CN", year=2022)
    assert (undergrad.percent, undergrad.status) == (47, "secondary")
    assert undergrad.read_in is not None
    assert undergrad.read_in.source_id == "damienma_talent_tracker_2"
    # the 2019 share was read on the stored tracker page itself and stays verified
    first = aipower.get_share("talent_share_undergrad", country="CN", year=2019)
    assert (first.percent, first.status, first.read_in) == (29, "verified", None)


def test_ipsos_figures_republished_by_the_ai_index_are_secondary() -> None:
    china = aipower.get_share("optimism", country="China", year=2024)
    assert (china.percent, china.status) == (83, "secondary")
    claim = aipower.claim("D8")
    assert claim.verdict == "unverified"
    assert "republishes it from another source" in claim.explanation


def test_repr_describe_and_html_name_the_copy() -> None:
    o = aipower.get("notable_models", country="FR", year=2023, source="aiindex_2024")
    assert o.read_in is not None
    assert o.read_in.source_id == "tingwei_aiindex_2024_digest"
    assert repr(o).endswith(", secondary, read in tingwei_aiindex_2024_digest)")
    card = o._repr_html_()
    assert "read in a copy" in card
    assert "tingwei161803" in card
    verified = aipower.get("notable_models", country="US", year=2023, source="aiindex_2024")
    assert "read in" not in repr(verified)
    assert "read in a copy" not in verified._repr_html_()
    text = aipower.describe("talent_share_undergrad", echo=False)
    assert "read not in their source but in a copy" in text
    assert "damienma_talent_tracker_2 (1)" in text


def test_export_carries_read_in_and_inputs(tmp_path: Path) -> None:
    aipower.export(tmp_path, format="csv")
    with (tmp_path / "observations.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {"read_in", "inputs", "confirmation"} <= set(rows[0])
    copies = {r["read_in"] for r in rows if r["read_in"]}
    assert "tingwei_aiindex_2024_digest" in copies
    counted = [r for r in rows if r["metric_id"] == "notable_models" and r["inputs"]]
    assert counted
    assert all(";" in r["inputs"] or r["inputs"] for r in counted)


def test_claims_page_names_the_copy() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "gen_pages", Path(__file__).resolve().parents[2] / "docs" / "gen_pages.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = module.claims_page()
    # C4a is decided by a MacroPolo chart figure read in China Banking News
    block = page.split("### C4a", 1)[1].split("###", 1)[0]
    assert "read in the copy `chinabankingnews_2020_06_10`" in block


# -- 2. derivation inputs -------------------------------------------------------------------------
def test_every_derived_row_lists_its_inputs(obs: pd.DataFrame) -> None:
    derived = obs[obs["derived_from"].notna()]
    assert len(derived) > 3000
    empty = derived[derived["inputs"].map(len) == 0]
    # only counts of zero have no inputs
    assert (empty["value"] == 0).all(), empty[["metric_id", "entity_id", "year", "value"]]
    assert obs[obs["derived_from"].isna()]["inputs"].map(len).eq(0).all()


def test_eci_best_lists_every_tied_version() -> None:
    best = aipower.get("eci_best", country="CN", year=2024)
    d = aipower.derivation(best)
    assert d.table is None
    assert d.key == "id_model_version"
    assert d.inputs == ("DeepSeek-V3", "DeepSeek-V3-Base")
    with pytest.raises(ValueError, match="raw file"):
        d.rows()
    frame = aipower.table("observations")
    eci = frame[frame["metric_id"] == "eci_best"]
    assert (eci["inputs"].map(len) > 1).sum() == 59
    assert len(eci) == 82


def test_accelerator_gap_lists_both_sides_in_the_accelerators_table() -> None:
    gap = aipower.get("accelerator_16bit_gap_us_china", entity="US_CHINA", year=2018)
    d = aipower.derivation(gap)
    assert (d.table, d.key) == ("accelerators", "accelerator_id")
    # four V100 boards tie at 125 TFLOP/s (tensor FP16) for the USA; one Huawei chip for China
    assert d.sides() == {
        "USA": (
            "nvidia_tesla_v100_dgxs_16_gb",
            "nvidia_tesla_v100_dgxs_32_gb",
            "nvidia_tesla_v100_sxm2_32_gb",
            "nvidia_tesla_v100_sxm3_32_gb",
        ),
        "CHN": ("huawei_ascend_310",),
    }
    rows = d.rows()
    assert rows["accelerator_id"].tolist() == [k.split(": ", 1)[1] for k in d.inputs]
    assert rows["designer_country"].tolist() == ["USA"] * 4 + ["CHN"]
    assert gap.value == 15.625


def test_accelerator_inputs_are_exactly_the_tied_accelerators(obs: pd.DataFrame) -> None:
    """No tied accelerator is left out: recomputed from the shipped table for every row."""
    acc = aipower.table("accelerators")
    acc = acc[acc["released"].notna()]
    best = obs[
        obs["metric_id"].isin(["accelerator_best_16bit_flops", "accelerator_best_fp8_flops"])
    ]
    assert len(best) == 22
    for r in best.itertuples(index=False):
        pool = acc[
            (acc["designer_country"] == r.entity_id)
            & (acc["released"].map(lambda t: t.year) == r.year)
        ]
        figures = {
            a: _accelerator_figure(row, _ACCELERATOR_COLUMNS[r.metric_id])
            for a, row in pool.set_index("accelerator_id").iterrows()
            if not all(pd.isna(row[c]) for c in _ACCELERATOR_COLUMNS[r.metric_id])
        }
        top = max(figures.values())
        assert r.value == top, r
        assert list(r.inputs) == sorted(a for a, f in figures.items() if f == top), r


def test_arena_inputs_are_raw_file_model_names() -> None:
    gap = aipower.get("arena_rating_gap_us_china", entity="US_CHINA", year=2025)
    assert gap.date == dt.date(2025, 12, 11)  # the latest snapshot of the year comes first
    d = aipower.derivation(gap)
    assert d.table is None
    assert d.key.startswith("model name")
    assert d.sides() == {"USA": ("gemini-3-pro",), "CHN": ("ernie-5.0-preview-1103",)}
    with pytest.raises(ValueError, match="raw file"):
        d.rows()


def test_derivation_lists_the_models_counted() -> None:
    o = aipower.get("notable_models", country="CN", year=2023, source="epoch_notable_2026_08")
    d = aipower.derivation(o)
    assert d.table == "models"
    assert d.key == "model_id"
    rows = d.rows()
    assert len(rows) == len(d.inputs) == o.value == 23
    assert rows["model_id"].tolist() == list(d.inputs)
    assert rows["countries"].map(lambda c: "CHN" in c).all()
    assert rows["published"].map(lambda p: p.year).eq(2023).all()


def test_derivation_refuses_a_value_that_was_read() -> None:
    s = aipower.get_share("patents", country="CN", year=2023, source="aiindex_2025")
    with pytest.raises(ValueError, match="not derived"):
        aipower.derivation(s)
    with pytest.raises(TypeError, match="Observation"):
        aipower.derivation("notable_models")


def _raw_eci() -> dict[str, tuple[Decimal, dt.date, str]]:
    path = SOURCES_ROOT / "epoch" / "benchmarked_models_2026-08" / "benchmarked_models.csv"
    if not path.is_file():
        pytest.skip(f"raw sources not found at {path}")
    out = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(io.StringIO(fh.read())):
            if rec["eci"].strip() and rec["Version release date"].strip():
                out[rec["id_model_version"].strip()] = (
                    Decimal(rec["eci"].strip()),
                    dt.date.fromisoformat(rec["Version release date"].strip()[:10]),
                    rec["Country (of organization)"],
                )
    return out


_COUNTRY_WORD = {"USA": "United States of America", "CHN": "China"}


def _recompute(o: aipower.Observation, raw: dict[str, tuple[Decimal, dt.date, str]]) -> float:
    """The value of a derived observation computed from its input keys alone."""
    d = aipower.derivation(o)
    if o.metric_id in ("eci_best", "eci_gap_us_china"):
        best = {}
        for side, keys in (
            d.sides() if o.metric_id == "eci_gap_us_china" else {o.entity_id: d.inputs}
        ).items():
            scores = {raw[k][0] for k in keys}
            assert len(scores) == 1, (o, keys)  # the inputs are the versions tied at the best
            assert o.date is not None
            for k in keys:
                assert raw[k][1] <= o.date
                assert _COUNTRY_WORD[side] in raw[k][2]
            best[side] = scores.pop()
        if o.metric_id == "eci_best":
            return float(best[o.entity_id])
        return float(best["USA"] - best["CHN"])
    if o.metric_id.startswith("accelerator_"):
        return _recompute_accelerator(o, d)
    if o.metric_id.startswith("arena_"):
        return _recompute_arena(o, d)
    if not d.inputs:
        return 0.0
    rows = d.rows()
    assert rows["model_id" if d.table == "models" else "cluster_id"].tolist() == list(d.inputs)
    if d.table == "models":
        assert rows["published"].map(lambda p: p.year).eq(o.year).all()
        if o.entity_id != "WORLD":
            assert rows["countries"].map(lambda c: o.entity_id in c).all()
        if o.metric_id == "notable_models":
            return float(len(rows))
        if o.metric_id == "notable_models_open_weights":
            assert rows["open_weights"].eq(True).all()
            return float(len(rows))
        if o.metric_id == "max_training_compute_flop":
            return float(rows["training_compute_flop"].max())
    if d.table == "clusters":
        assert rows["status"].eq("Existing").all()

        def total(frame: pd.DataFrame, ent: str) -> float:
            return float(
                sum(
                    h / (len(c) or 1)
                    for h, c in zip(frame["h100_equivalents"], frame["countries"], strict=True)
                    if ent in ("WORLD", "UNKNOWN") or ent in c
                )
            )

        mine = total(rows, o.entity_id)
        if o.metric_id == "h100e_capacity":
            return mine
        if o.metric_id == "h100e_capacity_share":
            world = aipower.get("h100e_capacity", entity="WORLD", year=o.year)
            return mine / total(aipower.derivation(world).rows(), "WORLD")
    raise AssertionError(f"no recomputation for {o.metric_id}")


#: accelerator metric -> accelerators-table columns whose largest reported figure it takes
_ACCELERATOR_COLUMNS = {
    "accelerator_best_16bit_flops": ("tensor_fp16_bf16_flops", "fp16_flops"),
    "accelerator_16bit_gap_us_china": ("tensor_fp16_bf16_flops", "fp16_flops"),
    "accelerator_best_fp8_flops": ("fp8_flops",),
}


def _accelerator_figure(row: pd.Series, columns: tuple[str, ...]) -> float:  # type: ignore[type-arg]
    figures = [float(row[c]) for c in columns if not pd.isna(row[c])]
    assert figures, row
    return max(figures)


def _recompute_accelerator(o: aipower.Observation, d: aipower.Derivation) -> float:
    """Best figure per side from the shipped accelerators rows named in the inputs."""
    assert d.table == "accelerators"
    sides = d.sides() if o.metric_id.endswith("_gap_us_china") else {o.entity_id: d.inputs}
    rows = d.rows().set_index("accelerator_id")
    assert sorted(rows.index) == sorted(k for keys in sides.values() for k in keys)
    best = {}
    for side, keys in sides.items():
        figures = set()
        for k in keys:
            row = rows.loc[k]
            assert row["designer_country"] == side, (o, k)
            assert row["released"].year == o.year, (o, k)
            figures.add(_accelerator_figure(row, _ACCELERATOR_COLUMNS[o.metric_id]))
        assert len(figures) == 1, (o, keys)  # the inputs are the accelerators tied at the best
        best[side] = figures.pop()
    if o.metric_id.endswith("_gap_us_china"):
        return best["USA"] / best["CHN"]
    return best[o.entity_id]


_ARENA = SOURCES_ROOT / "lmarena" / "arena_catalog_2025"


def _recompute_arena(o: aipower.Observation, d: aipower.Derivation) -> float:
    """Best rating per side from the raw snapshot file, read for the input models only."""
    assert d.table is None
    name = o.locator.split(",", 1)[0]
    path = _ARENA / name
    if not path.is_file():
        pytest.skip(f"raw sources not found at {path}")
    assert o.date is not None
    assert name.startswith(f"leaderboard-text_{o.date.isoformat()}_")
    board = json.loads(path.read_text(encoding="utf-8"))["full"]
    sides = d.sides() if o.metric_id.endswith("_gap_us_china") else {o.entity_id: d.inputs}
    assert set(sides) == ({"USA", "CHN"} if len(sides) == 2 else {o.entity_id})
    best = {}
    for side, keys in sides.items():
        ratings = {float(board[k]["rating"]) for k in keys}
        assert len(ratings) == 1, (o, keys)  # the inputs are the models tied at the best
        best[side] = ratings.pop()
    if o.metric_id == "arena_top_rating":
        return best[o.entity_id]
    if o.metric_id == "arena_rating_gap_us_china":
        return best["USA"] - best["CHN"]
    if o.metric_id == "arena_relative_gap_us_china":
        return (best["USA"] - best["CHN"]) / best["CHN"]
    raise AssertionError(f"no recomputation for {o.metric_id}")


def test_recompute_100_random_derived_rows_from_their_inputs_alone(obs: pd.DataFrame) -> None:
    raw = _raw_eci()
    derived = obs[obs["derived_from"].notna()]
    # every kind of derived metric is drawn, the rest at random (fixed seed: reproducible)
    rng = random.Random(18)
    picks = [g.index[rng.randrange(len(g))] for _, g in derived.groupby("metric_id")]
    rest = [i for i in derived.index if i not in set(picks)]
    picks += rng.sample(rest, 100 - len(picks))
    assert len(picks) == 100
    for i in picks:
        r = derived.loc[i]
        date = None if pd.isna(r["date"]) else r["date"]
        candidates = aipower.get_all(r["metric_id"], entity=r["entity_id"], year=int(r["year"]))
        o = next(
            c
            for c in candidates
            if c.source_id == r["source_id"] and c.date == date and c.priority == r["priority"]
        )
        assert math.isclose(_recompute(o, raw), o.value, rel_tol=1e-9, abs_tol=1e-12), o


# -- 3. inferred values state their confirmation --------------------------------------------------
def test_every_inferred_row_states_a_confirmation(obs: pd.DataFrame) -> None:
    inferred = obs[obs["status"] == "inferred"]
    assert len(inferred) == 34
    assert inferred["confirmation"].notna().all()
    assert obs[obs["status"] != "inferred"]["confirmation"].isna().all()


def test_unconfirmed_pairings_of_fig_1_1_11_are_dropped() -> None:
    """Regression: the 2021-2022 runs of a chart sorted by 2023 were paired by position."""
    for year in (2021, 2022):
        for country in ("DE", "HK", "CA", "KR", "GB", "AE", "IL", "SG"):
            with pytest.raises(aipower.NoDataError):
                aipower.get(
                    "top100_cited_publications",
                    country=country,
                    year=year,
                    source="aiindex_2025",
                )
    kept = aipower.get("top100_cited_publications", country="DE", year=2023, source="aiindex_2025")
    assert (kept.value, kept.status) == (7, "inferred")
    assert kept.confirmation is not None
    assert "Figure 1.6.11" in kept.confirmation
    not_found = (Path(__file__).resolve().parents[2] / "docs/research/not_found.md").read_text()
    assert "Figure 1.1.11" in not_found
    assert "2021" in not_found


def test_ai_index_2026_locators_give_printed_and_pdf_pages() -> None:
    o = aipower.get("top100_cited_publications", country="US", year=2024, source="aiindex_2026")
    assert o.locator.startswith("Chapter 1, Figure 1.6.11, p. 54 [PDF p. 55]")
    late = aipower.get("private_investment", country="US", year=2025, source="aiindex_2026")
    assert "p. 182 [PDF p. 182]" in late.locator


# -- 4. kinds and units fit the values -----------------------------------------------------------
def _whole(v: float) -> bool:
    return float(v).is_integer()


#: what each metric kind admits (a mapping as data, not an if-chain)
KIND_RULES = {
    "share": lambda v, unit: unit == "fraction" and 0.0 <= v <= 1.0,
    "count": lambda v, unit: unit != "fraction" and v >= 0 and _whole(v),
    "amount": lambda v, unit: unit != "fraction" and v >= 0,
    "duration": lambda v, unit: "hour" in unit and v >= 0,
    "rate": lambda v, unit: (" per " in unit or unit.startswith("per ") or "/" in unit) and v >= 0,
    "index": lambda v, unit: unit != "fraction" and math.isfinite(v),
    "score": lambda v, unit: unit != "fraction" and math.isfinite(v),
    "gap": lambda v, unit: math.isfinite(v),
}


def test_every_metric_kind_and_unit_fit_its_values(obs: pd.DataFrame) -> None:
    metrics = aipower.table("metrics").set_index("metric_id")
    assert set(metrics["kind"]) <= set(KIND_RULES)
    bad = []
    for metric_id, group in obs.groupby("metric_id"):
        kind, unit = metrics.loc[metric_id, "kind"], metrics.loc[metric_id, "unit"]
        misfits = [v for v in group["value"] if not KIND_RULES[kind](float(v), unit)]
        if misfits:
            bad.append((metric_id, kind, unit, misfits[:3]))
    assert bad == []


def test_h100e_capacity_is_an_amount_not_a_count() -> None:
    """Regression: h100e_capacity was typed as a count but holds fractional sums."""
    m = aipower.metric("h100e_capacity")
    assert (m.kind, m.unit) == ("amount", "H100-equivalents")
    world = aipower.get("h100e_capacity", entity="WORLD", year=2025)
    assert not float(world.value).is_integer()


def test_eci_inputs_are_exactly_the_tied_versions_of_the_raw_file(obs: pd.DataFrame) -> None:
    """No tied version is left out: recomputed from the raw file for every month end."""
    raw = _raw_eci()
    best = obs[obs["metric_id"] == "eci_best"]
    for r in best.itertuples(index=False):
        pool = {
            k: score
            for k, (score, released, countries) in raw.items()
            if released <= r.date and _COUNTRY_WORD[r.entity_id] in countries
        }
        top = max(pool.values())
        assert sorted(r.inputs) == sorted(k for k, s in pool.items() if s == top), r
