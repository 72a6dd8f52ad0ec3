"""What :func:`aipower.check_text` returns: a :class:`TextCheck` of :class:`Finding` rows."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

import attrs

from aipower._spec import VERDICT_CODES

if TYPE_CHECKING:
    import pandas as pd

    from aipower.results import CheckResult, Observation

Confidence = Literal["high", "medium", "none"]

#: verdict -> background colour of the highlighted figure in the HTML view
HIGHLIGHT_COLOURS: dict[str, str] = {c.id: c.highlight for c in VERDICT_CODES} | {
    "unresolved": "#e4e4e4"
}


@attrs.frozen(repr=False)
class Finding:
    """One figure of a text: where it is, what it was resolved to and its verdict.

    ``verdict`` is a :func:`aipower.check` verdict, or ``"unresolved"`` when the figure could
    not be tied to one metric, entity and year (``why`` then says what was missing).
    ``confidence`` is ``"high"`` when every part of the resolution came from a direct
    attachment or the only candidate of the sentence, ``"medium"`` when a pairing rule was
    used (order, list, anaphora, the only entity with data), ``"none"`` when unresolved.
    """

    start: int
    end: int
    text: str
    value: float
    unit: str | None
    metric_id: str | None
    entity_id: str | None
    year: int | None
    verdict: str
    confidence: Confidence
    why: str
    result: CheckResult | None = None
    claim_ids: tuple[str, ...] = ()

    @property
    def nearest(self) -> Observation | None:
        """The primary (or nearest) observation the figure was compared with."""
        return self.result.nearest if self.result is not None else None

    @property
    def claim_id(self) -> str | None:
        """The first ledger claim this figure matches, if any."""
        return self.claim_ids[0] if self.claim_ids else None

    def __repr__(self) -> str:
        what = (
            f"{self.metric_id} {self.entity_id} {self.year}"
            if self.verdict != "unresolved"
            else self.why
        )
        return f"Finding({self.text!r} @{self.start}-{self.end}: {self.verdict}; {what})"

    def to_record(self) -> dict[str, Any]:
        """A flat dict (the row of :meth:`TextCheck.to_frame`)."""
        o = self.nearest
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "value": self.value,
            "unit": self.unit,
            "metric_id": self.metric_id,
            "entity_id": self.entity_id,
            "year": self.year,
            "verdict": self.verdict,
            "nearest_value": o.value if o is not None else None,
            "source_id": o.source_id if o is not None else None,
            "locator": o.locator if o is not None else None,
            "status": o.status if o is not None else None,
            "claim_ids": ";".join(self.claim_ids) or None,
            "confidence": self.confidence,
            "why": self.why,
            "explanation": self.result.explanation if self.result is not None else None,
        }


@attrs.frozen(repr=False)
class TextCheck:
    """Outcome of :func:`check_text`: the text and one :class:`Finding` per figure.

    Iterate over it, index it, or use :meth:`to_frame`; in a notebook it renders the text with
    each figure highlighted by verdict, with the source in a tooltip and a footnote.
    """

    text: str
    findings: tuple[Finding, ...]

    def __len__(self) -> int:
        return len(self.findings)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __getitem__(self, index: int) -> Finding:
        return self.findings[index]

    @property
    def verdicts(self) -> dict[str, int]:
        """How many findings got each verdict."""
        out: dict[str, int] = {}
        for f in self.findings:
            out[f.verdict] = out.get(f.verdict, 0) + 1
        return out

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}: {v}" for k, v in sorted(self.verdicts.items()))
        return f"TextCheck({len(self.findings)} figures; {counts or 'none'})"

    def to_records(self) -> list[dict[str, Any]]:
        return [f.to_record() for f in self.findings]

    def to_frame(self) -> pd.DataFrame:
        """One row per finding (pandas is imported here, not by ``import aipower``)."""
        import pandas as pd

        columns = [
            "start",
            "end",
            "text",
            "value",
            "unit",
            "metric_id",
            "entity_id",
            "year",
            "verdict",
            "nearest_value",
            "source_id",
            "locator",
            "status",
            "claim_ids",
            "confidence",
            "why",
            "explanation",
        ]
        frame = pd.DataFrame(self.to_records(), columns=columns)
        frame["year"] = frame["year"].astype("Int64")
        return frame

    def _repr_html_(self) -> str:
        return text_check_html(self)


def text_check_html(tc: TextCheck) -> str:
    """The text with each figure highlighted by verdict; every piece of text is escaped."""
    parts: list[str] = []
    notes: list[str] = []
    pos = 0
    for n, f in enumerate(tc.findings, start=1):
        parts.append(html.escape(tc.text[pos : f.start]))
        o = f.nearest
        if o is not None:
            from aipower._claims.verdict import format_value

            src = (
                f"{format_value(o.value, o.unit)} in {o.source.title} ({o.source_id}), "
                f"{o.locator}, {o.status}"
            )
            tip = f"{f.verdict}: {f.metric_id} {f.entity_id} {f.year} = {src}"
        else:
            src = f.why
            tip = f"{f.verdict}: {src}"
        colour = HIGHLIGHT_COLOURS.get(f.verdict, "#e4e4e4")
        parts.append(
            f'<mark style="background:{colour};border-radius:3px;padding:0 2px" '
            f'title="{html.escape(tip, quote=True)}">{html.escape(tc.text[f.start : f.end])}'
            f"</mark><sup>{n}</sup>"
        )
        claim = f" &middot; claim {html.escape(', '.join(f.claim_ids))}" if f.claim_ids else ""
        notes.append(
            f"<li><b>{html.escape(f.verdict)}</b> &middot; {html.escape(f.text)} &rarr; "
            f"{html.escape(str(f.metric_id or '?'))} {html.escape(str(f.entity_id or '?'))} "
            f"{html.escape(str(f.year or '?'))}{claim}<br>"
            f"<span style='color:#57606a'>{html.escape(src)}</span></li>"
        )
        pos = f.end
    parts.append(html.escape(tc.text[pos:]))
    body = "".join(parts).replace("\n", "<br>")
    return (
        "<div style='font-family:sans-serif;line-height:1.6;max-width:56em'>"
        f"<p>{body}</p><ol style='font-size:0.9em'>{''.join(notes)}</ol></div>"
    )
