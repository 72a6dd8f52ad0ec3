"""``aipower.cite``: cite aipower (with its data version) and the upstream sources it used.

BibTeX keys are stable: ``aipower`` for the package, and each source's ``source_id`` (unique,
never reused) for upstream sources, so a bibliography keeps working across releases.
"""

from __future__ import annotations

import re
from typing import Literal

from aipower._core.store import Store, default
from aipower.results import Source

Style = Literal["bibtex", "apa"]
STYLES: tuple[str, ...] = ("bibtex", "apa")

PACKAGE_TITLE = "aipower: sourced, typed, offline data on the AI competition between countries"
PACKAGE_AUTHOR = "aipower contributors"
PACKAGE_URL = "https://github.com/aipower/aipower"
PACKAGE_KEY = "aipower"

_BIBTEX_TYPES: dict[str, str] = {
    "report": "techreport",
    "paper": "misc",
    "dataset": "misc",
    "article": "misc",
    "survey": "techreport",
    "webpage": "misc",
}
_APA_KINDS: dict[str, str] = {
    "report": "Report",
    "paper": "Preprint",
    "dataset": "Data set",
    "article": "Article",
    "survey": "Survey report",
    "webpage": "Web page",
}
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _tex(text: str) -> str:
    return "".join(_BIBTEX_ESCAPES.get(ch, ch) for ch in text)


def _bibtex_authors(publisher: str) -> str:
    """Corporate authors, braced so BibTeX does not split them into first/last names."""
    return " and ".join("{" + _tex(p.strip()) + "}" for p in publisher.split(";") if p.strip())


def _year(s: Source) -> str | None:
    for value in (s.published, s.vintage):
        if value and re.match(r"^\d{4}", value):
            return value[:4]
    return None


def _package_info(store: Store) -> tuple[str, str]:
    from aipower._version import __version__

    return __version__, str(store.manifest["data_version"])


def _bibtex_field(name: str, value: str) -> str:
    return f"  {name} = {{{value}}},"


def _bibtex_package(version: str, data_version: str) -> str:
    year = data_version[:4] if re.match(r"^\d{4}", data_version) else None
    lines = [
        f"@misc{{{PACKAGE_KEY},",
        _bibtex_field("title", _tex(PACKAGE_TITLE)),
        _bibtex_field("author", "{" + _tex(PACKAGE_AUTHOR) + "}"),
        *([_bibtex_field("year", year)] if year else []),
        _bibtex_field("version", f"{version} (data {data_version})"),
        _bibtex_field("url", PACKAGE_URL),
        _bibtex_field(
            "note",
            _tex(
                f"Python package version {version}, data version {data_version}. Code under the "
                "MIT licence; each value keeps the licence of its upstream source"
            ),
        ),
    ]
    return "\n".join(lines) + "\n}"


def _bibtex_source(s: Source, data_version: str) -> str:
    entry_type = _BIBTEX_TYPES.get(s.kind, "misc")
    lines = [f"@{entry_type}{{{s.source_id},", _bibtex_field("title", "{" + _tex(s.title) + "}")]
    lines.append(_bibtex_field("author", _bibtex_authors(s.publisher)))
    if entry_type == "techreport":
        lines.append(_bibtex_field("institution", "{" + _tex(s.publisher) + "}"))
    year = _year(s)
    if year:
        lines.append(_bibtex_field("year", year))
    if s.url:
        lines.append(_bibtex_field("url", s.url))
    note = [f"{_APA_KINDS.get(s.kind, s.kind)}"]
    if s.vintage:
        note.append(f"vintage {s.vintage}")
    note.append(f"licence {s.license}")
    if not s.primary:
        note.append("secondary source")
    note.append(f"as used by aipower data {data_version}")
    lines.append(_bibtex_field("note", _tex("; ".join(note))))
    return "\n".join(lines) + "\n}"


def _apa_package(version: str, data_version: str) -> str:
    year = data_version[:4] if re.match(r"^\d{4}", data_version) else "n.d."
    return (
        f"{PACKAGE_AUTHOR}. ({year}). {PACKAGE_TITLE} (Version {version}; data version "
        f"{data_version}) [Computer software and data set]. {PACKAGE_URL}. Code under the MIT "
        "licence; data under the licences of the sources below."
    )


def _apa_source(s: Source) -> str:
    year = _year(s) or "n.d."
    title = s.title.rstrip(".")
    parts = [f"{s.publisher}. ({year}). {title} [{_APA_KINDS.get(s.kind, s.kind)}]."]
    extra = []
    if s.vintage:
        extra.append(f"Vintage {s.vintage}")
    extra.append(f"Licence {s.license}")
    parts.append("; ".join(extra) + ".")
    if s.url:
        parts.append(s.url)
    return " ".join(parts)


def cited_sources(metric: str | None = None) -> list[Source]:
    """The sources :func:`cite` lists: all of them, or those ``metric``'s values come from.

    For a metric id, every source with observations of it (so every default answer's source,
    and every other reading's). For a concept word (``"patents"``), the same for each metric
    the word resolves to (its value and its share metric), so the source of
    ``get_share("patents")`` is cited as well as that of ``get("patents")``.
    """
    store = default()
    store.load_indexes()
    if metric is None:
        return [store.sources[sid] for sid in sorted(store.sources)]
    from aipower._query.resolve import concept_roles, resolve_metric

    roles = concept_roles(store, metric) if isinstance(metric, str) else {}
    metrics = list({m.metric_id: m for m in roles.values()}.values()) or [
        resolve_metric(store, metric, "value")
    ]
    ids = {
        o.source_id
        for m in metrics
        for eid in store.entities_with(m.metric_id)
        for o in store.pair_rows(m.metric_id, eid)
    }
    return [store.sources[sid] for sid in sorted(ids)]


def cite(metric: str | None = None, *, style: Style = "bibtex") -> str:
    """Citations for aipower (version and data version) and every upstream source used.

    Args:
        metric: A metric id or concept word: cite only the sources with observations of it
            (for a concept word, of each metric it resolves to, share and value).
            ``None`` (default) cites every source in the sources table.
        style: ``"bibtex"`` (stable keys: ``aipower`` and each ``source_id``) or ``"apa"``.

    Returns:
        The citations as one string, aipower first, then the sources by id. Each source names
        its vintage (release date) and licence.

    Example:
        >>> text = aipower.cite("training_gpu_hours", style="apa")
        >>> text.splitlines()[0]
        'aipower contributors. (...). aipower: ... (Version ...; data version ...) ...'
        >>> text.splitlines()[2]
        'DeepSeek-AI. (2024). DeepSeek-V3 Technical Report [Preprint]. Vintage 2025-02; ...'

    Raises:
        ValueError: an unknown style.
        UnknownMetricError: an unknown metric (with the closest matches).
    """
    if style not in STYLES:
        raise ValueError(f"style must be 'bibtex' or 'apa', not {style!r}")
    store = default()
    sources = cited_sources(metric)
    version, data_version = _package_info(store)
    if style == "bibtex":
        entries = [_bibtex_package(version, data_version)]
        entries += [_bibtex_source(s, data_version) for s in sources]
        return "\n\n".join(entries) + "\n"
    lines = [_apa_package(version, data_version), *(_apa_source(s) for s in sources)]
    return "\n\n".join(lines) + "\n"
