"""Optimisation specs (TOML): the decision space, the objective, the constraints, the search.

A spec names the unoptimised plan (a scenario file), which measures and capacity levers the
optimizer may move and within which bounds, what to minimise over which ensemble of futures, and
what must hold::

    name = "optimaliseer-alle-maatregelen"
    scenario = "alle-maatregelen"        # the unoptimised plan: inflow, [set], effect sizes
    horizon = ["2026-01-01", "2035-12-01"]   # months the cost and exceedances are summed over

    [objective]
    minimise = "cost"        # total chain cost over the horizon (EUR); or "exceedance":
                             # person-months of COA occupancy above the threshold
    statistic = "mean"       # over the futures: "mean", "worst" or "share" (the value that a
    share = 0.8              # share p of the futures stays within)

    [constraints]            # each is met in a future when no month of the horizon exceeds it
    coa_occupancy_share = 1.0    # <= 1.0 x regular capacity (or coa_occupancy = persons)
    ter_apel = 2000              # persons in the Ter Apel application centre
    ind_backlog = 45000          # IND pending asylum applications
    budget_eur = 3.0e10          # total chain cost over the horizon, mean over the futures
    statistic = "share"          # "mean", "worst" or "share" of the futures ...
    share = 0.8                  # ... that must meet each constraint

    [futures]
    count = 50                   # the MPP bands below plus Latin-hypercube samples
    bands = ["low", "mid", "high"]
    seed = 1

    [search]
    max_evals = 20000            # candidate plans evaluated (each over every future)
    popsize = 8                  # scipy's multiplier: population = popsize x decision variables

    [pareto]
    points = 5                   # budgets swept for the cost-exceedance front (epsilon-constraint)
    share_of_evals = 0.3         # of max_evals, shared by the budgets

    [measures.two_status]
    start = ["2026-07-01", "2029-01-01"]   # earliest and latest start (or one fixed date)
    ramp_months = [0, 24]                  # shortest and longest ramp (or one fixed number)
    in_force_by = "2028-01-01"             # commitment: started by this date
    full_strength_by = "2030-01-01"        # commitment: at full intensity by this date

    [capacity.coa_places]
    amount = [0, 20000]                    # places (the lever's unit), or one fixed amount
    start = ["2026-01-01", "2030-01-01"]
    ramp_months = 12

    [[rules]]                              # optional: rules added to the best fixed plan, their
    when = "ter_apel_occupancy > 2000"     # ranges searched (see sdmodel.optimize.adaptive)
    then = { release = "coa_places", amount = 5000, lead_months = 3 }
    search = { threshold = [1500, 3000], amount = [0, 20000] }

Start dates given as a range and ramp lengths are searched as whole months (a range's dates are
rounded inwards to month starts); a fixed date is kept exactly. The EU Pact applies from a date
fixed by EU law, so ``[measures.eu_pact] start`` must be one date unless ``free_start = true``.
:func:`load_spec` checks the file on its own; dates against the model's scenario period are
checked when the decision space is built (:mod:`sdmodel.optimize.problem`). Every problem is a
one-line :class:`~sdmodel.errors.DataFileError` naming the file, line, key and fix.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sdmodel.calendar import SCENARIO_PERIOD
from sdmodel.errors import DataFileError, did_you_mean
from sdmodel.optimize.adaptive_spec import AdaptiveSpec, parse_adaptive
from sdmodel.optimize.outcomes import LIMIT_KEYS, OBJECTIVES, STATISTICS, Minimise, Statistic
from sdmodel.optimize.values import (
    Bounds,
    date_bounds,
    horizon_bounds,
    is_free,
    month_of,
    ramp_bounds,
    range_bounds,
)
from sdmodel.paths import SCENARIO_DIR
from sdmodel.scenarios.fields import (
    Where,
    boolean,
    check_keys,
    choice,
    find_toml,
    integer,
    is_number,
    number,
    read_toml,
    string,
    sub_table,
)
from sdmodel.scenarios.measures import LEVERS, MEASURES
from sdmodel.scenarios.scenario import BANDS, is_optimisation_spec

TOP_KEYS = ("name", "description", "scenario", "horizon", "objective", "constraints", "futures",
            "search", "pareto", "measures", "capacity", "rules", "adaptive")
OBJECTIVE_KEYS = ("minimise", "statistic", "share")
CONSTRAINT_KEYS = (*LIMIT_KEYS, "statistic", "share")
FUTURE_KEYS = ("count", "bands", "seed")
SEARCH_KEYS = ("max_evals", "popsize", "seed", "tol", "mutation", "recombination", "chunk_runs")
PARETO_KEYS = ("points", "budgets_eur", "share_of_evals")
MEASURE_KEYS = ("start", "ramp_months", "intensity", "in_force_by", "full_strength_by",
                "free_start")
LEVER_KEYS = ("amount", "start", "ramp_months")
FIXED_DATES: dict[str, str] = {
    "eu_pact": "the EU Pact applies from 12 June 2026 by EU law (timeline.csv)",
}
"""Measures whose start date is fixed by law unless the spec sets ``free_start = true``."""



@dataclass(frozen=True)
class Objective:
    """What to minimise: ``"cost"`` (EUR) or ``"exceedance"`` (person-months), over the futures
    by ``statistic`` (``"mean"``, ``"worst"``, or ``"share"``: the value met in ``share``)."""

    minimise: Minimise = "cost"
    statistic: Statistic = "mean"
    share: float = 0.8


@dataclass(frozen=True)
class Constraints:
    """Limits every plan must keep, each over the futures by ``statistic`` (see
    :class:`Objective`). ``None`` leaves a limit out.

    Attributes
    ----------
    coa_occupancy, coa_occupancy_share
        COA occupancy in persons, or as a share of regular capacity (at most one of them).
    ter_apel
        Persons in the Ter Apel application centre.
    ind_backlog
        IND pending asylum applications.
    budget_eur
        Total chain cost over the horizon.
    """

    coa_occupancy: float | None = None
    coa_occupancy_share: float | None = None
    ter_apel: float | None = None
    ind_backlog: float | None = None
    budget_eur: float | None = None
    statistic: Statistic = "share"
    share: float = 0.8


@dataclass(frozen=True)
class FutureSpec:
    """The ensemble: ``count`` futures, of which the MPP ``bands`` come first."""

    count: int = 50
    bands: tuple[str, ...] = ("low", "mid", "high")
    seed: int | None = None


@dataclass(frozen=True)
class SearchSpec:
    """Options of scipy's ``differential_evolution`` (see :mod:`sdmodel.optimize.search`)."""

    max_evals: int = 20000
    popsize: int = 8
    seed: int | None = None
    tol: float = 0.001
    mutation: float | tuple[float, float] = (0.5, 1.0)
    recombination: float = 0.7
    chunk_runs: int = 2500


