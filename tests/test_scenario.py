"""Scenario files and --set options, validated against the real model."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdmodel.errors import AsielketenError, DataFileError, UnknownVariableError
from sdmodel.scenario import (
    INFLOW_BAND_VARIABLE,
    SCENARIO_DIR,
    Scenario,
    available_scenarios,
    load_scenario,
    parse_set_option,
    resolve_overrides,
)

CONSTANT = "time to acquire regular capacity"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mijn-scenario.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "band"),
    [("baseline", 0.5), ("instroom-laag", 0.0), ("instroom-midden", 0.5), ("instroom-hoog", 1.0)],
)
def test_shipped_scenarios_load(chain_model, name: str, band: float) -> None:
    scenario = load_scenario(name, model=chain_model)
    assert scenario.name == name
    assert scenario.description
    assert scenario.overrides[INFLOW_BAND_VARIABLE] == band
    assert scenario.source == SCENARIO_DIR / f"{name}.toml"


def test_baseline_writes_out_the_model_defaults(chain_model) -> None:
    """baseline.toml spells out the law as of 2025; the model's defaults must agree with it."""
    import pandas as pd

    baseline = load_scenario("baseline", model=chain_model)
    pd.testing.assert_frame_equal(
        chain_model.run(baseline.overrides, until="2030-12"), chain_model.run(until="2030-12")
    )


def test_shipped_scenarios_are_the_documented_four() -> None:
    assert {"baseline", "instroom-laag", "instroom-midden", "instroom-hoog"} <= set(
        available_scenarios()
    )


def test_path_with_numeric_band_and_set(chain_model, tmp_path: Path) -> None:
    path = write(tmp_path, f'name = "x"\n[inflow]\nband = 0.25\n[set]\n"{CONSTANT}" = 12\n')
    scenario = load_scenario(path, model=chain_model)
    assert scenario.overrides == {INFLOW_BAND_VARIABLE: 0.25, CONSTANT: 12.0}
    assert scenario.source == path


def test_name_defaults_to_file_stem(chain_model, tmp_path: Path) -> None:
    scenario = load_scenario(write(tmp_path, "[inflow]\nband = 'low'\n"), model=chain_model)
    assert scenario.name == "mijn-scenario"


# Each case: file text, expected error type, fragments the message must contain (besides the path).
ERRORS = {
    "unknown top-level key": (
        'nmae = "x"\n', DataFileError, [":1", "unknown key 'nmae'", "did you mean 'name'",
                                        "allowed keys"],
    ),
    "unknown inflow key": (
        "[inflow]\nbnad = 'low'\n", DataFileError, [":2", "[inflow] 'bnad'", "allowed keys"],
    ),
    "unknown band word": (
        "[inflow]\nband = 'hoog'\n", DataFileError,
        [":2", "band = 'hoog'", "did you mean 'high'", "use low, mid, high"],
    ),
    "band outside 0..1": (
        "[inflow]\nband = 1.5\n", DataFileError, ["band = 1.5", "number from 0 to 1"],
    ),
    "unknown variable": (
        '[set]\n"time to aquire regular capacity" = 12\n', UnknownVariableError,
        [":2", "'time to aquire regular capacity'", f"did you mean '{CONSTANT}'",
         "asielketen doc"],
    ),
    "value outside range": (
        f'[set]\n"{CONSTANT}" = 1000\n', DataFileError,
        [f"'{CONSTANT}' = 1000", "outside its range [3, 60]", "choose a value in that range"],
    ),
    "not a constant": (
        '[set]\n"COA occupancy" = 5\n', DataFileError, [":2", "'COA occupancy'", "not a constant"],
    ),
    "value not a number": (
        f'[set]\n"{CONSTANT}" = "twaalf"\n', DataFileError, [f"'{CONSTANT}'", "not a number"],
    ),
    "band given twice": (
        f"[inflow]\nband = 'low'\n[set]\n\"{INFLOW_BAND_VARIABLE}\" = 1\n", DataFileError,
        [":4", "keep only one"],
    ),
    "TOML syntax": (
        'name = "x"\n[inflow\nband = "low"\n', DataFileError, ["invalid TOML", "line 2"],
    ),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_invalid_scenarios_name_file_key_and_fix(chain_model, tmp_path: Path, case: str) -> None:
    text, error, fragments = ERRORS[case]
    path = write(tmp_path, text)
    with pytest.raises(error) as info:
        load_scenario(path, model=chain_model)
    message = str(info.value)
    assert message.startswith(str(path)), message
    for fragment in fragments:
        assert fragment in message, message
    assert "\n" not in message


def test_unknown_scenario_name_lists_the_available_ones(chain_model) -> None:
    with pytest.raises(DataFileError, match="instroom-hoog") as info:
        load_scenario("instroom-hooog", model=chain_model)
    assert "did you mean 'instroom-hoog'" in str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a=1", ("a", 1.0)), (f" {CONSTANT} = 12.5 ", (CONSTANT, 12.5)), ("x=-3e2", ("x", -300.0))],
)
def test_parse_set_option(text: str, expected: tuple[str, float]) -> None:
    assert parse_set_option(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("no equals sign", "is not NAME=VALUE"),
        ("=5", "is not NAME=VALUE"),
        ("a=twelve", "'twelve' is not a number"),
        ("a=1,5", "use a dot as decimal separator"),
        ("a=", "is not a number"),
        ("a=nan", "finite number"),
    ],
)
def test_parse_set_option_errors(text: str, fragment: str) -> None:
    with pytest.raises(AsielketenError, match=fragment):
        parse_set_option(text)


def test_set_options_override_the_scenario(chain_model) -> None:
    scenario = Scenario(name="s", overrides={INFLOW_BAND_VARIABLE: 0.0, CONSTANT: 12.0})
    merged = resolve_overrides(scenario, [(CONSTANT, 24.0)], model=chain_model)
    assert merged == {INFLOW_BAND_VARIABLE: 0.0, CONSTANT: 24.0}


def test_set_options_are_validated(chain_model) -> None:
    with pytest.raises(UnknownVariableError, match="--set 'nonsense'"):
        resolve_overrides(Scenario(name="s"), [("nonsense", 1.0)], model=chain_model)
    with pytest.raises(DataFileError, match="outside its range"):
        resolve_overrides(Scenario(name="s"), [(CONSTANT, -1.0)], model=chain_model)
