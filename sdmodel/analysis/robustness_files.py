"""The output folders of ``sensitivity`` and ``discover``: tables, figures and manifests.

- :func:`sensitivity_files`: ``indices.csv`` (``parameter, kpi, S1, S1_conf, ST, ST_conf`` or
  ``parameter, kpi, mu_star, mu_star_conf, sigma``), ``parameters.csv`` (what was varied, its
  range, label and reason), ``outputs.csv`` (each KPI's mean, spread and range over the runs)
  and ``tornado_<kpi>.png`` for the key KPIs;
- :func:`discovery_files`: ``boxes.csv`` (``box, coverage, density, parameter, low, high``, then
  ``mass, range_low, range_high, quasi_p``), ``trajectory.csv`` (every peeling step),
  ``futures.csv`` (the PRIM inputs, the KPI and ``fails`` per future), ``parameters.csv``,
  ``reading.txt`` and ``peeling_trajectory.png``.

Figures and sentences are drawn from the same tables the briefing reads back
(:func:`tornado_rows`, :func:`labelled_boxes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sdmodel.analysis.files import session_manifest, session_source
from sdmodel.analysis.readings import parameter_label, reason
from sdmodel.outputs.writers import Writer, csv_writer, text_writer

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.analysis.discovery import Discovery
    from sdmodel.analysis.sensitivity import Sensitivity
    from sdmodel.analysis.uncertainty import Uncertain


def parameters_table(params: Sequence[Uncertain], *, lang: str = "nl") -> pd.DataFrame:
    """``parameter, kind, low, high, default, label, reason, source`` per sampled quantity."""
    import pandas as pd

    return pd.DataFrame([{
        "parameter": p.name, "kind": p.kind, "low": p.low, "high": p.high,
        "default": p.default, "label": parameter_label(p.name, p.kind, lang=lang),
        "reason": reason(p.source, p.kind, lang=lang), "source": p.source,
    } for p in params])


def tornado_rows(indices: pd.DataFrame, parameters: pd.DataFrame, *, kpi: str, method: str,
                 n: int = 10) -> pd.DataFrame:
    """The ``n`` most influential rows of ``kpi`` with their ``label`` and ``reason``."""
    key = "ST" if method == "sobol" else "mu_star"
    rows = indices[indices["kpi"] == kpi].dropna(subset=[key])
    rows = rows.sort_values(key, ascending=False).head(n)
    info = parameters.set_index("parameter")[["label", "reason"]]
    return rows.join(info, on="parameter").reset_index(drop=True)


def sensitivity_figures(result_tables: dict[str, Any], *, lang: str, source: str | None
                        ) -> dict[str, Writer]:
    """``tornado_<kpi>.png`` writers from the tables (see :func:`sensitivity_tables`)."""
    from sdmodel.analysis.readings import tornado_finding
    from sdmodel.figures.sensitivity import tornado_figure
    from sdmodel.figures.style import figure_writer

    t = result_tables
    files: dict[str, Writer] = {}
    for kpi in t["tornado_kpis"]:
        top = tornado_rows(t["indices"], t["parameters"], kpi=kpi, method=t["method"])
        title = tornado_finding(top, kpi=kpi, scenario=t["scenario"], method=t["method"],
                                lang=lang)
        unit = t["units"].get(kpi, "")
        files[f"tornado_{kpi}.png"] = figure_writer(
            lambda top=top, title=title, unit=unit: tornado_figure(
                top, method=t["method"], title=title, runs=t["runs"], samples=t["samples"],
                unit=unit, lang=lang, source=source))
    return files


def sensitivity_tables(result: Sensitivity, *, lang: str = "nl") -> dict[str, Any]:
    """What the files and figures of a sensitivity analysis are made from."""
    from sdmodel.analysis.sensitivity import KEY_KPIS

    kpis = list(result.outputs["kpi"])
    tornado = [k for k in KEY_KPIS if k in kpis] or kpis[:4]
    return {"indices": result.indices, "parameters": parameters_table(result.parameters,
                                                                       lang=lang),
            "outputs": result.outputs, "method": result.method, "scenario": result.scenario.name,
            "runs": result.runs, "samples": result.samples, "tornado_kpis": tornado,
            "units": {k: kpi_unit(k, lang) for k in kpis}}


def kpi_unit(kpi: str, lang: str) -> str:
    """The unit of a kpis.csv column, read from its description (``(persons)`` etc.)."""
    if kpi.endswith("_meur"):
        return "mln euro" if lang == "nl" else "EUR million"
    if "months" in kpi:
        return "maanden" if lang == "nl" else "months"
    if "backlog" in kpi:
        return "zaken" if lang == "nl" else "cases"
    if "wait_weeks" in kpi:
        return "weken" if lang == "nl" else "weeks"
    return "personen" if lang == "nl" else "persons"


def sensitivity_files(result: Sensitivity, *, lang: str = "nl") -> dict[str, Writer]:
    """Return the output files of a sensitivity analysis (see the module docstring)."""
    tables = sensitivity_tables(result, lang=lang)
    files: dict[str, Writer] = {
        "indices.csv": csv_writer(result.indices, float_format="%.6g"),
        "parameters.csv": csv_writer(tables["parameters"]),
        "outputs.csv": csv_writer(result.outputs, float_format="%.6g"),
    }
    source = session_source(result.session, result.scenario.name, lang)
    files.update(sensitivity_figures(tables, lang=lang, source=source))
    return files


def sensitivity_manifest(result: Sensitivity, *, lang: str, command: str) -> dict[str, Any]:
    """The manifest: scenario, method, samples, runs, KPIs and the calibration."""
    from sdmodel.analysis.files import describe

    parameters = {"scenario": result.scenario.name, "schedule": describe([result.scenario])[0],
                  "method": result.method, "samples": result.samples, "runs": result.runs,
                  "kpis": list(result.outputs["kpi"]), "varied": len(result.parameters),
                  "calibration": result.session.calibration.note, "lang": lang}
    return session_manifest(result.session, parameters, seed=result.seed, command=command)


def labelled_boxes(boxes: pd.DataFrame, kinds: dict[str, str], *, lang: str) -> pd.DataFrame:
    """boxes.csv rows with ``label`` and ``side`` (``above``/``below``/``between``) added."""
    out = boxes.copy()
    out["label"] = [parameter_label(p, kinds.get(p, "calibrated"), lang=lang)
                    for p in out["parameter"]]
    span = (out["range_high"] - out["range_low"]).abs() * 1e-9
    low_cut = out["low"] > out["range_low"] + span
    high_cut = out["high"] < out["range_high"] - span
    out["side"] = ["between" if lo and hi else "above" if lo else "below"
                   for lo, hi in zip(low_cut, high_cut, strict=True)]
    return out


def discovery_tables(result: Discovery) -> dict[str, pd.DataFrame]:
    """``boxes`` and ``trajectory`` tables of a discovery."""
    import pandas as pd

    rows, steps = [], []
    for box in result.boxes:
        for limit in box.limits:
            rows.append({"box": box.number, "coverage": box.coverage, "density": box.density,
                         "parameter": limit.parameter, "low": limit.low, "high": limit.high,
                         "mass": box.mass, "range_low": limit.range_low,
                         "range_high": limit.range_high, "quasi_p": limit.quasi_p})
        traj = box.trajectory.copy()
        traj.insert(0, "step", range(len(traj)))
        traj.insert(0, "box", box.number)
        traj["chosen"] = traj["step"] == box.chosen
        steps.append(traj)
    columns = ["box", "coverage", "density", "parameter", "low", "high", "mass", "range_low",
               "range_high", "quasi_p"]
    trajectory = (pd.concat(steps, ignore_index=True) if steps else pd.DataFrame(
        columns=["box", "step", "coverage", "density", "mass", "res_dim", "dropped", "chosen"]))
    return {"boxes": pd.DataFrame(rows, columns=columns), "trajectory": trajectory}


def discovery_figure_writer(boxes: pd.DataFrame, trajectory: pd.DataFrame, *, reading: str,
                            scenario: str, futures: pd.DataFrame, kpi: str,
                            threshold: float, lang: str, source: str | None) -> Writer:
    """The ``peeling_trajectory.png`` writer."""
    from sdmodel.figures.formats import format_number
    from sdmodel.figures.labels_robustness import rtext
    from sdmodel.figures.sensitivity import discovery_figure
    from sdmodel.figures.style import figure_writer

    subtitle = rtext("discovery_subtitle", lang).format(
        total=format_number(len(futures), lang), scenario=scenario)
    return figure_writer(lambda: discovery_figure(
        boxes, trajectory, title=reading, subtitle=subtitle, values=futures[kpi],
        threshold=threshold, lang=lang, source=source))


def discovery_files(result: Discovery, *, lang: str = "nl") -> dict[str, Writer]:
    """Return the output files of a discovery (see the module docstring)."""
    from sdmodel.analysis.readings import discovery_reading

    tables = discovery_tables(result)
    kinds = {p.name: p.kind for p in result.parameters}
    boxes = labelled_boxes(tables["boxes"], kinds, lang=lang)
    reading = discovery_reading(boxes, condition=result.condition.shown(lang),
                                failing=result.failing, total=len(result.futures), lang=lang)
    source = session_source(result.session, result.scenario.name, lang)
    return {
        "boxes.csv": csv_writer(tables["boxes"], float_format="%.6g"),
        "trajectory.csv": csv_writer(tables["trajectory"], float_format="%.6g"),
        "futures.csv": csv_writer(result.futures, float_format="%.8g"),
        "parameters.csv": csv_writer(parameters_table(result.parameters, lang=lang)),
        "reading.txt": text_writer(reading + "\n"),
        "peeling_trajectory.png": discovery_figure_writer(
            boxes, tables["trajectory"], reading=reading, scenario=result.scenario.name,
            futures=result.futures, kpi=result.condition.kpi.name,
            threshold=result.condition.value, lang=lang, source=source),
    }


def discovery_manifest(result: Discovery, *, lang: str, command: str) -> dict[str, Any]:
    """The manifest: scenario, condition, futures, failing futures, boxes and calibration."""
    from sdmodel.analysis.files import describe

    parameters = {"scenario": result.scenario.name, "schedule": describe([result.scenario])[0],
                  "when": result.condition.text, "samples": len(result.futures),
                  "failing": result.failing, "boxes": len(result.boxes),
                  "calibration": result.session.calibration.note, "lang": lang}
    return session_manifest(result.session, parameters, seed=result.seed, command=command)
