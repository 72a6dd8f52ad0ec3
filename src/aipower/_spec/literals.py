"""``Literal`` types of the spec's ids, for mypy: GENERATED, do not edit.

Written by ``python -m aipower._spec.render`` from ``aipower._spec`` (the tables, the status and
verdict records); tests/test_spec.py fails when this file and the spec disagree.
"""

from __future__ import annotations

from typing import Literal

#: name of a shipped table
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

#: value of ``observations.status``
Status = Literal[
    "verified",
    "secondary",
    "inferred",
    "derived",
    "incomplete",
]

#: value of ``claims.verdict``
Verdict = Literal[
    "matches",
    "rounded",
    "differs",
    "unverified",
    "contradicted",
]
