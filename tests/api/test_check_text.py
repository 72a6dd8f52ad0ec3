"""``aipower.check_text``: figures found in prose, resolved, checked and linked to claims.

The texts are in ``text_corpus.py`` (our own sentences; each article is cited there with its
URL, title and date).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aipower
from aipower._claims.text_check import VOCABULARY_KINDS, vocabulary
from aipower.cli import main

sys.path.insert(0, str(Path(__file__).parent))
from text_corpus import (
    ARTICLES,
    EDGE_CASES,
    SEED_COLUMN,
    SEED_FIGURES,
    SEED_RESOLUTION,
    Expected,
)


def outcome(text: str) -> list[Expected]:
    out: list[Expected] = []
    for f in aipower.check_text(text):
        if f.verdict == "unresolved":
            out.append((f.text, f.verdict, None, None, None))
        else:
            out.append((f.text, f.verdict, f.metric_id, f.entity_id, f.year))
    return out


# -- the seed column -----------------------------------------------------------------------
def test_seed_column_every_figure_found_with_the_ledger_verdict() -> None:
    tc = aipower.check_text(SEED_COLUMN)
    found = {f.text: f for f in tc}
    assert [f.text for f in tc] == list(SEED_FIGURES)
    for figure, claim_id in SEED_FIGURES.items():
        f = found[figure]
        assert f.verdict == aipower.claim(claim_id).verdict, (figure, claim_id, f.why)
        assert (f.metric_id, f.entity_id, f.year) == SEED_RESOLUTION[figure], f.why


def test_seed_column_absolute_expectations() -> None:
    found = {f.text: f for f in aipower.check_text(SEED_COLUMN)}
    assert found["2.6 million"].verdict == "differs"
    assert found["2.6 million"].nearest is not None
    assert found["2.6 million"].nearest.source_id == "deepseek_v3_report"
    for talent in ("59%", "11%", "42%", "28%"):
        assert found[talent].verdict == "unverified"
    assert found["69.7%"].verdict == "matches"
    assert found["69.7%"].nearest is not None
    assert found["69.7%"].nearest.locator.startswith("Chapter 1, Figure 1.2.3")


def test_seed_column_links_findings_to_ledger_claims() -> None:
    found = {f.text: f for f in aipower.check_text(SEED_COLUMN)}
    for figure, claim_id in SEED_FIGURES.items():
        if aipower.claim(claim_id).claim_kind == "value":
            assert claim_id in found[figure].claim_ids, figure
    # the same 69.7 is also the ledger's note that the column means granted patents only
    assert found["69.7%"].claim_ids == ("C2a", "D2a")
    assert found["2.6 million"].claim_id == "C6a"


def test_c7_sentence_has_no_figure() -> None:
    sentence = "Chinese developers have overtaken American ones in monthly downloads of AI models."
    assert sentence in SEED_COLUMN
    assert len(aipower.check_text(sentence)) == 0


def test_anaphora_takes_metric_and_entities_from_the_previous_sentence() -> None:
    text = (
        "In 2019, 59% of top-tier AI researchers worked in the US, compared with 11% in China. "
        "By 2022 those figures were 42% and 28%."
    )
    got = [(f.text, f.entity_id, f.year, f.confidence) for f in aipower.check_text(text)]
    assert got[2:] == [("42%", "USA", 2022, "medium"), ("28%", "CHN", 2022, "medium")]


def test_anaphora_without_a_previous_sentence_is_unresolved() -> None:
    (f,) = aipower.check_text("By 2022 those figures were 42%.")
    assert f.verdict == "unresolved"
    assert "no metric phrase" in f.why


# -- other published paragraphs ------------------------------------------------------------
@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.url.split("/")[2])
def test_published_paragraph(article: object) -> None:
    assert article.url.startswith("https://")  # type: ignore[attr-defined]
    assert outcome(article.text) == article.expected  # type: ignore[attr-defined]


@pytest.mark.parametrize(("text", "expected"), EDGE_CASES, ids=lambda x: str(x)[:40])
def test_edge_case(text: str, expected: list[Expected]) -> None:
    assert outcome(text) == expected


def test_precision_no_correct_figure_differs() -> None:
    """Across every test text, the only ``differs`` are figures that really differ."""
    texts = [SEED_COLUMN, *(a.text for a in ARTICLES), *(t for t, _ in EDGE_CASES)]
    differs = {
        (f.text, f.metric_id, f.entity_id)
        for t in texts
        for f in aipower.check_text(t)
        if f.verdict == "differs"
    }
    assert differs == {
        ("2.6 million", "training_gpu_hours", "DEEPSEEK_V3"),  # 2.788 million in all
        ("2.6 million", "training_gpu_hours_pretraining", "DEEPSEEK_V3"),  # 2.664 million
    }


def test_unresolved_figures_say_why() -> None:
    reasons = {f.text: f.why for f in aipower.check_text(ARTICLES[1].text)}
    assert "ratio" in reasons["12 times"]
    assert "£" in reasons["£4.5 billion"]
    assert "USD" in reasons["£4.5 billion"]
    assert reasons["78 per cent"] == "no metric phrase in the sentence"
    (f,) = aipower.check_text("The US had 897 newly funded AI companies.")
    assert f.verdict == "unresolved"
    assert f.why.startswith("no year in the sentence (resolved so far: metric phrase")
    no_data = {f.text: f for f in aipower.check_text(ARTICLES[2].text)}["76%"]
    assert "no optimism value for SAU in 2022" in no_data.why
    assert (no_data.metric_id, no_data.entity_id, no_data.year) == ("optimism", "SAU", 2022)


def test_check_text_uses_check() -> None:
    (f,) = aipower.check_text("China accounted for 69.7% of AI patents in 2023.")
    direct = aipower.check("patents", country="China", year=2023, value=69.7, unit="percent")
    assert f.result is not None
    assert (f.verdict, f.result.explanation) == (direct.verdict, direct.explanation)


def test_proper_names_are_not_entities() -> None:
    (f,) = aipower.check_text(
        "In 2019, 11% of top-tier AI researchers worked in China, the US Council of Economic "
        "Advisers said."
    )
    assert (f.entity_id, f.confidence) == ("CHN", "high")


def test_lowercase_us_is_not_the_united_states() -> None:
    (f,) = aipower.check_text("Let us say 40 notable AI models were made in 2024.")
    assert f.verdict == "unresolved"
    assert "no country" in f.why


# -- vocabulary ----------------------------------------------------------------------------
def test_vocabulary_is_data_and_references_exist() -> None:
    vocab = vocabulary()
    assert {v.kind for v in vocab} == set(VOCABULARY_KINDS)
    metrics = aipower.metrics()
    store_metrics = set(metrics["metric_id"]) | set(metrics["concept"])
    for v in vocab:
        if v.kind == "metric":
            assert v.target in store_metrics, v
        if v.kind == "entity":
            assert v.target in set(aipower.entities()["entity_id"]), v
    demonyms = {v.phrase: v.target for v in vocab if v.kind == "entity"}
    assert demonyms["Chinese"] == "CHN"
    assert demonyms["US-based"] == "USA"
    assert demonyms["American"] == "USA"


def test_docs_list_the_vocabulary() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "docs"))
    import gen_pages

    page = gen_pages.render_snippets("<!-- gen:text-vocabulary -->")
    for v in vocabulary():
        assert f"| {v.kind} | {gen_pages._cell(v.phrase)} |" in page, v


# -- surfaces ------------------------------------------------------------------------------
def test_to_frame_has_one_row_per_finding() -> None:
    tc = aipower.check_text(SEED_COLUMN)
    frame = tc.to_frame()
    assert len(frame) == len(tc) == len(SEED_FIGURES)
    assert list(frame["text"]) == list(SEED_FIGURES)
    row = frame.set_index("text").loc["2.6 million"]
    assert (row["verdict"], row["source_id"], row["claim_ids"]) == (
        "differs",
        "deepseek_v3_report",
        "C6a",
    )
    assert str(frame["year"].dtype) == "Int64"


def test_html_highlights_and_escapes() -> None:
    text = "<script>alert('x')</script> China held 69.7% of AI patents in 2023 & more."
    page = aipower.check_text(text)._repr_html_()
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "&amp; more" in page
    assert re.search(r'<mark style="background:#c6efce[^"]*" title="matches: ', page)
    assert ">69.7%</mark><sup>1</sup>" in page
    assert "Chapter 1, Figure 1.2.3" in page  # locator in the tooltip and footnote


def test_repr_counts_verdicts() -> None:
    tc = aipower.check_text("China held 69.7% of AI patents in 2023. It had 5 cats.")
    assert repr(tc) == "TextCheck(2 figures; matches: 1, unresolved: 1)"


def test_cli_check_text_table_json_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "column.txt"
    path.write_text(SEED_COLUMN, encoding="utf-8")
    assert main(["check-text", str(path)]) == 1  # 2.6 million differs
    out, err = capsys.readouterr()
    assert out.splitlines()[0].split() == [
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
    assert f"{len(SEED_FIGURES)} figures" in err
    assert main(["check-text", str(path), "--format", "json"]) == 1
    records = json.loads(capsys.readouterr().out)
    assert [r["text"] for r in records] == list(SEED_FIGURES)
    monkeypatch.setattr("sys.stdin", io.StringIO("China held 69.7% of AI patents in 2023."))
    assert main(["check-text", "-", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["text"], r["verdict"], r["claim_ids"]) for r in rows] == [
        ("69.7%", "matches", "C2a;D2a")
    ]


def test_cli_check_text_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-text", str(tmp_path / "nope.txt")]) == 6  # ExitCode.FILE_ERROR
    assert "No such file" in capsys.readouterr().err


# -- properties ----------------------------------------------------------------------------
_NUMBERISH = st.sampled_from(
    ["69.7%", "2.6 million", "$9.3bn", "USD 109.1 billion", "40", "2023", "12 times", "1,151"]
)
_WORDS = st.sampled_from(
    [
        "China",
        "the US",
        "Chinese",
        "US-based",
        "notable AI models",
        "AI patents",
        "in",
        "of",
        "GPU-hours",
        "those figures",
        "were",
        "and",
        ",",
        ".",
        "In",
        "by",
        "nearly",
        "Figure",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_NUMBERISH, _WORDS, st.text(max_size=6)), max_size=30))
def test_spans_inside_text_and_disjoint(pieces: list[str]) -> None:
    text = " ".join(pieces)
    tc = aipower.check_text(text)
    last = 0
    for f in tc:
        assert 0 <= f.start < f.end <= len(text)
        assert f.start >= last
        assert text[f.start : f.end] == f.text
        assert f.verdict in (
            "matches",
            "rounded",
            "differs",
            "contradicted",
            "unverified",
            "unresolved",
        )
        assert (f.confidence == "none") == (f.verdict == "unresolved")
        last = f.end


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Nd",)), max_size=300))
def test_no_numbers_no_findings(text: str) -> None:
    assert len(aipower.check_text(text)) == 0


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_unicode_never_raises(text: str) -> None:
    tc = aipower.check_text(text)
    assert tc.text == text
    tc._repr_html_()


@pytest.mark.parametrize("bad", [None, b"69.7%", 69.7, ["69.7%"]])
def test_non_str_is_a_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="text must be a str"):
        aipower.check_text(bad)  # type: ignore[arg-type]


def test_run_on_text_without_sentence_breaks_is_unresolved() -> None:
    """A pasted table or text without full stops is not resolved by guesswork."""
    text = "China held 69.7% of AI patents in 2023, " * 100
    tc = aipower.check_text(text)
    assert len(tc) == 100
    assert {f.verdict for f in tc} == {"unresolved"}
    assert "longer than 3,000 characters" in tc[0].why


def test_threads_checking_at_once_on_a_fresh_store_agree() -> None:
    """The grammar is built lazily per store; threads racing to build it get the same answers."""
    import threading

    import aipower._core.store as store_mod

    barrier = threading.Barrier(16)
    results: list[list[tuple[str, str]]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait(timeout=60)
            results.append([(f.text, f.verdict) for f in aipower.check_text(SEED_COLUMN)])
        except BaseException as exc:
            errors.append(exc)

    with store_mod.Store.using():
        threads = [threading.Thread(target=work) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert len(results) == 16
    assert all(r == results[0] for r in results)
    assert [t for t, _ in results[0]] == list(SEED_FIGURES)
