"""The code lists (statuses, verdicts) are defined once, as records in the metadata spec.

Every other list of them (colours, meanings, ranks, the ``Literal`` types, the docs' blocks)
is derived from ``aipower._spec.STATUS_CODES`` and ``VERDICT_CODES``. The ``Literal`` types
cannot be derived (mypy reads them literally), so they are compared with the records here;
and no other module may write a list of the ids or the records' colours again.
"""

from __future__ import annotations

import ast
import re
import typing
from pathlib import Path

import pytest

import aipower._claims.verdict
from aipower import _display, _spec, cli
from aipower._claims import text_check as _text_check
from aipower._spec import (
    STATUS_CODES,
    STATUSES,
    VERDICT_CODES,
    VERDICTS,
    StatusCode,
    VerdictCode,
)
from aipower._surfaces import describe as _describe

REPO = Path(__file__).resolve().parents[1]
#: files that may not restate a code list: the runtime, the build and the docs' generators
SCANNED = sorted(
    p
    for pattern in ("src/aipower/**/*.py", "src/aipower_build/**/*.py", "docs/*.py")
    for p in REPO.glob(pattern)
    if p != REPO / "src" / "aipower" / "_spec" / "codes.py"
)
#: (file, assigned name) of mappings from every verdict to something the spec does not hold:
#: the CLI's exit codes belong to the CLI (its keys are checked against the spec below)
ALLOWED = {("src/aipower/cli.py", "_VERDICT_EXIT")}
#: the neutral grey of muted text and of an unknown badge, which ``unverified`` also uses
NEUTRAL_GREY = "#57606a"
CODE_LISTS = {"statuses": set(STATUSES), "verdicts": set(VERDICTS)}


def test_literal_types_list_exactly_the_spec_ids() -> None:
    assert typing.get_args(_spec.Status) == STATUSES
    assert typing.get_args(_spec.Verdict) == VERDICTS
    assert aipower._claims.verdict.Verdict is _spec.Verdict


@pytest.mark.parametrize("codes", [STATUS_CODES, VERDICT_CODES], ids=["status", "verdict"])
def test_records_have_unique_ids_a_full_ranking_and_hex_colours(
    codes: tuple[StatusCode, ...] | tuple[VerdictCode, ...],
) -> None:
    ids = [c.id for c in codes]
    assert len(set(ids)) == len(ids)
    assert sorted(c.rank for c in codes) == list(range(len(codes)))
    for c in codes:
        colours = [c.colour] + ([c.highlight] if isinstance(c, VerdictCode) else [])
        assert all(re.fullmatch(r"#[0-9a-f]{6}", x) for x in colours), c
        assert c.meaning.strip(), c


def test_every_derived_list_follows_the_spec() -> None:
    assert {c.id: c.colour for c in STATUS_CODES} == _display.STATUS_COLOURS
    assert {c.id: c.colour for c in VERDICT_CODES} == _display.VERDICT_COLOURS
    assert {c.id: c.meaning for c in STATUS_CODES} == _describe.STATUS_MEANINGS
    assert set(_text_check.HIGHLIGHT_COLOURS) == set(VERDICTS) | {"unresolved"}
    assert _spec.OBSERVATIONS.field("status").isin == STATUSES
    assert _spec.CLAIMS.field("verdict").isin == VERDICTS
    assert set(cli._VERDICT_EXIT) == set(VERDICTS)
    # the verdict rules' docstring (and so the docs' verdict rules) lists each verdict, best first
    listed = re.findall(r"^``(\w+)``$", aipower._claims.verdict.__doc__ or "", flags=re.M)
    assert listed == [c.id for c in sorted(VERDICT_CODES, key=lambda c: c.rank)]
    assert all(c.mark.endswith(f" {c.id}") for c in VERDICT_CODES)


def restated_lists(source: str, rel: str) -> list[str]:
    """Literal tuples, lists, sets and dict keys in ``source`` (the text of file ``rel``) that
    hold every id of a code list."""
    tree = ast.parse(source)
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and (rel, t.id) in ALLOWED for t in targets):
                allowed.update(id(n) for n in ast.walk(node))
    found = []
    for node in ast.walk(tree):
        if id(node) in allowed:
            continue
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            items = node.elts
        elif isinstance(node, ast.Dict):
            items = [k for k in node.keys if k is not None]
        else:
            continue
        strings = {
            i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)
        }
        found += [
            f"{rel}:{node.lineno} lists the {name}"
            for name, ids in CODE_LISTS.items()
            if ids <= strings
        ]
    return found


def test_no_module_restates_the_status_or_verdict_ids() -> None:
    found = [
        hit
        for path in SCANNED
        for hit in restated_lists(
            path.read_text(encoding="utf-8"), path.relative_to(REPO).as_posix()
        )
    ]
    assert not found, "derive these from aipower._spec.STATUS_CODES / VERDICT_CODES: " + "; ".join(
        found
    )


def test_no_module_restates_the_code_list_colours() -> None:
    colours = {c.colour for c in STATUS_CODES + VERDICT_CODES} | {
        c.highlight for c in VERDICT_CODES
    }
    colours.discard(NEUTRAL_GREY)
    found = [
        f"{path.relative_to(REPO)} has {colour}"
        for pattern in ("src/**/*", "docs/**/*")
        for path in REPO.glob(pattern)
        if path.is_file()
        and path.suffix in {".py", ".js", ".css", ".html", ".md"}
        and path != REPO / "src" / "aipower" / "_spec" / "codes.py"
        for colour in sorted(colours)
        if colour in path.read_text(encoding="utf-8").lower()
    ]
    assert not found, "take the colour from the record in aipower._spec: " + "; ".join(found)


def test_the_scan_sees_a_restated_list() -> None:
    """The scan is not vacuous: lists like the ones the spec replaced are reported."""
    probe = (
        'COLOURS = {"verified": 1, "secondary": 2, "inferred": 3, "derived": 4, "incomplete": 5}\n'
        'Verdict = Literal["matches", "rounded", "differs", "contradicted", "unverified"]\n'
        '_VERDICT_EXIT = {"matches": 0, "rounded": 0, "differs": 1, "contradicted": 1}\n'
    )
    assert restated_lists(probe, "probe.py") == [
        "probe.py:1 lists the statuses",
        "probe.py:2 lists the verdicts",
    ]
