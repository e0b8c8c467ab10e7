"""A briefing that never contradicts itself (issue 15, case 10): a baseline says nothing about
measures and draws no marker of a law it does not run; units and URLs stay whole; every page
has its number; the cost label sits on its bar; overlapping bands stay distinguishable."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdmodel.briefing.pages import column_chars, wrap_links
from sdmodel.briefing.units import NBSP, readable_unit
from sdmodel.figures.style import wrap


@pytest.fixture(scope="module")
def baseline():
    from sdmodel.briefing.build import build_briefing

    return build_briefing(["baseline"], lang="nl", samples=20)


def _texts(fig) -> str:
    """Every text of a figure, non-breaking spaces as spaces."""
    texts = (t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))
    return " ".join(texts).replace(NBSP, " ")


def test_a_baseline_briefing_starts_no_measure_and_marks_no_eu_pact(baseline) -> None:
    assert "schedule" not in baseline.figures
    assert not any("maatregel" in finding for finding in baseline.findings.values())
    for name, fig in baseline.figures.items():
        assert "EU-Migratiepact" not in _texts(fig), name  # the Pact is not in the run
    assert "Spreidingswet in werking" in _texts(baseline.figures["dashboard"])  # history stays


def test_every_pdf_page_has_its_number(baseline, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import sdmodel.briefing.pages as pages
    from sdmodel.briefing.build import write_pdf

    total = len(baseline.pages)
    numbered = {n for n, (kind, fig) in enumerate(baseline.pages, start=1)
                if f"pagina {n} van {total}" in _texts(fig)}
    real = pages.page_number
    calls: list[int] = []
    monkeypatch.setattr(pages, "page_number",
                        lambda fig, n, t, **kw: calls.append(n) or real(fig, n, t, **kw))
    write_pdf(baseline, tmp_path / "b.pdf")
    assert numbered | set(calls) == set(range(1, total + 1))
    assert not any("pagina" in _texts(baseline.figures[n]) for n in baseline.figures)  # PNGs


@pytest.mark.parametrize(("units", "nl"), [
    ("hour/(FTE*Month)", "uur per fte per maand"),
    ("EUR/(person*Year)", "euro per persoon per jaar"),
    ("person/Month", "personen per maand"), ("1/Year", "per jaar"), ("dmnl", "fractie"),
    ("Month", "maanden"), ("m^2", "m^2"),
])
def test_units_are_dutch_words_that_never_break(units: str, nl: str) -> None:
    shown = readable_unit(units, "nl")
    assert shown.replace(NBSP, " ") == nl
    assert "\n" not in wrap(shown, column_chars(0.17, 8))  # the assumption table's unit column


def test_assumption_pages_show_readable_units(baseline) -> None:
    text = " ".join(_texts(fig) for kind, fig in baseline.pages if kind == "assumptions")
    assert "dmnl" not in text and "Mont\nh" not in text
    assert "uur per fte per maand" in text


def test_urls_wrap_only_after_a_separator() -> None:
    url = ("https://www.rijksoverheid.nl/documenten/kamerstukken/2025/06/12/"
           "kamerbrief-over-de-uitvoering-van-het-migratiepact")
    lines = wrap_links(url, 40).split("\n")
    assert len(lines) > 2 and "".join(lines) == url
    for line in lines[:-1]:
        assert len(line) <= 40 and line[-1] in "/?&=-", line
    assert wrap_links("a few words and no link", 40) == "a few words and no link"


def test_source_pages_name_the_figures_they_support(baseline) -> None:
    notes = [_texts(fig) for kind, fig in baseline.pages if kind == "sources"]
    assert any("Onderbouwt: dashboard (pagina 2)" in n for n in notes)
    assert any("kalibratie (pagina" in n for n in notes)


def test_the_cost_label_sits_on_its_own_bar(baseline) -> None:
    from matplotlib.text import Annotation

    ax = baseline.figures["costs"].axes[0]
    labels = [a for a in ax.texts if isinstance(a, Annotation) and "mld" in a.get_text()]
    assert len(labels) == 2
    tops: dict[float, float] = {}
    for bar in ax.patches:
        x = round(bar.get_x() + bar.get_width() / 2, 6)
        tops[x] = max(tops.get(x, 0.0), bar.get_y() + bar.get_height())
    for label in labels:
        year, y = label.xy
        assert y == pytest.approx(tops[round(year, 6)])  # points at the top of its own bar
        assert label.xyann[0] == year  # and stands above it


def test_overlapping_bands_are_drawn_as_edges_and_light_fills() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from sdmodel.figures.bands import draw_band

    fig, ax = plt.subplots()
    x = np.arange(5.0)
    for color in ("C0", "C1", "C2"):
        draw_band(ax, x, x, x + 1, x + 2, x + 3, x + 4, color=color, overlapping=True)
    assert len(ax.collections) == 3  # one (50%) fill per scenario, not two translucent layers
    assert sum(line.get_linestyle() == "--" for line in ax.lines) == 6  # dashed 90% edges
    plt.close(fig)


def test_the_assumption_reasons_are_in_dutch() -> None:
    from sdmodel.briefing.assumptions_nl import REASONS_NL
    from sdmodel.briefing.tables import assumption_rows, in_language, measure_assumption_rows
    from sdmodel.engine.model import ChainModel

    model = ChainModel.from_mdl()
    defaults = {k: float(v) for k, v in model.initial_values().items()}
    rows = assumption_rows(model.doc(), defaults, {}, lang="nl") + measure_assumption_rows(
        lang="nl")
    english = assumption_rows(model.doc(), defaults, {}, lang="en") + measure_assumption_rows(
        lang="en")
    translated = sum(nl[4] != en[4] for nl, en in zip(rows, english, strict=True))
    assert translated >= 0.95 * len(rows)  # an edited reason shows in English until translated
    assert in_language("not published.", "en") == "not published."
    assert all(nl.strip() and "  " not in nl for nl in REASONS_NL.values())


def test_source_pages_name_every_figure_including_optional_pages() -> None:
    """The model's sources support every figure, also those optional pages add (attribution per
    scenario, break-even, tornado), which have no short name of their own."""
    from sdmodel.briefing.tables import supported_figures

    pages = {"dashboard": 2, "attribution_wetten-zoals-aangenomen": 4, "breakeven": 6}
    line = supported_figures("sources_mdl", pages, lang="nl")
    assert "attribution wetten-zoals-aangenomen (pagina 4)" in line
    assert "breakeven (pagina 6)" in line and "(pagina 2)" in line


def test_a_finding_on_the_central_run_says_when_the_median_is_the_headline() -> None:
    """The headline rule: outside the 40th-60th percentile the finding gives the median."""
    import pandas as pd

    from sdmodel.briefing.findings import finding_headline

    table = pd.DataFrame({"scenario": ["baseline"], "kpi": ["coa_2030"], "central": [84444.0],
                          "percentile": [31.5], "q50": [96622.0], "headline_from": ["median"]})
    line = finding_headline(table, "baseline", samples=200, lang="nl")
    assert "96.600" in line and "84.400" in line and "200 toekomsten" in line
    central = table.assign(headline_from="central", percentile=50.0)
    assert finding_headline(central, "baseline", samples=200, lang="nl") == ""
