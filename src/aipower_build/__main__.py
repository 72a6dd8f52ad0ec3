"""``python -m aipower_build [--check]``: rebuild the shipped tables, or check they are current."""

from __future__ import annotations

import argparse
import filecmp
import sys
import tempfile
from pathlib import Path

from aipower_build.build import DATA_DIR, OUT_DIR, SOURCES_ROOT, BuildError, build


def main(argv: list[str] | None = None) -> int:
    """Build (or with ``--check`` compare against a fresh build); returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m aipower_build", description=__doc__)
    parser.add_argument("--check", action="store_true", help="build to a temp dir and compare")
    parser.add_argument("--sources", type=Path, default=SOURCES_ROOT, help="pinned raw files")
    args = parser.parse_args(argv)
    try:
        if args.check:
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "data"
                build(DATA_DIR, out, args.sources)
                names = sorted(p.name for p in out.iterdir())
                shipped = sorted(p.name for p in OUT_DIR.iterdir()) if OUT_DIR.exists() else []
                _, mismatch, errors = filecmp.cmpfiles(out, OUT_DIR, names, shallow=False)
                if names != shipped or mismatch or errors:
                    print(
                        "committed data differs from a fresh build: "
                        f"{sorted(set(mismatch) | set(errors) | (set(names) ^ set(shipped)))}; "
                        "run `python -m aipower_build` and commit src/aipower/data",
                        file=sys.stderr,
                    )
                    return 1
                print(f"committed data equals a fresh build ({len(names)} files)")
                return 0
        manifest = build(DATA_DIR, OUT_DIR, args.sources)
    except BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    for name, entry in sorted(manifest["tables"].items()):
        print(f"{name:14s} {entry['rows']:>8,d} rows  {entry['sha256'][:12]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
