"""LMArena text leaderboard: best US and best Chinese model per snapshot, and the gap.

Raw files (``../shared/sources/lmarena/arena_catalog_2025``, licence not stated): 15 versions of
``leaderboard-text.json`` (category -> model -> rating with its 95 % interval), one per commit of
2025, and ``scatterplot-data.json`` (organisation of 141 models). Decisions (see
``docs/sources/lmarena.md`` and ``docs/methodology.md``):

* only the overall text category ``full`` is read; the snapshot date is the commit's author date
  in the file name;
* a model's organisation comes from ``scatterplot-data.json`` when it lists the model (LMArena's
  own record), else from :data:`NAME_RULES` (curated name patterns, first match wins); the
  organisation's country is read from Epoch AI's AI-models file (``Country (of organization)`` of
  its single-organisation rows, which must agree) through :data:`EPOCH_ORGANISATION`;
* models no rule covers keep no country. So that they cannot hide a country's best model, the
  build fails if one of them is rated at or above the lower of the two countries' best ratings in
  a snapshot;
* derived rows (status ``derived``), per snapshot: ``arena_top_rating`` for USA and CHN, and the
  US lead in rating points (``arena_rating_gap_us_china``) and relative to the Chinese rating
  (``arena_relative_gap_us_china``). Ratings are only compared within one snapshot: the
  2025-11-05 commit changed how LMArena builds the file, so levels before and after it may not
  be on one scale (every row from that date on says so). Each derived row lists in ``inputs``
  the name (the key in category ``full``) of every model tied at the best rating
  (``"USA: ..."``/``"CHN: ..."`` for the gaps); aipower ships no table of Arena models.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

from aipower_build.ingest.base import IngestContext, IngestError, IngestOutput, observation, output
from aipower_build.ingest.epoch_common import (
    CHN,
    MODELS_FOR_COUNTRIES,
    PAIR_US_CHINA,
    USA,
    organisation_countries,
)

FAMILY = "lmarena"
FOLDER = "lmarena/arena_catalog_2025"
SNAPSHOTS: tuple[str, ...] = (
    "leaderboard-text_2025-03-07_b3b0fef89.json",
    "leaderboard-text_2025-03-14_d3f38f099.json",
    "leaderboard-text_2025-03-17_a8eed0c88.json",
    "leaderboard-text_2025-04-04_daf5e99f8.json",
    "leaderboard-text_2025-04-07_f973ec23f.json",
    "leaderboard-text_2025-04-24_ca6b34297.json",
    "leaderboard-text_2025-05-06_d4a01e609.json",
    "leaderboard-text_2025-05-07_d95e4ad47.json",
    "leaderboard-text_2025-05-13_857735a2f.json",
    "leaderboard-text_2025-05-20_a310074ac.json",
    "leaderboard-text_2025-05-21_6dddc5f35.json",
    "leaderboard-text_2025-05-24_209556bee.json",
    "leaderboard-text_2025-11-05_236f9a429.json",
    "leaderboard-text_2025-11-06_99f1eadee.json",
    "leaderboard-text_2025-12-11_ea8297b54.json",
)
SCATTER = "scatterplot-data.json"
FILES: tuple[str, ...] = (
    *(f"{FOLDER}/{name}" for name in SNAPSHOTS),
    f"{FOLDER}/{SCATTER}",
    MODELS_FOR_COUNTRIES,
)
SOURCE_ID = "lmarena_leaderboard_2025"
CATEGORY = "full"
SCALE_BREAK = dt.date(2025, 11, 5)
_DATE = re.compile(r"leaderboard-text_(\d{4}-\d{2}-\d{2})_[0-9a-f]+\.json")

#: organisation as LMArena's scatterplot file spells it -> organisation as Epoch spells it
SCATTER_ORGANISATIONS: dict[str, str] = {
    "01 AI": "01.AI",
    "AI2": "Allen Institute for AI",
    "Alibaba": "Alibaba",
    "Amazon": "Amazon",
    "Anthropic": "Anthropic",
    "Baidu": "Baidu",
    "Black Forest Labs": "Black Forest Labs",
    "Cohere": "Cohere",
    "DeepSeek": "DeepSeek",
    "Google": "Google",
    "Ideogram": "Ideogram",
    "Luma AI": "Luma AI",
    "Mai AI": "Microsoft",  # Microsoft AI's MAI models
    "Meituan": "Meituan Inc",
    "Meta": "Meta AI",
    "Microsoft": "Microsoft",
    "Mistral": "Mistral AI",
    "Moonshot": "Moonshot",
    "NexusFlow": "Nexusflow",
    "OpenAI": "OpenAI",
    "Stability AI": "Stability AI",
    "StepFun": "StepFun",
    "Tencent": "Tencent",
    "Z.ai": "Zhipu AI",
    "xAI": "xAI",
}

#: (pattern on the model name, organisation as Epoch spells it); first match wins, so
#: fine-tunes named after their base model (nemotron, tulu) come before the base family
NAME_RULES: tuple[tuple[str, str], ...] = (
    (r"nemotron|^nvidia-|steerlm", "NVIDIA"),
    (r"tulu|^olmo", "Allen Institute for AI"),
    (r"^(gpt-|chatgpt-|o1|o3|o4)", "OpenAI"),
    (r"^claude", "Anthropic"),
    (r"^(gemini|gemma|palm)", "Google"),
    (r"^(grok|early-grok)", "xAI"),
    (r"^(llama|codellama)", "Meta AI"),
    (r"^(qwen|qwq)", "Alibaba"),
    (r"^deepseek", "DeepSeek"),
    (r"^(glm|chatglm)", "Zhipu AI"),
    (r"^kimi", "Moonshot"),
    (r"^minimax", "MiniMax"),
    (r"^hunyuan", "Tencent"),
    (r"^(doubao|seed|dola)", "ByteDance"),
    (r"^step-", "StepFun"),
    (r"^yi-", "01.AI"),
    (r"^ernie", "Baidu"),
    (r"^(ling|ring)-", "Ant Group"),
    (r"^internlm", "Shanghai AI Lab"),
    (r"^longcat", "Meituan Inc"),
    (r"^(mistral|mixtral|magistral|codestral|ministral)", "Mistral AI"),
    (r"^(phi-|wizardlm|mai-)", "Microsoft"),
    (r"^(amazon-nova|nova-)", "Amazon"),
    (r"^(command|c4ai)", "Cohere"),
    (r"^granite", "IBM"),
    (r"^jamba", "AI21 Labs"),
    (r"^reka", "Reka AI"),
    (r"^athene", "Nexusflow"),
    (r"^dbrx", "Databricks"),
    (r"^falcon", "Technology Innovation Institute"),
    (r"^solar", "Upstage"),
    (r"^pplx", "Perplexity"),
    (r"^snowflake", "Snowflake"),
    (r"^mercury", "Inception Labs"),
    (r"^intellect", "Prime Intellect"),
    (r"^mpt-", "MosaicML"),
    (r"^smollm|^zephyr", "Hugging Face"),
    (r"^stablelm", "Stability AI"),
)

SCALE_NOTE = (
    "LMArena changed how it builds this file on 2025-11-05 (compatibility with its new "
    "leaderboard data); ratings from this snapshot on may not be on the same scale as earlier "
    "ones, so compare the two countries within a snapshot, not levels across the break"
)
NOTE = (
    "overall text leaderboard (category 'full'); a model's country is that of its developer "
    "organisation; the rating's 95% interval is in the raw file"
)


def _json(ctx: IngestContext, name: str) -> Any:
    relpath = f"{FOLDER}/{name}"
    try:
        return json.loads(ctx.read_bytes(relpath))
    except ValueError as exc:
        raise IngestError(f"{relpath}: not valid JSON ({exc}) (rule: parseable JSON)") from exc


def model_organisations(ctx: IngestContext) -> dict[str, tuple[str, str]]:
    """Model name -> (Epoch organisation, where the pairing comes from), for the scatter file."""
    out: dict[str, tuple[str, str]] = {}
    for entry in _json(ctx, SCATTER):
        org = str(entry["organization"])
        if org not in SCATTER_ORGANISATIONS:
            raise IngestError(
                f"{FOLDER}/{SCATTER}: organisation {org!r} is not in "
                "lmarena.SCATTER_ORGANISATIONS (rule: every organisation is mapped)"
            )
        out[str(entry["model_api_name"])] = (SCATTER_ORGANISATIONS[org], f"{SCATTER} '{org}'")
    return out


def organisation_of(model: str, scatter: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """(organisation, basis) of an Arena model: the scatterplot file first, then NAME_RULES."""
    if model in scatter:
        return scatter[model]
    for pattern, org in NAME_RULES:
        if re.search(pattern, model, flags=re.IGNORECASE):
            return org, f"name rule {pattern!r}"
    return None


def country_map(ctx: IngestContext, models: set[str]) -> dict[str, tuple[str, str]]:
    """Model -> (entity id, basis) for every model whose organisation is known."""
    epoch = organisation_countries(ctx)
    scatter = model_organisations(ctx)
    out: dict[str, tuple[str, str]] = {}
    for model in sorted(models):
        found = organisation_of(model, scatter)
        if found is None:
            continue
        org, basis = found
        countries = epoch.get(org, set())
        if len(countries) != 1:
            raise IngestError(
                f"{MODELS_FOR_COUNTRIES}: organisation {org!r} (for Arena model {model!r}) has "
                f"countries {sorted(countries)} (rule: one country per organisation)"
            )
        out[model] = (next(iter(countries)), f"{org} via {basis}")
    return out


def _rating(relpath: str, model: str, cell: Any) -> Decimal:
    try:
        return Decimal(repr(float(cell["rating"])))
    except (KeyError, TypeError, ValueError) as exc:
        raise IngestError(
            f"{relpath}: model {model!r} has no numeric rating (rule: rating per model)"
        ) from exc


def ingest(ctx: IngestContext) -> IngestOutput:
    """Best US and Chinese model per snapshot and the gap between them."""
    boards: list[tuple[str, dt.date, dict[str, Decimal]]] = []
    for name in SNAPSHOTS:
        match = _DATE.fullmatch(name)
        assert match is not None
        relpath = f"{FOLDER}/{name}"
        data = _json(ctx, name)
        if CATEGORY not in data:
            raise IngestError(f"{relpath}: no {CATEGORY!r} category (rule: overall board)")
        board = {str(m): _rating(relpath, str(m), v) for m, v in data[CATEGORY].items()}
        boards.append((name, dt.date.fromisoformat(match.group(1)), board))
    countries = country_map(ctx, {m for _, _, board in boards for m in board})
    source = ctx.source(SOURCE_ID)
    rows: list[dict[str, object]] = []
    for name, date, board in boards:
        best: dict[str, tuple[Decimal, str]] = {}
        tied: dict[str, list[str]] = {}
        for ent in (USA, CHN):
            pool = [(r, m) for m, r in board.items() if countries.get(m, ("", ""))[0] == ent]
            if not pool:
                raise IngestError(f"{FOLDER}/{name}: no model for {ent} (rule: both present)")
            rating, model = max(pool, key=lambda rm: (rm[0], rm[1]))
            best[ent] = (rating, model)
            # every model tied at the best rating (the structured inputs)
            tied[ent] = sorted(m for r, m in pool if r == rating)
        floor = min(best[USA][0], best[CHN][0])
        for model, rating in board.items():
            if model not in countries and rating >= floor:
                raise IngestError(
                    f"{FOLDER}/{name}: model {model!r} (rating {rating}) has no known country "
                    "but is rated at or above a country's best (rule: add a NAME_RULES entry)"
                )
        notes = [NOTE] + ([SCALE_NOTE] if date >= SCALE_BREAK else [])
        common: dict[str, Any] = {
            "year": date.year,
            "date": date,
            "status": "derived",
            "note": "; ".join(notes),
        }
        rule = (
            "Highest rating in category 'full' of {file} among models whose developer "
            "organisation is in {ent} (organisation from scatterplot-data.json or a curated name "
            "rule, country from Epoch AI's organisation countries)."
        )
        for ent in (USA, CHN):
            rating, model = best[ent]
            basis = countries[model][1]
            rows.append(
                observation(
                    source,
                    **common,
                    metric_id="arena_top_rating",
                    entity_id=ent,
                    value=float(rating),
                    locator=f"{name}, category full, model {model} ({basis})",
                    derived_from=rule.format(file=name, ent=ent),
                    inputs=tied[ent],
                )
            )
        (us, us_model), (cn, cn_model) = best[USA], best[CHN]
        pair_locator = f"{name}, category full, models {us_model} (USA) and {cn_model} (CHN)"
        pair_inputs = [f"{USA}: {m}" for m in tied[USA]] + [f"{CHN}: {m}" for m in tied[CHN]]
        rows.append(
            observation(
                source,
                **common,
                metric_id="arena_rating_gap_us_china",
                entity_id=PAIR_US_CHINA,
                value=float(us - cn),
                locator=pair_locator,
                derived_from="arena_top_rating for USA minus the same for CHN in one "
                "snapshot; " + rule.format(file=name, ent="USA or CHN"),
                inputs=pair_inputs,
            )
        )
        rows.append(
            observation(
                source,
                **common,
                metric_id="arena_relative_gap_us_china",
                entity_id=PAIR_US_CHINA,
                value=float((us - cn) / cn),
                locator=pair_locator,
                derived_from="(arena_top_rating USA - arena_top_rating CHN) / arena_top_rating "
                "CHN in one snapshot; " + rule.format(file=name, ent="USA or CHN"),
                inputs=pair_inputs,
            )
        )
    return output(rows, FAMILY)
