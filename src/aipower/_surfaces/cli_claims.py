"""The fact-checking commands: ``check``, ``check-text``, ``claims`` and ``claim``.

``check`` gives exactly the verdict of :func:`aipower.check` for the same arguments
(``--source`` is its ``source=``), and its exit status says which verdict it was.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from aipower._display import natural_key
from aipower._surfaces.cli_common import VERDICT_EXIT, ExitCode, value_and_unit
from aipower._surfaces.cli_output import emit_records, frame_records, obs_dict, one_line


def cmd_check(args: argparse.Namespace) -> int:
    """``aipower check``: is this number right, and where is it from?

    Args:
        args: the parsed command line.

    Returns:
        The exit status of the verdict (see ``VERDICT_EXIT``).
    """
    import aipower

    value, unit = value_and_unit(args.value, args.unit)
    result = aipower.check(
        args.metric,
        country=args.country,
        entity=args.entity,
        year=args.year,
        value=value,  # type: ignore[arg-type]  # a Decimal keeps the digits as written
        unit=unit,  # type: ignore[arg-type]
        source=args.source,
    )
    if args.format == "table":
        print(f"{result.verdict}: {result.explanation}")
    else:
        record = {
            "verdict": result.verdict,
            "explanation": result.explanation,
            "value": result.value,
            "nearest": obs_dict(result.nearest),
        }
        emit_records([record], args.format, sys.stdout)
    return VERDICT_EXIT.get(result.verdict, ExitCode.DIFFERS)


#: the columns the ``check-text`` table shows (CSV and JSON show every column)
CHECK_TEXT_COLUMNS = [
    "start",
    "text",
    "verdict",
    "metric_id",
    "entity_id",
    "year",
    "source_id",
    "claim_ids",
    "why",
]


def cmd_check_text(args: argparse.Namespace) -> int:
    """``aipower check-text``: find and check every figure in a text file or stdin.

    Args:
        args: the parsed command line.

    Returns:
        1 when a figure differs or is contradicted, else 0.
    """
    import aipower

    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    result = aipower.check_text(text)
    records = result.to_records()
    if args.format == "table":
        shown = [{c: r[c] for c in CHECK_TEXT_COLUMNS} for r in records]
        emit_records(shown, "table", sys.stdout)
        counts = ", ".join(f"{k}: {v}" for k, v in sorted(result.verdicts.items()))
        print(f"{len(records)} figures ({counts or 'none'})", file=sys.stderr)
    else:
        emit_records(records, args.format, sys.stdout)
    failed = any(f.verdict in ("differs", "contradicted") for f in result)
    return ExitCode.DIFFERS if failed else ExitCode.OK


def cmd_claims(args: argparse.Namespace) -> int:
    """``aipower claims``: the ledger in natural id order (table: three lines per claim).

    Args:
        args: the parsed command line.

    Returns:
        The exit status.
    """
    import aipower

    records = [
        {k: v for k, v in r.items() if k != "index"} for r in frame_records(aipower.claims())
    ]
    records.sort(key=lambda r: natural_key(str(r["claim_id"])))
    if args.format != "table":
        emit_records(records, args.format, sys.stdout)
        return ExitCode.OK
    width = max(len(str(r["claim_id"])) for r in records)
    verdicts = max(len(str(r["verdict"])) for r in records)
    stated_width = max(len(str(r["stated_printed"] or "")) for r in records)
    for r in records:
        stated = r["stated_printed"] or ""
        print(
            f"{r['claim_id']:<{width}}  {r['verdict']:<{verdicts}}  {stated:<{stated_width}}  "
            f"[{r['stated_by']}]"
        )
        print(f"{'':<{width}}  {one_line(str(r['statement']))}")
        print(f"{'':<{width}}  -> {one_line(str(r['explanation']))}")
    return ExitCode.OK


def cmd_claim(args: argparse.Namespace) -> int:
    """``aipower claim ID``: one claim with its verdict, explanation and evidence.

    Args:
        args: the parsed command line.

    Returns:
        The exit status.
    """
    import aipower

    c = aipower.claim(args.claim_id)
    if args.format != "table":
        record = _claim_record(c)
        if args.format == "json":
            record["observations"] = [obs_dict(o) for o in c.observations]
        emit_records([record], args.format, sys.stdout)
        return ExitCode.OK
    from aipower._display import format_value

    lines = [
        f"{c.claim_id}: {c.verdict}",
        f"  statement    {c.statement}",
        f"  stated       {c.stated_printed or '(qualitative)'} by {c.stated_by.title} "
        f"[{c.stated_by.source_id}]" + (f", {c.stated_on}" if c.stated_on else ""),
        f"  explanation  {c.explanation}",
    ]
    for o in c.observations:
        lines.append(
            f"  evidence     {format_value(o.value, o.unit)} from {o.source_id} {o.vintage} "
            f"[{o.locator}, {o.status}]"
        )
    print("\n".join(lines))
    return ExitCode.OK


def _claim_record(c: Any) -> dict[str, Any]:
    return {
        "claim_id": c.claim_id,
        "verdict": c.verdict,
        "statement": c.statement,
        "stated_printed": c.stated_printed,
        "stated_value": c.stated_value,
        "stated_by": c.stated_by.source_id,
        "stated_on": c.stated_on,
        "attributed_to": c.attributed_to.source_id if c.attributed_to else None,
        "same_basis": c.same_basis,
        "explanation": c.explanation,
    }
