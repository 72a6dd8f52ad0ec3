"""Tables of the spec: every shipped table's columns (fields of :mod:`aipower._spec.fields`), keys.

Import-light: no pandas, pandera or pyarrow.
"""

from __future__ import annotations

import attrs

from aipower._spec.fields import _ENTITY_ID, _ID, Field, column


@attrs.frozen
class TableSpec:
    """A shipped table: its fields, primary key and a description."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    #: the column naming the source whose licence each row carries (``license=`` filters on
    #: it); None for aipower's own reference tables, which carry no upstream values
    license_column: str | None = None

    def field(self, name: str) -> Field:
        """The column called ``name`` (``KeyError`` if the table has none)."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def columns(self) -> tuple[str, ...]:
        """The column names, in order."""
        return tuple(f.name for f in self.fields)

    @property
    def carries_values(self) -> bool:
        """Do the rows carry upstream values (each under its source's licence)?

        The sources table names its own licence; the content tables reference a source.
        """
        return (
            self.license_column is not None
            and self.field(self.license_column).references == "sources.source_id"
        )


SOURCES = TableSpec(
    name="sources",
    license_column="source_id",
    title="Sources",
    description="One row per document or dataset release that values are read from.",
    primary_key=("source_id",),
    fields=(
        column("source_id", "Identifier of the source.", unique=True, pattern=_ID),
        column("family"),
        column("source_kind"),
        column("publisher"),
        column("title", "Title as published."),
        column("url", nullable=True),
        column("published", nullable=True),
        column(
            "vintage",
            "Release this row stands for; null for reference lists that carry no values.",
            nullable=True,
        ),
        column("license"),
        column("primary"),
        column("citation"),
        column("how_read", nullable=True),
    ),
)

ENTITIES = TableSpec(
    name="entities",
    title="Entities",
    description="Countries (ISO 3166-1 alpha-3 ids), aggregates, organisations, models, sectors.",
    primary_key=("entity_id",),
    fields=(
        column(
            "entity_id",
            "Identifier: ISO3 for countries, upper-case slug otherwise.",
            unique=True,
            pattern=_ENTITY_ID,
        ),
        column("entity_kind"),
        column("name", "English name."),
        column("iso2", nullable=True),
        column("iso3", nullable=True),
        column("aliases"),
        column("members"),
        column("definition", "What the entity covers, in aipower's words.", nullable=True),
        column("defined_by", nullable=True, references="sources.source_id"),
        column("country", nullable=True),
    ),
)

METRICS = TableSpec(
    name="metrics",
    title="Metrics",
    description="One row per metric: what is counted, how, and in which unit.",
    primary_key=("metric_id",),
    fields=(
        column("metric_id", "Identifier of the metric.", unique=True, pattern=_ID),
        column("concept", "Short concept word shared by related metrics."),
        column("metric_kind"),
        column("unit"),
        column("title", "Short title."),
        column("definition", "What is counted, in aipower's words."),
        column("basis"),
        column("default_source_id", references="sources.source_id"),
    ),
)

CONCEPTS = TableSpec(
    name="concepts",
    title="Concepts",
    description="Which metric a short concept word resolves to, per role.",
    primary_key=("concept", "role"),
    fields=(
        column("concept", "Concept word, e.g. 'patents'."),
        column("role"),
        column("metric_id", "Metric the concept resolves to.", references="metrics.metric_id"),
    ),
)

OBSERVATIONS = TableSpec(
    name="observations",
    license_column="source_id",
    title="Observations",
    description="Value of a metric for an entity and period, from one source vintage.",
    primary_key=("metric_id", "entity_id", "year", "date", "source_id", "vintage", "priority"),
    fields=(
        column("metric_id", "Metric.", references="metrics.metric_id"),
        column("entity_id", "Entity.", references="entities.entity_id"),
        column("year", "Period the value describes.", ge=1900, le=2100),
        column("date", nullable=True),
        column("value"),
        column("source_id", "Source the value was read from.", references="sources.source_id"),
        column("vintage", "Release of the source the value comes from."),
        column("locator"),
        column("status", "How the value was established."),
        column("priority", ge=0),
        column("note", nullable=True),
        column("derived_from", nullable=True),
        column("inputs"),
        column("read_in", nullable=True, references="sources.source_id"),
        column("confirmation", nullable=True),
    ),
)

