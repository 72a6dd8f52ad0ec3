"""Every field of the spec, defined once (PUDL's ``fields.py`` idea).

A *field* is a column meaning: its id, the column name tables give it, its type, its unit, the
code list or pattern its values keep to, and its definition. Tables (:mod:`aipower._spec.tables`)
do not declare columns: they refer to a field by id with :func:`column`, adding only what is
particular to that table (nullability, uniqueness, bounds, references, and the shipped wording
of the column's description where it is narrower than the definition). Two columns that share a
name but not a meaning are two fields: ``observations.status`` (field ``status``, a status code)
and ``clusters.status`` (field ``cluster_status``, Epoch's operational status of a cluster).

Import-light: no pandas, pandera or pyarrow.
"""

from __future__ import annotations

from typing import Any

import attrs

from aipower._spec.codes import (
    CONCEPT_ROLES,
    ENTITY_KINDS,
    LICENSES,
    METRIC_KINDS,
    SOURCE_KINDS,
    STATUSES,
    VERDICTS,
    Dtype,
)

_ID = r"^[a-z0-9][a-z0-9_]*$"
_ENTITY_ID = r"^[A-Z0-9][A-Z0-9_]*$"
_VINTAGE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


@attrs.frozen
class Definition:
    """A field of the spec: what a column means, whichever table has it.

    Example:
        >>> FIELDS["cluster_status"].column, FIELDS["status"].isin == STATUSES
        ('status', True)
    """

    id: str
    dtype: Dtype
    #: what the field means, in one or two sentences (the data dictionary's glossary)
    definition: str
    #: column name in the tables (the id, unless two fields share a column name)
    column: str
    unit: str | None = None
    #: regular expression every non-null value must match (in every table that has the field)
    pattern: str | None = None
    #: the code list the values come from
    isin: tuple[str, ...] | None = None


@attrs.frozen
class Field:
    """One column of a shipped table: a field of the spec plus this table's constraints.

    Build columns with :func:`column`, which takes the type, unit, pattern and code list from
    the field's :class:`Definition`.

    Example:
        >>> Field("year", "int", "Period the value describes.", ge=1900).dtype
        'int'
    """

    name: str
    dtype: Dtype
    #: the description shipped with the column (Parquet field metadata, Table Schema)
    description: str
    nullable: bool = False
    unique: bool = False
    isin: tuple[str, ...] | None = None
    ge: float | None = None
    le: float | None = None
    #: regular expression every non-null value must match
    pattern: str | None = None
    #: ``"table.column"`` this column references
    references: str | None = None
    unit: str | None = None
    #: id of the field in :data:`FIELDS` (``None`` only for a column built by hand)
    field_id: str | None = None

    @property
    def definition(self) -> str:
        """The field's definition (the column's own description when built by hand)."""
        return FIELDS[self.field_id].definition if self.field_id else self.description


def _define(
    id: str,
    dtype: Dtype,
    definition: str,
    *,
    column: str | None = None,
    unit: str | None = None,
    pattern: str | None = None,
    isin: tuple[str, ...] | None = None,
) -> Definition:
    return Definition(id, dtype, definition, column or id, unit, pattern, isin)


def column(field_id: str, description: str | None = None, **constraints: Any) -> Field:
    """The column of field ``field_id`` in one table, with that table's constraints.

    Args:
        field_id: A key of :data:`FIELDS`.
        description: The column's shipped wording, when narrower than the field's definition.
        **constraints: ``nullable``, ``unique``, ``ge``, ``le``, ``references``, or a
            ``pattern`` / ``isin`` replacing the field's.

    Example:
        >>> column("vintage").pattern == FIELDS["vintage"].pattern
        True
    """
    d = FIELDS[field_id]
    constraints.setdefault("pattern", d.pattern)
    constraints.setdefault("isin", d.isin)
    return Field(
        d.column,
        d.dtype,
        description if description is not None else d.definition,
        unit=d.unit,
        field_id=field_id,
        **constraints,
    )