@dataclass(frozen=True)
class ParetoSpec:
    """The cost-exceedance front: ``points`` budgets (or ``budgets_eur``), each searched with
    ``share_of_evals / points`` of the evaluations."""

    points: int = 5
    budgets_eur: tuple[float, ...] = ()
    share_of_evals: float = 0.3


@dataclass(frozen=True)
class MeasureChoice:
    """A measure the optimizer schedules.

    Attributes
    ----------
    name
        Key of :data:`sdmodel.scenarios.measures.MEASURES`.
    start, ramp
        Bounds in model months (equal bounds: fixed); ``None``: the unoptimised plan's value.
    intensity
        Final intensity; ``None``: the unoptimised plan's.
    in_force_by, full_strength_by
        Commitments as model months: started, or at full intensity, by then.
    """

    name: str
    start: Bounds | None = None
    ramp: Bounds | None = None
    intensity: float | None = None
    in_force_by: float | None = None
    full_strength_by: float | None = None


@dataclass(frozen=True)
class LeverChoice:
    """Capacity funding the optimizer sizes and schedules: amount (lever unit), start (model
    months, ``None``: the first month of the scenario period) and ramp bounds."""

    name: str
    amount: Bounds
    start: Bounds | None = None
    ramp: Bounds = (0.0, 0.0)


@dataclass(frozen=True)
class OptimizeSpec:
    """A parsed optimisation spec (see the module docstring)."""

    name: str
    source: Path | None = None
    description: str = ""
    scenario: str | None = None
    horizon: Bounds = (144.0, 263.0)
    objective: Objective = field(default_factory=Objective)
    constraints: Constraints = field(default_factory=Constraints)
    futures: FutureSpec = field(default_factory=FutureSpec)
    search: SearchSpec = field(default_factory=SearchSpec)
    pareto: ParetoSpec = field(default_factory=ParetoSpec)
    measures: tuple[MeasureChoice, ...] = ()
    capacity: tuple[LeverChoice, ...] = ()
    adaptive: AdaptiveSpec | None = None


