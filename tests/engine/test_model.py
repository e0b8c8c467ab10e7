"""The chain model: translation, conservation of persons, non-negative stocks, extreme conditions,
documentation of every constant, the sketch, and clear errors on a malformed .mdl."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from sdmodel.engine.model import ChainModel
from sdmodel.errors import ModelFileError, UnknownVariableError
from sdmodel.names import CONTROL_NAMES
from sdmodel.paths import DEFAULT_MDL

SOURCE_MARKERS = re.compile(
    r"assumption|https?://|\.csv|Vreemdelingenwet|Policy input|Capacity lever|Scenario knob|"
    r"[Dd]efinition|Rule slot input|\(structure: set by sdmodel\.scenarios\.rules",
)


@pytest.fixture(scope="module")
def model() -> ChainModel:
    return ChainModel.from_mdl()


@pytest.fixture(scope="module")
def default_raw(model):
    return model.run_raw()


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


def batch_parameter_sets(batch, n: int, seed: int) -> dict[str, np.ndarray]:
    """``n`` sets of every scalar constant with a range: half uniform, half at the corners.

    A corner set puts each constant at its own minimum or maximum (chosen at random), where
    Euler integration is most likely to overshoot a stock below zero.
    """
    rng = np.random.default_rng(seed)
    names, low, high = [], [], []
    for name, default in batch.constants.items():
        lo, hi = batch.info(name)["limits"]
        if np.ndim(default) or name in CONTROL_NAMES or lo is None or hi is None or lo == hi:
            continue
        names.append(name)
        low.append(lo)
        high.append(hi)
    u = rng.uniform(size=(n, len(names)))
    u[n // 2:] = rng.integers(0, 2, size=(n - n // 2, len(names)))
    values = np.array(low) + u * (np.array(high) - np.array(low))
    return {name: values[:, j] for j, name in enumerate(names)}


def test_persons_conserved_and_stocks_nonnegative_for_1000_parameter_sets():
    """1,000 sets over the declared ranges, 500 of them at the corners, on the batch simulator."""
    from sdmodel.engine.batch import BatchModel

    batch = BatchModel.from_mdl(DEFAULT_MDL)
    n = 1000
    params = batch_parameter_sets(batch, n, seed=11)
    assert len(params) > 100
    accounts = ["persons in chain", "persons entering chain", "persons leaving chain"]
    ds = batch.run(params, n=n, return_columns=batch.stocks + accounts, chunk_size=100)
    dt = batch.control["time_step"]
    persons = ds["persons in chain"].to_numpy()
    net = (ds["persons entering chain"] - ds["persons leaving chain"]).to_numpy()
    expected = persons[0] + np.vstack([np.zeros((1, n)), np.cumsum(net[:-1] * dt, axis=0)])
    np.testing.assert_allclose(persons, expected, rtol=1e-6)
    negative = {}
    for stock in batch.stocks:
        values = ds[stock].to_numpy()
        scale = np.maximum(1.0, np.abs(values).max(axis=0))
        runs = np.flatnonzero(values.min(axis=0) < -1e-9 * scale)
        if runs.size:
            negative[stock] = runs.size
    assert not negative, f"stocks below zero (runs): {negative}"


def test_no_stock_goes_negative_with_defaults(model, default_raw):
    assert default_raw[model.stocks].to_numpy().min() >= 0.0


def test_zero_inflow_drains_the_chain(model):
    raw = model.run_raw({"inflow scale": 0})
    occupancy = raw["COA occupancy"]
    assert occupancy.iloc[-1] < 0.01 * occupancy.iloc[0]
    for stock in ("awaiting registration", "awaiting transfer", "IND pending asylum",
                  "appeals pending"):
        assert raw[stock].iloc[-1] < 1.0, stock
    assert raw["persons entering chain"].iloc[-1] < 1.0


def test_zero_ind_capacity_grows_backlog_by_registered_inflow(model):
    raw = model.run_raw({"productive hours per FTE per month": 0}, final_time=120)
    for flow in ("IND decisions", "subsequent decisions", "border procedure decisions",
                 "nareis decisions", "reassessments"):
        assert raw[flow].abs().max() == 0.0, flow
    dt = model.time_step
    registered = np.concatenate([[0.0], np.cumsum(raw["registrations"].to_numpy()[:-1] * dt)])
    pending = raw["IND pending asylum applications"].to_numpy()
    np.testing.assert_allclose(pending, pending[0] + registered, rtol=1e-9)


def test_zero_housing_fills_coa_with_status_holders(model, default_raw):
    raw = model.run_raw(
        {
            "target realisation": 0.3,
            "housing priority share": 0,
            "realisation without priority": 0.1,
            "extra flexible housing units": 0,
            "social housing waiting time": np.inf,
            "revocation share refugee": 0,
            "revocation share subsidiary": 0,
            "maximum share of lettings to status holders": 0,
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


def months_above(series: pd.Series, threshold: float) -> int:
    return int((series > threshold).sum())


def test_regular_capacity_held_low_fills_emergency_reception_and_ter_apel(model, default_raw):
    low = model.run_raw({"municipal location offers": 200, "regular capacity coverage": 0.4})
    monthly = slice(None, None, int(round(1 / model.time_step)))
    base, held = default_raw.iloc[monthly], low.iloc[monthly]
    emergency = "emergency reception occupancy"
    assert held[emergency].mean() > 1.5 * base[emergency].mean()
    assert held["Ter Apel occupancy"].max() > 2000
    assert months_above(held["Ter Apel occupancy"], 2000) >= months_above(
        base["Ter Apel occupancy"], 2000)


def test_extra_regular_places_relieve_ter_apel_and_emergency_reception(model, default_raw):
    times = np.arange(0.0, 264.125, 0.125)
    extra = pd.Series(np.where(times < 144, 0.0, 25000.0), index=times)
    more = model.run_raw({"extra regular COA places funded": extra})
    later = default_raw.index >= 156  # from a year after the funding starts
    emergency = "emergency reception occupancy"
    assert more[later][emergency].mean() < 0.8 * default_raw[later][emergency].mean()
    ter_apel = "Ter Apel occupancy"
    assert more[later][ter_apel].mean() < default_raw[later][ter_apel].mean()
    history = default_raw.index < 144
    np.testing.assert_array_equal(more[history]["COA occupancy"],
                                  default_raw[history]["COA occupancy"])


def test_short_permits_are_renewed_no_earlier_than_one_term_after_entry_into_force(model):
    start = 150.0  # entry into force, months since 2014-01
    times = np.arange(0.0, 264.125, 0.125)
    share = pd.Series(np.where(times < start, 0.0, 1.0), index=times)
    raw = model.run_raw({"short permit share": share})
    expiries = raw["refugee short permit expiries"] + raw["subsidiary short permit expiries"]
    assert expiries[raw.index < start + 36].abs().max() == 0.0
    assert expiries[raw.index >= start + 36].iloc[:24].min() > 0
    assert raw.loc[raw.index < start, "refugee short permit entries"].abs().max() == 0.0


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
    assert len(views) == 7  # six parts of the chain and the rule slots
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
        "registrations  = MIN(awaiting registration / minimum registration time, registration "
        "capacity)",
        "registrations  = MIN(awaiting registration / minimum registration time,, registration "
        "capacity)",
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


def test_every_equation_has_exactly_units_and_comment_fields():
    """A '~' inside a comment starts a field Vensim does not expect and cuts the comment short."""
    text = DEFAULT_MDL.read_text(encoding="utf-8")
    equations = text.split("\\\\\\---///")[0]
    bad = []
    for block in equations.split("|"):
        name = block.strip().splitlines()[0] if block.strip() else ""
        if (block.strip() and not name.startswith(("{UTF-8}", "********")) and "~" in block
                and block.count("~") != 2):
            bad.append(name[:60])
    assert not bad, f"equations with a '~' in their comment: {bad}"
