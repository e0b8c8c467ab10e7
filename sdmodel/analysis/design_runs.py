"""Run one scenario for every row of a sample design and return the summary KPIs of each run.

The design's columns are the sampled quantities of :mod:`sdmodel.analysis.uncertainty`
(:class:`~sdmodel.analysis.uncertainty.Uncertain`); its rows become model inputs and batch runs
there (:func:`~sdmodel.analysis.uncertainty.run_shard`: the batch simulator, in chunks of
``chunk_size`` runs, since every run carries ~0.5 MB of input series). The whole design is handed
over at once and cut into shards of ``shard_runs`` rows that run in this process or on a Dask
cluster (:class:`sdmodel.scaleout.Pool`); each shard returns only its runs' KPIs
(:func:`sdmodel.analysis.run_kpis.kpi_values`), so memory does not grow with the design. The
result does not depend on the shard or chunk size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.analysis.run_kpis import (
    PERIOD,
    YEARLY,
    KpiSpec,
    kpi_values,
    monthly_needed,
    parse_kpi,
)
from sdmodel.analysis.uncertainty import (
    DEFAULT_CHUNK,
    Ensemble,
    Uncertain,
    bootstrap_draws,
    run_shard,
)
from sdmodel.calendar import REPORT_YEAR
from sdmodel.scaleout import Pool, shards

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.runs import Session
    from sdmodel.scenarios.scenario import Scenario

DESIGN_SHARD = 2000
"""Runs per shard (the progress bar moves once per shard)."""
STANDARD_MONTHLY: tuple[str, ...] = monthly_needed(
    [parse_kpi(f"{base}_{REPORT_YEAR}") for base in YEARLY] + [parse_kpi(k) for k in PERIOD])
"""The monthly KPIs every design run returns (those of kpis.csv, plus any other KPI asked for):
one set, so one compiled kernel serves every analysis (numba compiles one per set)."""


@dataclass(frozen=True)
class DesignJob:
    """What every shard reads: the ensemble's inputs and the KPIs to return."""

    ensemble: Ensemble
    specs: tuple[KpiSpec, ...]


def kpi_shard(job: DesignJob, piece: tuple[Scenario, pd.DataFrame]) -> dict[str, np.ndarray]:
    """The KPIs ``name -> (rows,)`` of one scenario for a slice of the design's rows."""
    monthly = run_shard(job.ensemble, piece)
    return kpi_values(monthly, job.specs, thresholds=piece[0].thresholds)


def run_design(
    scenario: Scenario,
    session: Session,
    params: Sequence[Uncertain],
    design: pd.DataFrame,
    specs: Sequence[KpiSpec],
    *,
    pool: Pool | None = None,
    progress: bool = False,
    label: str = "runs",
    chunk_size: int = DEFAULT_CHUNK,
    shard_runs: int = DESIGN_SHARD,
) -> pd.DataFrame:
    """Run ``scenario`` for every row of ``design``; return one row of KPIs per design row.

    Parameters
    ----------
    scenario
        The scenario (its ``[set]`` values, measures and thresholds).
    session
        From :func:`sdmodel.runs.prepare`.
    params
        The sampled quantities: the columns of ``design``.
    design
        One row per run; a NaN keeps the central value.
    specs
        The KPIs to return (:func:`sdmodel.analysis.run_kpis.parse_kpi`).
    pool
        Where the shards run (default: in this process); the result is the same.
    progress
        Show a progress bar (tqdm, on stderr) that moves once per round of shards.
    label
        Name of the progress bar.
    chunk_size
        Runs per batch call.
    shard_runs
        Runs per shard.

    Returns
    -------
    pandas.DataFrame
        One column per KPI (``spec.name``), the index of ``design``.
    """
    import pandas as pd
    from tqdm.auto import tqdm

    pool = pool or Pool()
    monthly = sorted(set(monthly_needed(specs)) | set(STANDARD_MONTHLY))
    ensemble = Ensemble(session, tuple(params), bootstrap_draws(session), tuple(monthly),
                        max(int(chunk_size), 1))
    shared = pool.share(DesignJob(ensemble, tuple(specs)))
    pieces = [(scenario, design.iloc[lo:hi]) for lo, hi in shards(len(design), shard_runs)]
    per_round = max(pool.workers * 2, 1)
    parts: list[dict[str, np.ndarray]] = []
    with tqdm(total=len(design), desc=label, unit="run", disable=not progress,
              leave=False) as bar:
        for lo in range(0, len(pieces), per_round):
            batch = pieces[lo:lo + per_round]
            parts += pool.map(kpi_shard, shared, batch)
            bar.update(sum(len(rows) for _, rows in batch))
    columns = {s.name: np.concatenate([p[s.name] for p in parts]) for s in specs}
    return pd.DataFrame(columns, index=design.index)
