"""The selection policy: which reading answers a question. The only place that decides.

Pure functions over :class:`~aipower.results.Observation` objects: no store, no pandas. The
query functions (``get``, ``get_share``, ``get_all``, ``series``, ``compare``), ``check``, the
claims build, ``cite`` and the CLI all call these, so one question gets one answer.

The rule (the same words are in ``docs/methodology.md``, the README and ``describe()``):

    **The default answer is a value read first-hand whenever aipower holds one; among those,
    the metric's default source family comes first, then the newest release.** A series
    never joins what cannot be joined: it keeps to one source family and, within it, to one
    release of a dataset, while report editions fill the years one by one. A value that
    cannot join its entity's series is still returned by ``get``, flagged in
    ``outside_series``.

In detail, for one metric:

1. *Readings.* Within one release (``source_id``, ``vintage``) and period, the reading is the
   latest date in the period (for sub-year data), then the curator's ``priority`` 0.
2. *Rank of a reading* (best first): first-hand before second-hand (a first-hand reading
   has a primary source and a status other than ``secondary``); the metric's default source
   family before other families; a full release before a *restatement* (a release holding
   fewer than half as many entities for that year as the fullest release of its family, e.g.
   a report quoting one country's earlier value); newest vintage; lower priority; source id.
3. *The series of an entity* is anchored on its best reading overall: the anchor's source
   family, and within that family one dataset release (the best-ranked) plus every report
   edition. For each period the best reading inside the anchor is taken, unless it is
   second-hand while a first-hand reading exists outside: then the first-hand one answers,
   outside the series. Periods with no reading inside the anchor are answered outside too.
4. *A scalar* (``get``) is the series' reading for its year; an answer from outside the series
   carries ``outside_series``.
5. *A cross-section* (``compare``) takes each entity's scalar answer and keeps the entities
   whose answer comes from the best-ranked release among them, so all rows are comparable and
   each row is exactly what ``get`` returns.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs

from aipower.results import Observation

#: The rule in one paragraph: README, quickstart, methodology and ``describe()`` quote it
#: word for word (a test checks).
RULE = (
    "The default answer is a value read first-hand whenever aipower holds one; among those, "
    "the metric's default source family comes first, then the newest release. A series never "
    "joins what cannot be joined (one source family, one release of a dataset, report "
    "editions year by year), and a value that cannot join its series is flagged in "
    "outside_series."
)

Release = tuple[str, str]  # (source_id, vintage)
Period = Any  # int (year) or datetime.date
By = Literal["year", "date"]


def firsthand(o: Observation) -> bool:
    """Read by us in the primary source (whatever its status other than ``secondary``)."""
    return o.source.primary and o.status != "secondary"


def release_of(o: Observation) -> Release:
    return (o.source_id, o.vintage)


def release_label(rel: Release) -> str:
    return f"{rel[0]} ({rel[1]})"


@functools.lru_cache(maxsize=4096)
def newest_first(text: str) -> tuple[int, ...]:
    """Sort key that puts later ISO dates (and longer equal prefixes) first.

    Memoised: the keys are vintages and release labels, a few hundred distinct strings, and
    ranking recomputes them for every candidate.
    """
    return (*tuple(-ord(c) for c in text), 1)


@attrs.frozen
class Policy:
    """What the rule needs to know about one metric besides its readings.

    ``default_family`` is the source family of the metric's default source; ``restatements``
    holds the (source_id, vintage, year) triples that are restatements (step 2).
    """

    default_family: str
    restatements: Container[tuple[str, str, int]] = frozenset()


class Lazy(Container[tuple[str, str, int]]):
    """A set computed on its first membership test (the restatements of :class:`Policy`).

    Ranking needs the restatements only to choose between two releases; a period with one
    reading, the common case, never asks, so the per-metric count behind it is skipped.
    Two threads asking at once may both compute it; they get the same set.
    """

    def __init__(self, make: Callable[[], frozenset[tuple[str, str, int]]]) -> None:
        self._make = make
        self._value: frozenset[tuple[str, str, int]] | None = None

    def __contains__(self, item: object) -> bool:
        value = self._value
        if value is None:
            value = self._value = self._make()
        return item in value


def restatements(
    entity_counts: Mapping[tuple[str, str, str, int], int],
) -> frozenset[tuple[str, str, int]]:
    """Releases that restate a few entities of a year another release of the family covers.

    ``entity_counts`` maps (family, source_id, vintage, year) to the number of entities the
    release holds for that year.

    >>> counts = {("aiindex", "a25", "2025", 2023): 6, ("aiindex", "a26", "2026", 2023): 1}
    >>> sorted(restatements(counts))
    [('a26', '2026', 2023)]
    """
    fullest: dict[tuple[str, int], int] = {}
    for (family, _, _, year), n in entity_counts.items():
        fullest[(family, year)] = max(n, fullest.get((family, year), 0))
    return frozenset(
        (sid, vin, year)
        for (family, sid, vin, year), n in entity_counts.items()
        if 2 * n < fullest[(family, year)]
    )


def rank(o: Observation, policy: Policy) -> tuple[Any, ...]:
    """Rank of a reading, best first (step 2 of the rule)."""
    return (
        0 if firsthand(o) else 1,
        0 if o.source.family == policy.default_family else 1,
        1 if (o.source_id, o.vintage, o.year) in policy.restatements else 0,
        newest_first(o.vintage),
        o.priority,
        o.source_id,
    )


def _period(o: Observation, by: By) -> Period:
    return o.date if by == "date" else o.year


def _period_key(by: By) -> Callable[[Period], Any]:
    return (lambda p: p) if by == "date" else int


def reading(rows: Sequence[Observation]) -> Observation:
    """The reading of one release and period (step 1): latest date, then priority 0.

    Undated rows win over dated ones in a year that has both (an annual figure is the year's
    value); among dated rows the latest date wins.
    """
    undated = [o for o in rows if o.date is None]
    pool = undated or list(rows)
    if not undated:
        last = max(o.date for o in pool if o.date is not None)
        pool = [o for o in pool if o.date == last]
    return min(pool, key=lambda o: (o.priority, o.source_id))


def readings(
    rows: Iterable[Observation], by: By = "year"
) -> dict[tuple[Release, Period], Observation]:
    """One reading per (release, period)."""
    groups: dict[tuple[Release, Period], list[Observation]] = {}
    for o in rows:
        if by == "date" and o.date is None:
            continue
        groups.setdefault((release_of(o), _period(o, by)), []).append(o)
    if by == "date":
        return {k: min(v, key=lambda o: (o.priority, o.source_id)) for k, v in groups.items()}
    return {k: reading(v) for k, v in groups.items()}


@attrs.frozen
class Plan:
    """The answers for one metric and entity, period by period."""

    #: period -> answering reading (``outside_series`` set on those outside the series)
    answers: dict[Period, Observation]
    #: the anchor: source family, and the one dataset release of it (None if only reports)
    family: str | None
    dataset: Release | None
    #: releases with readings that answer no period inside the series
    not_joined: tuple[Release, ...]

    def series(self) -> list[Observation]:
        """The readings of the series (inside the anchor), in period order."""
        return [o for o in self.answers.values() if o.outside_series is None]


def _anchor_key(o: Observation, policy: Policy) -> tuple[Any, ...]:
    return (
        0 if firsthand(o) else 1,
        0 if o.source.family == policy.default_family else 1,
        newest_first(o.vintage),
        o.source_id,
    )


def _anchor(
    reps: Mapping[tuple[Release, Period], Observation], policy: Policy
) -> tuple[str, Release | None]:
    """The anchor of a series (step 3): its source family and that family's dataset release."""
    best = min(reps.values(), key=lambda o: _anchor_key(o, policy))
    family = best.source.family
    datasets = [o for o in reps.values() if o.source.family == family and o.source.kind != "report"]
    dataset = release_of(min(datasets, key=lambda o: _anchor_key(o, policy))) if datasets else None
    return family, dataset