def spec_path(name_or_path: str | Path) -> Path:
    """Return the spec file: a path, or a bare name in ``models/scenarios/``.

    Raises
    ------
    DataFileError
        If the file does not exist.
    """
    specs = sorted(p.stem for p in SCENARIO_DIR.glob("*.toml") if is_optimisation_spec(p))
    return find_toml(name_or_path, SCENARIO_DIR, what="optimisation spec", names=specs)


def load_spec(name_or_path: str | Path) -> OptimizeSpec:
    """Read and check an optimisation spec.

    Raises
    ------
    DataFileError
        If the file is missing or not TOML, a key or name is unknown, a value has the wrong type
        or lies outside its range, a range is empty, the EU Pact date is given as a range
        without ``free_start``, or there is nothing to optimise.
    """
    path = spec_path(name_or_path)
    data, where = read_toml(path)
    check_keys(data, TOP_KEYS, where, None)
    tables = {k: sub_table(data, k, where) for k in ("objective", "constraints", "futures",
                                                  "search", "pareto", "measures", "capacity")}
    horizon = horizon_bounds(data.get("horizon", list(SCENARIO_PERIOD)), where)
    measures = tuple(_measure(name, body, where) for name, body in tables["measures"].items())
    capacity = tuple(_lever(name, body, where) for name, body in tables["capacity"].items())
    if not any(is_free(m.start) or is_free(m.ramp) for m in measures) \
            and not any(is_free(c.amount) or is_free(c.start) or is_free(c.ramp)
                        for c in capacity):
        raise DataFileError(f"{path}: nothing to optimise; give a [measures.<name>] start or "
                            "ramp_months range, or a [capacity.<lever>] amount or start range")
    return OptimizeSpec(
        name=string(data, "name", where, None, path.stem), source=path,
        description=string(data, "description", where, None, ""),
        scenario=string(data, "scenario", where, None, None), horizon=horizon,
        objective=_objective(tables["objective"], where),
        constraints=_constraints(tables["constraints"], where),
        futures=_futures(tables["futures"], where), search=_search(tables["search"], where),
        pareto=_pareto(tables["pareto"], where), measures=measures, capacity=capacity,
        adaptive=parse_adaptive(data, path=path, raw=where.raw),
    )


# -- tables ----------------------------------------------------------------------------------------


def _objective(body: Mapping[str, Any], where: Where) -> Objective:
    check_keys(body, OBJECTIVE_KEYS, where, "objective")
    minimise = choice(body, "minimise", OBJECTIVES, where, "objective", "cost")
    return Objective(minimise, choice(body, "statistic", STATISTICS, where, "objective", "mean"),
                     number(body, "share", where, "objective", 0.8, low=0.0, high=1.0))


def _constraints(body: Mapping[str, Any], where: Where) -> Constraints:
    check_keys(body, CONSTRAINT_KEYS, where, "constraints")
    if "coa_occupancy" in body and "coa_occupancy_share" in body:
        raise DataFileError(f"{where.at('constraints', 'coa_occupancy_share')} gives both "
                            "coa_occupancy and coa_occupancy_share; keep only one of them")
    limits = {key: number(body, key, where, "constraints", None, low=0.0, high=math.inf)
              for key in LIMIT_KEYS}
    return Constraints(**limits,
                       statistic=choice(body, "statistic", STATISTICS, where, "constraints",
                                         "share"),
                       share=number(body, "share", where, "constraints", 0.8, low=0.0, high=1.0))


def _futures(body: Mapping[str, Any], where: Where) -> FutureSpec:
    check_keys(body, FUTURE_KEYS, where, "futures")
    bands = body.get("bands", ["low", "mid", "high"])
    if not isinstance(bands, list) or any(b not in BANDS for b in bands):
        raise DataFileError(f"{where.at('futures', 'bands')} bands = {bands!r}; write a list of "
                            f"{', '.join(BANDS)}, e.g. [\"low\", \"mid\", \"high\"]")
    count = integer(body, "count", where, "futures", 50, low=1)
    return FutureSpec(count, tuple(dict.fromkeys(bands)),
                      integer(body, "seed", where, "futures", None, low=0))


