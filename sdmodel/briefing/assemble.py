"""The briefing's PDF pages in order: the title page with the key points, the figures, the KPI
tables (scenarios, optimized plans, monitoring drift, capacity plan, adaptive rules), the
assumptions and the sources tied to the figures they support, numbered."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sdmodel.figures.labels import text

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from sdmodel.analysis.compare import Comparison
    from sdmodel.briefing.data import Optimized
    from sdmodel.briefing.monitoring import Monitored


def assemble_pages(comparison: Comparison, figures: dict[str, Figure], findings: dict[str, str],
           opt: Optimized | None, *, lang: str, model_hash: str, data_hash: str,
           parameters: pd.DataFrame, laws: pd.DataFrame,
           monitored: Monitored | None = None) -> list[tuple[str, Figure]]:
    """Title page, figure pages, KPI tables, assumptions and sources, numbered."""
    from sdmodel.analysis.compare import TABLE_COLUMNS
    from sdmodel.briefing.pages import (
        Column,
        column_chars,
        number_pages,
        table_pages,
        title_page,
        wrap_links,
    )
    from sdmodel.briefing.tables import (
        assumption_rows,
        capacity_rows,
        kpi_rows,
        measure_assumption_rows,
        sources,
        supported_figures,
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
    if monitored is not None:
        from sdmodel.briefing.monitoring import drift_table
        from sdmodel.figures.formats import format_month

        headers, rows = drift_table(monitored, lang=lang)
        title = (f"Monitoring: nieuwe cijfers, plan en update (stand "
                 f"{format_month(monitored.as_of, lang)})" if lang == "nl" else
                 f"Monitoring: new figures, plan and update (as of "
                 f"{format_month(monitored.as_of, lang)})")
        note = (f"Plan: scenario {monitored.scenario} op kalibratie {monitored.calibration}; "
                f"bijgewerkt vanaf {monitored.drift_from}. In band: binnen de 90%-band van het "
                "plan. Grootste afwijkingen eerst." if lang == "nl" else
                f"Plan: scenario {monitored.scenario} on calibration {monitored.calibration}; "
                f"updated from {monitored.drift_from}. In band: inside the plan's 90% band. "
                "Largest misses first.")
        widths = (0.34, 0.14, 0.13, 0.13, 0.13, 0.13)
        table("monitoring", title,
              [Column(h, w, "left" if i < 2 else "right")
               for i, (h, w) in enumerate(zip(headers, widths, strict=True))],
              rows, note=note, size=9)
    if opt is not None and opt.capacity_plan is not None:
        table("capacity", text("capacity_plan", lang),
              [Column(text("year", lang), 0.1), Column(text("lever", lang), 0.5),
               Column(text("amount", lang), 0.2, "right"), Column(text("cost", lang), 0.2,
                                                                   "right")],
              capacity_rows(opt.capacity_plan, lang=lang), size=9.5)
    if opt is not None and opt.adaptive is not None:
        from sdmodel.briefing.adaptive import adaptive_rows, adaptive_title, plan_names, rule_rows

        names = plan_names(opt.adaptive, lang)
        share = 0.5 / max(len(names), 1)
        table("adaptive", adaptive_title(opt.adaptive, lang=lang),
              [Column(text("indicator", lang), 0.5)] + [Column(n, share, "right") for n in names],
              adaptive_rows(opt.adaptive, lang=lang), note=text("adaptive_note", lang), size=9.5)
        if opt.adaptive_rules is not None:
            table("adaptive_rules", text("adaptive_rules", lang),
                  [Column(text("rule", lang), 0.17), Column(text("rule_when", lang), 0.27),
                   Column(text("rule_then", lang), 0.36),
                   Column(text("rule_fired", lang), 0.08, "right"),
                   Column(text("rule_median", lang), 0.12, "right")],
                  rule_rows(opt.adaptive_rules, lang=lang), size=8)
    columns = [Column(text("name", lang), 0.2), Column(text("default", lang), 0.1, "right"),
               Column(text("range", lang), 0.1, "right"), Column(text("unit", lang), 0.17),
               Column(text("reason", lang), 0.43)]  # the unit column holds 'euro per persoon
    # per jaar' on one line (units are held together by non-breaking spaces)
    calibrated = session.calibration.values
    rows = assumption_rows(session.model.doc(), session.defaults, calibrated, lang=lang)
    rows += measure_assumption_rows(lang=lang)
    table("assumptions", text("assumptions", lang), columns, rows,
          note=text("assumptions_note", lang), size=8)
    groups = sources(doc=session.model.doc(), parameters=parameters,
                     observations=load_observations(), laws=laws, lang=lang)
    figure_pages = {name: number for number, name in enumerate(figures, start=2)}
    width = column_chars(0.5, 7)
    for key, group, items in groups:  # two columns of sources per page, URLs wrapped whole
        items = [wrap_links(item, width) for item in items]
        pairs = [[items[i], items[i + 1] if i + 1 < len(items) else ""]
                 for i in range(0, len(items), 2)]
        table("sources", f"{text('sources', lang)}: {group}", [Column("", 0.5), Column("", 0.5)],
              pairs, note=supported_figures(key, figure_pages, lang=lang), size=7)
    number_pages([fig for _, fig in pages], lang=lang,
                 skip=[i for i, (kind, _) in enumerate(pages) if kind.startswith("figure:")])
    return pages
