"""When the rules of a scenario fire over an ensemble of futures (every run at its own dates).

:func:`ensemble_events` runs a scenario over the rows of a Latin-hypercube design of the
uncertain assumptions (the design :func:`sdmodel.analysis.uncertainty.run_uncertainty` draws for
the same seed, so ``compare --samples N --seed S`` and this see the same futures) and reads the
rule slots' event stocks at the last month of every run. :func:`firing_summary` gives, per
rule, the share of runs in which it fired and the median (and 10%/90%) firing date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.analysis.uncertainty import Uncertain
    from sdmodel.runs import Session
    from sdmodel.scenarios.scenario import Scenario


def ensemble_events(scenario: Scenario, session: Session, *, design: pd.DataFrame,
                    params: tuple[Uncertain, ...]) -> pd.DataFrame:
    """``run, rule, date, action`` for every row of ``design`` (``run`` = the row number).

    Parameters
    ----------
    scenario
        A scenario with rules.
    session
        From :func:`sdmodel.runs.prepare`.
    design, params
        The sample design and its parameters (:class:`sdmodel.analysis.uncertainty.Uncertainty`
        holds both).
    """
    import pandas as pd

    from sdmodel.analysis.uncertainty import bootstrap_draws, future_inputs
    from sdmodel.calendar import month_to_date
    from sdmodel.engine.batch_kpis import run_monthly
    from sdmodel.names import RULE_EVENT_KPIS
    from sdmodel.scenarios.inputs import scenario_series
    from sdmodel.scenarios.rule_inputs import EVENT_COLUMNS, rule_events

    n = len(design)
    futures = future_inputs(scenario, session, params, design, bootstrap_draws(session))
    inputs: dict[str, object] = {**futures.constants, **futures.series}
    inputs.update(scenario_series(scenario, base=futures.base, times=session.batch.time_grid(),
                                  limits=session.limits, effect_values=futures.effects, n=n))
    monthly = run_monthly(session.batch, inputs, n=n, kpis=list(RULE_EVENT_KPIS))
    last = {RULE_EVENT_KPIS[name].variable: values[-1] for name, values in monthly.items()}
    rows = [(run, rule, month_to_date(month).isoformat(), action)
            for run, rule, month, action in rule_events(scenario.rules, last)]
    return pd.DataFrame(rows, columns=list(EVENT_COLUMNS))


def firing_summary(scenario: Scenario, events: pd.DataFrame, *, runs: int) -> pd.DataFrame:
    """Per rule: ``rule, action, share_fired, median_date, p10_date, p90_date, share_ended``."""
    import pandas as pd

    rows = []
    for rule in scenario.rules:
        mine = events[events["rule"] == rule.name]
        fired = mine[~mine["action"].str.startswith("end: ")]
        dates = pd.to_datetime(fired["date"]).sort_values()

        def quantile(q: float, _dates: pd.Series = dates) -> str:
            if not len(_dates):
                return ""
            value = _dates.iloc[int(np.clip(round(q * (len(_dates) - 1)), 0, len(_dates) - 1))]
            return value.date().isoformat()

        rows.append({"rule": rule.name, "action": str(rule.then),
                     "share_fired": len(fired) / runs, "median_date": quantile(0.5),
                     "p10_date": quantile(0.1), "p90_date": quantile(0.9),
                     "share_ended": (len(mine) - len(fired)) / runs})
    return pd.DataFrame(rows)