def _best(cands: Sequence[Observation], policy: Policy) -> Observation:
    """The best-ranked of one period's readings (one reading: no ranking needed)."""
    return cands[0] if len(cands) == 1 else min(cands, key=lambda o: rank(o, policy))


def _period_answer(
    cands: Sequence[Observation], policy: Policy, family: str, dataset: Release | None
) -> Observation:
    """The answer for one period from its readings (steps 3 and 4), given the anchor."""

    def inside(o: Observation) -> bool:
        if o.source.family != family:
            return False
        return o.source.kind == "report" or release_of(o) == dataset

    best_any = _best(cands, policy)
    mine = [o for o in cands if inside(o)]
    if mine:
        best_in = _best(mine, policy)
        if firsthand(best_in) or not firsthand(best_any):
            return best_in
        why = (
            f"the series takes {release_label(release_of(best_in))} for this period, but "
            "that value was seen only second-hand, and this one was read first-hand"
        )
    else:
        why = "no release of the series covers this period"
    return attrs.evolve(best_any, outside_series=_outside_note(best_any, family, dataset, why))


def plan(rows: Sequence[Observation], policy: Policy, by: By = "year") -> Plan:
    """The answer for every period of one metric and entity (steps 3 and 4 of the rule)."""
    reps = readings(rows, by)
    if not reps:
        return Plan({}, None, None, ())
    family, dataset = _anchor(reps, policy)
    by_period: dict[Period, list[Observation]] = {}
    for (_, period), o in reps.items():
        by_period.setdefault(period, []).append(o)
    answers: dict[Period, Observation] = {}
    for period in sorted(by_period, key=_period_key(by)):
        answers[period] = _period_answer(by_period[period], policy, family, dataset)
    used = {release_of(o) for o in answers.values() if o.outside_series is None}
    not_joined = tuple(
        sorted(
            {release_of(o) for o in reps.values()} - used,
            key=lambda r: (newest_first(r[1]), r[0]),
        )
    )
    return Plan(answers, family, dataset, not_joined)


