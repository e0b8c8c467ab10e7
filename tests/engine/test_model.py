"""The chain model: translation, conservation of persons, non-negative stocks, extreme conditions,
documentation of every constant, the sketch, and clear errors on a malformed .mdl."""

from __future__ import annotations

import re

import numpy as np
import pytest

from sdmodel.engine.model import ChainModel
from sdmodel.errors import ModelFileError, UnknownVariableError
from sdmodel.names import CONTROL_NAMES
from sdmodel.paths import DEFAULT_MDL

SOURCE_MARKERS = re.compile(
    r"assumption|https?://|\.csv|Vreemdelingenwet|Policy input|Capacity lever|Scenario knob|"
    r"definition",
)


@pytest.fixture(scope="module")
def model() -> ChainModel:
    return ChainModel.from_mdl()


@pytest.fixture(scope="module")
def default_raw(model):
    return model.run_raw()


def random_parameter_sets(model: ChainModel, n: int, seed: int) -> list[dict[str, float]]:
    """Draw constants uniformly inside their declared [min, max] ranges."""
    rng = np.random.default_rng(seed)
    doc = model.doc()
    constants = doc[(doc.kind == "constant") & ~doc.name.isin(CONTROL_NAMES)]
    constants = constants[constants["max"] > constants["min"]]
    return [
        {row.name: float(rng.uniform(row.min, row.max)) for row in constants.itertuples()}
        for _ in range(n)
    ]


def person_stocks(model: ChainModel) -> list[str]:
    doc = model.doc().set_index("name")
    return [s for s in model.stocks if doc.loc[s, "units"] == "person"]


def assert_persons_conserved(model: ChainModel, raw) -> None:
    dt = model.time_step
    persons = raw["persons in chain"].to_numpy()
    net = (raw["persons entering chain"] - raw["persons leaving chain"]).to_numpy()
    expected = persons[0] + np.concatenate([[0.0], np.cumsum(net[:-1] * dt)])
    np.testing.assert_allclose(persons, expected, rtol=1e-6)


def test_model_translates_and_runs(model, default_raw):
    assert len(model.stocks) >= 20
    assert default_raw.index[-1] == pytest.approx(model.final_time)
    assert np.isfinite(default_raw.select_dtypes("number").to_numpy()).all()
    monthly = model.run(until="2015-12")
    assert len(monthly) == 24 and str(monthly.index[-1].date()) == "2015-12-01"


def test_persons_in_chain_covers_every_person_stock(model):
    """Each person stock is in the accounting sum, or is declared a co-flow / workload."""
    doc = model.doc().set_index("name")
    text = DEFAULT_MDL.read_text(encoding="utf-8")
    definition = re.search(r"^persons in chain\s*=(.*?)~", text, re.M | re.S).group(1)
    summed = {name.strip() for name in definition.split("+")}
    for stock in person_stocks(model):
        if stock not in summed:
            assert "not counted in persons in chain" in doc.loc[stock, "comment"], stock


def test_persons_are_conserved_with_defaults(model, default_raw):
    assert_persons_conserved(model, default_raw)


@pytest.mark.parametrize("params", random_parameter_sets(ChainModel.from_mdl(), 4, seed=7))
def test_persons_conserved_and_stocks_nonnegative_for_random_parameters(model, params):
    raw = model.run_raw(params)
    assert_persons_conserved(model, raw)
    stocks = raw[model.stocks].to_numpy()
    assert stocks.min() >= -1e-9 * max(1.0, np.abs(stocks).max())


def test_no_stock_goes_negative_with_defaults(model, default_raw):
    assert default_raw[model.stocks].to_numpy().min() >= 0.0


def test_zero_inflow_drains_the_chain(model):
    raw = model.run_raw({"inflow scale": 0})
    occupancy = raw["COA occupancy"]
    assert occupancy.iloc[-1] < 0.01 * occupancy.iloc[0]
    for stock in ("awaiting registration", "IND pending asylum", "appeals pending"):
        assert raw[stock].iloc[-1] < 1.0, stock
    assert raw["persons entering chain"].iloc[-1] < 1.0


def test_zero_ind_capacity_grows_backlog_by_registered_inflow(model):
    raw = model.run_raw({"productive hours per FTE per month": 0}, final_time=120)
    assert raw["IND decisions"].abs().max() == 0.0
    dt = model.time_step
    registered = np.concatenate([[0.0], np.cumsum(raw["registrations"].to_numpy()[:-1] * dt)])
    expected = raw["IND pending asylum"].iloc[0] + registered
    np.testing.assert_allclose(raw["IND pending asylum"].to_numpy(), expected, rtol=1e-9)


