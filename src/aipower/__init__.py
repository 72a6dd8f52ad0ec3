"""aipower: sourced, typed, offline data on the AI competition between countries.

>>> import aipower
>>> s = aipower.get_share("patents", country="CN", year=2023)
>>> float(s), s.source.title, s.status
(0.697, 'Artificial Intelligence Index Report 2025', 'verified')
>>> s.locator
'Chapter 1, Figure 1.2.3, p. 44 (narrative p. 44; Report Highlights p. 13)'

Importing aipower is cheap: public names are resolved on first access (PEP 562), and data is
read on the first query. Neither imports pandas, pandera nor pyarrow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aipower._version import __version__
from aipower.errors import (
    AipowerError,
    DataIntegrityError,
    NoDataError,
    UnknownEntityError,
    UnknownMetricError,
    UnknownSourceError,
)

if TYPE_CHECKING:
    from aipower import plot
    from aipower._claims.check import check
    from aipower._claims.ledger import claim, claims
    from aipower._claims.text_check import Finding, TextCheck, check_text
    from aipower._core.integrity import validate, verify
    from aipower._query.coverage import coverage
    from aipower._query.derivation import Derivation, derivation
    from aipower._query.frames import compare, series
    from aipower._query.listing import entities, metric, metrics, source, sources, table
    from aipower._query.scalar import get, get_all, get_share
    from aipower._surfaces.cite import cite
    from aipower._surfaces.describe import describe
    from aipower._surfaces.duckdb import duckdb
    from aipower._surfaces.export import export
    from aipower.results import CheckResult, Claim, Entity, Metric, Observation, Share, Source

    DATA_VERSION: str

#: public name -> module that defines it (a mapping table, not an if-chain)
_LAZY: dict[str, str] = {
    "get": "aipower._query.scalar",
    "get_share": "aipower._query.scalar",
    "get_all": "aipower._query.scalar",
    "series": "aipower._query.frames",
    "compare": "aipower._query.frames",
    "metric": "aipower._query.listing",
    "metrics": "aipower._query.listing",
    "source": "aipower._query.listing",
    "sources": "aipower._query.listing",
    "entities": "aipower._query.listing",
    "table": "aipower._query.listing",
    "claims": "aipower._claims.ledger",
    "claim": "aipower._claims.ledger",
    "Claim": "aipower.results",
    "check": "aipower._claims.check",
    "check_text": "aipower._claims.text_check",
    "TextCheck": "aipower._claims.text_check",
    "Finding": "aipower._claims.text_check",
    "CheckResult": "aipower.results",
    "validate": "aipower._core.integrity",
    "verify": "aipower._core.integrity",
    "Observation": "aipower.results",
    "Share": "aipower.results",
    "Source": "aipower.results",
    "Metric": "aipower.results",
    "Entity": "aipower.results",
    "export": "aipower._surfaces.export",
    "coverage": "aipower._query.coverage",
    "UnknownClaimError": "aipower.errors",
    "duckdb": "aipower._surfaces.duckdb",
    "describe": "aipower._surfaces.describe",
    "derivation": "aipower._query.derivation",
    "Derivation": "aipower._query.derivation",
    "cite": "aipower._surfaces.cite",
    "plot": "aipower.plot",
}


def __getattr__(name: str) -> Any:
    if name == "DATA_VERSION":
        from aipower._core.store import default

        return default().manifest["data_version"]
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'aipower' has no attribute {name!r}")
    import importlib

    module = importlib.import_module(module_name)
    # a lazy submodule (aipower.plot) is the module itself; other names live inside one
    value = module if module_name == f"{__name__}.{name}" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names, each once (no ``Any``, ``TYPE_CHECKING``, ``annotations``, ...)."""
    return sorted(__all__)


__all__ = [
    "DATA_VERSION",
    "AipowerError",
    "CheckResult",
    "Claim",
    "DataIntegrityError",
    "Derivation",
    "Entity",
    "Finding",
    "Metric",
    "NoDataError",
    "Observation",
    "Share",
    "Source",
    "TextCheck",
    "UnknownClaimError",
    "UnknownEntityError",
    "UnknownMetricError",
    "UnknownSourceError",
    "__version__",
    "check",
    "check_text",
    "cite",
    "claim",
    "claims",
    "compare",
    "coverage",
    "derivation",
    "describe",
    "duckdb",
    "entities",
    "export",
    "get",
    "get_all",
    "get_share",
    "metric",
    "metrics",
    "plot",
    "series",
    "source",
    "sources",
    "table",
    "validate",
    "verify",
]
