"""Generate the reference pages of the docs from aipower's metadata spec and shipped tables.

Nothing here is typed by hand twice: the data dictionary comes from ``aipower._spec`` (the same
spec that makes the pandera schemas, the Parquet schemas and the Frictionless descriptors) and
the shipped metrics table; the sources, claims and command-line pages come from the shipped
tables and the CLI parser, so the docs cannot drift from the package.

Used two ways:

* by the mkdocs hook ``docs/hooks.py``: pages are added to the build in memory (nothing is
  written into ``docs/``), and ``<!-- gen:NAME -->`` markers in hand-written pages are
  replaced by :data:`SNIPPETS`;
* by hand: ``python docs/gen_pages.py OUTDIR`` writes the generated pages into OUTDIR.
"""

from __future__ import annotations

import io
import re
import sys
from collections import Counter
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path

from aipower._spec import STATUS_CODES, VERDICT_CODES

DOCS = Path(__file__).resolve().parent


def _cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    if text is None:
        return ""
    value = str(text).replace("|", "\\|").replace("\n", " ").strip()
    return value


def _link(title: str, url: str | None) -> str:
    return f"[{_cell(title)}]({url})" if url else _cell(title)


def _source_note_pages() -> dict[str, str]:
    """Stem of each per-source page in docs/sources/ (``cset`` -> ``sources/cset.md``)."""
    return {p.stem: f"sources/{p.name}" for p in sorted((DOCS / "sources").glob("*.md"))}


def _note_for(source_id: str, family: str) -> str | None:
    for stem, page in _source_note_pages().items():
        if family.startswith(stem) or source_id.startswith(stem):
            return page
    return None


# -- data dictionary ------------------------------------------------------------------------
def data_dictionary() -> str:
    import aipower
    from aipower._spec import TABLES
    from aipower._surfaces.export import LIST_SEPARATOR, field_descriptor

    out = [
        "# Data dictionary",
        "",
        "Generated from `aipower._spec`, the one metadata spec of the shipped tables (the pandera "
        "schemas in `aipower.schemas`, the Parquet schemas and the Frictionless descriptors of "
        '`aipower.export(..., format="datapackage")` come from the same spec), and from the '
        f"shipped metrics table (data version `{aipower.DATA_VERSION}`).",
        "",
        "Types are Table Schema types (`string`, `integer`, `number`, `boolean`, `date`); list "
        f"columns are lists in pandas/Arrow/Polars/DuckDB and `{LIST_SEPARATOR}`-joined strings "
        "in CSV exports. *required* means never null.",
        "",
    ]
    for spec in TABLES.values():
        out += [
            f"## `{spec.name}` — {spec.title}",
            "",
            spec.description,
            "",
            f"Primary key: {', '.join(f'`{c}`' for c in spec.primary_key)}.",
            "",
            "| column | type | required | unit | constraints | references | description |",
            "|---|---|---|---|---|---|---|",
        ]
        for f in spec.fields:
            d = field_descriptor(spec.name, f)
            cons = dict(d.get("constraints", {}))
            required = "yes" if cons.pop("required", False) else ""
            parts = []
            if cons.pop("unique", False):
                parts.append("unique")
            if "enum" in cons:
                parts.append("one of " + ", ".join(f"`{v}`" for v in cons.pop("enum")))
            if "minimum" in cons:
                parts.append(f"≥ {cons.pop('minimum')}")
            if "maximum" in cons:
                parts.append(f"≤ {cons.pop('maximum')}")
            if f.pattern:
                parts.append(f"matches `{_cell(f.pattern)}`")
            kind = "list of string" if f.dtype == "list[str]" else d["type"]
            ref = f"`{f.references}`" if f.references else ""
            out.append(
                f"| `{f.name}` | {kind} | {required} | {_cell(f.unit or '')} | "
                f"{_cell('; '.join(parts))} | {ref} | {_cell(d['description'])} |"
            )
        out.append("")
    out += _fields_section()
    out += _metrics_section()
    out += _entities_section()
    return "\n".join(out) + "\n"


