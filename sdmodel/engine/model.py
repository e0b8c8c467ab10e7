"""Load the chain model (.mdl) through PySD, introspect it and run it.

The .mdl is the single source of truth: this module only translates it (into a cache, see
:mod:`sdmodel.engine.translate`), reads its documentation and runs it. Every run starts from the
model's defaults plus the overrides given, so no state leaks between runs.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sdmodel.calendar import month_to_date, parse_month, time_grid
from sdmodel.engine.translate import (
    cache_file_state,
    file_sha256,
    report_rebuilt,
    translated_copy,
    write_cache_file,
)
from sdmodel.errors import AsielketenError, ModelFileError, UnknownVariableError, did_you_mean
from sdmodel.paths import DEFAULT_MDL

if TYPE_CHECKING:  # pragma: no cover
    from sdmodel.names import Kpi


def _translate(mdl_path: Path, mdl_copy: Path):
    """Translate (or load the cached translation of) a .mdl copy with PySD.

    The translation is made in a private temporary folder and moved into the cache sealed with
    its hash (:func:`sdmodel.engine.translate.write_cache_file`), so concurrent runs never read
    half a file; a cached translation whose seal does not match, or that no longer loads, is
    translated anew and reported once.

    Raises
    ------
    ModelFileError
        Naming ``mdl_path`` and the line of the first equation PySD cannot parse.
    """
    import pysd

    py_file = mdl_copy.with_suffix(".py")
    state = cache_file_state(py_file)
    if state == "intact":
        try:
            return pysd.load(py_file)
        except Exception:  # sealed but stale for this PySD, or unreadable: translate anew
            report_rebuilt(py_file, "did not load")
    elif state == "corrupt":
        report_rebuilt(py_file)
    py_file.unlink(missing_ok=True)
    work = mdl_copy.parent / f".translate-{os.getpid()}-{secrets.token_hex(4)}"
    work.mkdir()
    try:
        private = work / mdl_copy.name
        shutil.copyfile(mdl_copy, private)
        try:
            pysd.read_vensim(private)
        except Exception as err:  # PySD raises many kinds; the user needs the file and line
            raise ModelFileError(_describe_translation_error(mdl_path, err)) from err
        write_cache_file(py_file, private.with_suffix(".py").read_text(encoding="utf-8"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return pysd.load(py_file)


def _failing_equation(mdl_path: Path) -> tuple[int, str] | None:
    """Return (line number, first line) of the first equation PySD fails to parse, if any."""
    from pysd.translators.vensim.vensim_file import VensimFile

    text = mdl_path.read_text(encoding="utf-8", errors="replace")
    try:
        vensim_file = VensimFile(mdl_path)
        vensim_file.parse(parse_all=False)
    except Exception:
        return None
    for section in vensim_file.sections:
        try:
            section.parse(parse_all=False)
        except Exception:
            return None
        for element in section.elements:
            try:
                component = element.parse()
                component.parse()
            except Exception:
                name = re.split(r"[=(:\[]", element.equation.strip(), maxsplit=1)[0].strip()
                match = re.search(rf"^[ \t]*{re.escape(name)}\s*(=|\(|:)", text, flags=re.M)
                line = text.count("\n", 0, match.start()) + 1 if match else 0
                return line, name
    return None


def _describe_translation_error(mdl_path: Path, err: Exception) -> str:
    """Build a one-line message with the .mdl line of a PySD translation error."""
    if isinstance(err, KeyError) and err.args and isinstance(err.args[0], str):
        return _undefined_name(mdl_path, err.args[0])
    failing = _failing_equation(mdl_path)
    detail = (str(err).strip().splitlines() or [type(err).__name__])[0]
    detail = re.sub(r"\s*\(line \d+, column \d+\)\.?", "", detail)[:160]
    if failing is None:
        return f"{mdl_path}: PySD cannot translate the model ({detail}); check the file in Vensim"
    line, name = failing
    return (
        f"{mdl_path}, line {line}: cannot parse the equation of '{name}' ({detail}); "
        "correct it in Vensim or a text editor"
    )


def _fmt(bound: float) -> str:
    return "?" if np.isnan(bound) else f"{bound:g}"


def _undefined_name(mdl_path: Path, py_name: str) -> str:
    """The message for a name that equations use but nothing defines (PySD: a KeyError)."""
    words = [w for w in py_name.strip("_").split("_") if w]
    text = mdl_path.read_text(encoding="utf-8", errors="replace")
    pattern = r"[ _]+".join(re.escape(w) for w in words)
    where, shown = "", " ".join(words)
    match = re.search(rf"(?<!\w){pattern}(?!\w)", text, flags=re.I) if words else None
    if match:
        where = f", line {text.count(chr(10), 0, match.start()) + 1}"
        shown = " ".join(match.group(0).split())
    return (f"{mdl_path}{where}: '{shown}' is used in an equation but not defined; define it "
            "or correct the name (Vensim: Model > Check Model)")


class ChainModel:
    """A Vensim model loaded through PySD.

    Parameters
    ----------
    path
        The .mdl file; it is copied into the translation cache, never translated in place.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path).resolve()
        self._mdl_copy = translated_copy(self.path)
        self.sha256 = file_sha256(self.path)
        self._pysd = _translate(self.path, self._mdl_copy)
        self._check_runs()
        self._check_defaults_in_range()

    @classmethod
    def from_mdl(cls, path: Path | str | None = None) -> ChainModel:
        """Load a .mdl file (the project's model when ``path`` is None)."""
        return cls(Path(path) if path is not None else DEFAULT_MDL)

    # -- introspection -------------------------------------------------------------------
    @cached_property
    def _dependencies(self) -> dict:
        return self._pysd.dependencies

    @cached_property
    def _py_to_real(self) -> dict[str, str]:
        return {py_name: name for name, py_name in self._pysd.namespace.items()}

    def _stock_flows(self) -> dict[str, list[str]]:
        """Map each stock (INTEG) to the variables in its rate expression."""
        deps = self._dependencies
        result: dict[str, list[str]] = {}
        for py_name, dep in deps.items():
            integ = [k for k in (dep or {}) if k.startswith("_integ_")]
            for key in integ:
                step = deps.get(key, {}).get("step", {})
                result[self._py_to_real[py_name]] = [
                    self._py_to_real[name] for name in step if name in self._py_to_real
                ]
        return result

    @cached_property
    def stocks(self) -> list[str]:
        """Names of the model's stocks (INTEG), as written in the .mdl."""
        return sorted(self._stock_flows())

    @cached_property
    def flows(self) -> list[str]:
        """Names of the variables that appear in a stock's rate expression."""
        return sorted({flow for flows in self._stock_flows().values() for flow in flows})

    @cached_property
    def stock_rates(self) -> dict[str, list[str]]:
        """For each stock, the flows in its rate expression."""
        return self._stock_flows()

    @cached_property
    def _doc(self) -> pd.DataFrame:
        raw = self._pysd.doc.copy()
        stocks, flows = set(self.stocks), set(self.flows)

        def kind(row: pd.Series) -> str:
            name = row["Real Name"]
            if name in stocks:
                return "stock"
            if name in flows:
                return "flow"
            if row["Type"] == "Constant":
                return "constant"
            if row["Type"] == "Lookup" or "with Lookup" in str(row["Subtype"]):
                return "lookup"
            return "auxiliary"

        limits = raw["Limits"].apply(lambda lim: lim if isinstance(lim, tuple) else (None, None))
        frame = pd.DataFrame(
            {
                "name": raw["Real Name"],
                "kind": raw.apply(kind, axis=1),
                "units": raw["Units"].fillna(""),
                "min": [np.nan if lim[0] is None else lim[0] for lim in limits],
                "max": [np.nan if lim[1] is None else lim[1] for lim in limits],
                "comment": raw["Comment"].fillna("").str.replace(r"\s+", " ", regex=True),
                "py_name": raw["Py Name"],
            }
        )
        return frame.sort_values("name", key=lambda s: s.str.lower()).reset_index(drop=True)

    def doc(self) -> pd.DataFrame:
        """One row per variable: name, kind, units, min, max, comment (source), py_name."""
        return self._doc.copy()

    def names(self) -> list[str]:
        """Vensim names of all variables, as written in the .mdl."""
        return list(self._doc["name"])

    def limits(self) -> dict[str, tuple[float, float]]:
        """``[min, max]`` of every variable that declares both in the .mdl."""
        rows = self._doc.dropna(subset=["min", "max"])
        return {row.name: (float(row.min), float(row.max)) for row in rows.itertuples()}

    def initial_values(self, constants: Mapping[str, float] | None = None) -> dict[str, float]:
        """Return every variable's value at time 0 with ``constants`` applied (a one-step run).

        Constants keep their value over the run, so this is the base a measure changes from.
        """
        first = self.run_raw(dict(constants or {}), final_time=0).iloc[0]
        return {str(name): float(value) for name, value in first.items()}

    # -- running -------------------------------------------------------------------------
    def _check_runs(self) -> None:
        """Run the first time step so run-time failures show at load time."""
        try:
            self._pysd.reload()
            self._time_step = float(self._pysd.components.time_step())
            self._final_time = float(self._pysd.components.final_time())
            self._pysd.run(final_time=self._time_step, progress=False)
            self._pysd.reload()
        except Exception as err:
            raise ModelFileError(
                f"{self.path.name}: the model translates but fails when run: {err}; "
                "check the Vensim functions it uses: PySD translates some it cannot run"
            ) from err

    def _check_defaults_in_range(self) -> None:
        """Refuse a constant whose value in the .mdl lies outside its own ``[min, max]``."""
        doc = self._doc[(self._doc["kind"] == "constant")].dropna(subset=["min", "max"],
                                                                   how="all")
        for row in doc.itertuples():
            try:
                value = np.asarray(getattr(self._pysd.components, row.py_name)(), dtype=float)
            except Exception:  # not a plain number (e.g. a data constant): nothing to check
                continue
            low = -np.inf if np.isnan(row.min) else row.min
            high = np.inf if np.isnan(row.max) else row.max
            bad = value[(value < low) | (value > high)]
            if bad.size:
                text = self.path.read_text(encoding="utf-8", errors="replace")
                match = re.search(rf"^[ \t]*{re.escape(row.name)}\s*(\[[^\]]*\])?\s*=", text,
                                  flags=re.M | re.I)
                line = f", line {text.count(chr(10), 0, match.start()) + 1}" if match else ""
                raise ModelFileError(
                    f"{self.path}{line}: '{row.name}' = {float(bad.flat[0]):g} lies outside its "
                    f"own range [{_fmt(row.min)}, {_fmt(row.max)}]; correct the value or the "
                    "range in the .mdl")

    def _validated(
        self, overrides: Mapping[str, float | pd.Series] | None
    ) -> dict[str, float | pd.Series]:
        names = self.names()
        params: dict[str, float | pd.Series] = {}
        for name, value in (overrides or {}).items():
            if name not in names:
                raise UnknownVariableError(
                    f"'{name}' is not a variable of {self.path.name}{did_you_mean(name, names)}; "
                    "see 'asielketen doc' for the names"
                )
            params[name] = value
        return params

    @property
    def time_step(self) -> float:
        """The model's TIME STEP in months."""
        return self._time_step

    @property
    def final_time(self) -> float:
        """The model's FINAL TIME in months."""
        return self._final_time

    def run_raw(
        self,
        overrides: Mapping[str, float | pd.Series] | None = None,
        *,
        final_time: float | None = None,
    ) -> pd.DataFrame:
        """Run the model and return every variable at every time step.

        Parameters
        ----------
        overrides
            Constants to change, by their Vensim names: a number, or a pandas Series over model
            time for an input that varies. Every run starts from the defaults.
        final_time
            Stop at this model time (months); default the model's FINAL TIME.

        Returns
        -------
        pandas.DataFrame
            Index ``time`` in months since 2014-01-01, one column per variable (Vensim names).
        """
        params = self._validated(overrides)
        end = self.final_time if final_time is None else float(final_time)
        self._pysd.reload()
        timestamps = time_grid(end, self.time_step)
        try:
            result = self._pysd.run(
                params=params,
                final_time=end,
                return_timestamps=timestamps,
                progress=False,
            )
        finally:
            self._pysd.reload()
        result.index.name = "time"
        return result

    def run(
        self, overrides: Mapping[str, float | pd.Series] | None = None, *, until: str | None = None,
        kpis: Mapping[str, Kpi] | None = None,
    ) -> pd.DataFrame:
        """Run the model and return the monthly KPI table.

        Parameters
        ----------
        overrides
            Constants to change, by their Vensim names.
        until
            Last month to report, ``YYYY-MM``; default the model's last month.
        kpis
            The KPIs to compute (default :data:`sdmodel.names.KPIS`).

        Returns
        -------
        pandas.DataFrame
            Index ``date`` (month starts), one column per KPI (see :mod:`sdmodel.engine.kpis`).
        """
        from sdmodel.engine.kpis import monthly_kpis

        last_month = self.last_month(until)
        raw = self.run_raw(overrides, final_time=last_month + 1)
        if kpis is None:
            return monthly_kpis(raw, time_step=self.time_step)
        return monthly_kpis(raw, time_step=self.time_step, kpis=kpis)

    def last_month(self, until: str | None = None) -> int:
        """Return the model month (0 = 2014-01) of ``until`` (``YYYY-MM``), or the last month.

        Raises
        ------
        AsielketenError
            If ``until`` is malformed or outside the model's run.
        """
        last = int(self.final_time) - 1
        if until is None:
            return last
        month = parse_month(until)
        if not 0 <= month <= last:
            raise AsielketenError(
                f"--until {until} is outside the model's run "
                f"({month_to_date(0):%Y-%m} to {month_to_date(last):%Y-%m})"
            )
        return month
