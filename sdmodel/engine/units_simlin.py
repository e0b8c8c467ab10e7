"""Simlin's unit checker (PyPI ``pysimlin``) as a second opinion on a .mdl's units.

:func:`sdmodel.engine.units.check_units` is the project's checker; this module runs the
independent one in Simlin's engine and returns its findings as the same
:class:`~sdmodel.engine.units.UnitError` records, so tests can require that ours finds every
variable Simlin flags. ``pysimlin`` is a test dependency (the ``test`` extra), not a runtime one.

What Simlin 0.8.5 does and does not do (measured on small models):

- It reads the .mdl itself and reports unit problems as warnings of ``Project.get_errors()``;
  ``Model.check_units()`` returns only one of the two error codes and never fills
  ``expected_units``/``actual_units``, so the units are read here from the messages.
- It checks ``+ - MIN MAX``, IF THEN ELSE branches, the XIDZ alternative, INTEG rates and
  initial values, SMOOTH/DELAY (as "units in 'smth1' (used by variable 'c')", without the
  units) and declared against computed units. It does not check comparisons (``a > b`` with
  different units passes) or lookup arguments.
- A number takes whatever units its context needs (``stock + 1`` passes), and ``persons``,
  ``people`` and ``person`` are one unit, as is ``fraction`` with ``dmnl``: more lenient than
  Vensim and than our checker.
- A rate that does not fit its stock is reported on the flow (or on a ``<stock>_net_flow`` it
  makes of ``INTEG(a - b, x)``); here it is reported on the stock, as our checker does.
- It cannot read some valid models: ``tests/models/batch_functions.mdl`` fails on a variable
  named ``with lookup``.
"""

from __future__ import annotations

import re
from pathlib import Path

from sdmodel.engine.units import UnitError, find_line
from sdmodel.errors import AsielketenError, ModelFileError

_UNIT_CODES = ("UNIT_MISMATCH", "UNIT_DEFINITION_ERRORS")
# (pattern, index of the expected group, index of the found group)
_MESSAGES = (
    (re.compile(r"the equation computes to units '([^']*)', but the variable's specified units "
                r"are '([^']*)'"), 2, 1),
    (re.compile(r"expected left and right argument units to match, but '([^']*)' and "
                r"'([^']*)' don't"), 1, 2),
    (re.compile(r"IF branches have different units: then '([^']*)', else '([^']*)'"), 1, 2),
    (re.compile(r"SAFEDIV fallback has units '([^']*)' but expected '([^']*)'"), 2, 1),
    (re.compile(r"expected units '([^']*)' to match the units expected by the attached stock "
                r"\S+ \(([^)]*)\)"), 2, 1),
    (re.compile(r"argument '[^']*' has units '([^']*)' but argument '[^']*' has units "
                r"'([^']*)'"), 1, 2),
)
_USED_BY = re.compile(r"\(used by variable '([^']*)'\)")
_STOCK = re.compile(r"attached stock (\S+) \(")


def _canonical(name: str) -> str:
    return re.sub(r"[\s_]+", "_", name.strip().strip('"')).lower()


def simlin_unit_errors(mdl_path: Path | str) -> list[UnitError]:
    """Return the unit problems Simlin finds in a .mdl, one per variable and message.

    Parameters
    ----------
    mdl_path
        The Vensim model file.

    Raises
    ------
    AsielketenError
        If ``pysimlin`` is not installed.
    ModelFileError
        If Simlin cannot read the file.
    """
    try:
        import simlin
    except ImportError as err:
        raise AsielketenError("the Simlin unit check needs pysimlin: "
                              "pip install -e '.[test]'") from err
    path = Path(mdl_path)
    try:
        details = simlin.load(path).project.get_errors()
    except Exception as err:  # SimlinImportError, SimlinRuntimeError, OSError
        raise ModelFileError(f"{path}: Simlin cannot read the model ({err})") from err
    text = path.read_text(encoding="utf-8", errors="replace")
    names = _model_names(text)
    out: list[UnitError] = []
    for detail in details:
        if detail.code.name not in _UNIT_CODES:
            continue
        reason = detail.details or detail.message or ""
        variable = detail.variable_name
        used_by = _USED_BY.search(reason)
        stock = _STOCK.search(reason)
        if used_by:
            variable = used_by.group(1)
        elif stock:  # a rate that does not fit its stock: our checker reports the stock's INTEG
            variable = stock.group(1)
        elif variable and variable.startswith("$"):  # an internal module: $⁚c⁚0⁚smth1
            variable = variable.split("\u205a")[1] if "\u205a" in variable else None
        if not variable:
            continue  # a summary of the per-variable problems
        key = _canonical(variable)
        if key not in names and key.endswith("_net_flow"):  # Simlin's flow for INTEG(a - b, x)
            key = key.removesuffix("_net_flow")
        name = names.get(key, variable)
        expected = found = ""
        for pattern, exp_group, found_group in _MESSAGES:
            match = pattern.search(reason)
            if match:
                expected, found = match.group(exp_group), match.group(found_group)
                break
        error = UnitError(name, find_line(text, name), expected, found, reason)
        if error not in out:
            out.append(error)
    return out


def _model_names(text: str) -> dict[str, str]:
    """Canonical name -> the name as the .mdl writes it, for every left-hand side."""
    names: dict[str, str] = {}
    pattern = re.compile(r'(?:^|\|)\s*("?[^\s"~|=:(\[{][^~|=:(\[]*?"?)\s*(?:\[[^\]]*\])?\s*'
                         r'(?:=|:=|==|\()', re.MULTILINE)
    for match in pattern.finditer(text):
        name = " ".join(match.group(1).strip('"').split())
        names.setdefault(_canonical(name), name)
    return names
