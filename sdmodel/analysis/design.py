"""The sample design of the uncertainty ensemble: what is uncertain, and one draw of it per seed.

What the model knows to be uncertain (:func:`model_uncertainties`), whichever scenarios are run:

- the position of the future inflow in the MPP band (0 = low, 1 = high);
- every constant of the .mdl whose comment marks it ``assumption`` and that is not calibrated,
  not an initial value, not a policy input or capacity lever and not an input a measure sets
  (:func:`assumption_constants`);
- the effect sizes of every measure in :data:`sdmodel.scenarios.measures.MEASURES` marked
  ``sample``; a law element that several bills carry (``Effect.element``) is one quantity, named
  after the first measure that carries it (:func:`effect_column`);
- the calibrated constants, as whole rows of the calibration's bootstrap (``bootstrap.csv``:
  refits on resampled data, so their correlations are kept), when the calibration has one.

The design (:func:`latin_hypercube`) is a Latin hypercube whose every column is drawn from its
own random stream, ``numpy.random.SeedSequence(seed, spawn_key=<hash of the column name>)``: a
column depends only on the seed, the number of samples and its own name, so the design does not
depend on which scenarios are compared, and adding a parameter shifts no other column. Each
scenario uses the columns it needs (:func:`uses`). Every column holds one sample in each of the
``N`` equal strata of the unit interval; the unit value ``u`` becomes a value by a two-piece
uniform distribution whose median is the central value: ``u < 0.5`` lies uniformly between
``low`` and the central value, ``u >= 0.5`` between the central value and ``high``
(:func:`to_values`). So the central run (the headline) is the run at every input's median, not
at the middle of its range. Bootstrap rows are drawn uniformly.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.names import CONTROL_NAMES, INFLOW_BAND_VARIABLE
from sdmodel.scenarios.measures import MEASURES, Effect, measure_variables
from sdmodel.scenarios.tables import POLICY_MARKERS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.engine.model import ChainModel
    from sdmodel.runs import Session
    from sdmodel.scenarios.scenario import Scenario

CALIBRATION_DRAW = "calibration (bootstrap row)"
"""Design column of the bootstrap row."""
MID_BAND = 0.5
"""The MPP band position around which the band is sampled (``[inflow] band = "mid"``)."""
_CALIBRATED = re.compile(r"\bcalibrated\b", re.IGNORECASE)


@dataclass(frozen=True)
class Uncertain:
    """One sampled quantity.

    Attributes
    ----------
    name
        Vensim name; ``"<measure>.<effect>"`` for an effect size; :data:`CALIBRATION_DRAW`.
    kind
        ``"band"``, ``"constant"``, ``"effect"`` or ``"calibration"``.
    low, high
        The range sampled (for ``"calibration"``: row numbers of bootstrap.csv).
    default
        The central value: the median of the distribution sampled (NaN for ``"calibration"``).
    source
        The .mdl comment or the effect's source and assumption.
    """

    name: str
    kind: str
    low: float
    high: float
    default: float
    source: str


def assumption_constants(model: ChainModel, *, calibrated: Collection[str]) -> list[Uncertain]:
    """Return the .mdl's uncalibrated ``assumption`` constants that the analysis samples.

    Excluded: constants that are calibrated (named in ``calibrated`` or "calibrated" in their
    comment), initial values (``initial ...``), policy inputs and capacity levers, inputs that a
    measure sets, the MPP band position (sampled as the band) and constants without a range.
    ``default`` is NaN here (:func:`model_uncertainties` fills in the model's value).
    """
    doc = model.doc()
    skip = set(calibrated) | measure_variables() | set(CONTROL_NAMES) | {INFLOW_BAND_VARIABLE}
    out = []
    for row in doc[doc["kind"] == "constant"].itertuples():
        comment = str(row.comment)
        if ("assumption" not in comment or row.name in skip or row.name.startswith("initial ")
                or _CALIBRATED.search(comment) or POLICY_MARKERS.search(comment)
                or not row.min < row.max):
            continue
        out.append(Uncertain(row.name, "constant", float(row.min), float(row.max), np.nan,
                             comment))
    return out


def effect_column(measure: str, effect: Effect) -> str:
    """The design column of a measure's effect size: ``"<measure>.<key>"``, or for a law element
    that several measures carry, that of the first measure in ``MEASURES`` that carries it."""
    if effect.element is not None:
        for other in MEASURES.values():
            for candidate in other.effects:
                if candidate.element == effect.element:
                    return f"{other.name}.{candidate.key}"
    return f"{measure}.{effect.key}"


def model_uncertainties(session: Session) -> list[Uncertain]:
    """Return everything the model knows to be uncertain (see the module docstring), in a fixed
    order, whichever scenarios are run."""
    params = [Uncertain(INFLOW_BAND_VARIABLE, "band", 0.0, 1.0, MID_BAND,
                        "MPP band (forecasts.csv): 0 = low, 1 = high")]
    for item in assumption_constants(session.model, calibrated=session.calibration.values):
        params.append(Uncertain(item.name, item.kind, item.low, item.high,
                                session.defaults[item.name], item.source))
    seen = set()
    for measure in MEASURES.values():
        for effect in measure.effects:
            column = effect_column(measure.name, effect)
            if effect.sample and column not in seen:
                seen.add(column)
                params.append(Uncertain(column, "effect", effect.low, effect.high, effect.value,
                                        f"{effect.source}; "
                                        f"{effect.assumption or 'sourced range'}"))
    draws = bootstrap_draws(session)
    if draws is not None:
        params.append(Uncertain(CALIBRATION_DRAW, "calibration", 0, len(draws) - 1, np.nan,
                                f"{session.calibration.directory}/bootstrap.csv"))
    return params


def uses(scenario: Scenario, parameter: Uncertain) -> bool:
    """Whether a scenario's runs read this design column.

    A constant the scenario sets in ``[set]`` keeps that value; the band is sampled only for a
    scenario at the middle of the MPP band (``low`` and ``high`` keep their edge); an effect
    counts when one of the scenario's active measures has it and the scenario does not set its
    size.
    """
    if parameter.kind == "constant":
        return parameter.name not in scenario.overrides
    if parameter.kind == "band":
        return samples_band(scenario)
    if parameter.kind == "effect":
        return parameter.name in scenario_effects(scenario).values()
    return True


def samples_band(scenario: Scenario) -> bool:
    """Whether the ensemble samples the MPP band position for this scenario (at mid only)."""
    return scenario.overrides.get(INFLOW_BAND_VARIABLE, MID_BAND) == MID_BAND


def scenario_effects(scenario: Scenario) -> dict[tuple[str, str], str]:
    """The sampled effects a scenario's runs take from the design: ``(measure, key) -> column``.

    Effects whose size the scenario sets (``[measures.<name>] <key> = value``) keep that size.
    """
    out = {}
    for setting in scenario.active_measures:
        for effect in setting.active_effects():
            if effect.sample and effect.key not in setting.effects:
                out[(setting.measure.name, effect.key)] = effect_column(setting.measure.name,
                                                                        effect)
    return out


def uncertain_parameters(scenarios: Sequence[Scenario], session: Session) -> list[Uncertain]:
    """Return what the runs of these scenarios take from the design (a subset of
    :func:`model_uncertainties`, in its order). The design's columns do not depend on it."""
    return [p for p in model_uncertainties(session) if any(uses(s, p) for s in scenarios)]


def bootstrap_draws(session: Session) -> pd.DataFrame | None:
    """Return the calibration's bootstrap refits (one row each, tied constants added), or None."""
    import pandas as pd

    folder = session.calibration.directory
    if folder is None or not (folder / "bootstrap.csv").is_file():
        return None
    draws = pd.read_csv(folder / "bootstrap.csv")
    fitted = pd.read_csv(folder / "parameters.csv")
    if "tied_to" in fitted.columns:
        for row in fitted.dropna(subset=["tied_to"]).itertuples():
            if row.tied_to in draws.columns:
                draws[row.name] = draws[row.tied_to]
    unknown = set(draws.columns) - set(session.defaults)
    if unknown or draws.empty:
        return None
    return draws


def column_stream(name: str, *, seed: int) -> np.random.Generator:
    """The random stream of one design column: keyed by the seed and the column's name only."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    key = tuple(int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4))
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


def unit_column(name: str, samples: int, *, seed: int) -> np.ndarray:
    """One Latin-hypercube column in ``[0, 1)``: one value in each of ``samples`` equal strata,
    in random order, from the column's own stream (:func:`column_stream`)."""
    rng = column_stream(name, seed=seed)
    order = rng.permutation(samples)
    return (order + rng.random(samples)) / samples


def to_values(parameter: Uncertain, unit: np.ndarray) -> np.ndarray:
    """Map unit values to the parameter's distribution (see the module docstring): bootstrap row
    numbers for ``"calibration"``, else the two-piece uniform with median ``default``."""
    unit = np.asarray(unit, dtype=float)
    low, high, mid = parameter.low, parameter.high, parameter.default
    if parameter.kind == "calibration":
        return np.minimum(np.floor(unit * (high + 1)), high).astype(int)
    if not np.isfinite(mid) or not low <= mid <= high:
        return low + unit * (high - low)
    below = low + 2 * unit * (mid - low)
    above = mid + (2 * unit - 1) * (high - mid)
    return np.where(unit < 0.5, below, above)


def to_unit(parameter: Uncertain, values: np.ndarray) -> np.ndarray:
    """The inverse of :func:`to_values` (for ``"calibration"``: the stratum's lower edge)."""
    values = np.asarray(values, dtype=float)
    low, high, mid = parameter.low, parameter.high, parameter.default
    if parameter.kind == "calibration":
        return values / (high + 1)
    if not np.isfinite(mid) or not low <= mid <= high:
        return (values - low) / (high - low)
    below = 0.5 * (values - low) / (mid - low) if mid > low else np.zeros_like(values)
    above = 0.5 + 0.5 * (values - mid) / (high - mid) if high > mid else np.full_like(values, 0.5)
    return np.where(values < mid, below, above)


def latin_hypercube(parameters: Sequence[Uncertain], samples: int, *, seed: int
                    ) -> pd.DataFrame:
    """Return the design: one row per sample, one column per parameter (values).

    Each column depends only on ``seed``, ``samples`` and the parameter itself
    (:func:`unit_column`, :func:`to_values`), so any subset of parameters gives the same columns.
    Bootstrap rows are whole numbers from ``low`` to ``high``.

    Raises
    ------
    ValueError
        If ``seed`` is negative.
    """
    import pandas as pd

    if seed < 0:
        raise ValueError(f"seed {seed}: a design seed is a whole number >= 0")
    return pd.DataFrame({p.name: to_values(p, unit_column(p.name, samples, seed=seed))
                         for p in parameters}, index=pd.RangeIndex(samples))
