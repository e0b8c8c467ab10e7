"""The briefing for parliamentary use: key figures and their findings, tables, assumptions, sources.

:func:`build_briefing` runs the scenarios (with the committed calibration, see
:mod:`sdmodel.analysis.compare`), samples the uncertainty of the first one (or reads the optimizer's
ensemble band), draws the key figures (each titled with its finding, computed from the numbers)
and lays out the PDF pages: a title page with the key points, the figures, the KPI table(s), the
assumptions and the sources. With ``wetten-zoals-aangenomen`` or ``alle-maatregelen`` among the
scenarios it also decomposes them over their measures and gives their break-even inflow change
(:mod:`sdmodel.briefing.questions`). :func:`briefing_files` returns the writers for
:func:`sdmodel.outputs.folder.write_outputs`: ``briefing.pdf`` (matplotlib's PdfPages: no LaTeX, no
network), each figure as PNG (150 dpi) and SVG, ``kpis.csv`` and ``findings.csv``.
"""

from __future__ import annotations

import datetime as dt
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

    Raises
    ------
    AsielketenError
        For an unknown language, no scenarios, a scenario that does not load or an unreadable
        optimizer folder.
    """
    from sdmodel.analysis.compare import compare
    from sdmodel.briefing.data import load_optimized
    from sdmodel.data.observations import data_sha256, load_observations, load_parameters
    from sdmodel.figures.marks import law_dates, source_line

    check_lang(lang)
    if not scenarios:
        raise AsielketenError("give at least one --scenario, e.g. --scenario baseline")
    opt = load_optimized(optimized) if optimized is not None else None
    comparison = compare(list(scenarios), model_path=model_path)
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
    figures, findings = {}, {}
    for name, (finding, make) in makers.items():
        findings[name] = finding
        figures[name] = make()
    pages = _pages(comparison, figures, findings, opt, lang=lang, model_hash=model_hash,
                   data_hash=data_hash, parameters=load_parameters(), laws=law_dates())
    parameters = {
        "scenarios": [s.name for s in comparison.scenarios],
        "scenario_files": [str(s.source) for s in comparison.scenarios],
        "optimized": str(opt.path) if opt is not None else None,
        "lang": lang, "calibration": comparison.session.calibration.note,
        "fan_samples": None if used_seed is None else samples,
        "figures": list(figures), "pdf_pages": [kind for kind, _ in pages],
    }
    return Briefing(lang, figures, findings, pages, comparison.kpis,
                    comparison.session.model.path, model_hash, data_hash, parameters, used_seed)


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
    makers: dict[str, tuple[str, Callable[[], Figure]]] = {
        "dashboard": (F.finding_dashboard(results, lang=lang), lambda: FB.fig_dashboard(
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
    if opt is not None and opt.band is not None:
        bands, n, capacity = {text("plan_optimised", lang): opt.band}, None, None
    else:
        from sdmodel.analysis.uncertainty import run_uncertainty

        sample = run_uncertainty([main], comparison.session, samples=samples, seed=seed)
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
    makers["schedule"] = (F.finding_gantt(schedule, lang=lang, planned=owner is None),
                          lambda: fig_gantt(schedule, lang=lang, source=source(owner or main.name),
                                            subtitle=subtitle, planned=owner is None))
    if opt is not None and opt.pareto is not None and len(opt.pareto):
        chosen = _chosen_plan(opt)
        makers["pareto"] = (F.finding_pareto(opt.pareto, lang=lang), lambda: fig_pareto(
            opt.pareto, lang=lang, chosen=chosen, source=source()))
    makers["calibration"] = (
        F.finding_calibration(results, observations, list(FB.CALIBRATION_SERIES), lang=lang),
        lambda: FB.fig_calibration(results, observations, lang=lang, source=source()))
    return makers, used_seed


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


def _pages(comparison: Comparison, figures: dict[str, Figure], findings: dict[str, str],
           opt: Optimized | None, *, lang: str, model_hash: str, data_hash: str,
           parameters: pd.DataFrame, laws: pd.DataFrame) -> list[tuple[str, Figure]]:
    """Title page, figure pages, KPI tables, assumptions and sources, numbered."""
    from sdmodel.analysis.compare import TABLE_COLUMNS
    from sdmodel.briefing.pages import Column, number_pages, table_pages, title_page
    from sdmodel.briefing.tables import (
        assumption_rows,
        capacity_rows,
        kpi_rows,
        measure_assumption_rows,
        sources,
    )
    from sdmodel.data.observations import load_observations
    from sdmodel.figures.formats import format_date
    from sdmodel.outputs.manifest import package_versions

    session = comparison.session
    version = package_versions()["asielketen"].split(" ")[0]
    meta = [
        (text("made_on", lang), format_date(dt.date.today(), lang)),
        (text("model_version", lang), f"asielketen {version}, {session.model.path.name} "
                                      f"(sha256 {model_hash[:12]})"),
        (text("data_version", lang), f"sha256 {data_hash[:12]}"),
        (text("calibration", lang), session.calibration.note),
        (text("scenarios", lang), ", ".join(s.name for s in comparison.scenarios)),
    ]
    if opt is not None:
        meta.append((text("optimized", lang), str(opt.path)))
    pages: list[tuple[str, Figure]] = [("title", title_page(
        title=text("briefing_title", lang), lead=text("briefing_lead", lang), meta=meta,
        points_title=text("key_points", lang), points=list(findings.values())))]
    pages += [(f"figure:{name}", fig) for name, fig in figures.items()]
    more = text("continued", lang)

    def table(kind: str, title: str, columns: list[Column], rows: list[list[str]],
              note: str = "", size: float = 8.5) -> None:
        pages.extend((kind, page) for page in table_pages(title, columns, rows, note=note,
                                                           continued=more, fontsize=size))

    names, rows = kpi_rows(comparison.kpis, key="scenario", lang=lang,
                           descriptions=TABLE_COLUMNS)
    share = 0.6 / max(len(names), 1)
    table("kpis", text("kpi_table", lang),
          [Column(text("indicator", lang), 0.4)] + [Column(n, share, "right") for n in names],
          rows, note=text("kpi_table_note", lang), size=9.5)
    if opt is not None and opt.kpis is not None:
        names, rows = kpi_rows(opt.kpis, key="plan", lang=lang, descriptions=TABLE_COLUMNS)
        share = 0.6 / max(len(names), 1)
        table("plans", text("kpi_table_plans", lang),
              [Column(text("indicator", lang), 0.4)] + [Column(n, share, "right") for n in names],
              rows, size=9.5)
    if opt is not None and opt.capacity_plan is not None:
        table("capacity", text("capacity_plan", lang),
              [Column(text("year", lang), 0.1), Column(text("lever", lang), 0.5),
               Column(text("amount", lang), 0.2, "right"), Column(text("cost", lang), 0.2,
                                                                   "right")],
              capacity_rows(opt.capacity_plan, lang=lang), size=9.5)
    columns = [Column(text("name", lang), 0.22), Column(text("default", lang), 0.11, "right"),
               Column(text("range", lang), 0.12, "right"), Column(text("unit", lang), 0.1),
               Column(text("reason", lang), 0.45)]
    calibrated = session.calibration.values
    rows = assumption_rows(session.model.doc(), session.defaults, calibrated, lang=lang)
    rows += measure_assumption_rows(lang=lang)
    table("assumptions", text("assumptions", lang), columns, rows,
          note=text("assumptions_note", lang), size=8)
    groups = sources(doc=session.model.doc(), parameters=parameters,
                     observations=load_observations(), laws=laws, lang=lang)
    for group, items in groups:  # two columns of sources per page
        pairs = [[items[i], items[i + 1] if i + 1 < len(items) else ""]
                 for i in range(0, len(items), 2)]
        table("sources", f"{text('sources', lang)}: {group}", [Column("", 0.5), Column("", 0.5)],
              pairs, size=7)
    number_pages([fig for _, fig in pages], lang=lang,
                 skip=[i for i, (kind, _) in enumerate(pages) if kind.startswith("figure:")])
    return pages


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
    """Write the PDF pages of ``briefing`` to ``path`` (multi-page, fonts embedded)."""
    import matplotlib as mpl
    from matplotlib.backends.backend_pdf import PdfPages

    path = Path(path)
    info = {"Title": text("briefing_title", briefing.lang), "Author": "asielketen",
            "Subject": ", ".join(briefing.parameters.get("scenarios", []))}
    with mpl.rc_context({"pdf.fonttype": 42}), PdfPages(path, metadata=info) as pdf:
        for _, fig in briefing.pages:
            pdf.savefig(fig, facecolor="white")
    return path
