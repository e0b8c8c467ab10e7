"""Briefing pages of a sensitivity analysis (the tornado) and a scenario discovery (the box).

The briefing reads the output folders of ``asielketen sensitivity`` and ``asielketen discover``
(:func:`load_sensitivity`, :func:`load_discovery`) and redraws their figures in its language,
each titled with its finding computed from the folder's tables
(:mod:`sdmodel.analysis.readings`): what COA occupancy and emergency reception in 2030 depend on
most, and in which futures the plan fails.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdmodel.errors import DataFileError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

BRIEFING_TORNADO_KPIS: tuple[str, ...] = ("coa_2030", "coa_emergency_2030")
"""The KPIs whose tornado chart is a briefing page (when the folder has them)."""
SENSITIVITY_COLUMNS = {"indices.csv": ("parameter", "kpi"),
                       "parameters.csv": ("parameter", "kind", "source")}
DISCOVERY_COLUMNS = {"boxes.csv": ("box", "coverage", "density", "parameter", "low", "high",
                                   "range_low", "range_high"),
                     "trajectory.csv": ("box", "coverage", "density", "res_dim", "chosen"),
                     "parameters.csv": ("parameter", "kind"),
                     "futures.csv": ("fails",)}


@dataclass(frozen=True)
class ResultFolder:
    """The tables and manifest parameters of a sensitivity or discovery output folder."""

    path: Path
    tables: dict[str, pd.DataFrame]
    parameters: dict[str, Any]


def _load(path: Path | str, columns: dict[str, tuple[str, ...]], command: str,
          option: str) -> ResultFolder:
    import pandas as pd

    folder = Path(path)
    if not folder.is_dir():
        raise DataFileError(f"{option} {folder}: no such folder; give the --out folder of "
                            f"'asielketen {command}'")
    tables = {}
    for name, needed in columns.items():
        file = folder / name
        if not file.is_file():
            raise DataFileError(f"{option} {folder}: no {name}; is it the output folder of "
                                f"'asielketen {command}'?")
        frame = pd.read_csv(file)
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise DataFileError(f"{file} line 1: missing column(s) {', '.join(missing)}; "
                                f"rerun 'asielketen {command}'")
        tables[name] = frame
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        raise DataFileError(f"{option} {folder}: no manifest.json; rerun 'asielketen {command}'")
    parameters = json.loads(manifest.read_text(encoding="utf-8")).get("parameters", {})
    return ResultFolder(folder, tables, parameters)


def load_sensitivity(path: Path | str) -> ResultFolder:
    """Read the output folder of ``asielketen sensitivity``.

    Raises
    ------
    DataFileError
        If the folder, a file or a column is missing.
    """
    return _load(path, SENSITIVITY_COLUMNS, "sensitivity", "--sensitivity")


def load_discovery(path: Path | str) -> ResultFolder:
    """Read the output folder of ``asielketen discover`` (raises like :func:`load_sensitivity`)."""
    return _load(path, DISCOVERY_COLUMNS, "discover", "--discovery")


def robustness_makers(sensitivity: ResultFolder | None, discovery: ResultFolder | None, *,
                      lang: str, source: Callable[[str], str]
                      ) -> dict[str, tuple[str, Callable[[], Figure]]]:
    """Figure name -> (finding, function drawing the figure) for the briefing.

    Parameters
    ----------
    sensitivity, discovery
        Loaded output folders, or ``None``.
    lang
        ``"nl"`` or ``"en"``.
    source
        Scenario name -> the source line.
    """
    makers: dict[str, tuple[str, Callable[[], Figure]]] = {}
    if sensitivity is not None:
        makers.update(_tornado_makers(sensitivity, lang=lang, source=source))
    if discovery is not None:
        makers["discovery"] = _discovery_maker(discovery, lang=lang, source=source)
    return makers


def _tornado_makers(folder: ResultFolder, *, lang: str, source: Callable[[str], str]
                    ) -> dict[str, tuple[str, Callable[[], Figure]]]:
    from sdmodel.analysis.readings import parameter_label, reason, tornado_finding
    from sdmodel.analysis.robustness_files import kpi_unit, tornado_rows
    from sdmodel.figures.sensitivity import tornado_figure

    p = folder.parameters
    method, scenario = str(p.get("method", "sobol")), str(p.get("scenario", ""))
    params = folder.tables["parameters.csv"].copy()
    params["label"] = [parameter_label(n, k, lang=lang)
                       for n, k in zip(params["parameter"], params["kind"], strict=True)]
    params["reason"] = [reason(s, k, lang=lang)
                        for s, k in zip(params["source"], params["kind"], strict=True)]
    indices = folder.tables["indices.csv"]
    makers = {}
    for kpi in BRIEFING_TORNADO_KPIS:
        if kpi not in set(indices["kpi"]):
            continue
        top = tornado_rows(indices, params, kpi=kpi, method=method)
        finding = tornado_finding(top, kpi=kpi, scenario=scenario, method=method, lang=lang)
        makers[f"tornado_{kpi}"] = (finding, lambda top=top, finding=finding, kpi=kpi:
                                    tornado_figure(top, method=method, title=finding,
                                                   runs=int(p.get("runs", 0)),
                                                   samples=int(p.get("samples", 0)),
                                                   unit=kpi_unit(kpi, lang), lang=lang,
                                                   source=source(scenario)))
    return makers


def _discovery_maker(folder: ResultFolder, *, lang: str, source: Callable[[str], str]
                     ) -> tuple[str, Callable[[], Figure]]:
    from sdmodel.analysis.condition import parse_when
    from sdmodel.analysis.readings import discovery_reading
    from sdmodel.analysis.robustness_files import labelled_boxes
    from sdmodel.figures.formats import format_number
    from sdmodel.figures.labels_robustness import rtext
    from sdmodel.figures.sensitivity import discovery_figure

    p = folder.parameters
    scenario = str(p.get("scenario", ""))
    condition = parse_when(str(p.get("when", "")))
    futures = folder.tables["futures.csv"]
    kinds = dict(zip(folder.tables["parameters.csv"]["parameter"],
                     folder.tables["parameters.csv"]["kind"], strict=True))
    boxes = labelled_boxes(folder.tables["boxes.csv"], kinds, lang=lang)
    reading = discovery_reading(boxes, condition=condition.shown(lang),
                                failing=int(futures["fails"].sum()), total=len(futures),
                                lang=lang)
    subtitle = rtext("discovery_subtitle", lang).format(total=format_number(len(futures), lang),
                                                         scenario=scenario)
    values = futures.get(condition.kpi.name, None)
    return reading, lambda: discovery_figure(
        boxes, folder.tables["trajectory.csv"], title=reading, subtitle=subtitle, values=values,
        threshold=condition.value, lang=lang, source=source(scenario))
