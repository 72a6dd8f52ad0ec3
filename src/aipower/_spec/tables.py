"""Fields and tables of the spec: every shipped table's columns, types, keys and references.

Import-light: no pandas, pandera or pyarrow.
"""

from __future__ import annotations

from typing import Literal

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


@attrs.frozen
class Field:
    """One column of a shipped table.

    Example:
        >>> Field("year", "int", "Period the value describes.", ge=1900).dtype
        'int'
    """

    name: str
    dtype: Dtype
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


@attrs.frozen
class TableSpec:
    """A shipped table: its fields, primary key and a description."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


_ID = r"^[a-z0-9][a-z0-9_]*$"
_ENTITY_ID = r"^[A-Z0-9][A-Z0-9_]*$"
_VINTAGE = r"^\d{4}(-\d{2}(-\d{2})?)?$"

SOURCES = TableSpec(
    name="sources",
    title="Sources",
    description="One row per document or dataset release that values are read from.",
    primary_key=("source_id",),
    fields=(
        Field("source_id", "str", "Identifier of the source.", unique=True, pattern=_ID),
        Field(
            "family",
            "str",
            "Series the source belongs to; releases of one family are vintages of each other "
            "(e.g. the AI Index editions).",
            pattern=_ID,
        ),
        Field("kind", "str", "Kind of document.", isin=SOURCE_KINDS),
        Field("publisher", "str", "Organisation that published it."),
        Field("title", "str", "Title as published."),
        Field("url", "str", "Canonical URL; null when not verified.", nullable=True),
        Field(
            "published",
            "str",
            "Publication date (YYYY, YYYY-MM or YYYY-MM-DD); null when not established.",
            nullable=True,
            pattern=_VINTAGE,
        ),
        Field(
            "vintage",
            "str",
            "Release this row stands for; null for reference lists that carry no values.",
            nullable=True,
            pattern=_VINTAGE,
        ),
        Field("license", "str", "SPDX-style licence id of the content.", isin=LICENSES),
        Field("primary", "bool", "True for a primary source, false for a secondary one."),
        Field("citation", "str", "Citation string composed by aipower."),
        Field("how_read", "str", "Which copy aipower read and how.", nullable=True),
    ),
)

ENTITIES = TableSpec(
    name="entities",
    title="Entities",
    description="Countries (ISO 3166-1 alpha-3 ids), aggregates, organisations, models, sectors.",
    primary_key=("entity_id",),
    fields=(
        Field(
            "entity_id",
            "str",
            "Identifier: ISO3 for countries, upper-case slug otherwise.",
            unique=True,
            pattern=_ENTITY_ID,
        ),
        Field("kind", "str", "Kind of entity.", isin=ENTITY_KINDS),
        Field("name", "str", "English name."),
        Field("iso2", "str", "ISO 3166-1 alpha-2 code (countries only).", nullable=True),
        Field("iso3", "str", "ISO 3166-1 alpha-3 code (countries only).", nullable=True),
        Field("aliases", "list[str]", "Other names and codes that resolve to this entity."),
        Field("members", "list[str]", "Member entity ids (aggregates; empty when unknown)."),
        Field("definition", "str", "What the entity covers, in aipower's words.", nullable=True),
        Field(
            "defined_by",
            "str",
            "Source whose definition is used.",
            nullable=True,
            references="sources.source_id",
        ),
        Field("country", "str", "Home country of an organisation or model.", nullable=True),
    ),
)

METRICS = TableSpec(
    name="metrics",
    title="Metrics",
    description="One row per metric: what is counted, how, and in which unit.",
    primary_key=("metric_id",),
    fields=(
        Field("metric_id", "str", "Identifier of the metric.", unique=True, pattern=_ID),
        Field("concept", "str", "Short concept word shared by related metrics.", pattern=_ID),
        Field("kind", "str", "Kind of quantity.", isin=METRIC_KINDS),
        Field("unit", "str", "Canonical unit of every value."),
        Field("title", "str", "Short title."),
        Field("definition", "str", "What is counted, in aipower's words."),
        Field("basis", "str", "Counting basis."),
        Field(
            "default_source_id",
            "str",
            "Source used when a query names none.",
            references="sources.source_id",
        ),
    ),
)

CONCEPTS = TableSpec(
    name="concepts",
    title="Concepts",
    description="Which metric a short concept word resolves to, per role.",
    primary_key=("concept", "role"),
    fields=(
        Field("concept", "str", "Concept word, e.g. 'patents'.", pattern=_ID),
        Field(
            "role",
            "str",
            "'value' (get, series, compare) or 'share' (get_share).",
            isin=CONCEPT_ROLES,
        ),
        Field(
            "metric_id", "str", "Metric the concept resolves to.", references="metrics.metric_id"
        ),
    ),
)

OBSERVATIONS = TableSpec(
    name="observations",
    title="Observations",
    description="Value of a metric for an entity and period, from one source vintage.",
    primary_key=("metric_id", "entity_id", "year", "date", "source_id", "vintage", "priority"),
    fields=(
        Field("metric_id", "str", "Metric.", references="metrics.metric_id"),
        Field("entity_id", "str", "Entity.", references="entities.entity_id"),
        Field("year", "int", "Period the value describes.", ge=1900, le=2100),
        Field("date", "date", "Date for sub-year values.", nullable=True),
        Field("value", "float", "Value in the metric's canonical unit."),
        Field(
            "source_id", "str", "Source the value was read from.", references="sources.source_id"
        ),
        Field("vintage", "str", "Release of the source the value comes from.", pattern=_VINTAGE),
        Field(
            "locator",
            "str",
            "Where in the source (figure/page, or file and row key).",
            pattern=r"\S",
        ),
        Field("status", "str", "How the value was established.", isin=STATUSES),
        Field(
            "priority",
            "int",
            "0 = returned by default; >0 = alternative reading in the same source.",
            ge=0,
        ),
        Field("note", "str", "Remark in aipower's words.", nullable=True),
        Field("derived_from", "str", "Rule of a derived value.", nullable=True),
        Field(
            "inputs",
            "list[str]",
            "Keys of the rows a derived value is computed from (model_id or cluster_id in the "
            "models/clusters table of the same source and vintage, or the raw file's row key, "
            "prefixed by the entity it counts for where a rule has two sides); empty for values "
            "read, not computed. List them with aipower.derivation(observation).",
        ),
        Field(
            "read_in",
            "str",
            "The copy aipower actually read (a digest, a quotation, a republication, a news "
            "report) when the value was not read in source_id itself; a source of its own with "
            "url, title, date and how_read. Null when the source itself was read.",
            nullable=True,
            references="sources.source_id",
        ),
        Field(
            "confirmation",
            "str",
            "For an inferred value: what confirms the inference (the text, another figure or "
            "another source), in aipower's words. The build refuses an inferred row without one.",
            nullable=True,
        ),
    ),
)

CLAIMS = TableSpec(
    name="claims",
    title="Claims",
    description="A quantitative claim one source makes, checked against a primary observation.",
    primary_key=("claim_id",),
    fields=(
        Field("claim_id", "str", "Identifier of the claim.", unique=True),
        Field("statement", "str", "The claim in aipower's words."),
        Field(
            "claim_kind",
            "str",
            "'value', 'leads' or 'unlocated'.",
            isin=("value", "leads", "unlocated"),
        ),
        Field(
            "stated_value",
            "float",
            "Number as stated, in the metric's canonical unit.",
            nullable=True,
        ),
        Field("stated_printed", "str", "Number as the claimant wrote it.", nullable=True),
        Field("stated_by", "str", "Who made the claim.", references="sources.source_id"),
        Field("stated_on", "str", "When.", nullable=True),
        Field(
            "attributed_to",
            "str",
            "Source the claimant named.",
            nullable=True,
            references="sources.source_id",
        ),
        Field(
            "metric_id",
            "str",
            "Metric the claim is about.",
            nullable=True,
            references="metrics.metric_id",
        ),
        Field(
            "entity_id",
            "str",
            "Entity the claim is about.",
            nullable=True,
            references="entities.entity_id",
        ),
        Field("year", "int", "Period the claim is about.", nullable=True),
        Field(
            "compare_source_id",
            "str",
            "Primary source that decides.",
            nullable=True,
            references="sources.source_id",
        ),
        Field(
            "same_basis",
            "bool",
            "False when the claim describes a different quantity than the metric counts, even "
            "if the number agrees (the verdict is then 'differs').",
        ),
        Field(
            "verdict",
            "str",
            "Outcome of the verdict rules.",
            isin=VERDICTS,
        ),
        Field("explanation", "str", "Why, computed from the rule plus context."),
        Field("context", "str", "Background in aipower's words.", nullable=True),
    ),
)

MODELS = TableSpec(
    name="models",
    title="AI models (Epoch AI)",
    description="One row per AI model per Epoch AI file and vintage.",
    primary_key=("model_id", "dataset", "vintage"),
    fields=(
        Field("model_id", "str", "Slug of the model name."),
        Field("name", "str", "Model name."),
        Field("organizations", "list[str]", "Developing organisations."),
        Field("countries", "list[str]", "Entity ids of the organisations' countries."),
        Field("published", "date", "Publication date.", nullable=True),
        Field("domain", "list[str]", "Domains."),
        Field("parameters", "float", "Parameter count.", nullable=True, ge=0, unit="parameters"),
        Field(
            "training_compute_flop", "float", "Training compute.", nullable=True, ge=0, unit="FLOP"
        ),
        Field("confidence", "str", "Epoch's confidence in the compute estimate.", nullable=True),
        Field("training_hardware", "str", "Training hardware.", nullable=True),
        Field("hardware_quantity", "float", "Number of chips.", nullable=True, ge=0),
        Field(
            "training_chip_hours",
            "float",
            "Training chip-hours.",
            nullable=True,
            ge=0,
            unit="chip-hours",
        ),
        Field("accessibility", "str", "Model accessibility.", nullable=True),
        Field("open_weights", "bool", "Weights downloadable (null when unknown).", nullable=True),
        Field("notability", "list[str]", "Notability criteria met."),
        Field("dataset", "str", "Which Epoch file the row comes from."),
        Field("vintage", "str", "Vintage of that file.", pattern=_VINTAGE),
        Field("source_id", "str", "Source.", references="sources.source_id"),
    ),
)

CLUSTERS = TableSpec(
    name="clusters",
    title="GPU clusters (Epoch AI)",
    description="One row per AI supercomputer / GPU cluster in Epoch AI's dataset.",
    primary_key=("cluster_id", "vintage"),
    fields=(
        Field("cluster_id", "str", "Slug of the cluster name."),
        Field("name", "str", "Cluster name."),
        Field("owner", "str", "Owner.", nullable=True),
        Field("countries", "list[str]", "Entity ids of the countries."),
        Field(
            "h100_equivalents",
            "float",
            "Capacity in H100-equivalents.",
            nullable=True,
            ge=0,
            unit="H100-equivalents",
        ),
        Field("power_mw", "float", "Power capacity.", nullable=True, ge=0, unit="MW"),
        Field("status", "str", "Existing / Planned / Decommissioned.", nullable=True),
        Field("certainty", "str", "Epoch's certainty.", nullable=True),
        Field("single_cluster", "bool", "Single cluster (null when unknown).", nullable=True),
        Field("sector", "str", "Sector.", nullable=True),
        Field("first_operational", "date", "First operational date.", nullable=True),
        Field("superseded_by", "str", "Later phase that supersedes it.", nullable=True),
        Field("vintage", "str", "Vintage.", pattern=_VINTAGE),
        Field("source_id", "str", "Source.", references="sources.source_id"),
    ),
)


def _flops(name: str, what: str, unit: str = "FLOP/s") -> Field:
    return Field(name, "float", what, nullable=True, ge=0, unit=unit)


ACCELERATORS = TableSpec(
    name="accelerators",
    title="ML accelerators (Epoch AI)",
    description="One row per ML accelerator (GPU, TPU, NPU, ...) in Epoch AI's ML hardware "
    "data, with its designer's country.",
    primary_key=("accelerator_id", "vintage"),
    fields=(
        Field("accelerator_id", "str", "Slug of the hardware name."),
        Field("name", "str", "Hardware name as Epoch spells it."),
        Field("manufacturer", "str", "Designing company as Epoch spells it.", nullable=True),
        Field(
            "designer_country",
            "str",
            "Entity id of the designer's country (null when unknown).",
            nullable=True,
            references="entities.entity_id",
        ),
        Field(
            "country_basis",
            "str",
            "Where the designer's country comes from (an Epoch organisation, or aipower's "
            "curation).",
            nullable=True,
        ),
        Field("type", "str", "Kind of accelerator (GPU, TPU, NPU, ...).", nullable=True),
        Field("released", "date", "Release date (null when not yet released).", nullable=True),
        Field("price_usd", "float", "Release price.", nullable=True, ge=0, unit="USD"),
        _flops("fp64_flops", "Peak FP64 performance."),
        _flops("fp32_flops", "Peak FP32 performance."),
        _flops("fp16_flops", "Peak FP16 performance."),
        _flops("tf32_flops", "Peak TF32 performance."),
        _flops("tensor_fp16_bf16_flops", "Peak tensor-core FP16/BF16 performance."),
        _flops("fp8_flops", "Peak FP8 performance."),
        _flops("fp4_flops", "Peak FP4 performance."),
        _flops("int8_ops", "Peak INT8 performance.", unit="OP/s"),
        _flops("memory_bytes", "Memory per board.", unit="bytes"),
        _flops("memory_bandwidth_bytes_per_s", "Memory bandwidth.", unit="bytes/s"),
        _flops("tdp_w", "Thermal design power.", unit="W"),
        _flops("process_nm", "Process node.", unit="nm"),
        Field("foundry", "str", "Foundry.", nullable=True),
        Field("vintage", "str", "Vintage.", pattern=_VINTAGE),
        Field("source_id", "str", "Source.", references="sources.source_id"),
    ),
)

#: Every shipped table, in build order.
TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        SOURCES, ENTITIES, METRICS, CONCEPTS, OBSERVATIONS, CLAIMS, MODELS, CLUSTERS, ACCELERATORS
    )
}  # fmt: skip
TableName = Literal[
    "sources",
    "entities",
    "metrics",
    "concepts",
    "observations",
    "claims",
    "models",
    "clusters",
    "accelerators",
]
