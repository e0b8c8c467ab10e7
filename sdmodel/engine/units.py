"""Check that every equation of a Vensim .mdl is dimensionally consistent.

:func:`check_units` reads the model with PySD's Vensim parser into its abstract model, parses
each variable's declared units into base-unit exponents (:mod:`sdmodel.engine.unit_algebra`)
and derives the units of every equation from the bottom up, the way Vensim's Units Check does:

- ``+``, ``-``, MIN, MAX, MODULO, QUANTUM, the two branches of IF THEN ELSE, the alternative of
  XIDZ (against the quotient) and both sides of a comparison need equal units; ``*``, ``/``,
  XIDZ and ZIDZ multiply and divide them; ABS, INTEGER, SUM, VMIN and VMAX keep them; ``x^n``
  and POWER need a number as exponent (or a dimensionless base); SQRT halves the exponents;
  EXP, LN, LOG and the trigonometric functions take and give dimensionless values; a
  comparison or :AND:/:OR:/:NOT: gives a dimensionless value.
- A number in an equation is dimensionless: ``stock + 1`` is an error when the stock is in
  person, ``share * 12`` keeps the share's units, and ``cost per year / 12`` stays per year (a
  conversion needs a constant such as ``months per year ~ Month/Year``). This is the default of
  Ventana's unit checking (Ventity documents an option letting numbers take whatever units their
  context needs; we do not follow it: a number with units belongs in a named, sourced constant).
  The number 0 fits any units in a sum, MIN, MAX, IF THEN ELSE or comparison (``MAX(0, x)``,
  ``XIDZ(a, b, 0)``), because zero is zero in every unit. An equation made of numbers only is a
  constant and takes the units it declares. When a number meets a quantity, the number is
  reported; after MIN, MAX and IF THEN ELSE the check goes on with the quantity's units.
- ``Time`` has the units of TIME STEP (the model's time unit, Month in our models).
  ``INTEG(rate, initial)`` needs the rate in stock units per time unit and the initial value
  in stock units; SMOOTH, SMOOTH3, SMOOTHI, SMOOTH N, DELAY1, DELAY3, DELAY N and DELAY FIXED
  give the units of their input, take a time and an initial value in the input's units; TREND
  gives 1/time; STEP gives its height, RAMP its slope times time, PULSE and PULSE TRAIN are
  dimensionless, and their times must be times.
- ``WITH LOOKUP(x, table)`` gives the units declared for its variable; a lookup table called like
  a function gives the units declared for the table, and its argument must be dimensionless or
  the time unit (Vensim warns on any other argument: divide it by a reference value instead).
- A variable without declared units is reported, and its units are inferred from its equation
  for the equations that use it. A sub-expression already in error is not checked further, and
  an equation with an error inside is not compared with its declared units, so one mistake
  gives one error.

Subscripted variables carry one declared unit for all elements; each equation of a variable
defined per element is checked. Functions the checker does not know give units that fit
anything, so they can hide errors but never report false ones; macros are not checked.

:mod:`sdmodel.engine.units_simlin` runs Simlin's independent checker for comparison: it misses
comparisons and lookup arguments and lets numbers take any units, so the tests require only that
it flags no variable this checker passes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sdmodel.engine.units_checker import ModelChecker, UnitError, find_line
from sdmodel.errors import ModelFileError

__all__ = ["UnitError", "check_units", "find_line", "format_report"]


def check_units(mdl_path: Path | str) -> list[UnitError]:
    """Return the unit errors of every equation in a Vensim .mdl, in file order.

    The rules are those of this module's docstring; an empty list means every equation with
    declared units is consistent and every variable declares units.

    Parameters
    ----------
    mdl_path
        The Vensim model file (read only; PySD's parser writes nothing).

    Raises
    ------
    ModelFileError
        If the file is missing or PySD cannot parse it.
    """
    from pysd.translators.vensim.vensim_file import VensimFile

    path = Path(mdl_path)
    if not path.is_file():
        raise ModelFileError(f"{path}: no such model file; give the path of a Vensim .mdl")
    try:
        vensim = VensimFile(path)
        vensim.parse()
        model = vensim.get_abstract_model()
    except Exception as err:  # PySD raises many kinds; all mean "cannot read this file"
        raise ModelFileError(f"{path}: PySD cannot parse the model ({err}); "
                             "check the file opens in Vensim") from err
    text = path.read_text(encoding="utf-8", errors="replace")
    checker = ModelChecker(model.sections[0], text)
    errors = checker.run()
    return sorted(errors, key=lambda e: (e.line or 0, e.variable))


def format_report(errors: Iterable[UnitError], mdl_path: Path | str) -> str:
    """Return a readable report: a count, then per error its line, variable, units and reason.

    Parameters
    ----------
    errors
        What :func:`check_units` returned.
    mdl_path
        The model file, named on the first line.
    """
    errors = list(errors)
    if not errors:
        return f"{mdl_path}: units check out (0 errors)"
    lines = [f"{mdl_path}: {len(errors)} unit error{'s' if len(errors) > 1 else ''}"]
    for e in errors:
        units = f"expected {e.expected or '-'}, found {e.found or '-'}"
        lines.append(f"  line {e.line or '?':>5}  {e.variable}  [{e.kind}: {units}]")
        lines.append(f"               {e.message}")
    return "\n".join(lines)
