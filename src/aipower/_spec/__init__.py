"""The one metadata spec of aipower's tables.

Everything about a table's shape lives here: each field once (:mod:`aipower._spec.fields`:
type, unit, code list, definition), the tables that use them (:mod:`aipower._spec.tables`:
keys, references, nullability) and the code lists (:mod:`aipower._spec.codes`). From it we
generate

* the pandera models in :mod:`aipower.schemas` (used by the build and by ``aipower.validate()``),
* the Arrow schemas the build writes Parquet with,
* the data dictionary in the docs and the Frictionless descriptors of exports,
* the ``Literal`` types of table names, statuses and verdicts (:mod:`aipower._spec.literals`,
  written by :mod:`aipower._spec.render`),

so that these cannot drift apart (the pattern PUDL uses for its metadata).

This module must stay import-light: no pandas, pandera or pyarrow here.
"""

from __future__ import annotations

from aipower._spec.codes import (
    AGREEING_VERDICTS,
    CONCEPT_ROLES,
    ENTITY_KINDS,
    LICENSES,
    METRIC_KINDS,
    SOURCE_KINDS,
    STATUS,
    STATUS_CODES,
    STATUS_RANK,
    STATUSES,
    VERDICT,
    VERDICT_CODES,
    VERDICT_RANK,
    VERDICTS,
    Dtype,
    Status,
    StatusCode,
    Verdict,
    VerdictCode,
)
from aipower._spec.fields import FIELDS, Definition, Field, column
from aipower._spec.literals import TableName
from aipower._spec.tables import (
    ACCELERATORS,
    CLAIMS,
    CLUSTERS,
    CONCEPTS,
    ENTITIES,
    METRICS,
    MODELS,
    OBSERVATIONS,
    SOURCES,
    TABLES,
    TableSpec,
)

__all__ = [
    "ACCELERATORS",
    "AGREEING_VERDICTS",
    "CLAIMS",
    "CLUSTERS",
    "CONCEPTS",
    "CONCEPT_ROLES",
    "ENTITIES",
    "ENTITY_KINDS",
    "FIELDS",
    "LICENSES",
    "METRICS",
    "METRIC_KINDS",
    "MODELS",
    "OBSERVATIONS",
    "SOURCES",
    "SOURCE_KINDS",
    "STATUS",
    "STATUSES",
    "STATUS_CODES",
    "STATUS_RANK",
    "TABLES",
    "VERDICT",
    "VERDICTS",
    "VERDICT_CODES",
    "VERDICT_RANK",
    "Definition",
    "Dtype",
    "Field",
    "Status",
    "StatusCode",
    "TableName",
    "TableSpec",
    "Verdict",
    "VerdictCode",
    "column",
]
