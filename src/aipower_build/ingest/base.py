"""The one shape every ingest module follows.

An ingest module (``src/aipower_build/ingest/<family>.py``) declares, at module level:

``FAMILY``
    short name of the source family, e.g. ``"cset"``.
``FILES``
    tuple of raw file paths, relative to ``../shared/sources``, that it reads. Each must be
    listed in ``data/raw_lock.csv`` with its SHA-256; :meth:`IngestContext.read_csv` refuses a
    file whose hash differs from the lock.
``ingest(ctx: IngestContext) -> IngestOutput``
    reads its files through ``ctx``, maps names to entity ids with ``ctx.entity_id`` and returns
    plain pandas frames whose columns are those of the shipped tables (see ``COLUMNS`` below).

Sources and metric definitions live in ``data/sources/<family>.csv`` and
``data/metrics/<family>.csv`` (curated, reviewed like code), not in the module.
The build validates everything the modules return with ``aipower.schemas``.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pandas as pd

#: Columns of the frames an ingest module returns (extra columns are an error).
OBSERVATION_COLUMNS: tuple[str, ...] = (
    "metric_id",
    "entity_id",
    "year",
    "date",
    "value",
    "source_id",
    "vintage",
    "locator",
    "status",
    "priority",
    "note",
    "derived_from",
    "inputs",  # list[str]: keys of the rows a derived value is computed from
    "read_in",  # source_id of the copy read (curated rows only; None for raw files)
    "confirmation",  # what confirms an inferred value (curated rows only)
)


class IngestError(Exception):
    """A raw file or its content breaks a rule; the message names file, row and rule."""


@attrs.frozen
class IngestOutput:
    """What one ingest module hands to the build."""

    observations: pd.DataFrame
    #: optional extra tables, keyed by table name (``"models"``, ``"clusters"``)
    tables: dict[str, pd.DataFrame] = attrs.field(factory=dict)


@attrs.define
class IngestContext:
    """Gives ingest modules checked access to the pinned raw files and the entity map."""

    sources_root: Path
    lock: dict[str, str]
    #: called as ``resolve_name(name, file)``; ``file`` lets one spelling mean different
    #: entities in different source folders (e.g. "Europe" in CSET vs OWID files)
    resolve_name: Callable[[str, str], str | None]
    #: relative paths read so far, with their SHA-256 (goes into the manifest)
    inputs: dict[str, str] = attrs.field(factory=dict)

    def read_bytes(self, relpath: str) -> bytes:
        """Read a raw file after checking its SHA-256 against ``data/raw_lock.csv``."""
        if relpath not in self.lock:
            raise IngestError(
                f"{relpath}: not listed in data/raw_lock.csv (rule: every raw input is pinned)"
            )
        path = self.sources_root / relpath
        if not path.is_file():
            raise IngestError(
                f"{relpath}: missing under {self.sources_root} (rule: pinned raw file must exist)"
            )
        blob = path.read_bytes()
        digest = hashlib.sha256(blob).hexdigest()
        if digest != self.lock[relpath]:
            raise IngestError(
                f"{relpath}: SHA-256 {digest} differs from the lock {self.lock[relpath]} "
                "(rule: raw files must match data/raw_lock.csv; a new vintage needs a new folder "
                "and a new lock line)"
            )
        self.inputs[relpath] = digest
        return blob

    def read_csv(self, relpath: str, **kwargs: object) -> pd.DataFrame:
        """Read a pinned CSV as strings (no NA guessing: Namibia's ``NA`` stays ``NA``)."""
        blob = self.read_bytes(relpath)
        try:
            options: dict[str, Any] = {"dtype": str, "keep_default_na": False, "na_values": []}
            options.update(kwargs)
            frame: pd.DataFrame = pd.read_csv(io.BytesIO(blob), **options)
            return frame
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
            raise IngestError(f"{relpath}: malformed CSV ({exc}) (rule: parseable CSV)") from exc

    def entity_id(self, name: str, *, file: str) -> str:
        """Map a name as spelt in a raw file to an entity id, or raise naming the file."""
        eid = self.resolve_name(name, file)
        if eid is None:
            raise IngestError(
                f"{file}: entity name {name!r} is not mapped (rule: add it to "
                "data/entities/country_names.csv or data/entities/aggregates.csv)"
            )
        return eid


def observations_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Build an observations frame with exactly :data:`OBSERVATION_COLUMNS`, filling defaults."""
    frame = pd.DataFrame(rows, columns=list(OBSERVATION_COLUMNS))
    frame["priority"] = frame["priority"].fillna(0).astype("int64")
    frame["inputs"] = [list(v) if isinstance(v, (list, tuple)) else [] for v in frame["inputs"]]
    for col in ("read_in", "confirmation"):
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    return frame


#: Columns of the ``models`` table (one row per model per Epoch file/vintage).
#: Lists are Python lists of str; dates are ``datetime.date`` or None; numbers float or NaN.
MODEL_COLUMNS: tuple[str, ...] = (
    "model_id",  # stable slug of the model name, e.g. "deepseek_v3"
    "name",
    "organizations",  # list[str]
    "countries",  # list[str] of entity ids (ISO3; HKG kept apart from CHN)
    "published",  # date
    "domain",  # list[str]
    "parameters",
    "training_compute_flop",
    "confidence",
    "training_hardware",
    "hardware_quantity",
    "training_chip_hours",
    "accessibility",
    "open_weights",  # bool or None (unknown)
    "notability",  # list[str]
    "dataset",  # "notable" / "all" / "large_scale" / "frontier": which Epoch file
    "vintage",
    "source_id",
)

#: Columns of the ``clusters`` table (Epoch GPU clusters).
CLUSTER_COLUMNS: tuple[str, ...] = (
    "cluster_id",  # stable slug of the name
    "name",
    "owner",
    "countries",  # list[str] of entity ids
    "h100_equivalents",
    "power_mw",
    "status",  # Existing / Planned / Decommissioned
    "certainty",
    "single_cluster",  # bool or None
    "sector",
    "first_operational",  # date or None
    "superseded_by",
    "vintage",
    "source_id",
)