def _one_release(rows: Sequence[Observation]) -> bool:
    """Whether every row comes from one release (source id and vintage)."""
    first = rows[0] if rows else None
    return first is not None and all(
        o.source_id == first.source_id and o.vintage == first.vintage for o in rows
    )


def answer_at(rows: Sequence[Observation], policy: Policy, year: int) -> Observation | None:
    """``plan(rows, policy).answers.get(year)``, without answering the other years.

    A cross-section needs one year of many entities: the anchor still looks at every reading
    of the entity, but only the year asked is chosen.
    """
    if _one_release(rows):
        # one release (most entities): its reading of the year is the anchor's, inside the
        # series, and the only candidate, so it is the answer; no other year is read
        mine = [o for o in rows if o.year == year]
        return reading(mine) if mine else None
    reps = readings(rows)
    cands = [o for (_, period), o in reps.items() if period == year]
    if not cands:
        return None
    family, dataset = _anchor(reps, policy)
    return _period_answer(cands, policy, family, dataset)


def _outside_note(o: Observation, family: str, dataset: Release | None, why: str) -> str:
    anchor = release_label(dataset) if dataset is not None else f"the {family!r} report editions"
    return (
        f"this value comes from {release_label(release_of(o))}, outside the default series of "
        f"{o.metric_id} for {o.entity_id} (which uses {anchor}): {why}. Do not join it to "
        f"neighbouring years; series(..., source={o.source_id!r}) gives its own release."
    )


@attrs.frozen
class CrossSection:
    """The rows of a comparison: one release, each row an entity's default answer."""

    release: Release | None
    rows: list[Observation]
    #: entity id -> release of its answer, for entities left out (another release)
    other_release: dict[str, Release]
    #: releases of the same family, newer than ``release``, with data for the period
    passed_over: list[Release]


def cross_section(
    answers: Mapping[str, Observation],
    all_readings: Iterable[Observation],
    policy: Policy,
) -> CrossSection:
    """Step 5 of the rule: keep the entities answered from the best-ranked release."""
    if not answers:
        return CrossSection(None, [], {}, [])
    best = min(answers.values(), key=lambda o: rank(o, policy))
    rel = release_of(best)
    rows = [answers[e] for e in sorted(answers) if release_of(answers[e]) == rel]
    other = {e: release_of(o) for e, o in sorted(answers.items()) if release_of(o) != rel}
    newer = {
        release_of(o)
        for o in all_readings
        if o.source.family == best.source.family and o.vintage > best.vintage
    }
    passed = sorted(newer - {rel}, key=lambda r: (newest_first(r[1]), r[0]))
    return CrossSection(rel, rows, other, passed)


def others(rows: Sequence[Observation], first: Observation) -> list[Observation]:
    """Every other reading of a key, in a stable order: by source, newest vintage, priority."""
    return sorted(
        (o for o in rows if not same_reading(o, first)),
        key=lambda o: (o.source_id, newest_first(o.vintage), o.priority, o.date or dt.date.min),
    )


def same_reading(a: Observation, b: Observation) -> bool:
    """Whether two observations are the same reading: release, period and priority."""
    return (a.source_id, a.vintage, a.year, a.date, a.priority) == (
        b.source_id,
        b.vintage,
        b.year,
        b.date,
        b.priority,
    )