def _search(body: Mapping[str, Any], where: Where) -> SearchSpec:
    check_keys(body, SEARCH_KEYS, where, "search")
    mutation = body.get("mutation", [0.5, 1.0])
    if isinstance(mutation, list) and len(mutation) == 2 \
            and all(is_number(v) and 0 <= v <= 2 for v in mutation) and mutation[0] <= mutation[1]:
        mutation_value: float | tuple[float, float] = (float(mutation[0]), float(mutation[1]))
    elif is_number(mutation) and 0 <= mutation <= 2:
        mutation_value = float(mutation)
    else:
        raise DataFileError(f"{where.at('search', 'mutation')} mutation = {mutation!r}; give a "
                            "number in [0, 2] or a [low, high] pair, e.g. [0.5, 1.0]")
    return SearchSpec(
        max_evals=integer(body, "max_evals", where, "search", 20000, low=1),
        popsize=integer(body, "popsize", where, "search", 8, low=1),
        seed=integer(body, "seed", where, "search", None, low=0),
        tol=number(body, "tol", where, "search", 0.001, low=0.0, high=1.0),
        mutation=mutation_value,
        recombination=number(body, "recombination", where, "search", 0.7, low=0.0, high=1.0),
        chunk_runs=integer(body, "chunk_runs", where, "search", 2500, low=1),
    )


def _pareto(body: Mapping[str, Any], where: Where) -> ParetoSpec:
    check_keys(body, PARETO_KEYS, where, "pareto")
    budgets = body.get("budgets_eur", [])
    if not isinstance(budgets, list) or not all(is_number(b) and b > 0 for b in budgets):
        raise DataFileError(f"{where.at('pareto', 'budgets_eur')} budgets_eur = {budgets!r}; "
                            "give a list of positive amounts in EUR, e.g. [2.5e10, 3.0e10]")
    points = integer(body, "points", where, "pareto", len(budgets) or 5, low=0)
    return ParetoSpec(points if not budgets else len(budgets),
                      tuple(sorted(float(b) for b in budgets)),
                      number(body, "share_of_evals", where, "pareto", 0.3, low=0.0, high=0.9))


def _measure(name: str, body: Any, where: Where) -> MeasureChoice:
    table = f"measures.{name}"
    if name not in MEASURES:
        raise DataFileError(f"{where.at(table)} unknown measure '{name}'"
                            f"{did_you_mean(name, MEASURES)}; known measures are: "
                            f"{', '.join(MEASURES)}")
    if not isinstance(body, dict):
        raise DataFileError(f"{where.at(table)} must be a table; write [{table}] with keys")
    check_keys(body, MEASURE_KEYS, where, table)
    free = boolean(body, "free_start", where, table, False)
    start = date_bounds(body, "start", where, table)
    if name in FIXED_DATES and start is not None and start[0] != start[1] and not free:
        raise DataFileError(f"{where.at(table, 'start')} {FIXED_DATES[name]}; give one date, or "
                            "set free_start = true to explore other dates")
    intensity = number(body, "intensity", where, table, None, low=0.0, high=1.0)
    choice = MeasureChoice(
        name, start, ramp_bounds(body, where, table), intensity,
        month_of(body, "in_force_by", where, table),
        month_of(body, "full_strength_by", where, table))
    for key, by in (("in_force_by", choice.in_force_by),
                    ("full_strength_by", choice.full_strength_by)):
        ramp = 0.0 if choice.ramp is None or key == "in_force_by" else choice.ramp[0]
        if by is not None and start is not None and start[0] + ramp > by + 1e-9:
            raise DataFileError(f"{where.at(table, key)} {key} cannot be met: the earliest start"
                                f"{' plus the shortest ramp' if ramp else ''} is later; move "
                                f"{key} or the start")
    return choice


def _lever(name: str, body: Any, where: Where) -> LeverChoice:
    table = f"capacity.{name}"
    if name not in LEVERS:
        raise DataFileError(f"{where.at(table)} unknown capacity lever '{name}'"
                            f"{did_you_mean(name, LEVERS)}; known levers are: {', '.join(LEVERS)}")
    if not isinstance(body, dict):
        raise DataFileError(f"{where.at(table)} must be a table; write [{table}] with keys")
    check_keys(body, LEVER_KEYS, where, table)
    lever = LEVERS[name]
    if "amount" not in body:
        raise DataFileError(f"{where.at(table)} has no amount; write e.g. amount = "
                            f"[0, {lever.high / 10:g}]  # {lever.unit}")
    amount = range_bounds(body["amount"], where.at(table, "amount"), "amount", lever.low,
                          lever.high, unit=lever.unit)
    start = date_bounds(body, "start", where, table)
    return LeverChoice(name, amount, start, ramp_bounds(body, where, table) or (0.0, 0.0))