CLAIMS = TableSpec(
    name="claims",
    license_column="stated_by",
    title="Claims",
    description="A quantitative claim one source makes, checked against a primary observation.",
    primary_key=("claim_id",),
    fields=(
        column("claim_id", unique=True),
        column("statement"),
        column("claim_kind"),
        column("stated_value", nullable=True),
        column("stated_printed", nullable=True),
        column("stated_by", references="sources.source_id"),
        column("stated_on", nullable=True),
        column("attributed_to", nullable=True, references="sources.source_id"),
        column(
            "metric_id", "Metric the claim is about.", nullable=True, references="metrics.metric_id"
        ),
        column(
            "entity_id",
            "Entity the claim is about.",
            nullable=True,
            references="entities.entity_id",
        ),
        column("year", "Period the claim is about.", nullable=True),
        column("compare_source_id", nullable=True, references="sources.source_id"),
        column("same_basis"),
        column("verdict"),
        column("explanation"),
        column("context", nullable=True),
    ),
)

MODELS = TableSpec(
    name="models",
    license_column="source_id",
    title="AI models (Epoch AI)",
    description="One row per AI model per Epoch AI file and vintage.",
    primary_key=("model_id", "dataset", "vintage"),
    fields=(
        column("model_id"),
        column("name", "Model name."),
        column("organizations"),
        column("countries", "Entity ids of the organisations' countries."),
        column("published_date", nullable=True),
        column("domain"),
        column("parameters", nullable=True, ge=0),
        column("training_compute_flop", nullable=True, ge=0),
        column("confidence", nullable=True),
        column("training_hardware", nullable=True),
        column("hardware_quantity", nullable=True, ge=0),
        column("training_chip_hours", nullable=True, ge=0),
        column("accessibility", nullable=True),
        column("open_weights", nullable=True),
        column("notability"),
        column("dataset"),
        column("vintage", "Vintage of that file."),
        column("source_id", "Source.", references="sources.source_id"),
    ),
)

CLUSTERS = TableSpec(
    name="clusters",
    license_column="source_id",
    title="GPU clusters (Epoch AI)",
    description="One row per AI supercomputer / GPU cluster in Epoch AI's dataset.",
    primary_key=("cluster_id", "vintage"),
    fields=(
        column("cluster_id"),
        column("name", "Cluster name."),
        column("owner", nullable=True),
        column("countries", "Entity ids of the countries."),
        column("h100_equivalents", nullable=True, ge=0),
        column("power_mw", nullable=True, ge=0),
        column("cluster_status", "Existing / Planned / Decommissioned.", nullable=True),
        column("certainty", nullable=True),
        column("single_cluster", nullable=True),
        column("sector", nullable=True),
        column("first_operational", nullable=True),
        column("superseded_by", nullable=True),
        column("vintage", "Vintage."),
        column("source_id", "Source.", references="sources.source_id"),
    ),
)


ACCELERATORS = TableSpec(
    name="accelerators",
    license_column="source_id",
    title="ML accelerators (Epoch AI)",
    description="One row per ML accelerator (GPU, TPU, NPU, ...) in Epoch AI's ML hardware "
    "data, with its designer's country.",
    primary_key=("accelerator_id", "vintage"),
    fields=(
        column("accelerator_id"),
        column("name", "Hardware name as Epoch spells it."),
        column("manufacturer", nullable=True),
        column("designer_country", nullable=True, references="entities.entity_id"),
        column("country_basis", nullable=True),
        column("type", nullable=True),
        column("released", nullable=True),
        column("price_usd", nullable=True, ge=0),
        column("fp64_flops", nullable=True, ge=0),
        column("fp32_flops", nullable=True, ge=0),
        column("fp16_flops", nullable=True, ge=0),
        column("tf32_flops", nullable=True, ge=0),
        column("tensor_fp16_bf16_flops", nullable=True, ge=0),
        column("fp8_flops", nullable=True, ge=0),
        column("fp4_flops", nullable=True, ge=0),
        column("int8_ops", nullable=True, ge=0),
        column("memory_bytes", nullable=True, ge=0),
        column("memory_bandwidth_bytes_per_s", nullable=True, ge=0),
        column("tdp_w", nullable=True, ge=0),
        column("process_nm", nullable=True, ge=0),
        column("foundry", nullable=True),
        column("vintage", "Vintage."),
        column("source_id", "Source.", references="sources.source_id"),
    ),
)

#: Every shipped table, in build order.
TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        SOURCES, ENTITIES, METRICS, CONCEPTS, OBSERVATIONS, CLAIMS, MODELS, CLUSTERS, ACCELERATORS
    )
}  # fmt: skip
