"""The ``asielketen`` command line: ``simulate`` and ``doc``.

Each command parses its options and calls the library; errors from the library
(:class:`~sdmodel.errors.AsielketenError`) become one-line click errors with a non-zero exit.
Heavy modules (PySD, pandas, matplotlib) are imported inside the commands, so ``--help`` is instant.
"""

from __future__ import annotations

import functools
import math
import shlex
import shutil
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from sdmodel.errors import AsielketenError
from sdmodel.outputs import build_manifest, check_out_dir, package_versions, write_outputs
from sdmodel.scenario import DEFAULT_SCENARIO, load_scenario, parse_set_option, resolve_overrides

KINDS = ("stock", "flow", "auxiliary", "constant", "lookup")
F = TypeVar("F", bound=Callable[..., Any])


# -- shared options and error handling -----------------------------------------------------------

model_option = click.option(
    "--model", "model_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Vensim .mdl file  [default: models/asielketen.mdl]",
)
out_option = click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
    help="Output folder (created; it must not exist unless --force is given).",
)
force_option = click.option(
    "--force", is_flag=True,
    help="Replace an existing output folder (only after the new one is complete).",
)
lang_option = click.option(
    "--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True,
    help="Language of figure labels.",
)


def _parse_sets(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> tuple[tuple[str, float], ...]:
    try:
        return tuple(parse_set_option(value) for value in values)
    except AsielketenError as err:
        raise click.BadParameter(str(err)) from err


set_option = click.option(
    "--set", "set_values", multiple=True, metavar="NAME=VALUE", callback=_parse_sets,
    help="Set a model constant (Vensim name), after the scenario; repeatable.",
)


def user_errors(func: F) -> F:
    """Turn library errors and file-system errors into one-line click errors."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AsielketenError as err:
            raise click.ClickException(str(err)) from err
        except OSError as err:  # a file named by the user is missing, unreadable, ...
            where = f"{err.filename}: " if err.filename else ""
            raise click.ClickException(f"{where}{err.strerror or err}") from err

    return wrapper  # type: ignore[return-value]


@contextmanager
def _writing_to(out_dir: Path) -> Iterator[None]:
    """Explain file-system errors while writing outputs in terms of --out."""
    try:
        yield
    except OSError as err:
        raise click.ClickException(
            f"cannot write the output folder {out_dir}: {err.strerror or err}"
            f"{f' ({err.filename})' if err.filename else ''}; choose another --out"
        ) from err


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        versions = package_versions()
        click.echo(f"asielketen {versions['asielketen']} (pysd {versions['pysd']})")
        ctx.exit()


def _command_line(ctx: click.Context) -> str:
    """The command as an equivalent command line, with every option given explicitly."""
    parts = ["asielketen", str(ctx.info_name)]
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        if not isinstance(param, click.Option) or value in (None, False, ()):
            continue
        if param.is_flag:
            parts.append(param.opts[0])
            continue
        for item in value if param.multiple else (value,):
            text = f"{item[0]}={item[1]!r}" if isinstance(item, tuple) else str(item)
            parts += [param.opts[0], text]
    return shlex.join(parts)


# -- commands ------------------------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_show_version, help="Show the versions and exit.")
def main() -> None:
    """The Dutch asylum chain as a system-dynamics model: simulate scenarios, list variables."""


@main.command()
@model_option
@click.option("--scenario", default=DEFAULT_SCENARIO, show_default=True, metavar="NAME|FILE",
              help="Scenario name in models/scenarios/ or a scenario TOML file.")
@set_option
@click.option("--until", metavar="YYYY-MM", default=None,
              help="Last month to simulate  [default: the model's final time]")
@out_option
@force_option
@lang_option
@click.pass_context
@user_errors
def simulate(
    ctx: click.Context, model_path: Path | None, scenario: str,
    set_values: tuple[tuple[str, float], ...], until: str | None, out_dir: Path, force: bool,
    lang: str,
) -> None:
    """Run a scenario; write results.csv, kpi_overview.png and manifest.json to --out."""
    from calibration.observations import data_sha256, load_observations
    from sdmodel.figures import overview_writer
    from sdmodel.model import ChainModel
    from sdmodel.outputs import results_csv_writer

    started = time.perf_counter()
    check_out_dir(out_dir, force=force)  # fail before the run, not after it
    model = ChainModel.from_mdl(model_path)
    chosen = load_scenario(scenario, model=model)
    overrides = resolve_overrides(chosen, set_values, model=model)
    results = model.run(overrides, until=until)
    parameters = {"scenario": chosen.name, "scenario_file": chosen.source, "until": until,
                  "overrides": overrides, "lang": lang}
    manifest = build_manifest(model_path=model.path, model_sha256=model.sha256,
                              data_sha256=data_sha256(), parameters=parameters, seed=None,
                              command=_command_line(ctx))
    files = {
        "results.csv": results_csv_writer(results),
        "kpi_overview.png": overview_writer(results, load_observations(), lang=lang,
                                            subtitle=f"scenario: {chosen.name}",
                                            model_sha256=model.sha256),
    }
    with _writing_to(out_dir):
        write_outputs(out_dir, files, force=force, manifest=manifest)
    elapsed = time.perf_counter() - started
    click.echo(f"wrote {', '.join([*files, 'manifest.json'])} to {out_dir} in {elapsed:.1f} s")


@main.command()
@model_option
@click.option("--kind", type=click.Choice(KINDS), default=None, help="Only variables of this kind.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table",
              show_default=True, help="Readable table, or CSV for spreadsheets.")
@user_errors
def doc(model_path: Path | None, kind: str | None, fmt: str) -> None:
    """List the model's variables with kind, units, range and source."""
    from sdmodel.model import ChainModel

    table = ChainModel.from_mdl(model_path).doc()
    if kind is not None:
        table = table[table["kind"] == kind]
    if fmt == "csv":
        click.echo(table.to_csv(index=False, lineterminator="\n"), nl=False)
    else:
        click.echo(_doc_table(table.to_dict(orient="records")))


# -- formatting ------------------------------------------------------------------------------------


def _doc_table(rows: list[dict[str, Any]]) -> str:
    """Columns name | kind | units | range | source, with long names and sources wrapped."""
    width = max(shutil.get_terminal_size((120, 24)).columns, 80)
    cells = [
        [str(r.get("name", "")), str(r.get("kind", "")), str(r.get("units", "") or ""),
         _range(r.get("min"), r.get("max")), str(r.get("comment", "") or "")]
        for r in rows
    ]
    header = ["name", "kind", "units", "range", "source / comment"]
    widths = [min(max([len(h)] + [len(c[i]) for c in cells]), cap)
              for i, (h, cap) in enumerate(zip(header[:4], (36, 11, 18, 18), strict=True))]
    widths.append(max(width - sum(widths) - 2 * len(widths), 20))
    lines = [_row(header, widths), _row(["-" * w for w in widths], widths)]
    for cell in cells:
        lines.append(_row(cell, widths))
    lines.append(f"{len(rows)} variables")
    return "\n".join(lines)


def _row(cells: list[str], widths: list[int]) -> str:
    wrapped = [textwrap.wrap(c, w) or [""] for c, w in zip(cells, widths, strict=True)]
    height = max(len(w) for w in wrapped)
    padded = [w + [""] * (height - len(w)) for w in wrapped]
    lines = zip(*padded, strict=True)
    return "\n".join(
        "  ".join(c.ljust(n) for c, n in zip(line, widths, strict=True)).rstrip() for line in lines
    )


def _range(low: Any, high: Any) -> str:
    def fmt(value: Any) -> str:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return "?"
        return "?" if math.isnan(number) else f"{number:g}"

    if fmt(low) == "?" and fmt(high) == "?":
        return ""
    return f"[{fmt(low)}, {fmt(high)}]"


if __name__ == "__main__":
    main()
