"""Typed, frozen result objects: provenance is first-class.

Example:
    >>> import aipower
    >>> s = aipower.get_share("patents", country="CN", year=2023)
    >>> s.percent, s.status, s.source.title
    (69.7, 'verified', 'Artificial Intelligence Index Report 2025')
"""

from __future__ import annotations

import datetime as dt
import html

import attrs

from aipower._display import format_value, observation_html


@attrs.frozen(repr=False)
class Source:
    """A document or dataset release that values are read from.

    Example:
        >>> Source("aiindex_2025", "aiindex", "report", "Stanford HAI", "AI Index 2025", None,
        ...        "2025-04", "2025-04", "CC-BY-ND-4.0", True, "Stanford HAI (2025) ...", None)
        Source('aiindex_2025', 'AI Index 2025', vintage='2025-04', license='CC-BY-ND-4.0')
    """

    source_id: str
    family: str
    kind: str
    publisher: str
    title: str
    url: str | None
    published: str | None
    vintage: str | None
    license: str
    primary: bool
    citation: str
    how_read: str | None

    def __repr__(self) -> str:
        return (
            f"Source({self.source_id!r}, {self.title!r}, vintage={self.vintage!r}, "
            f"license={self.license!r})"
        )

    def _repr_html_(self) -> str:
        from aipower._display import link as _link

        link = _link(self.url, self.title)  # only http(s) URLs become links
        kind = "primary" if self.primary else "secondary"
        dates = html.escape(self.published or "date not established")
        if self.vintage and self.vintage != self.published:
            dates += f" &middot; vintage {html.escape(self.vintage)}"
        return (
            f"<div><b>{link}</b> &middot; {html.escape(self.publisher)} "
            f"&middot; {dates} &middot; {kind} &middot; "
            f"<code>{html.escape(self.license)}</code></div>"
        )


@attrs.frozen(repr=False)
class Metric:
    """What is counted, how, and in which unit.

    Example:
        >>> Metric("notable_models", "notable_models", "count", "models", "Notable AI models",
        ...        "...", "...", "aiindex_2025")
        Metric('notable_models', kind='count', unit='models')
    """

    metric_id: str
    concept: str
    kind: str
    unit: str
    title: str
    definition: str
    basis: str
    default_source_id: str
    #: the :class:`Source` behind ``default_source_id`` (filled in by the store; display only)
    default_source: Source | None = attrs.field(default=None, eq=False, kw_only=True)

    def __repr__(self) -> str:
        return f"Metric({self.metric_id!r}, kind={self.kind!r}, unit={self.unit!r})"

    def _repr_html_(self) -> str:
        from aipower._display import metric_html

        return metric_html(self, self.default_source)


@attrs.frozen(repr=False)
class Entity:
    """A country, aggregate, organisation, model, sector or pair."""

    entity_id: str
    kind: str
    name: str
    iso2: str | None
    iso3: str | None
    aliases: tuple[str, ...]
    members: tuple[str, ...]
    definition: str | None

    def __repr__(self) -> str:
        return f"Entity({self.entity_id!r}, {self.name!r}, kind={self.kind!r})"


def _operand(other: object) -> float | None:
    """The float a number-like operand stands for, or None (-> NotImplemented)."""
    if isinstance(other, Observation):
        return other.value
    if isinstance(other, bool) or not isinstance(other, int | float):
        if type(other).__module__ == "numpy" and hasattr(other, "__float__"):
            return float(other)  # type: ignore[arg-type]
        return None
    return float(other)


