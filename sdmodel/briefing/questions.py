"""The briefing's pages on what each law adds and how much it would have to deter to pay off.

For every scenario of :data:`DECOMPOSED` in the briefing (other than the first, the reference),
:func:`question_makers` decomposes its difference from the reference over its measures
(:func:`sdmodel.analysis.attribution.attribute`: all ``2**k`` subsets in one batch run) and
solves the inflow change at which its COA occupancy in 2030 equals the reference's
(:func:`sdmodel.analysis.breakeven.solve_breakeven`, over a small ensemble of futures for the
band). It returns the figure makers: a waterfall page per decomposed scenario (COA occupancy,
emergency reception and cost) and one break-even page, each titled with its finding.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sdmodel.calendar import REPORT_YEAR

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sdmodel.analysis.compare import Comparison

DECOMPOSED: tuple[str, ...] = ("wetten-zoals-aangenomen", "alle-maatregelen")
"""Scenarios the briefing decomposes when they are among its scenarios."""
BREAKEVEN_KPI = "coa"
"""The break-even page's KPI (COA occupancy in :data:`~sdmodel.calendar.REPORT_YEAR`)."""
BREAKEVEN_SAMPLES = 20
"""Futures behind the break-even band (small: every future is solved by root-finding)."""
BREAKEVEN_SEED = 20260612
"""Seed of those futures, so a briefing is reproducible."""

Makers = dict[str, tuple[str, Callable[[], "Figure"]]]


def question_makers(comparison: Comparison, *, lang: str, source: Callable[..., str],
                    samples: int = BREAKEVEN_SAMPLES, seed: int = BREAKEVEN_SEED) -> Makers:
    """Name -> (finding, function drawing the figure) of the attribution and break-even pages.

    Parameters
    ----------
    comparison
        The briefing's scenarios, run; the first is the reference.
    lang
        ``"nl"`` or ``"en"``.
    source
        ``source(scenario) -> str``: the source line of a figure.
    samples, seed
        The ensemble of the break-even band (``samples = 0``: no band).
    """
    from sdmodel.analysis.attribution import KEY_KPIS, attribute
    from sdmodel.analysis.breakeven import solve_breakeven
    from sdmodel.analysis.question_figures import (
        breakeven_title,
        fig_breakeven,
        fig_waterfalls,
        finding_attribution,
    )

    reference, *others = comparison.scenarios
    chosen = [s for s in others if s.name in DECOMPOSED and s.active_measures]
    session = comparison.session
    makers: Makers = {}
    solved = []
    for scenario in chosen:
        result = attribute(scenario, reference, session)
        makers[f"attribution_{scenario.name}"] = (
            finding_attribution(result, KEY_KPIS[0], lang=lang),
            lambda result=result: fig_waterfalls(result, KEY_KPIS, lang=lang,
                                                 source=source(result.scenario.name)))
        solved.append(solve_breakeven(scenario, reference, session, kpi=BREAKEVEN_KPI,
                                      year=REPORT_YEAR, samples=samples, seed=seed))
    if solved:
        solved.reverse()  # the fullest scenario first
        makers["breakeven"] = (
            breakeven_title(solved, lang=lang),
            lambda: fig_breakeven(solved, lang=lang,
                                  source=source(", ".join(r.scenario.name for r in solved))))
    return makers