def test_zero_housing_fills_coa_with_status_holders(model, default_raw):
    raw = model.run_raw(
        {
            "housing target in force": 0,
            "housing effort without target": 0,
            "social housing waiting time": np.inf,
        },
        final_time=120,
    )
    assert raw["housing outflow"].abs().max() == 0.0
    dt = model.time_step
    arrivals = np.concatenate([[0.0], np.cumsum(raw["new status holders in COA"].to_numpy()[:-1])])
    expected = raw["status holders waiting"].iloc[0] + arrivals * dt
    np.testing.assert_allclose(raw["status holders waiting"].to_numpy(), expected, rtol=1e-9)
    baseline = default_raw.loc[120, "status holders waiting"]
    assert raw["status holders waiting"].iloc[-1] > 3 * baseline


def test_every_constant_has_units_range_and_source(model):
    doc = model.doc()
    constants = doc[(doc.kind == "constant") & ~doc.name.isin(CONTROL_NAMES)]
    assert len(constants) > 50
    problems = []
    for row in constants.itertuples():
        if not row.units:
            problems.append(f"{row.name}: no units")
        if np.isnan(row.min) or np.isnan(row.max) or row.min > row.max:
            problems.append(f"{row.name}: no [min,max] range")
        if not SOURCE_MARKERS.search(row.comment):
            problems.append(f"{row.name}: no source or 'assumption' in the comment")
    lookups = doc[doc.kind == "lookup"]
    for row in lookups.itertuples():
        if not re.search(r"https?://|\.csv", row.comment):
            problems.append(f"{row.name}: data without a source")
    assert not problems, "\n".join(problems)


def test_defaults_lie_inside_their_ranges(model, default_raw):
    doc = model.doc()
    constants = doc[(doc.kind == "constant") & ~doc.name.isin(CONTROL_NAMES)]
    for row in constants.itertuples():
        value = default_raw[row.name].iloc[0]
        assert row.min <= value <= row.max, row.name


def sketch_names(text: str) -> dict[str, set[str]]:
    """Names of the variables drawn in each view of a .mdl sketch."""
    views: dict[str, set[str]] = {}
    sketch = text.split("\\\\\\---/// Sketch information")[1:]
    for block in sketch:
        title = re.search(r"^\*(.+)$", block, re.M).group(1)
        names = views.setdefault(title, set())
        for line in block.splitlines():
            fields = line.split(",")
            if fields[0] == "10" and len(fields) > 3:
                names.add(fields[2].strip().strip('"'))
    return views


def test_sketch_shows_every_stock_and_flow(model):
    views = sketch_names(DEFAULT_MDL.read_text(encoding="utf-8"))
    assert len(views) == 6
    shown = set().union(*views.values())
    missing = sorted(set(model.stocks + model.flows) - shown)
    assert not missing, f"not in any sketch view: {missing}"
    assert all(views.values()), "an empty view"


def test_unknown_override_names_a_close_match(model):
    with pytest.raises(UnknownVariableError, match="did you mean 'inflow scale'"):
        model.run_raw({"inflow scal": 1})


def test_malformed_mdl_gives_file_and_line(tmp_path):
    text = DEFAULT_MDL.read_text(encoding="utf-8")
    broken = text.replace(
        "registrations  = MIN(awaiting registration / registration time, registration capacity)",
        "registrations  = MIN(awaiting registration / registration time,, registration capacity)",
    )
    assert broken != text
    path = tmp_path / "broken.mdl"
    path.write_text(broken, encoding="utf-8")
    line = broken.splitlines().index(
        next(ln for ln in broken.splitlines() if ln.startswith("registrations  ="))
    ) + 1
    with pytest.raises(ModelFileError, match=rf"broken\.mdl, line {line}: .*'registrations'"):
        ChainModel.from_mdl(path)


def test_translation_is_cached_outside_the_model_folder(model):
    assert not list(DEFAULT_MDL.parent.glob("*.py"))
    assert model.sha256 in str(model._mdl_copy)  # noqa: SLF001


def test_missing_mdl_is_a_clear_error(tmp_path):
    with pytest.raises(ModelFileError, match="not found"):
        ChainModel.from_mdl(tmp_path / "nope.mdl")
