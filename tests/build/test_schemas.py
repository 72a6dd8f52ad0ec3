"""Every rule of :mod:`aipower.schemas` rejects a frame that breaks it.

Each case takes a small valid slice of a shipped table (``aipower.table(name)``), checks that
it validates, breaks one thing and checks that pandera reports exactly that column and rule.
The per-table cases are generated from :mod:`aipower._spec`, so a rule added to the spec gets
a test here; the cross-table rules of ``validate_tables`` are tested on shipped frames.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.errors
import pytest

import aipower
import aipower.schemas as schemas
from aipower._spec import TABLES, Field

SLICE = 8

#: a value of the wrong type for each spec dtype, and the check pandera must report
WRONG_TYPE: dict[str, tuple[Any, str]] = {
    "str": (7, "dtype("),
    "int": (1.5, "dtype("),
    "float": ("1.0", "dtype("),
    "bool": ("true", "dtype("),
    "date": ("2023-01-01", "every cell is a datetime.date or null"),
    "list[str]": ("USA", "every cell is a list of str"),
}

#: a value that breaks each pattern used in the spec
PATTERN_BREAKERS: dict[str, str] = {
    r"^[a-z0-9][a-z0-9_]*$": "Bad Id",
    r"^[A-Z0-9][A-Z0-9_]*$": "usa",
    r"^\d{4}(-\d{2}(-\d{2})?)?$": "April 2025",
    r"\S": "   ",
}


@pytest.fixture(scope="module")
def full() -> dict[str, pd.DataFrame]:
    return {name: aipower.table(name) for name in TABLES}


def valid_slice(full: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
    frame = full[name].head(SLICE).reset_index(drop=True).copy()
    schemas.TABLE_MODELS[name].validate(frame, lazy=True)
    return frame


def failures(call: Any) -> set[tuple[str, str]]:
    """(column, check) pairs pandera reports; fails the test if the frame is accepted."""
    with pytest.raises(pandera.errors.SchemaErrors) as info:
        call()
    cases = info.value.failure_cases
    return set(zip(cases["column"].astype(str), cases["check"].astype(str), strict=True))


def assert_reported(found: set[tuple[str, str]], column: str, check: str | tuple[str, ...]) -> None:
    checks = (check,) if isinstance(check, str) else check
    hits = [(c, k) for c, k in found if c == column and any(x in k for x in checks)]
    assert hits, f"no failure on column {column!r} with check containing {check!r}: {found}"


def set_cell(frame: pd.DataFrame, column: str, value: Any) -> pd.DataFrame:
    frame[column] = frame[column].astype(object)
    frame.at[0, column] = value
    return frame


def _cases() -> list[Any]:
    out = []
    for name, spec in TABLES.items():
        for f in spec.fields:
            out.append(pytest.param(name, f, "wrong_type", id=f"{name}.{f.name}-wrong_type"))
            if not f.nullable:
                out.append(pytest.param(name, f, "null", id=f"{name}.{f.name}-null"))
            if f.isin is not None:
                out.append(pytest.param(name, f, "isin", id=f"{name}.{f.name}-isin"))
            if f.pattern is not None:
                out.append(pytest.param(name, f, "pattern", id=f"{name}.{f.name}-pattern"))
            if f.ge is not None:
                out.append(pytest.param(name, f, "ge", id=f"{name}.{f.name}-ge"))
            if f.le is not None:
                out.append(pytest.param(name, f, "le", id=f"{name}.{f.name}-le"))
    return out


@pytest.mark.parametrize("name", list(TABLES))
def test_shipped_slice_is_valid(full: dict[str, pd.DataFrame], name: str) -> None:
    frame = valid_slice(full, name)
    assert list(frame.columns) == list(TABLES[name].columns)
    assert len(frame) == min(SLICE, len(full[name]))


@pytest.mark.parametrize(("name", "field", "rule"), _cases())
def test_per_table_rule_rejects(
    full: dict[str, pd.DataFrame], name: str, field: Field, rule: str
) -> None:
    frame = valid_slice(full, name)
    model = schemas.TABLE_MODELS[name]
    col = field.name
    if rule == "wrong_type":
        bad, check = WRONG_TYPE[field.dtype]
        checks: str | tuple[str, ...] = check
        if field.dtype == "bool" and field.nullable:
            # pandas 2 keeps a nullable boolean column as object: the cell rule refuses it
            checks = (check, "every cell is True, False or null")
        if field.dtype in ("date", "list[str]"):
            frame = set_cell(frame, col, bad)
        else:
            frame[col] = [bad] * len(frame)
    elif rule == "null":
        frame = set_cell(frame, col, None)
        check = "not_nullable"
    elif rule == "isin":
        frame.loc[0, col] = "not_a_" + col
        check = "isin("
    elif rule == "pattern":
        assert field.pattern in PATTERN_BREAKERS, f"no breaker for pattern {field.pattern!r}"
        frame = set_cell(frame, col, PATTERN_BREAKERS[field.pattern])
        if field.nullable:
            frame[col] = frame[col].astype(object)
        else:
            frame[col] = frame[col].astype(full[name][col].dtype)
        check = "str_matches("
    elif rule == "ge":
        assert field.ge is not None
        frame.loc[0, col] = field.ge - 1
        check = "greater_than_or_equal_to("
    else:
        assert field.le is not None
        frame.loc[0, col] = field.le + 1
        check = "less_than_or_equal_to("
    assert_reported(
        failures(lambda: model.validate(frame, lazy=True)),
        col,
        checks if rule == "wrong_type" else check,
    )


@pytest.mark.parametrize("name", list(TABLES))
def test_duplicate_primary_key_rejected(full: dict[str, pd.DataFrame], name: str) -> None:
    frame = valid_slice(full, name)
    key = list(TABLES[name].primary_key)
    dup = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)
    found = failures(lambda: schemas.TABLE_MODELS[name].validate(dup, lazy=True))
    check = "field_uniqueness" if len(key) == 1 else "multiple_fields_uniqueness"
    assert {k for _, k in found} == {check}, found
    # pandera lists the duplicated key values per column; null cells (``date``) are not listed
    for col in key:
        if frame.at[0, col] is not None and frame.at[0, col] == frame.at[0, col]:
            assert_reported(found, col, check)


@pytest.mark.parametrize("name", list(TABLES))
def test_extra_and_missing_columns_rejected(full: dict[str, pd.DataFrame], name: str) -> None:
    frame = valid_slice(full, name)
    extra = frame.assign(unexpected=1)
    assert_reported(
        failures(lambda: schemas.TABLE_MODELS[name].validate(extra, lazy=True)),
        name,
        "column_in_schema",
    )
    missing = frame.drop(columns=[TABLES[name].fields[-1].name])
    assert_reported(
        failures(lambda: schemas.TABLE_MODELS[name].validate(missing, lazy=True)),
        name,
        "column_in_dataframe",
    )


@pytest.mark.parametrize(
    ("name", "column", "value"),
    [
        ("entities", "aliases", ("USA",)),
        ("entities", "members", ["USA", 3]),
        ("models", "countries", None),
        ("observations", "date", "2023-12-31"),
    ],
)
def test_cell_level_types_rejected(
    full: dict[str, pd.DataFrame], name: str, column: str, value: Any
) -> None:
    """One bad cell among good ones (a tuple or a non-str inside a list, a str date)."""
    frame = set_cell(valid_slice(full, name), column, value)
    found = failures(lambda: schemas.TABLE_MODELS[name].validate(frame, lazy=True))
    assert {c for c, _ in found} == {column}, found


@pytest.mark.parametrize(("name", "column"), [("models", "open_weights")])
def test_nullable_bool_holding_a_str_rejected(
    full: dict[str, pd.DataFrame], name: str, column: str
) -> None:
    frame = set_cell(valid_slice(full, name), column, "yes")
    assert_reported(
        failures(lambda: schemas.TABLE_MODELS[name].validate(frame, lazy=True)), column, ""
    )


# -- cross-table rules (validate_tables) -------------------------------------------------------
def _references() -> list[Any]:
    return [
        pytest.param(name, f, id=f"{name}.{f.name}->{f.references}")
        for name, spec in TABLES.items()
        for f in spec.fields
        if f.references is not None
    ]


@pytest.mark.parametrize(("name", "field"), _references())
def test_unknown_reference_rejected(full: dict[str, pd.DataFrame], name: str, field: Field) -> None:
    assert field.references is not None
    target = field.references.split(".")[0]
    frame = valid_slice(full, name)
    tables = {target: full[target], name: frame}
    schemas.validate_tables(tables)  # valid before
    bad = "NO_SUCH_ID" if target == "entities" else "no_such_id"
    frame = set_cell(frame, field.name, bad)
    if not field.nullable:
        frame[field.name] = frame[field.name].astype(full[name][field.name].dtype)
    tables[name] = frame
    found = failures(lambda: schemas.validate_tables(tables))
    assert_reported(found, field.name, f"references {field.references}")


@pytest.fixture(scope="module")
def share_group(full: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """AI Index 2025, Figure 1.2.3: granted AI patents by area, 2023 (includes REST_OF_WORLD)."""
    obs = full["observations"]
    group = obs[
        (obs["metric_id"] == "patents_granted_share")
        & (obs["year"] == 2023)
        & (obs["source_id"] == "aiindex_2025")
        & (obs["priority"] == 0)
        & obs["locator"].str.contains("Figure 1.2.3")
    ].reset_index(drop=True)
    assert {"CHN", "USA", "REST_OF_WORLD"} <= set(group["entity_id"])
    assert abs(group["value"].sum() - 1.0) <= schemas.SHARE_SUM_TOLERANCE
    return group


def _with_obs(full: dict[str, pd.DataFrame], obs: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {
        "sources": full["sources"],
        "entities": full["entities"],
        "metrics": full["metrics"],
        "observations": obs,
    }


def _set_value(group: pd.DataFrame, entity: str, value: float) -> pd.DataFrame:
    out = group.copy()
    out.loc[out["entity_id"] == entity, "value"] = value
    return out


def _checks(found: set[tuple[str, str]]) -> str:
    return " | ".join(sorted(k for _, k in found))


def test_share_group_is_valid(full: dict[str, pd.DataFrame], share_group: pd.DataFrame) -> None:
    schemas.validate_tables(_with_obs(full, share_group))


@pytest.mark.parametrize("value", [1.5, -0.01])
def test_share_outside_unit_interval_rejected(
    full: dict[str, pd.DataFrame], share_group: pd.DataFrame, value: float
) -> None:
    # a lone row: no exhaustive group, so only the [0, 1] rule can fire
    row = _set_value(share_group[share_group["entity_id"] == "CHN"], "CHN", value)
    found = failures(lambda: schemas.validate_tables(_with_obs(full, row)))
    assert "shares lie in [0, 1]" in _checks(found)
    assert "exhaustive" not in _checks(found)


def test_share_rule_ignores_non_share_metrics(full: dict[str, pd.DataFrame]) -> None:
    obs = full["observations"]
    counts = obs[obs["metric_id"] == "notable_models"].head(3).reset_index(drop=True).copy()
    counts.loc[0, "value"] = 170.0
    schemas.validate_tables(_with_obs(full, counts))


@pytest.mark.parametrize(("off_by", "accepted"), [(0.006, False), (-0.006, False), (0.004, True)])
def test_exhaustive_share_group_sums_to_one(
    full: dict[str, pd.DataFrame], share_group: pd.DataFrame, off_by: float, accepted: bool
) -> None:
    total = float(share_group["value"].sum())
    chn = float(share_group.loc[share_group["entity_id"] == "CHN", "value"].iloc[0])
    group = _set_value(share_group, "CHN", chn + (1.0 + off_by - total))
    assert abs(group["value"].sum() - (1.0 + off_by)) < 1e-9
    tables = _with_obs(full, group)
    if accepted:
        schemas.validate_tables(tables)
        return
    found = failures(lambda: schemas.validate_tables(tables))
    assert "exhaustive share groups" in _checks(found)
    assert "sum to 1 within 0.005" in _checks(found)


def test_non_exhaustive_group_need_not_sum_to_one(
    full: dict[str, pd.DataFrame], share_group: pd.DataFrame
) -> None:
    """Without REST_OF_WORLD/UNKNOWN the shown areas may add up to less than 1."""
    partial = share_group[~share_group["entity_id"].isin(schemas.EXHAUSTIVE_MARKERS)]
    assert partial["value"].sum() < 1 - schemas.SHARE_SUM_TOLERANCE
    schemas.validate_tables(_with_obs(full, partial.reset_index(drop=True)))


def test_aggregate_member_must_be_a_known_entity(full: dict[str, pd.DataFrame]) -> None:
    ents = full["entities"].copy()
    row = ents.index[ents["entity_id"] == "EU27"][0]
    assert "DEU" in ents.at[row, "members"]
    schemas.validate_tables({"entities": ents.copy(), "sources": full["sources"]})
    ents.at[row, "members"] = [*ents.at[row, "members"], "NOWHERE"]
    found = failures(
        lambda: schemas.validate_tables({"entities": ents, "sources": full["sources"]})
    )
    assert_reported(found, "members", "references entities.entity_id (members)")
