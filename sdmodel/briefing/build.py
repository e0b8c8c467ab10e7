"""The briefing for parliamentary use: key figures and their findings, tables, assumptions, sources.

:func:`build_briefing` runs the scenarios (with the committed calibration, see
:mod:`sdmodel.analysis.compare`), samples the uncertainty of the first one (or reads the optimizer's
ensemble band), draws the key figures (each titled with its finding, computed from the numbers)
and lays out the PDF pages (:mod:`sdmodel.briefing.assemble`): a title page with the key points,
the figures, the KPI table(s), the assumptions and the sources. With ``wetten-zoals-aangenomen``
or ``alle-maatregelen`` among the scenarios it also decomposes them over their measures and gives
their break-even inflow change
(:mod:`sdmodel.briefing.questions`). :func:`briefing_files` returns the writers for
:func:`sdmodel.outputs.folder.write_outputs`: ``briefing.pdf`` (matplotlib's PdfPages: no LaTeX, no
network), each figure as PNG (150 dpi) and SVG, ``kpis.csv`` and ``findings.csv``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdmodel.errors import AsielketenError
from sdmodel.figures.labels import check_lang, text

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from sdmodel.analysis.compare import Comparison
    from sdmodel.briefing.data import Optimized
    from sdmodel.briefing.monitoring import Monitored
    from sdmodel.outputs.writers import Writer

DEFAULT_SCENARIOS: tuple[str, ...] = (
    "baseline", "wetten-zoals-aangenomen", "alle-maatregelen", "gefaseerd",
)
"""Scenarios of a briefing when none are given: the law as of 2025, the laws as passed, every
measure at its planned date, and the same measures phased in (mid MPP inflow band)."""
FAN_SAMPLES = 200
"""Futures sampled for the fan chart when no optimizer ensemble is given."""
FAN_SEED = 20260612
"""Seed of that sample, so a briefing is reproducible."""


@dataclass
class Briefing:
    """A built briefing, ready to be written.

    Attributes
    ----------
    lang
        ``"nl"`` or ``"en"``.
    figures
        Figure name -> Figure, in briefing order.
    findings
        Figure name -> its finding (the figure's title).
    pages
        The PDF pages in order: ``(kind, Figure)`` with kind ``title``, ``figure:<name>``,
        ``kpis``, ``plans``, ``capacity``, ``assumptions``, ``sources``.
    kpis
        The KPI table per scenario (:func:`sdmodel.analysis.compare.kpi_table`).
    model_path, model_sha256, data_sha256
        What was run.
    parameters
        Everything else that shaped the briefing (for the manifest).
    seed
        Seed of the uncertainty sample (``None`` when the optimizer's band was used).
    """

    lang: str
    figures: dict[str, Figure]
    findings: dict[str, str]
    pages: list[tuple[str, Figure]]
    kpis: pd.DataFrame
    model_path: Path
    model_sha256: str
    data_sha256: str
    parameters: dict[str, Any] = field(default_factory=dict)
    seed: int | None = None

    @property
    def page_count(self) -> int:
        """Number of PDF pages."""
        return len(self.pages)


def build_briefing(
    scenarios: Sequence[str | Path] = DEFAULT_SCENARIOS,
    *,
    optimized: Path | str | None = None,
    lang: str = "nl",
    model_path: Path | str | None = None,
    samples: int = FAN_SAMPLES,
    seed: int = FAN_SEED,
    monitor: Path | str | None = None,
    sensitivity: Path | str | None = None,
    discovery: Path | str | None = None,
    progress: bool = False,
) -> Briefing:
    """Run the scenarios and build the briefing's figures and pages.

    Parameters
    ----------
    scenarios
        Scenario names or TOML files; the first is the main scenario (dashboard, costs, flows,
        fan chart), all of them are compared.
    optimized
        Output folder of ``asielketen optimize`` (schedule, Pareto front, ensemble band, KPIs
        per plan, capacity plan); ``None`` for a briefing without optimisation.
    lang
        ``"nl"`` (default) or ``"en"``.
    model_path
        The .mdl file; default the project's model.
    samples, seed
        Size and seed of the uncertainty sample behind the fan chart (when ``optimized`` has no
        ``ensemble_band.csv``).
    monitor
        Output folder of ``asielketen monitor``: adds the signpost dashboard and the drift
        table (:mod:`sdmodel.briefing.monitoring`).
    sensitivity, discovery
        Output folders of ``asielketen sensitivity`` (tornado pages of COA occupancy and
        emergency reception in 2030) and ``asielketen discover`` (the discovery box page);
        ``None`` for none (:mod:`sdmodel.briefing.robustness`).
    progress
        Show a bar (runs, sample, each figure, pages) on stderr when it is a terminal.

    Raises
    ------
    AsielketenError
        For an unknown language, no scenarios, a scenario that does not load or an unreadable
        optimizer folder.
    """
    from sdmodel.analysis.compare import compare
    from sdmodel.briefing.assemble import assemble_pages
    from sdmodel.briefing.data import load_optimized
    from sdmodel.briefing.robustness import load_discovery, load_sensitivity, robustness_makers
    from sdmodel.data.observations import data_sha256, load_observations, load_parameters
    from sdmodel.figures.marks import law_dates, laws_of, source_line
    from sdmodel.progress import terminal_bar

    check_lang(lang)
    if not scenarios:
        raise AsielketenError("give at least one --scenario, e.g. --scenario baseline")
    opt = load_optimized(optimized) if optimized is not None else None
    monitored = _load_monitor(monitor)
    sens = load_sensitivity(sensitivity) if sensitivity is not None else None
    disc = load_discovery(discovery) if discovery is not None else None
    bar = terminal_bar(3, "briefing") if progress else None
    comparison = compare(list(scenarios), model_path=model_path)
    _tick(bar, "scenarios")
    main = comparison.scenarios[0]
    observations = load_observations()
    data_hash = data_sha256()
    model_hash = comparison.session.model.sha256
    extra = f"{text('optimized', lang).lower()}: {opt.path.name}" if opt is not None else None

    def source(scenario: str = main.name) -> str:
        return source_line(lang=lang, model_sha256=model_hash, data_sha256=data_hash,
                           scenario=scenario, extra=extra)

    makers, used_seed = _figure_makers(comparison, observations, opt, lang=lang, source=source,
                                       samples=samples, seed=seed)
    if monitored is not None:
        makers["monitor_signposts"] = _monitor_figure(monitored, lang=lang, source=source)
    makers.update(robustness_makers(sens, disc, lang=lang, source=source))
    if bar is not None:
        bar.total = 3 + len(makers)
    _tick(bar, "sample")
    running = {s.name: {m.measure.name for m in s.active_measures} for s in comparison.scenarios}
    figures, findings = {}, {}
    for name, (finding, make) in makers.items():
        findings[name] = finding
        shown = (None if opt is not None and name in ("schedule", "pareto", "fan_coa")
                 else set().union(*running.values()) if name in ("comparison", "schedule")
                 else running[main.name])
        with laws_of(shown):  # no marker of a law the figure's scenarios do not run
            figures[name] = make()
        _tick(bar, name)
    pages = assemble_pages(comparison, figures, findings, opt, lang=lang, model_hash=model_hash,
                   data_hash=data_hash, parameters=load_parameters(), laws=law_dates(),
                   monitored=monitored)
    _tick(bar, "pages")
    if bar is not None:
        bar.close()
    parameters = {
        "scenarios": [s.name for s in comparison.scenarios],
        "scenario_files": [str(s.source) for s in comparison.scenarios],
        "optimized": str(opt.path) if opt is not None else None,
        "monitor": str(monitored.path) if monitored is not None else None,
        "sensitivity": str(sens.path) if sens is not None else None,
        "discovery": str(disc.path) if disc is not None else None,
        "lang": lang, "calibration": comparison.session.calibration.note,
        "fan_samples": None if used_seed is None else samples,
        "figures": list(figures), "pdf_pages": [kind for kind, _ in pages],
    }
    return Briefing(lang, figures, findings, pages, comparison.kpis,
                    comparison.session.model.path, model_hash, data_hash, parameters, used_seed)


def _tick(bar: Any, step: str) -> None:
    if bar is not None:
        bar.set_postfix_str(step, refresh=False)
        bar.update(1)


def _figure_makers(comparison: Comparison, observations: pd.DataFrame, opt: Optimized | None,
                   *, lang: str, source: Callable[..., str], samples: int, seed: int
                   ) -> tuple[dict[str, tuple[str, Callable[[], Figure]]], int | None]:
    """Name -> (finding, function drawing the figure) for every key figure, in order."""
    from sdmodel.briefing import figures as FB
    from sdmodel.briefing import findings as F
    from sdmodel.briefing.data import planned_schedule, schedule_table
    from sdmodel.briefing.plans import fig_gantt, fig_pareto
    from sdmodel.briefing.scenarios import band_of, fig_comparison, fig_fan

    main = comparison.scenarios[0]
    results = comparison.results[main.name]
    sha = comparison.session.model.sha256
    threshold = main.thresholds.coa_occupancy
    sample = None
    if opt is None or opt.band is None:
        from sdmodel.analysis.uncertainty import run_uncertainty

        sample = run_uncertainty([main], comparison.session, samples=samples, seed=seed)
    dashboard = F.finding_dashboard(results, lang=lang)
    if sample is not None:  # the headline rule: say so when the median is the headline
        from sdmodel.analysis.headline import headline_table

        headline = headline_table([main], {main.name: results}, sample.sample_kpis)
        dashboard = " ".join(filter(None, [dashboard, F.finding_headline(
            headline, main.name, samples=samples, lang=lang)]))
    makers: dict[str, tuple[str, Callable[[], Figure]]] = {
        "dashboard": (dashboard, lambda: FB.fig_dashboard(
            results, observations, lang=lang, scenario=main.name, model_sha256=sha)),
    }
    if len(comparison.scenarios) > 1:
        makers["comparison"] = (
            F.finding_comparison({s.name: comparison.results[s.name]
                                  for s in comparison.scenarios}, lang=lang),
            lambda: fig_comparison(comparison.results, comparison.scenarios, lang=lang,
                                   model_sha256=sha,
                                   calibration=comparison.session.calibration.note))
    from sdmodel.briefing.questions import question_makers

    makers.update(question_makers(comparison, lang=lang, source=source))
    used_seed: int | None = None
    if sample is None:
        bands, n, capacity = {text("plan_optimised", lang): opt.band}, None, None
    else:
        bands, n, capacity, used_seed = ({main.name: band_of(sample.bands, main.name)}, samples,
                                         results, sample.seed)
    makers["fan_coa"] = (
        F.finding_fan(next(iter(bands.values())), lang=lang, threshold=threshold),
        lambda: fig_fan(bands, lang=lang, results=capacity, threshold=threshold, samples=n,
                        source=source()))
    makers["costs"] = (F.finding_costs(results, lang=lang),
                       lambda: FB.fig_costs(results, lang=lang, source=source()))
    makers["flows"] = (F.finding_flows(results, lang=lang),
                       lambda: FB.fig_flows(results, lang=lang, source=source()))
    schedule, subtitle, owner = _schedule(comparison, opt, lang=lang,
                                          table=schedule_table, planned=planned_schedule)
    if owner is not None:  # no schedule when no scenario starts a measure or funds capacity
        finding = F.finding_gantt(schedule, lang=lang)
        if owner != main.name:  # say whose schedule it is: the main scenario may start nothing
            finding = f"{text('scenario', lang).capitalize()} {owner}: {finding[:1].lower()}" \
                      f"{finding[1:]}"
        makers["schedule"] = (finding,
                              lambda: fig_gantt(schedule, lang=lang, source=source(owner),
                                                subtitle=subtitle, title=finding))
    if opt is not None and opt.pareto is not None and len(opt.pareto):
        chosen = _chosen_plan(opt)
        makers["pareto"] = (F.finding_pareto(opt.pareto, lang=lang), lambda: fig_pareto(
            opt.pareto, lang=lang, chosen=chosen, source=source()))
    makers["calibration"] = (
        F.finding_calibration(results, observations, list(FB.CALIBRATION_SERIES), lang=lang),
        lambda: FB.fig_calibration(results, observations, lang=lang, source=source()))
    return makers, used_seed


def _load_monitor(monitor: Path | str | None) -> Monitored | None:
    from sdmodel.briefing.monitoring import load_monitor

    return load_monitor(monitor) if monitor is not None else None


def _monitor_figure(monitored: Monitored, *, lang: str, source: Callable[..., str]
                    ) -> tuple[str, Callable[[], Figure]]:
    """(finding, maker) of the signpost dashboard of a monitor folder."""
    from sdmodel.monitor.figures import signpost_figure, signpost_title

    posts = monitored.signposts
    return (signpost_title(posts, lang=lang),
            lambda: signpost_figure(posts, as_of=monitored.as_of, lang=lang,
                                    source=source(monitored.scenario or None)))


def _schedule(comparison: Comparison, opt: Optimized | None, *, lang: str,
              table: Callable[..., pd.DataFrame], planned: Callable[[], pd.DataFrame]
              ) -> tuple[pd.DataFrame, str, str | None]:
    """The schedule to draw (the optimised one, the scenario with the most scheduled measures
    and capacity, or the planned dates of all measures), its subtitle and its scenario
    (``None`` for the planned dates)."""
    main = comparison.scenarios[0].name
    if opt is not None and opt.schedule is not None:
        return (opt.schedule,
                f"{text('gantt_subtitle', lang)} ({text('plan_optimised', lang)})", main)
    tables = [(table(s), s.name) for s in comparison.scenarios]
    schedule, name = max(tables, key=lambda item: len(item[0]))  # the fullest; ties: the first
    if len(schedule):
        return (schedule,
                f"{text('gantt_subtitle', lang)}; {text('scenario', lang)}: {name}", name)
    return planned(), text("gantt_planned", lang), None


def _chosen_plan(opt: Optimized) -> tuple[float, float] | None:
    """(cost, exceedance) of the optimised plan, if kpis.csv has both columns."""
    kpis = opt.kpis
    needed = {"plan", "cost_eur", "exceedance_person_months"}
    if kpis is None or not needed <= set(kpis.columns):
        return None
    row = kpis[kpis["plan"] == "optimised"]
    if row.empty:
        return None
    return float(row["cost_eur"].iloc[0]), float(row["exceedance_person_months"].iloc[0])


def briefing_manifest(briefing: Briefing, *, command: str) -> dict[str, Any]:
    """Return the manifest of a briefing: the model and data it was built from, its parameters
    and the seed of its uncertainty sample."""
    from sdmodel.outputs.manifest import build_manifest

    return build_manifest(model_path=briefing.model_path, model_sha256=briefing.model_sha256,
                          data_sha256=briefing.data_sha256, parameters=briefing.parameters,
                          seed=briefing.seed, command=command)


def briefing_files(briefing: Briefing) -> dict[str, Writer]:
    """Writers for :func:`sdmodel.outputs.folder.write_outputs`: PDF, PNG and SVG per figure,
    CSVs."""
    from sdmodel.figures.style import figure_writer
    from sdmodel.outputs.writers import csv_writer

    files: dict[str, Writer] = {"briefing.pdf": lambda p: write_pdf(briefing, p)}
    for name, fig in briefing.figures.items():
        files[f"{name}.png"] = figure_writer(fig)
        files[f"{name}.svg"] = figure_writer(fig)
    files["kpis.csv"] = csv_writer(briefing.kpis)
    files["findings.csv"] = csv_writer(_findings_frame(briefing))
    return files


def _findings_frame(briefing: Briefing) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({"figure": list(briefing.findings),
                         "finding": list(briefing.findings.values())})


def write_pdf(briefing: Briefing, path: Path | str) -> Path:
    """Write the PDF pages of ``briefing`` to ``path`` (multi-page, fonts embedded, every page
    numbered)."""
    import matplotlib as mpl
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.transforms import Bbox

    from sdmodel.briefing.pages import NUMBER_STRIP, page_number

    path = Path(path)
    info = {"Title": text("briefing_title", briefing.lang), "Author": "asielketen",
            "Subject": ", ".join(briefing.parameters.get("scenarios", []))}
    total = len(briefing.pages)
    with mpl.rc_context({"pdf.fonttype": 42}), PdfPages(path, metadata=info) as pdf:
        for number, (kind, fig) in enumerate(briefing.pages, start=1):
            if not kind.startswith("figure:"):
                pdf.savefig(fig, facecolor="white")
                continue
            # a figure page gets a strip above the figure for its number, in the PDF only (the
            # PNG and SVG stay as they are; nothing of the figure moves or is covered: the
            # figure's own coordinates, and the legends anchored at its foot, stay put)
            width, height = fig.get_size_inches()
            label = page_number(fig, number, total, lang=briefing.lang, above=NUMBER_STRIP)
            # figure legends anchored at the figure's box would follow it into the strip:
            # anchor them at the figure's own coordinates while the page is saved
            loose = [lg for lg in fig.legends if lg._bbox_to_anchor is None]
            for legend in loose:
                legend.set_bbox_to_anchor((0, 0, 1, 1), transform=fig.transFigure)
            pdf.savefig(fig, facecolor="white",
                        bbox_inches=Bbox([[0, 0], [width, height + NUMBER_STRIP]]))
            for legend in loose:
                legend.set_bbox_to_anchor(None)
            label.remove()
    return path
