"""Scenario discovery: the boxes of assumptions and futures in which a plan fails, found by PRIM.

The futures are the uncertainty analysis's ensemble (:func:`~sdmodel.analysis.uncertainty
.uncertain_parameters` and :func:`~sdmodel.analysis.uncertainty.latin_hypercube`: the same design,
for the same seed, as ``compare --samples``), run in the batch simulator
(:func:`sdmodel.analysis.design_runs.run_design`). A future fails when the ``--when`` condition
holds (:func:`sdmodel.analysis.condition.parse_when`). PRIM (the ``prim`` package, the standalone
port of the EMA Workbench's) peels the space of the sampled quantities, where the calibration's
bootstrap row is replaced by the calibrated constants it draws, towards the failing futures.

Which box of a peeling trajectory is reported (:func:`find_boxes`): the densest one that still
covers ``min_coverage`` of the failing futures not yet in an earlier box; then restrictions that
are not significant (quasi-p above ``significance``, Bryant and Lempert 2010) are dropped one at
a time. Coverage is the share of all failing futures inside the box, density the share of the
futures inside the box that fail. The quasi-p values and box limits are read from
``prim.PrimBox``'s internals (``_calculate_quasi_p``, ``_box_lims``, ``_cur_box``), which is why
pyproject.toml pins ``prim==1.0.0``; the planted-box tests in tests/analysis/test_discovery.py
check them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.analysis.uncertainty import CALIBRATION_DRAW, Uncertain
from sdmodel.errors import AsielketenError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.analysis.condition import Condition
    from sdmodel.runs import Session
    from sdmodel.scaleout import Pool
    from sdmodel.scenarios.scenario import Scenario

MIN_FUTURES = 100
"""Fewest futures PRIM is run on (its smallest box holds 5% of them)."""
MIN_COVERAGE = 0.8
SIGNIFICANCE = 0.05
PEEL_ALPHA = 0.05
MASS_MIN = 0.05


@dataclass(frozen=True)
class Limit:
    """One restricted dimension of a box: ``low <= parameter <= high`` within its range."""

    parameter: str
    low: float
    high: float
    range_low: float
    range_high: float
    quasi_p: float

    @property
    def side(self) -> str:
        """``"above"`` (only the low end restricted), ``"below"`` or ``"between"``."""
        span = self.range_high - self.range_low
        low_cut = self.low > self.range_low + 1e-9 * span
        high_cut = self.high < self.range_high - 1e-9 * span
        return "between" if low_cut and high_cut else "above" if low_cut else "below"


@dataclass(frozen=True)
class Box:
    """A PRIM box and the peeling trajectory it was chosen from.

    Attributes
    ----------
    number
        1 for the first box, 2 for the next (found among the futures outside box 1), ...
    coverage, density, mass
        Share of all failing futures inside; share of the futures inside that fail; share of
        all futures inside.
    limits
        The restricted dimensions, most significant first.
    trajectory
        ``coverage, density, mass, res_dim, dropped`` of every step of the peeling and pasting
        and, last (``dropped``), of each restriction dropped for want of significance.
    chosen
        Row of ``trajectory`` that is the box.
    """

    number: int
    coverage: float
    density: float
    mass: float
    limits: tuple[Limit, ...]
    trajectory: pd.DataFrame
    chosen: int


@dataclass(frozen=True)
class Discovery:
    """The result of :func:`run_discovery`.

    Attributes
    ----------
    scenario
        The plan analysed.
    condition
        When a future fails.
    parameters
        The sampled quantities (the design's columns).
    futures
        One row per future: the PRIM inputs, the KPI of the condition and ``fails``.
    boxes
        The boxes found (possibly none when no restriction is significant).
    seed
        Seed of the design.
    session
        The model and calibration used.
    """

    scenario: Scenario
    condition: Condition
    parameters: tuple[Uncertain, ...]
    futures: pd.DataFrame
    boxes: tuple[Box, ...]
    seed: int
    session: Session

    @property
    def failing(self) -> int:
        """Number of failing futures."""
        return int(self.futures["fails"].sum())


def find_boxes(x: pd.DataFrame, y: np.ndarray, *, boxes: int = 2,
               min_coverage: float = MIN_COVERAGE, significance: float = SIGNIFICANCE
               ) -> list[Box]:
    """Find up to ``boxes`` PRIM boxes of the cases where ``y`` is true (module docstring).

    Parameters
    ----------
    x
        One row per case, one float column per dimension.
    y
        Whether each case is of interest (fails).
    boxes
        At most this many boxes; fewer when a box restricts nothing or no cases remain.
    min_coverage
        Share of the remaining cases of interest the chosen box must still cover.
    significance
        Restrictions with a larger quasi-p value are dropped.

    The limits' ``range_low``, ``range_high`` are the range of each dimension in ``x`` (for
    a sample design: the sampled range, up to the spacing of the samples).
    """
    import logging

    import prim
    from prim.scenario_discovery_util import determine_restricted_dims

    logging.getLogger("prim").setLevel(logging.WARNING)
    y = np.asarray(y, dtype=bool)
    finder = prim.Prim(x.astype(float), y, threshold=None, peel_alpha=PEEL_ALPHA,
                       mass_min=MASS_MIN)
    found: list[Box] = []
    total = int(y.sum())
    for number in range(1, boxes + 1):
        remaining = int(y[finder.yi_remaining].sum()) if found else total
        if remaining < 2:
            break
        box = finder.find_box()
        if box is None:
            break
        traj = box.peeling_trajectory
        share = total / remaining  # coverage of all -> coverage of the remaining cases
        ok = np.flatnonzero(traj["coverage"].to_numpy() * share >= min_coverage - 1e-12)
        density = traj["density"].to_numpy()[ok]
        box.select(int(ok[np.argmax(density)]) if len(ok) else 0)
        peeled = len(traj)
        while True:
            qp = box._calculate_quasi_p(box._cur_box)
            weak = {k: v for k, v in qp.items() if not v <= significance}
            if not weak:
                break
            box.drop_restriction(max(weak, key=weak.get))
        lims = box._box_lims[box._cur_box]
        dims = list(determine_restricted_dims(lims, finder._box_init))
        if not dims:
            break
        qp = box._calculate_quasi_p(box._cur_box)
        limits = []
        for name in sorted(dims, key=lambda d: qp[d]):
            lo, hi = float(x[name].min()), float(x[name].max())
            limits.append(Limit(name, float(lims[name][0]), float(lims[name][1]), lo, hi,
                                float(qp[name])))
        trajectory = box.peeling_trajectory.rename(columns={"res dim": "res_dim"})[
            ["coverage", "density", "mass", "res_dim"]].reset_index(drop=True)
        trajectory["dropped"] = trajectory.index >= peeled
        found.append(Box(number, float(box.coverage), float(box.density), float(box.mass),
                         tuple(limits), trajectory, int(box._cur_box)))
    return found


def prim_inputs(design: pd.DataFrame, params: Sequence[Uncertain], session: Session
                ) -> pd.DataFrame:
    """The dimensions PRIM peels: the design, with the bootstrap row replaced by the calibrated
    constants it draws (a row number has no order)."""
    from sdmodel.analysis.uncertainty import bootstrap_draws

    x = design[[p.name for p in params if p.kind != "calibration"]].astype(float)
    draws = bootstrap_draws(session)
    if draws is not None and CALIBRATION_DRAW in design:
        rows = design[CALIBRATION_DRAW].to_numpy(dtype=int)
        for name in draws.columns:
            x[name] = draws[name].to_numpy(dtype=float)[rows]
    return x.reset_index(drop=True)


def run_discovery(
    scenario: str,
    *,
    when: str,
    samples: int,
    seed: int | None = None,
    boxes: int = 2,
    min_coverage: float = MIN_COVERAGE,
    model_path: str | None = None,
    calibration: str | None = None,
    session: Session | None = None,
    pool: Pool | None = None,
    progress: bool = False,
) -> Discovery:
    """Run the plan over the uncertainty ensemble and find where it fails.

    Parameters
    ----------
    scenario
        Scenario name in ``models/scenarios/`` or a TOML file.
    when
        The failure condition, ``KPI OP NUMBER`` (e.g. ``"coa_emergency_2030 > 0"``).
    samples
        Futures (Latin-hypercube samples), at least :data:`MIN_FUTURES`.
    seed
        Seed of the design; ``None`` draws one (recorded).
    boxes
        At most this many boxes.
    min_coverage
        See :func:`find_boxes`.
    model_path, calibration, session, pool, progress
        As in :func:`sdmodel.analysis.sensitivity.run_sensitivity`.

    Raises
    ------
    AsielketenError
        For a ``--when`` that does not parse or names no KPI, a year outside the run, too few
        samples or a bad ``min_coverage``. A condition that holds in all or none of the futures
        is a finding, not an error: there are no boxes.
    """
    from sdmodel.analysis.condition import parse_when
    from sdmodel.analysis.design_runs import run_design
    from sdmodel.analysis.run_kpis import check_years
    from sdmodel.analysis.uncertainty import latin_hypercube, uncertain_parameters
    from sdmodel.engine.batch_kpis import month_starts
    from sdmodel.runs import prepare
    from sdmodel.scenarios.scenario import load_scenario

    condition = parse_when(when)
    if samples < MIN_FUTURES:
        raise AsielketenError(f"--samples {samples}: PRIM needs at least {MIN_FUTURES} futures")
    if not 0 < min_coverage <= 1:
        raise AsielketenError(f"--min-coverage {min_coverage}: give a share in (0, 1]")
    if boxes < 1:
        raise AsielketenError(f"--boxes {boxes}: give at least 1")
    session = session or prepare(model_path, calibration=calibration)
    check_years([condition.kpi], len(month_starts(session.batch)) - 1, option="--when")
    loaded = load_scenario(scenario, model=session.model)
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    params = uncertain_parameters([loaded], session)
    design = latin_hypercube(params, samples, seed=seed)
    outputs = run_design(loaded, session, params, design, [condition.kpi], pool=pool,
                         progress=progress, label=f"discover {loaded.name}")
    values = outputs[condition.kpi.name].to_numpy()
    fails = condition.holds(values)
    x = prim_inputs(design, params, session)
    found = (find_boxes(x, fails, boxes=boxes, min_coverage=min_coverage)
             if fails.any() and not fails.all() else [])  # nothing to tell apart
    futures = x.copy()
    futures[condition.kpi.name] = values
    futures["fails"] = fails
    return Discovery(loaded, condition, tuple(params), futures, tuple(found), seed, session)
