"""Digest of every default answer aipower gives: one SHA-256 per metric.

For every (metric, entity, year) key in the shipped observations, the default answer of
``aipower.get`` (value, source, vintage, status, locator, whether it is outside the series),
and for every (metric, year) the entities and release of ``aipower.compare(kind="all")``, are
hashed per metric. ``tests/data/test_answers_digest.py`` compares a fresh digest with the
committed ``tests/data/answers_digest.json``, so a refactor (issues 14 and 17) that changes any
answer fails, naming the metrics. After an intended change of data or selection, regenerate:

    python scripts/answers_digest.py --write
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import aipower

TARGET = Path(__file__).resolve().parents[1] / "tests" / "data" / "answers_digest.json"


def digest() -> dict[str, str]:
    obs = aipower.table("observations", engine="pyarrow").select(["metric_id", "entity_id", "year"])
    cols = obs.to_pydict()
    keys = sorted(set(zip(cols["metric_id"], cols["entity_id"], cols["year"], strict=True)))
    parts: dict[str, list[str]] = {}
    for m, e, y in keys:
        o = aipower.get(m, entity=e, year=y)
        line = (
            f"get|{e}|{y}|{o.value!r}|{o.source_id}|{o.vintage}|{o.status}|{o.locator}|"
            f"{o.outside_series is not None}"
        )
        parts.setdefault(m, []).append(line)
    for m, y in sorted({(m, y) for m, _, y in keys}):
        frame = aipower.compare(m, year=y, kind="all")
        rows = ",".join(
            f"{e}={float(v)!r}" for e, v in zip(frame.index, frame["value"], strict=True)
        )
        parts[m].append(f"compare|{y}|{frame.attrs['release']}|{rows}")
    return {
        m: hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
        for m, lines in sorted(parts.items())
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {TARGET.name}")
    args = parser.parse_args()
    result = {"data_version": aipower.DATA_VERSION, "metrics": digest()}
    text = json.dumps(result, indent=1, sort_keys=True) + "\n"
    if args.write:
        TARGET.write_text(text, encoding="utf-8")
        print(f"wrote {TARGET} ({len(result['metrics'])} metrics)")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