@attrs.frozen(repr=False)
class Observation:
    """One value of a metric for an entity and period, with where it came from.

    ``float(obs)`` gives the value in the metric's canonical unit (shares are fractions), and
    the object works as that number: ``f"{obs:,.0f}"``, ``obs * 2``, ``round(obs, 1)``,
    ``obs > 10``, ``int(obs)``. Arithmetic returns plain floats; the provenance stays on the
    object (``obs.source``, ``obs.locator``, ``obs.status``). ``==`` compares observations,
    not numbers: write ``float(obs) == 40``.

    Example:
        >>> obs = aipower.get("notable_models", country="US", year=2024)
        >>> obs.value, obs.unit, obs.locator
        (40.0, 'models', 'Chapter 1, Figures 1.3.1 and 1.3.2, p. 46 ...')
    """

    metric: Metric
    entity: Entity
    year: int
    date: dt.date | None
    value: float
    source: Source
    vintage: str
    locator: str
    status: str
    priority: int
    note: str | None
    derived_from: str | None
    #: the copy actually read when the value was not read in ``source`` itself (a digest, a
    #: quotation, a republication); None when the source itself was read
    read_in: Source | None = None
    #: keys of the rows a derived value is computed from (see :func:`aipower.derivation`)
    inputs: tuple[str, ...] = ()
    #: for an ``inferred`` value: what confirms the inference
    confirmation: str | None = None
    #: ``None`` when this value belongs to the default series of its metric and entity (what
    #: :func:`aipower.series` returns); otherwise why it does not, e.g. it comes from another
    #: release than the neighbouring years, so a loop over years must not join it to them.
    outside_series: str | None = attrs.field(default=None, kw_only=True)

    @property
    def metric_id(self) -> str:
        """The metric's id."""
        return self.metric.metric_id

    @property
    def entity_id(self) -> str:
        """The entity's id."""
        return self.entity.entity_id

    @property
    def source_id(self) -> str:
        """The source's id."""
        return self.source.source_id

    @property
    def unit(self) -> str:
        """The metric's canonical unit (every value is in it)."""
        return self.metric.unit

    @property
    def license(self) -> str:
        """The licence of the source (the value keeps it)."""
        return self.source.license

    # -- a number with provenance: float(obs), f"{obs:.1%}", obs * 100, round(obs, 2), obs > 0.5
    # Arithmetic returns plain floats (the result is no longer the sourced value); equality
    # (``==``) stays object equality, so compare ``float(obs)`` or ``obs.value`` with numbers.
    def __float__(self) -> float:
        return self.value

    def __int__(self) -> int:
        return int(self.value)

    def __round__(self, ndigits: int | None = None) -> float:
        return round(self.value, ndigits)  # type: ignore[return-value]

    def __format__(self, spec: str) -> str:
        return format(self.value, spec) if spec else str(self)

    def __abs__(self) -> float:
        return abs(self.value)

    def __neg__(self) -> float:
        return -self.value

    def __pos__(self) -> float:
        return +self.value

    def __add__(self, other: object) -> float:
        o = _operand(other)
        return NotImplemented if o is None else self.value + o

    def __radd__(self, other: object) -> float:
        o = _operand(other)
        return NotImplemented if o is None else o + self.value

    def __sub__(self, other: object) -> float:
        o = _operand(other)
        return NotImplemented if o is None else self.value - o

    def __rsub__(self, other: object) -> float:
        o = _operand(other)
        return NotImplemented if o is None else o - self.value

    def __mul__(self, other: object) -> float:
        o = _operand(other)
        return NotImplemented if o is None else self.value * o

    def __rmul__(self, other: object) -> float:
        o = _operand(other)
        return NotImplemented if o is None else o * self.value

    def __truediv__(self, other: object) -> float:
        o = _operand(other)
        return NotImplemented if o is None else self.value / o

    def __rtruediv__(self, other: object) -> float:
        o = _operand(other)
        return NotImplemented if o is None else o / self.value

    def __pow__(self, other: object) -> float:
        o = _operand(other)
        return NotImplemented if o is None else float(self.value**o)

    def __rpow__(self, other: object) -> float:
        o = _operand(other)
        return NotImplemented if o is None else float(o**self.value)

    def __floordiv__(self, other: object) -> float:
        o = _operand(other)
        return NotImplemented if o is None else self.value // o

    def __rfloordiv__(self, other: object) -> float:
        o = _operand(other)
        return NotImplemented if o is None else o // self.value

    def __lt__(self, other: object) -> bool:
        o = _operand(other)
        return NotImplemented if o is None else self.value < o

    def __le__(self, other: object) -> bool:
        o = _operand(other)
        return NotImplemented if o is None else self.value <= o

    def __gt__(self, other: object) -> bool:
        o = _operand(other)
        return NotImplemented if o is None else self.value > o

    def __ge__(self, other: object) -> bool:
        o = _operand(other)
        return NotImplemented if o is None else self.value >= o

    def __repr__(self) -> str:
        when = self.date.isoformat() if self.date else str(self.year)
        return (
            f"{type(self).__name__}({self.metric_id} {self.entity_id} {when} = "
            f"{format_value(self.value, self.unit, digits=4)}; {self.source_id} "
            f"{self.vintage}, {self.locator!r}, {self.status}"
            + (f", read in {self.read_in.source_id}" if self.read_in is not None else "")
            + ("; OUTSIDE THE DEFAULT SERIES" if self.outside_series else "")
            + ")"
        )

    def _repr_html_(self) -> str:
        return observation_html(self)


