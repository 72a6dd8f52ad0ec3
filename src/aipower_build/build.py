"""The build: curated inputs + pinned raw files -> validated Parquet tables + manifest.

Steps (each fails loudly and writes nothing):

1. read the lock (``data/raw_lock.csv``) and the curated folders in ``data/``;
2. run every ingest module in :mod:`aipower_build.ingest` (each verifies its raw files' SHA-256);
3. assemble the tables, compute claim verdicts with :mod:`aipower._claims.verdict`;
4. convert to Arrow with the schema from :mod:`aipower._spec`, read back, and validate with
   :mod:`aipower.schemas` (per-table and cross-table rules);
5. write Parquet + ``manifest.json`` atomically (:mod:`aipower_build.write`).
"""

from __future__ import annotations

import hashlib
import importlib
import pkgutil
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.errors

from aipower._core import arrow as _arrow
from aipower._core.store import Store
from aipower._spec import TABLES
from aipower_build import curated, entities, lint
from aipower_build.claims import build_claims
from aipower_build.ingest.base import IngestContext, IngestError, IngestOutput
from aipower_build.write import write_all

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = REPO / "data"
OUT_DIR = REPO / "src" / "aipower" / "data"
SOURCES_ROOT = REPO.parent / "shared" / "sources"


class BuildError(Exception):
    """The build refused its input; the message names file, row and rule."""


def read_lock(data_dir: Path) -> dict[str, str]:
    """``path -> sha256`` of every pinned raw file (``data/raw_lock.csv``)."""
    lock = entities.read_curated_csv(data_dir / "raw_lock.csv")
    return dict(zip(lock["path"], lock["sha256"], strict=True))


def ingest_modules() -> list[Any]:
    """The ingest modules: those of :mod:`aipower_build.ingest` that declare a ``FAMILY``.

    Modules without one (``base``, ``specs``, shared helpers such as ``epoch_common``) are the
    template and its parts.
    """
    import aipower_build.ingest as pkg

    names = sorted(m.name for m in pkgutil.iter_modules(pkg.__path__))
    modules = [importlib.import_module(f"aipower_build.ingest.{name}") for name in names]
    return [module for module in modules if hasattr(module, "FAMILY")]


def _data_version(data_dir: Path) -> str:
    try:
        return lint.check_data_version(data_dir)
    except lint.LintError as exc:
        raise BuildError(str(exc)) from exc


