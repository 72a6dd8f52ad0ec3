"""Property tests: junk in, only documented exceptions out.

Every public function is called with valid arguments of which a random subset is replaced by
junk (wrong types, None, NaN, inf, huge/negative numbers, unicode, very long strings, numpy
scalars, bools, lists, dicts, ...). Allowed outcomes: a result, an :class:`aipower.AipowerError`,
or a plain ``TypeError``/``ValueError`` whose message names a junk parameter. The CLI must exit
0, 1 or 2 and never print a traceback.

The bugs this fuzzing found are fixed; each keeps a named regression test at the end of this
file (pycountry style: the test is named after the bug it pins).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import io
import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import aipower
from aipower.cli import ExitCode
from aipower.cli import main as cli_main

FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

NUMPY_SCALARS = [
    np.int64(2023),
    np.int32(-1),
    np.uint64(2**64 - 1),
    np.int8(0),
    np.float64("nan"),
    np.float64("inf"),
    np.float32(1.5),
    np.float64(2023.0),
    np.bool_(True),
    np.bool_(False),
    np.str_("CN"),
    np.str_(""),
    np.datetime64("2023-01-01"),
    np.array([2023]),
    np.array(2023),
]

SPECIAL_TEXT = [
    "",
    " ",
    "\t\n",
    "\x00",
    "\ud800",  # lone surrogate
    "C\u0308N",  # combining diaeresis
    "ＣＮ",  # full-width
    "中国",
    "🇨🇳",
    "Ünïcödé",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%s%n{0}",
    "None",
    "nan",
    "-1",
    "2023",
    "x" * 200,
    "x" * 201,
    "é" * 10_000,
]

JUNK: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 5e-324, 1.7976931348623157e308]),
    st.text(max_size=50),
    st.text(min_size=150, max_size=400),
    st.sampled_from(SPECIAL_TEXT),
    st.binary(max_size=10),
    st.lists(st.one_of(st.integers(), st.text(max_size=5)), max_size=3),
    st.tuples(st.text(max_size=3)),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.frozensets(st.integers(), max_size=2),
    st.sampled_from(NUMPY_SCALARS),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.fractions(),
    st.complex_numbers(),
    st.sampled_from([object(), dt.date(2023, 1, 1), b"CN", bytearray(b"CN"), range(3), ...]),
)

#: valid keyword arguments of each function (junk replaces a random subset of them)
VALID: dict[str, dict[str, Any]] = {
    "get": {"metric": "patents", "country": "CN", "year": 2023, "source": None, "vintage": None},
    "get_share": {"metric": "patents", "entity": "CHN", "year": 2023, "source": "aiindex_2025"},
    "get_all": {"metric": "patents", "country": "CN", "year": 2023},
    "series": {"metric": "patents", "country": "CN", "source": None, "vintage": None},
    "compare": {"metric": "patents", "year": 2023, "kind": "country", "source": None},
    "check": {"metric": "patents", "country": "CN", "year": 2023, "value": 69.7, "unit": "percent"},
    "claim": {"claim_id": "C1a"},
    "table": {"name": "metrics", "engine": "pandas", "license": None},
    "metric": {"metric_id": "patents"},
    "source": {"source_id": "aiindex_2025"},
}
POSITIONAL = {"get", "get_share", "get_all", "series", "compare", "check"}  # metric is positional

#: words that name a parameter in an error message
NAMES: dict[str, tuple[str, ...]] = {
    "metric": ("metric",),
    "metric_id": ("metric",),
    "country": ("country",),
    "entity": ("entity",),
    "year": ("year",),
    "source": ("source",),
    "source_id": ("source",),
    "vintage": ("vintage",),
    "kind": ("kind",),
    "value": ("value", "unit"),  # "looks like a percentage. Pass unit='percent'"
    "unit": ("unit",),
    "claim_id": ("claim_id",),
    "name": ("name", "table"),
    "engine": ("engine",),
    "license": ("license",),
}


def _is_hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def call(fn: str, kwargs: dict[str, Any]) -> Any:
    function = getattr(aipower, fn)
    if fn in POSITIONAL:
        rest = dict(kwargs)
        return function(rest.pop("metric"), **rest)
    if fn in ("claim", "metric", "source"):
        return function(*kwargs.values())
    rest = dict(kwargs)
    return function(rest.pop("name"), **rest)


def raised(fn: str, kwargs: dict[str, Any]) -> BaseException | None:
    try:
        call(fn, kwargs)
    except BaseException as exc:  # classified by check_outcome
        return exc
    return None


def check_outcome(fn: str, kwargs: dict[str, Any], junk: set[str]) -> None:
    exc = raised(fn, kwargs)
    if exc is None:
        event(f"{fn}: returned")
        return
    where = f"{fn}({kwargs!r:.300})"
    if isinstance(exc, aipower.AipowerError):
        assert str(exc), f"{where}: {type(exc).__name__} without a message"
    else:
        assert type(exc) in (TypeError, ValueError), (
            f"{where} raised undocumented {type(exc).__module__}.{type(exc).__name__}: {exc!r:.300}"
        )
        words = {w for param in junk for w in NAMES[param]}
        assert any(w in str(exc) for w in words), (
            f"{where}: {type(exc).__name__} message does not name any of {sorted(junk)}: "
            f"{str(exc)!r}"
        )
    event(f"{fn}: {type(exc).__name__}")


@st.composite
def junk_call(draw: st.DrawFn, fn: str) -> tuple[dict[str, Any], set[str]]:
    valid = VALID[fn]
    params = list(valid)
    junk = set(draw(st.lists(st.sampled_from(params), min_size=1, unique=True)))
    kwargs = {p: (draw(JUNK) if p in junk else valid[p]) for p in params}
    return kwargs, junk


def _fuzz_test(fn: str) -> Callable[[], None]:
    @FUZZ
    @given(case=junk_call(fn))
    def test(case: tuple[dict[str, Any], set[str]]) -> None:
        kwargs, junk = case
        check_outcome(fn, kwargs, junk)

    test.__name__ = f"test_fuzz_{fn}"
    return test


test_fuzz_get = _fuzz_test("get")
test_fuzz_get_share = _fuzz_test("get_share")
test_fuzz_get_all = _fuzz_test("get_all")
test_fuzz_series = _fuzz_test("series")
test_fuzz_compare = _fuzz_test("compare")
test_fuzz_check = _fuzz_test("check")
test_fuzz_claim = _fuzz_test("claim")
test_fuzz_table = _fuzz_test("table")
test_fuzz_metric = _fuzz_test("metric")
test_fuzz_source = _fuzz_test("source")


# -- the command line -------------------------------------------------------------------------
COMMANDS = [
    "get",
    "get-share",
    "series",
    "compare",
    "check",
    "metrics",
    "sources",
    "entities",
    "claims",
    "info",
]  # "validate" (pandera, ~1 s) is covered by tests/reliability/test_integrity.py
OPTIONS = [
    "--country",
    "--entity",
    "--year",
    "--source",
    "--vintage",
    "--all",
    "--format",
    "--kind",
    "--value",
    "--unit",
    "--help",
    "--version",
    "-h",
    "--",
    "-",
]
WORDS = [
    "patents",
    "notable_models",
    "CN",
    "us",
    " China ",
    "2023",
    "-5",
    "99999",
    "1e400",
    "nan",
    "69.7",
    "percent",
    "fraction",
    "json",
    "csv",
    "table",
    "country",
    "aiindex_2025",
]
TOKEN = st.one_of(
    st.sampled_from(COMMANDS),
    st.sampled_from(OPTIONS),
    st.sampled_from(WORDS),
    st.text(max_size=20),
    st.sampled_from(SPECIAL_TEXT),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats().map(str),
)
VALUE_TOKEN = st.one_of(st.sampled_from(WORDS), TOKEN)
#: a well-formed command line with junk values: reaches the API rather than argparse
STRUCTURED = st.builds(
    lambda cmd, metric, who, name, year, extra: [
        cmd,
        metric,
        who,
        name,
        *(["--year", year] if cmd in ("get", "get-share", "compare", "check") else []),
        *(["--value", extra] if cmd == "check" else []),
    ],
    st.sampled_from(["get", "get-share", "series", "check"]),
    st.one_of(st.sampled_from(["patents", "notable_models", "publications"]), VALUE_TOKEN),
    st.sampled_from(["--country", "--entity"]),
    st.one_of(st.sampled_from(["CN", "us", " China ", "EU27", "DEEPSEEK_V3"]), VALUE_TOKEN),
    st.one_of(
        st.sampled_from(["2022", "2023", "2024"]),
        st.integers(min_value=-(10**6), max_value=10**6).map(str),
        VALUE_TOKEN,
    ),
    st.one_of(st.floats(allow_nan=True).map(str), VALUE_TOKEN),
)
ARGV = st.one_of(
    STRUCTURED,  # listed twice: half the command lines are well-formed
    STRUCTURED,
    st.lists(TOKEN, max_size=8),
    st.tuples(st.sampled_from(COMMANDS), st.lists(TOKEN, max_size=8)).map(lambda t: [t[0], *t[1]]),
)


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(argv)
    return code, out.getvalue(), err.getvalue()


VERDICTS = {"differs", "contradicted", "unverified"}


def cli_outcome(argv: list[str]) -> tuple[int, str, str] | BaseException:
    try:
        return run_cli(argv)
    except BaseException as exc:  # classified by the test
        return exc


@FUZZ
@given(argv=ARGV)
def test_fuzz_cli(argv: list[str]) -> None:
    result = cli_outcome(argv)
    assert not isinstance(result, BaseException), (
        f"aipower {argv!r} raised {type(result).__name__}: {result!r:.300}"
    )
    code, out, err = result
    assert code in set(ExitCode), (argv, code)
    assert "Traceback" not in err
    failed_check = (
        code in (ExitCode.DIFFERS, ExitCode.UNVERIFIED)
        and argv[:1] == ["check"]
        and out.split(":")[0] in VERDICTS
    )
    if code != 0 and not failed_check:  # a failed check prints its verdict on stdout
        assert err.strip(), f"exit {code} without a message on stderr: {argv!r}"
    event(f"cli: exit {code}")


@pytest.mark.parametrize(
    ("argv", "code", "stderr_start"),
    [
        ([], 0, ""),  # no command: the help, on stdout
        (["frobnicate"], 2, "usage: aipower"),
        (["get", "patents", "--country", "CN", "--year", "x"], 2, "usage: aipower get"),
        (["get", "patents", "--country", "Atlantis", "--year", "2023"], 2, "aipower: error:"),
        (["get", "patents", "--country", "CN", "--year", "99999"], 2, "aipower: error: year"),
        (["get", "patents", "--country", "CN", "--year", "1901"], 3, "aipower: no data:"),
        (["check", "patents", "--country", "CN", "--year", "2023", "--value", "nan"], 2, ""),
        (["get-share", "patents", "--country", " cn ", "--year", "2023"], 0, ""),
        (["--version"], 0, ""),
    ],
)
def test_cli_exit_codes(argv: list[str], code: int, stderr_start: str) -> None:
    got, out, err = run_cli(argv)
    assert got == code, err
    assert err.startswith(stderr_start), err
    assert "Traceback" not in err
    if code == 0:
        assert out


# -- valid but odd inputs work ----------------------------------------------------------------
YEARS_2023 = [2023, np.int64(2023), np.int32(2023), np.uint16(2023), np.int16(2023)]
CHINA = ["CN", "cn", " CN ", "\tcn\n", "CHN", "chn", "China", "  china  ", "CHINA"]
#: the concept word resolves to the share metric in get_share/check(unit="percent") only
PATENTS_CONCEPT = ["patents", "PATENTS", " Patents "]
PATENTS_SHARE = ["patents_granted_share", " PATENTS_GRANTED_SHARE", "Patents_Granted_Share\t"]


@FUZZ
@given(
    concept=st.sampled_from(PATENTS_CONCEPT),
    metric_id=st.sampled_from(PATENTS_SHARE),
    country=st.sampled_from(CHINA),
    year=st.sampled_from(YEARS_2023),
)
def test_odd_but_valid_inputs(concept: str, metric_id: str, country: str, year: Any) -> None:
    share = aipower.get_share(concept, country=country, year=year)
    assert (share.metric_id, share.entity_id, share.year, float(share)) == (
        "patents_granted_share",
        "CHN",
        2023,
        0.697,
    )
    assert type(share.year) is int
    assert aipower.get_share(metric_id, country=country, year=year) == share
    assert aipower.get(metric_id, country=country, year=year) == share
    assert aipower.get_all(metric_id, country=country, year=year)[0] == share
    result = aipower.check(concept, country=country, year=year, value=69.7, unit="percent")
    assert result.verdict == "matches"
    assert result.nearest == share
    assert aipower.series(metric_id, country=country).loc[2023, "value"] == 0.697
    assert aipower.compare(metric_id, year=year).loc["CHN", "value"] == 0.697


@pytest.mark.parametrize("value", [69.7, np.float64(69.7), decimal.Decimal("69.70"), 697 / 10])
def test_check_accepts_numeric_types(value: Any) -> None:
    result = aipower.check("patents", country="CN", year=2023, value=value, unit="percent")
    assert result.verdict == "matches"


def test_check_accepts_fraction() -> None:
    result = aipower.check(
        "patents", country="CN", year=2023, value=Fraction(697, 10), unit="percent"
    )
    assert result.verdict == "matches"


def test_numpy_str_is_a_str() -> None:
    assert aipower.get_share(np.str_("patents"), country=np.str_("CN"), year=2023).value == 0.697
    assert aipower.claim(np.str_("C1a")).claim_id == "C1a"


# -- regression tests for bugs the fuzz found (minimal reproductions) ----------------------
def test_check_huge_int_value() -> None:
    with pytest.raises(ValueError, match="value"):
        aipower.check("patents", country="CN", year=2023, value=10**400)


@pytest.mark.parametrize(
    ("metric", "country", "year", "value", "unit"),
    [
        ("private_investment", "US", 2024, 0.1 + 0.2, None),
        ("patents", "CN", 2023, 1e-30, "percent"),
    ],
)
def test_check_many_digit_value(
    metric: str, country: str, year: int, value: float, unit: str | None
) -> None:
    result = aipower.check(metric, country=country, year=year, value=value, unit=unit)
    assert result.verdict == "differs"


def test_cli_check_many_digit_value() -> None:
    argv = ["check", "patents", "--country", "CN", "--year", "2023"]
    code, _, _ = run_cli([*argv, "--value", "1e-30", "--unit", "percent"])
    assert code == ExitCode.DIFFERS


def test_check_unhashable_unit() -> None:
    with pytest.raises(TypeError, match="unit"):
        aipower.check("patents", country="CN", year=2023, value=69.7, unit=[])  # type: ignore[arg-type]


def test_check_signalling_nan() -> None:
    with pytest.raises(ValueError, match="value"):
        aipower.check("patents", country="CN", year=2023, value=decimal.Decimal("sNaN"))


def test_source_none() -> None:
    with pytest.raises(TypeError, match="source"):
        aipower.source(None)  # type: ignore[arg-type]


def test_check_numpy_bool_value() -> None:
    with pytest.raises(TypeError, match="value"):
        aipower.check("patents", country="CN", year=2023, value=np.True_, unit="percent")