@attrs.frozen(repr=False)
class Share(Observation):
    """An :class:`Observation` of a share metric; ``percent`` gives it in percent.

    Example:
        >>> s = aipower.get_share("patents", country="CN", year=2023)
        >>> float(s), s.percent
        (0.697, 69.7)
    """

    @property
    def percent(self) -> float:
        """The share in percent (0.697 -> 69.7)."""
        return round(self.value * 100, 10)


@attrs.frozen
class Comparison:
    """The verdict of a checked number against one observation.

    ``difference`` is the checked number minus the observation's value, in the metric's
    canonical unit (fractions for shares).
    """

    observation: Observation
    verdict: str
    difference: float


@attrs.frozen(repr=False)
class CheckResult:
    """Outcome of :func:`aipower.check`: the verdict and the reading that decided it.

    It also holds every comparison, and the default answer (what :func:`aipower.get` returns
    for the same key).

    Example:
        >>> r = aipower.check("patents", country="CN", year=2023, value=69.7, unit="percent")
        >>> r.verdict, r.metric_id
        ('matches', 'patents_granted_share')
    """

    metric_id: str
    entity_id: str
    year: int
    value: float
    verdict: str
    nearest: Observation
    comparisons: tuple[Comparison, ...]
    related: tuple[Comparison, ...]
    explanation: str
    #: the default answer for the same metric, entity, year (and ``source=``, if given)
    answer: Observation | None = attrs.field(default=None, kw_only=True)

    def __repr__(self) -> str:
        return (
            f"CheckResult({self.metric_id} {self.entity_id} {self.year}: {self.value:.6g} -> "
            f"{self.verdict}; nearest {self.nearest.value:.6g} from {self.nearest.source_id})"
        )

    def _repr_html_(self) -> str:
        from aipower._display import check_html

        return check_html(self)


@attrs.frozen(repr=False)
class Claim:
    """A quantitative claim, the observations it was checked against, and the verdict.

    The verdict of a value claim is what :func:`aipower.check` returns for its stated number
    against the source it is compared with (``compare_source_id``).

    Example:
        >>> c = aipower.claim("C6a")
        >>> c.verdict, c.stated_value
        ('differs', 2600000.0)
    """

    claim_id: str
    statement: str
    claim_kind: str
    stated_value: float | None
    stated_printed: str | None
    stated_by: Source
    stated_on: str | None
    attributed_to: Source | None
    observations: tuple[Observation, ...]
    same_basis: bool
    verdict: str
    explanation: str
    context: str | None
    metric_id: str | None = attrs.field(default=None, kw_only=True)
    entity_id: str | None = attrs.field(default=None, kw_only=True)
    year: int | None = attrs.field(default=None, kw_only=True)
    compare_source_id: str | None = attrs.field(default=None, kw_only=True)
    stated_unit: str | None = attrs.field(default=None, kw_only=True)

    def __repr__(self) -> str:
        return f"Claim({self.claim_id!r}, verdict={self.verdict!r}, stated={self.stated_printed!r})"

    def _repr_html_(self) -> str:
        from aipower._display import claim_html

        return claim_html(self)