def _curated_inputs(data_dir: Path) -> dict[str, str]:
    out = {}
    for path in [*sorted(data_dir.rglob("*.csv")), data_dir / "DATA_VERSION"]:
        out[str(path.relative_to(data_dir.parent))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _check_unique(frame: pd.DataFrame, key: list[str], what: str) -> None:
    dup = frame[frame.duplicated(key, keep=False)]
    if not dup.empty:
        first = dup.iloc[0]
        places = "; ".join(
            f"{r.get('_file', '?')}, line {r.get('_row', '?')}" for _, r in dup.head(4).iterrows()
        )
        keyval = {k: _plain(first[k]) for k in key}
        raise BuildError(f"duplicate {what} key {keyval} at {places} (rule: unique keys)")


def _plain(value: Any) -> Any:
    """Return numpy scalars and NaN as plain Python, for messages."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _check_refs(frame: pd.DataFrame, column: str, allowed: set[str], what: str) -> None:
    values = frame[column]
    bad = frame[values.notna() & (values != "") & ~values.isin(allowed)]
    if not bad.empty:
        row = bad.iloc[0]
        raise BuildError(
            f"{row.get('_file', '?')}, line {row.get('_row', '?')}: unknown {what} "
            f"{row[column]!r} in column {column!r} (rule: references exist)"
        )


def _lint(data_dir: Path) -> None:
    try:
        lint.check_inputs(data_dir)  # form first: files, fields per row, NUL, formulas, dates
    except lint.LintError as exc:
        raise BuildError(str(exc)) from exc


def _vintages(src: pd.DataFrame) -> dict[str, str | None]:
    """``source_id -> vintage`` of the curated source rows (None where a row states none)."""
    return {
        sid: (v if isinstance(v, str) else None)
        for sid, v in zip(src["source_id"], src["vintage"], strict=True)
    }


def _curated(data_dir: Path) -> dict[str, pd.DataFrame]:
    """The curated tables (sources, metrics, concepts, entities, observations), key-checked."""
    src = curated.sources(data_dir)
    _check_unique(src, ["source_id"], "source")
    met = curated.metrics(data_dir)
    _check_unique(met, ["metric_id"], "metric")
    con = curated.concepts(data_dir)
    _check_unique(con, ["concept", "role"], "concept")
    try:
        ent = entities.build_entities(data_dir)
    except ValueError as exc:
        raise BuildError(str(exc)) from exc
    obs = curated.observations(data_dir, _vintages(src))
    return {"sources": src, "entities": ent, "metrics": met, "concepts": con, "observations": obs}


def _ingest(ctx: IngestContext) -> tuple[list[pd.DataFrame], dict[str, list[pd.DataFrame]]]:
    """Run every ingest module: observation frames (tagged for messages) and extra tables."""
    extra: dict[str, list[pd.DataFrame]] = {}
    ingested: list[pd.DataFrame] = []
    for module in ingest_modules():
        try:
            output: IngestOutput = module.ingest(ctx)
        except IngestError as exc:
            raise BuildError(f"ingest {module.FAMILY}: {exc}") from exc
        frame = output.observations.copy()
        frame["_file"] = f"ingest/{module.FAMILY}"
        frame["_row"] = frame["locator"]
        ingested.append(frame)
        for name, table in output.tables.items():
            extra.setdefault(name, []).append(table)
    return ingested, extra


def _verify_unread(ctx: IngestContext) -> set[str]:
    """Check the pinned files no module reads (their omission is documented); return the read."""
    read_by_ingest = set(ctx.inputs)
    for line, relpath in enumerate(ctx.lock, start=2):
        if relpath not in read_by_ingest:
            try:
                ctx.read_bytes(relpath)
            except IngestError as exc:
                raise BuildError(f"data/raw_lock.csv, line {line}: {exc}") from exc
    return read_by_ingest


def _check_values(obs: pd.DataFrame, met: pd.DataFrame) -> None:
    """Shares lie in [0, 1]; counts and amounts are >= 0 (the row's file and line named)."""
    kinds = dict(zip(met["metric_id"], met["kind"], strict=True))
    share = obs["metric_id"].map(kinds) == "share"
    bad = obs[share & ~obs["value"].between(0.0, 1.0)]
    if not bad.empty:
        row = bad.iloc[0]
        raise BuildError(
            f"{row['_file']}, line {row['_row']}: share {_plain(row['value'])!r} for "
            f"{row['metric_id']} "
            "is outside [0, 1] (rule: shares lie in [0, 1]; write percentages with "
            "printed_unit=percent)"
        )
    negative = obs[obs["metric_id"].map(kinds).isin(["count", "amount"]) & (obs["value"] < 0)]
    if not negative.empty:
        row = negative.iloc[0]
        raise BuildError(
            f"{row['_file']}, line {row['_row']}: negative {kinds[row['metric_id']]} "
            f"{_plain(row['value'])!r} for {row['metric_id']} (rule: counts and amounts are >= 0)"
        )


def _check_references(frames: dict[str, pd.DataFrame]) -> None:
    """Referential and key checks with file/line in the message (schemas re-check them after)."""
    src, met, con = frames["sources"], frames["metrics"], frames["concepts"]
    obs, ent = frames["observations"], frames["entities"]
    _check_refs(met, "default_source_id", set(src["source_id"]), "source")
    _check_refs(con, "metric_id", set(met["metric_id"]), "metric")
    _check_refs(obs, "metric_id", set(met["metric_id"]), "metric")
    _check_refs(obs, "entity_id", set(ent["entity_id"]), "entity")
    _check_refs(obs, "source_id", set(src["source_id"]), "source")
    _check_unique(obs, list(TABLES["observations"].primary_key), "observation")
    _check_values(obs, met)


def _ordered(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the table's columns (plus bookkeeping), cell-checked, sorted by its key."""
    spec = TABLES[name]
    missing = [c for c in spec.columns if c not in frame.columns]
    if missing:
        raise BuildError(f"table {name}: missing columns {missing} (rule: table columns)")
    extra_cols = [c for c in ("_file", "_row") if c in frame.columns]
    ordered = frame[list(spec.columns) + extra_cols]
    try:
        lint.check_table_cells(name, ordered)
    except lint.LintError as exc:
        raise BuildError(str(exc)) from exc
    key = list(spec.primary_key)
    return ordered.sort_values(
        key, kind="mergesort", na_position="first", key=_sort_key
    ).reset_index(drop=True)


def assemble(
    data_dir: Path = DATA_DIR, sources_root: Path = SOURCES_ROOT
) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """Read and check everything; return frames shaped like the shipped tables and the manifest."""
    _lint(data_dir)
    lock = read_lock(data_dir)
    frames = _curated(data_dir)
    ctx = IngestContext(
        sources_root=sources_root,
        lock=lock,
        resolve_name=entities.NameResolver.from_data(data_dir),
        # the one place a vintage is stated: the curated source rows
        vintages={sid: v for sid, v in _vintages(frames["sources"]).items() if v},
    )
    ingested, extra = _ingest(ctx)
    frames["observations"] = pd.concat([frames["observations"], *ingested], ignore_index=True)
    read_by_ingest = _verify_unread(ctx)
    _check_references(frames)
    cl = curated.claims(data_dir)
    _check_unique(cl, ["claim_id"], "claim")
    for name, parts in sorted(extra.items()):
        frames[name] = pd.concat(parts, ignore_index=True)
    for name in ("models", "clusters", "claims"):
        if name not in frames:
            frames[name] = pd.DataFrame({c: [] for c in TABLES[name].columns})
    out = {name: _ordered(name, frame) for name, frame in frames.items()}
    # claim verdicts come from the query code itself, run over the tables being built
    store = Store.from_tables(
        {
            n: _arrow.frame_to_arrow(out[n], n)
            for n in ("sources", "entities", "metrics", "concepts", "observations")
        }
    )
    claims = build_claims(cl, out["observations"], out["metrics"], store)
    spec = TABLES["claims"]
    out["claims"] = claims.sort_values(
        list(spec.primary_key), kind="mergesort", na_position="first", key=_sort_key
    ).reset_index(drop=True)
    manifest = {
        "data_version": _data_version(data_dir),
        "inputs": {
            "raw": {
                path: {"sha256": ctx.inputs[path], "read": path in read_by_ingest}
                for path in sorted(ctx.inputs)
            },
            "curated": _curated_inputs(data_dir),
        },
    }
    return out, manifest


def _sort_key(col: pd.Series) -> pd.Series:  # type: ignore[type-arg]
    return col.map(
        lambda v: (
            ""
            if v is None or (isinstance(v, float) and v != v)
            else str(v)
            if not isinstance(v, int | float)
            else v
        )
    )


def to_arrow_validated(frames: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Convert to Arrow, read back exactly as users will see it, validate with the schemas."""
    import aipower.schemas as schemas

    tables = {name: _arrow.frame_to_arrow(frame, name) for name, frame in frames.items()}
    shipped = {name: _arrow.arrow_to_frame(table, name) for name, table in tables.items()}
    for name in shipped:
        try:
            schemas.validate_tables({n: shipped[n] for n in shipped if n == name}, lazy=True)
        except pandera.errors.SchemaErrors as exc:
            raise BuildError(_explain(name, frames[name], exc)) from exc
    try:
        schemas.validate_tables(shipped, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        table = next((n for n in frames if str(exc.schema.name).startswith(n)), "observations")
        raise BuildError(_explain(table, frames[table], exc)) from exc
    return tables


def _explain(name: str, frame: pd.DataFrame, exc: pandera.errors.SchemaErrors) -> str:
    """Turn pandera failure cases into ``file, line N: column value breaks rule`` lines."""
    lines = [f"table {name} breaks {len(exc.failure_cases)} rule check(s) (aipower.schemas):"]
    for _, case in exc.failure_cases.head(15).iterrows():
        index = case.get("index")
        place = "table-level"
        if index is not None and index == index and "_file" in frame.columns:
            try:
                row = frame.loc[int(index)]
                place = f"{row['_file']}, line {row['_row']}"
            except (KeyError, ValueError, TypeError):
                place = f"row {index}"
        lines.append(
            f"  {place}: column {case.get('column')!r} value {case.get('failure_case')!r} "
            f"breaks {case.get('check')}"
        )
    return "\n".join(lines)


def build(
    data_dir: Path = DATA_DIR, out_dir: Path = OUT_DIR, sources_root: Path = SOURCES_ROOT
) -> dict[str, Any]:
    """Run the whole build; returns the manifest. Nothing is written if any step fails."""
    try:
        frames, manifest = assemble(data_dir, sources_root)
    except (curated.CuratedError, IngestError) as exc:
        raise BuildError(str(exc)) from exc
    tables = to_arrow_validated(frames)
    return write_all(out_dir, tables, manifest)