#: Every field, by id, in the order the tables first use them.
FIELDS: dict[str, Definition] = {
    d.id: d
    for d in (
        _define(
            "source_id",
            "str",
            "Identifier of a source: a row of the sources table, one document or dataset release.",
        ),
        _define(
            "family",
            "str",
            "Series the source belongs to; releases of one family are vintages of each other "
            "(e.g. the AI Index editions).",
            pattern=_ID,
        ),
        _define("source_kind", "str", "Kind of document.", column="kind", isin=SOURCE_KINDS),
        _define("publisher", "str", "Organisation that published it."),
        _define(
            "title",
            "str",
            "Short title of a source or metric, as published or as aipower gives it.",
        ),
        _define("url", "str", "Canonical URL; null when not verified."),
        _define(
            "published",
            "str",
            "Publication date (YYYY, YYYY-MM or YYYY-MM-DD); null when not established.",
            pattern=_VINTAGE,
        ),
        _define(
            "vintage",
            "str",
            "Release (edition) of a source a row comes from: YYYY, YYYY-MM or YYYY-MM-DD.",
            pattern=_VINTAGE,
        ),
        _define("license", "str", "SPDX-style licence id of the content.", isin=LICENSES),
        _define("primary", "bool", "True for a primary source, false for a secondary one."),
        _define("citation", "str", "Citation string composed by aipower."),
        _define("how_read", "str", "Which copy aipower read and how."),
        _define(
            "entity_id",
            "str",
            "Identifier of an entity: ISO 3166-1 alpha-3 for countries, an upper-case slug "
            "otherwise.",
        ),
        _define("entity_kind", "str", "Kind of entity.", column="kind", isin=ENTITY_KINDS),
        _define(
            "name",
            "str",
            "Name of what a row describes (an entity, a model, a cluster, an accelerator).",
        ),
        _define("iso2", "str", "ISO 3166-1 alpha-2 code (countries only)."),
        _define("iso3", "str", "ISO 3166-1 alpha-3 code (countries only)."),
        _define("aliases", "list[str]", "Other names and codes that resolve to this entity."),
        _define("members", "list[str]", "Member entity ids (aggregates; empty when unknown)."),
        _define("definition", "str", "What a row covers or counts, in aipower's words."),
        _define("defined_by", "str", "Source whose definition is used."),
        _define("country", "str", "Home country of an organisation or model."),
        _define("metric_id", "str", "Identifier of a metric: a row of the metrics table."),
        _define(
            "concept",
            "str",
            "Short concept word shared by related metrics, e.g. 'patents'.",
            pattern=_ID,
        ),
        _define("metric_kind", "str", "Kind of quantity.", column="kind", isin=METRIC_KINDS),
        _define("unit", "str", "Canonical unit of every value."),
        _define("basis", "str", "Counting basis."),
        _define("default_source_id", "str", "Source used when a query names none."),
        _define(
            "role",
            "str",
            "'value' (get, series, compare) or 'share' (get_share).",
            isin=CONCEPT_ROLES,
        ),
        _define(
            "year",
            "int",
            "Period (calendar year) a value or claim is about, not the year it was published.",
        ),
        _define("date", "date", "Date for sub-year values."),
        _define("value", "float", "Value in the metric's canonical unit."),
        _define(
            "locator",
            "str",
            "Where in the source (figure/page, or file and row key).",
            pattern="\\S",
        ),
        _define(
            "status",
            "str",
            "How an observation's value was established: one of the status codes of "
            "aipower._spec.codes (verified, secondary, inferred, derived, incomplete).",
            isin=STATUSES,
        ),
        _define(
            "priority",
            "int",
            "0 = returned by default; >0 = alternative reading in the same source.",
        ),
        _define("note", "str", "Remark in aipower's words."),
        _define("derived_from", "str", "Rule of a derived value."),
        _define(
            "inputs",
            "list[str]",
            "Keys of the rows a derived value is computed from (model_id or cluster_id in the "
            "models/clusters table of the same source and vintage, or the raw file's row key, "
            "prefixed by the entity it counts for where a rule has two sides); empty for values "
            "read, not computed. List them with aipower.derivation(observation).",
        ),
        _define(
            "read_in",
            "str",
            "The copy aipower actually read (a digest, a quotation, a republication, a news "
            "report) when the value was not read in source_id itself; a source of its own with "
            "url, title, date and how_read. Null when the source itself was read.",
        ),
        _define(
            "confirmation",
            "str",
            "For an inferred value: what confirms the inference (the text, another figure or "
            "another source), in aipower's words. The build refuses an inferred row without one.",
        ),
        _define("claim_id", "str", "Identifier of the claim."),
        _define("statement", "str", "The claim in aipower's words."),
        _define(
            "claim_kind",
            "str",
            "'value', 'leads' or 'unlocated'.",
            isin=("value", "leads", "unlocated"),
        ),
        _define("stated_value", "float", "Number as stated, in the metric's canonical unit."),
        _define("stated_printed", "str", "Number as the claimant wrote it."),
        _define("stated_by", "str", "Who made the claim."),
        _define("stated_on", "str", "When."),
        _define("attributed_to", "str", "Source the claimant named."),
        _define("compare_source_id", "str", "Primary source that decides."),
        _define(
            "same_basis",
            "bool",
            "False when the claim describes a different quantity than the metric counts, even if "
            "the number agrees (the verdict is then 'differs').",
        ),
        _define("verdict", "str", "Outcome of the verdict rules.", isin=VERDICTS),
        _define("explanation", "str", "Why, computed from the rule plus context."),
        _define("context", "str", "Background in aipower's words."),
        _define("model_id", "str", "Slug of the model name."),
        _define("organizations", "list[str]", "Developing organisations."),
        _define(
            "countries",
            "list[str]",
            "Entity ids of the countries of a model's organisations or of a cluster.",
        ),
        _define("published_date", "date", "Publication date.", column="published"),
        _define("domain", "list[str]", "Domains."),
        _define("parameters", "float", "Parameter count.", unit="parameters"),
        _define("training_compute_flop", "float", "Training compute.", unit="FLOP"),
        _define("confidence", "str", "Epoch's confidence in the compute estimate."),
        _define("training_hardware", "str", "Training hardware."),
        _define("hardware_quantity", "float", "Number of chips."),
        _define("training_chip_hours", "float", "Training chip-hours.", unit="chip-hours"),
        _define("accessibility", "str", "Model accessibility."),
        _define("open_weights", "bool", "Weights downloadable (null when unknown)."),
        _define("notability", "list[str]", "Notability criteria met."),
        _define("dataset", "str", "Which Epoch file the row comes from."),
        _define("cluster_id", "str", "Slug of the cluster name."),
        _define("owner", "str", "Owner."),
        _define(
            "h100_equivalents", "float", "Capacity in H100-equivalents.", unit="H100-equivalents"
        ),
        _define("power_mw", "float", "Power capacity.", unit="MW"),
        _define(
            "cluster_status",
            "str",
            "Operational status of a GPU cluster as Epoch AI records it (Existing, Planned, "
            "Decommissioned): a property of the cluster, unrelated to an observation's status.",
            column="status",
        ),
        _define("certainty", "str", "Epoch's certainty."),
        _define("single_cluster", "bool", "Single cluster (null when unknown)."),
        _define("sector", "str", "Sector."),
        _define("first_operational", "date", "First operational date."),
        _define("superseded_by", "str", "Later phase that supersedes it."),
        _define("accelerator_id", "str", "Slug of the hardware name."),
        _define("manufacturer", "str", "Designing company as Epoch spells it."),
        _define(
            "designer_country", "str", "Entity id of the designer's country (null when unknown)."
        ),
        _define(
            "country_basis",
            "str",
            "Where the designer's country comes from (an Epoch organisation, or aipower's "
            "curation).",
        ),
        _define("type", "str", "Kind of accelerator (GPU, TPU, NPU, ...)."),
        _define("released", "date", "Release date (null when not yet released)."),
        _define("price_usd", "float", "Release price.", unit="USD"),
        _define("fp64_flops", "float", "Peak FP64 performance.", unit="FLOP/s"),
        _define("fp32_flops", "float", "Peak FP32 performance.", unit="FLOP/s"),
        _define("fp16_flops", "float", "Peak FP16 performance.", unit="FLOP/s"),
        _define("tf32_flops", "float", "Peak TF32 performance.", unit="FLOP/s"),
        _define(
            "tensor_fp16_bf16_flops",
            "float",
            "Peak tensor-core FP16/BF16 performance.",
            unit="FLOP/s",
        ),
        _define("fp8_flops", "float", "Peak FP8 performance.", unit="FLOP/s"),
        _define("fp4_flops", "float", "Peak FP4 performance.", unit="FLOP/s"),
        _define("int8_ops", "float", "Peak INT8 performance.", unit="OP/s"),
        _define("memory_bytes", "float", "Memory per board.", unit="bytes"),
        _define("memory_bandwidth_bytes_per_s", "float", "Memory bandwidth.", unit="bytes/s"),
        _define("tdp_w", "float", "Thermal design power.", unit="W"),
        _define("process_nm", "float", "Process node.", unit="nm"),
        _define("foundry", "str", "Foundry."),
    )
}
