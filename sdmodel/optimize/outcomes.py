"""The outcomes an optimisation measures in every future, declared once.

Each :class:`Outcome` names the monthly KPIs it is computed from, how they are summed over the
horizon in one future (``"total"``: the sum; ``"excess"``: the sum of each month's excess over
the limit), its unit and the ``[constraints]`` keys of a spec that limit it. The spec's keys, the
KPIs the evaluator asks the simulator for, the metrics of every plan and future, the constraints
and their messages all come from :data:`OUTCOMES`. The statistics over the futures
(:data:`Statistic`) and what a search minimises (:data:`Minimise`) are declared here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from sdmodel.names import COST_KPIS

Statistic = Literal["mean", "worst", "share"]
"""How an outcome is summarised over the futures: the mean, the worst future, or the value that
a share of the futures stays at or below."""
STATISTICS: tuple[str, ...] = get_args(Statistic)
Minimise = Literal["cost", "exceedance"]
"""What a search minimises: the total chain cost, or the COA occupancy above its threshold."""
OBJECTIVES: tuple[str, ...] = get_args(Minimise)


@dataclass(frozen=True)
class Outcome:
    """One outcome of a plan in one future, over the horizon.

    Attributes
    ----------
    name
        Its name in the metrics and the constraints (``kpis.csv constraint_<name>``).
    kpis
        The monthly KPIs summed.
    statistic
        ``"total"`` (the KPIs summed over the months) or ``"excess"`` (the months' excess over
        the limit summed).
    unit
        The unit of the result.
    title
        What it is, in messages (``"IND backlog <= 45,000"``).
    keys
        The spec's ``[constraints]`` keys that set its limit.
    """

    name: str
    kpis: tuple[str, ...]
    statistic: Literal["total", "excess"]
    unit: str
    title: str
    keys: tuple[str, ...]


OUTCOMES: dict[str, Outcome] = {o.name: o for o in (
    Outcome("coa_occupancy", ("coa_occupancy_total",), "excess", "person-months",
            "COA occupancy", ("coa_occupancy", "coa_occupancy_share")),
    Outcome("ter_apel", ("ter_apel_occupancy",), "excess", "person-months", "Ter Apel",
            ("ter_apel",)),
    Outcome("ind_backlog", ("ind_pending_asylum",), "excess", "case-months", "IND backlog",
            ("ind_backlog",)),
    Outcome("cost", COST_KPIS, "total", "EUR", "total chain cost", ("budget_eur",)),
)}
"""Every outcome, in the order of the spec's keys and of the constraints."""
EXCEEDANCE = "coa_occupancy"
"""The outcome ``minimise = "exceedance"`` minimises (and the Pareto front trades off)."""
COST = "cost"
"""The outcome ``minimise = "cost"`` minimises (and a budget limits)."""
LIMIT_KEYS: tuple[str, ...] = tuple(key for o in OUTCOMES.values() for key in o.keys)
"""The ``[constraints]`` keys that set a limit: coa_occupancy, coa_occupancy_share, ter_apel,
ind_backlog, budget_eur."""