def _fields_section() -> list[str]:
    """The glossary: every field of the spec once, with the columns that hold it."""
    from aipower._spec import FIELDS, TABLES

    used: dict[str, list[str]] = {}
    for spec in TABLES.values():
        for f in spec.fields:
            used.setdefault(str(f.field_id), []).append(f"`{spec.name}.{f.name}`")
    out = [
        "## Fields",
        "",
        "Each field is defined once in `aipower._spec.fields` and every table that has it refers "
        "to it; a column's description above may be narrower than the field's definition. Two "
        "columns with one name but two meanings are two fields (`status` and `cluster_status`).",
        "",
        "| field | column | type | unit | definition | columns |",
        "|---|---|---|---|---|---|",
    ]
    for d in FIELDS.values():
        kind = "list of string" if d.dtype == "list[str]" else d.dtype
        out.append(
            f"| `{d.id}` | `{d.column}` | {kind} | {_cell(d.unit or '')} | "
            f"{_cell(d.definition)} | {', '.join(used.get(d.id, []))} |"
        )
    out.append("")
    return out


def _metrics_section() -> list[str]:
    import aipower

    metrics = aipower.metrics().sort_values(["concept", "metric_id"])
    concepts = aipower.table("concepts")
    resolves = {(r.concept, r.role): r.metric_id for r in concepts.itertuples(index=False)}
    out = [
        "## Metrics",
        "",
        f"{len(metrics)} metrics in {metrics['concept'].nunique()} concepts. A concept word "
        "(e.g. `patents`) resolves to one metric for `get`/`series`/`compare` (role *value*) "
        "and one for `get_share` (role *share*); the others are reachable by id. Metrics of one "
        "concept may count differently: read the basis. Kinds: "
        + ", ".join(f"{k} {n}" for k, n in Counter(metrics["kind"]).most_common())
        + ".",
        "",
    ]
    for concept, group in metrics.groupby("concept", sort=True):
        roles = [
            f"{role} → `{resolves[(concept, role)]}`"
            for role in ("value", "share")
            if (concept, role) in resolves
        ]
        out += [f"### {concept}", ""]
        if roles:
            out += [f"Concept word `{concept}`: {'; '.join(roles)}.", ""]
        out += [
            "| metric | title | kind | unit | definition | basis | default source |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in group.itertuples(index=False):
            out.append(
                f"| `{r.metric_id}` | {_cell(r.title)} | {r.kind} | {_cell(r.unit)} | "
                f"{_cell(r.definition)} | {_cell(r.basis)} | `{r.default_source_id}` |"
            )
        out.append("")
    return out


def _entities_section() -> list[str]:
    import aipower

    ents = aipower.entities()
    counts = Counter(ents["kind"])
    out = [
        "## Entities",
        "",
        "Countries use ISO 3166-1 alpha-3 ids (`CHN`, `USA`; Namibia is `NAM`, never a missing "
        "value); everything else uses upper-case slugs. Kinds: "
        + ", ".join(f"{k} {n}" for k, n in counts.most_common())
        + ". `country=`/`entity=` accept ids, ISO2/ISO3 codes, names and aliases in any case.",
        "",
        "Aggregates and other non-country entities:",
        "",
        "| id | name | kind | members | definition | defined by |",
        "|---|---|---|---|---|---|",
    ]
    others = ents[ents["kind"] != "country"].sort_values(["kind", "entity_id"])
    for r in others.itertuples(index=False):
        members = len(r.members) if len(r.members) else ""
        defined = f"`{r.defined_by}`" if r.defined_by else ""
        out.append(
            f"| `{r.entity_id}` | {_cell(r.name)} | {r.kind} | {members} | "
            f"{_cell(r.definition)} | {defined} |"
        )
    out.append("")
    return out


# -- sources and licences -------------------------------------------------------------------
def sources_page() -> str:
    import aipower
    from aipower._core.licenses import LICENSE_USE, license_title, license_url

    sources = aipower.sources().sort_values(["license", "source_id"])
    obs = aipower.table("observations", engine="pyarrow")
    rows = Counter(str(s) for s in obs.column("source_id").to_pylist())
    for name in ("models", "clusters", "accelerators"):
        rows.update(str(s) for s in aipower.table(name, engine="pyarrow").column("source_id"))
    out = [
        "# Sources and licences",
        "",
        "Generated from the shipped sources table. Each value keeps the licence of the source it "
        "was read from; aipower's code is MIT-licensed, the data is not. Filter by licence with "
        '`aipower.table("observations", license=["CC-BY-4.0"])`, '
        '`aipower.export(dir, license="CC-BY-4.0")` or `aipower.duckdb(license=...)`; cite '
        "with `aipower.cite()`.",
        "",
        "| licence | what it allows | sources | rows |",
        "|---|---|---|---|",
    ]
    for lic, group in sources.groupby("license", sort=True):
        n = sum(rows.get(s, 0) for s in group["source_id"])
        out.append(
            f"| {_link(str(lic), license_url(str(lic)))} | {_cell(LICENSE_USE.get(str(lic), ''))}"
            f" | {len(group)} | {n:,} |"
        )
    out.append("")
    for lic, group in sources.groupby("license", sort=True):
        out += [
            f"## {lic}",
            "",
            f"{license_title(str(lic))}: {LICENSE_USE.get(str(lic), '')}.",
            "",
            "| source | title | publisher | kind | vintage | primary | rows |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in group.itertuples(index=False):
            out.append(
                f"| [`{r.source_id}`](#{r.source_id}) | {_link(r.title, r.url)} | "
                f"{_cell(r.publisher)} | {r.kind} | {_cell(r.vintage or '')} | "
                f"{'yes' if r.primary else 'no'} | {rows.get(r.source_id, 0):,} |"
            )
        out.append("")
    out += [
        "## Limits: what we could not find",
        "",
        "Some primary documents could not be read; the values they would give are missing or "
        "carried with status `secondary`. The list is on "
        "[What we looked for and could not find](../research/not_found.md).",
        "",
        "## Each source",
        "",
    ]
    for r in sources.sort_values("source_id").itertuples(index=False):
        note = _note_for(r.source_id, r.family)
        out += [
            f"### {r.source_id}",
            "",
            f"**{_cell(r.title)}** — {_cell(r.publisher)}; {r.kind}, "
            f"{'primary' if r.primary else 'secondary'}; family `{r.family}`; published "
            f"{r.published or 'n/a'}; vintage {r.vintage or 'n/a'}; licence `{r.license}`.",
            "",
        ]
        if r.url:
            out += [f"<{r.url}>", ""]
        out += [f"*Citation:* {_cell(r.citation)}", ""]
        if r.how_read:
            out += [f"*How aipower read it:* {_cell(r.how_read)}", ""]
        if note:
            out += [f"Notes: [{Path(note).stem} source notes](../{note}).", ""]
    return "\n".join(out) + "\n"


# -- claims ---------------------------------------------------------------------------------
#: plain glyphs that every common font has (emoji need an emoji font)
_VERDICT_MARK = {c.id: c.mark for c in VERDICT_CODES}


def claims_page() -> str:
    import aipower

    claims = aipower.claims()
    sources = aipower.sources().set_index("source_id")
    verdicts = Counter(claims["verdict"])
    # the copy each deciding observation was read in, when it was not read in its source
    obs = aipower.table("observations")
    obs = obs[(obs["priority"] == 0) & obs["read_in"].notna()]
    copies = {
        (r.metric_id, r.entity_id, int(r.year), r.source_id): r.read_in
        for r in obs.itertuples(index=False)
    }
    out = [
        "# Claims ledger",
        "",
        "Generated from the shipped claims table: quantitative claims that one source (news, "
        "digests, reports) makes about a number, each checked against a primary observation "
        "with the [verdict rules](../methodology.md#verdict-rules). Look one up with "
        '`aipower.claim("C1b")`; check your own number with `aipower.check(...)`.',
        "",
        "Verdicts: "
        + ", ".join(f"{_VERDICT_MARK.get(v, v)} {n}" for v, n in verdicts.most_common())
        + ".",
        "",
    ]
    for stated_by, group in claims.groupby("stated_by", sort=True):
        src = sources.loc[stated_by]
        out += [
            f"## {_cell(src['title'])}",
            "",
            f"`{stated_by}` — {_cell(src['publisher'])}, {src['kind']}, licence "
            f"`{src['license']}`. {len(group)} claim(s).",
            "",
        ]
        for r in group.sort_values("claim_id").itertuples(index=False):
            about = " ".join(
                str(x)
                for x in (r.metric_id, r.entity_id, None if r.year is None else r.year)
                if x is not None and str(x) not in ("", "<NA>", "nan")
            )
            out += [
                f"### {r.claim_id} — {_VERDICT_MARK.get(r.verdict, r.verdict)}",
                "",
                f"> {_cell(r.statement)}",
                "",
            ]
            facts = []
            if r.stated_printed:
                facts.append(f"stated: **{_cell(r.stated_printed)}**")
            if r.stated_on:
                facts.append(f"on {r.stated_on}")
            if r.attributed_to:
                facts.append(f"attributed to `{r.attributed_to}`")
            if about:
                facts.append(f"about `{about}`")
            if r.compare_source_id:
                facts.append(f"decided by `{r.compare_source_id}`")
                year = None if r.year is None or str(r.year) in ("<NA>", "nan") else int(r.year)
                copy = copies.get((r.metric_id, r.entity_id, year, r.compare_source_id))
                if copy:
                    facts.append(f"its value read in the copy `{copy}`")
            facts.append(f"kind {r.claim_kind}")
            out += ["; ".join(facts) + ".", "", f"**Verdict:** {_cell(r.explanation)}", ""]
            if r.context:
                out += [f"*Context:* {_cell(r.context)}", ""]
    return "\n".join(out) + "\n"


# -- command line ---------------------------------------------------------------------------
def cli_page() -> str:
    from aipower.cli import EXIT_MEANINGS, build_parser

    parser = build_parser()
    out = [
        "# Command line",
        "",
        "Generated from the `aipower` argument parser. Errors go to stderr with the same "
        '*did you mean* suggestions as the Python API, phrased for the shell ("see `aipower '
        'metrics`"). `python -m aipower` works too. Shell completion (bash, zsh, fish): '
        '`eval "$(aipower completion bash)"` (needs `aipower[completion]`).',
        "",
        "## Exit status",
        "",
        "| status | meaning |",
        "|---|---|",
        *(f"| {int(code)} | {meaning} |" for code, meaning in EXIT_MEANINGS.items()),
        "",
        "```text",
        parser.format_help().rstrip(),
        "```",
        "",
    ]
    subparsers = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, sub in subparsers.choices.items():  # type: ignore[attr-defined]
        out += [f"## `aipower {name}`", "", "```text", sub.format_help().rstrip(), "```", ""]
    return "\n".join(out) + "\n"


# -- snippets for hand-written pages --------------------------------------------------------
def verdict_rules() -> str:
    """The verdict rules, from the docstring of ``aipower._claims.verdict`` (the code applying
    them), which lists each verdict's rule from the spec's ``VERDICT_CODES``."""
    import aipower._claims.verdict as verdict

    doc = verdict.__doc__ or ""
    lines = doc.strip().splitlines()[1:]
    out: list[str] = []
    term: str | None = None
    body: list[str] = []

    def flush() -> None:
        if term is not None:
            out.append(f"- **`{term}`**: {' '.join(body)}")

    for line in lines:
        m = re.fullmatch(r"``(\w+)``", line.strip())
        if m and not line.startswith(" "):
            flush()
            term, body = m.group(1), []
        elif term is not None and line.startswith("    "):
            body.append(line.strip())
        elif line.strip():
            out.append(line.strip())
        elif term is None:
            out.append("")
    flush()
    text = "\n".join(out)
    return re.sub(r"``([^`]+)``", r"`\1`", text).strip()


def statuses() -> str:
    import aipower

    obs = aipower.table("observations", engine="pyarrow")
    counts = Counter(obs.column("status").to_pylist())
    rows = ["| status | meaning | observations |", "|---|---|---|"]
    for c in STATUS_CODES:
        rows.append(f"| `{c.id}` | {c.meaning} | {counts.get(c.id, 0):,} |")
    return "\n".join(rows)


def counting_bases() -> str:
    import aipower

    metrics = aipower.metrics().set_index("metric_id")
    concepts = aipower.table("concepts").sort_values(["concept", "role"], ascending=[True, False])
    rows = ["| concept word | role | metric | unit | counting basis |", "|---|---|---|---|---|"]
    for r in concepts.itertuples(index=False):
        m = metrics.loc[r.metric_id]
        rows.append(
            f"| `{r.concept}` | {r.role} | `{r.metric_id}` | {_cell(m['unit'])} | "
            f"{_cell(m['basis'])} |"
        )
    return "\n".join(rows)


def source_family_block(prefix: str) -> Callable[[], str]:
    """A generated 'from the shipped tables' block for the sources whose id starts with
    ``prefix``: vintages, licences, rows and statuses, and the metrics they feed. It comes from
    the same tables the build writes, so the hand-written page cannot drift from the data."""

    def block() -> str:
        import aipower

        sources = aipower.sources()
        mine = sources[sources["source_id"].str.startswith(prefix)].sort_values("source_id")
        obs = aipower.table("observations")
        obs = obs[obs["source_id"].isin(set(mine["source_id"]))]
        metrics = aipower.metrics().set_index("metric_id")
        out = [
            "**Generated from the shipped tables** (the same sources, metrics and observations "
            "the build writes):",
            "",
            "| source | vintage | licence | primary | rows | statuses | metrics |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in mine.itertuples(index=False):
            part = obs[obs["source_id"] == r.source_id]
            statuses = ", ".join(
                f"{k} {v:,}" for k, v in part["status"].value_counts().sort_index().items()
            )
            out.append(
                f"| `{r.source_id}` | {r.vintage or 'n/a'} | `{r.license}` | "
                f"{'yes' if r.primary else 'no'} | {len(part):,} | {statuses or '-'} | "
                f"{part['metric_id'].nunique()} |"
            )
        used = sorted(set(obs["metric_id"]))
        out += ["", f"Metrics fed by these sources ({len(used)}):", ""]
        shown = [f"`{m}` ({_cell(metrics.loc[m, 'unit'])})" for m in used[:40]]
        out.append(", ".join(shown) + (f", and {len(used) - 40} more." if len(used) > 40 else "."))
        return "\n".join(out) + "\n"

    return block


def text_vocabulary() -> str:
    """The vocabulary ``aipower.check_text`` recognises, from the data file it reads."""
    from aipower._claims.text_check import vocabulary

    rows = ["| kind | phrase | resolves to | note |", "|---|---|---|---|"]
    for v in vocabulary():
        target = f"`{v.target}`" if v.target else "(left unresolved)"
        if v.kind in ("anaphor", "edition", "locator", "bound"):
            target = "-"
        rows.append(f"| {v.kind} | {_cell(v.phrase)} | {target} | {_cell(v.note)} |")
    return "\n".join(rows)


SNIPPETS: dict[str, Callable[[], str]] = {
    "text-vocabulary": text_vocabulary,
    "verdict-rules": verdict_rules,
    "statuses": statuses,
    "counting-bases": counting_bases,
    "family-cset": source_family_block("cset_"),
    "family-owid": source_family_block("owid_"),
    "family-epoch": source_family_block("epoch_"),
    "family-epoch-hardware": source_family_block("epoch_ml_hardware"),
    "family-microsoft": source_family_block("microsoft_"),
    "family-github": source_family_block("github_"),
    "family-lmarena": source_family_block("lmarena_"),
}

#: generated page (path inside the docs) -> function making its Markdown
PAGES: dict[str, Callable[[], str]] = {
    "reference/data-dictionary.md": data_dictionary,
    "reference/sources.md": sources_page,
    "reference/claims.md": claims_page,
    "cli.md": cli_page,
}

PLACEHOLDERS: dict[str, str] = {
    "performance.md": "# Performance\n\nThe performance notes have not been written yet.\n",
}


def render_snippets(markdown: str) -> str:
    """Replace every ``<!-- gen:NAME -->`` marker by the generated snippet."""

    def repl(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in SNIPPETS:
            raise KeyError(f"unknown docs snippet {name!r}; known: {', '.join(SNIPPETS)}")
        return SNIPPETS[name]()

    return re.sub(r"<!-- gen:([\w-]+) -->", repl, markdown)


def pages() -> dict[str, str]:
    """Every generated page, path inside the docs -> Markdown."""
    with redirect_stdout(io.StringIO()):
        return {path: make() for path, make in PAGES.items()}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python docs/gen_pages.py OUTDIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    for path, text in pages().items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
