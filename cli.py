"""The ``asielketen`` command line: ``simulate``, ``calibrate``, ``compare``, ``optimize``,
``monitor``, ``sensitivity``, ``discover``, ``decompose``, ``breakeven``, ``briefing`` and
``doc``.

Each command parses its options, checks that ``--out`` may be written, calls its job's one front
door (``simulate``, ``calibrate``, ``compare``, ``optimize``, ``build_briefing``) and writes the
job's files (``<job>_files(result)``) with their manifest through :func:`_write`: all at once or
not at all. Errors from the library (:class:`~sdmodel.errors.AsielketenError`) become one-line
click errors with a non-zero exit. There are no numerics here. Heavy modules (PySD, pandas,
matplotlib, seaborn) are imported inside the commands, so ``--help`` is instant.
"""

from __future__ import annotations

import functools
import shlex
import shutil
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, get_args

import click

from calibration.config import Method
from sdmodel.engine import Engine, VariableKind
from sdmodel.errors import AsielketenError
from sdmodel.figures.labels import Lang
from sdmodel.outputs.folder import check_out_dir, check_writable, write_outputs
from sdmodel.outputs.manifest import package_versions
from sdmodel.outputs.signals import INTERRUPTED_EXIT_CODE, interrupt_on_termination
from sdmodel.outputs.writers import Writer
from sdmodel.scenarios.overrides import parse_set_option
from sdmodel.scenarios.scenario import DEFAULT_SCENARIO

if TYPE_CHECKING:  # pragma: no cover
    from sdmodel.data.fitted import Calibration

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
    help="Replace an existing output folder that this same command wrote (untouched: no "
         "files added or edited); only after the new one is complete.",
)
MAX_SEED = 2**32 - 1
"""Seeds are 0 .. 2**32 - 1: what every NumPy generator the jobs use accepts."""


def _check_seed(_ctx: click.Context, _param: click.Parameter, value: int | None) -> int | None:
    if value is not None and not 0 <= value <= MAX_SEED:
        raise click.ClickException(f"--seed {value}: a seed is a whole number from 0 to "
                                   f"{MAX_SEED}; e.g. --seed 1")
    return value


lang_option = click.option(
    "--lang", type=click.Choice(get_args(Lang)), default="nl", show_default=True,
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


def scaleout_options(func: F) -> F:
    """``--workers N`` and ``--scheduler ADDRESS``: run the job's shards on Dask."""
    func = click.option(
        "--scheduler", metavar="ADDRESS", default=None,
        help="Run the work on the Dask cluster of this scheduler (tcp://host:8786); needs "
             "pip install -e '.[dask]'.")(func)
    return click.option(
        "--workers", type=click.IntRange(min=1), default=None,
        help="Run the work on a local Dask cluster of N worker processes (127.0.0.1); the "
             "results are the same as without  [default: in this process]")(func)


def _check_calibration(_ctx: click.Context, _param: click.Parameter, value: str | None
                       ) -> str | None:
    from sdmodel.data.fitted import check_calibration_choice

    try:
        check_calibration_choice(value)
    except AsielketenError as err:
        raise click.ClickException(str(err)) from err
    return value


calibration_option = click.option(
    "--calibration", metavar="DIR|none", default=None, callback=_check_calibration,
    help="Calibrated constants to run with: a calibration output folder, or 'none' for the "
         "model's own defaults  [default: calibration/fitted for the project's model]",
)


def user_errors(func: F) -> F:
    """Turn library errors and file-system errors into one-line click errors."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AsielketenError as err:
            raise click.ClickException(str(err)) from err
        except KeyboardInterrupt:  # Ctrl-C, SIGTERM, SIGHUP: the writer has cleaned up
            click.echo("\ninterrupted: no partial output was left", err=True)
            raise SystemExit(INTERRUPTED_EXIT_CODE) from None
        except OSError as err:  # a file named by the user is missing, unreadable, ...
            where = f"{err.filename}: " if err.filename else ""
            raise click.ClickException(f"{where}{err.strerror or err}") from err

    return wrapper  # type: ignore[return-value]


def _write(out_dir: Path, files: Mapping[str, Writer],
           manifest: Mapping[str, Any], *, force: bool) -> None:
    """Write a job's files and manifest to ``out_dir``, all or nothing; explain file-system
    errors in terms of --out."""
    try:
        write_outputs(out_dir, files, force=force, manifest=manifest)
    except OSError as err:
        raise click.ClickException(
            f"cannot write the output folder {out_dir}: {err.strerror or err}"
            f"{f' ({err.filename})' if err.filename else ''}; choose another --out"
        ) from err


def _check_before_work(ctx: click.Context, out_dir: Path, *, force: bool,
                       scenarios: tuple[str, ...] = (), spec: str | None = None,
                       until: str | None = None, files: Mapping[str, Path | None] | None = None,
                       folders: Mapping[str, Path | None] | None = None) -> None:
    """Check --out and the named inputs before any work, so errors come at once."""
    from sdmodel.scenarios.scenario import scenario_path

    for option, path in (files or {}).items():
        if path is not None and not path.is_file():
            raise click.ClickException(f"{option} {path}: file not found; give the path of "
                                       "an existing file")
    for option, path in (folders or {}).items():
        if path is not None and not path.is_dir():
            raise click.ClickException(f"{option} {path}: no such folder; give an existing "
                                       "output folder")
    check_writable(out_dir)
    check_out_dir(out_dir, force=force, job=ctx.info_name)
    for scenario in scenarios:
        scenario_path(scenario)
    if spec is not None:
        from sdmodel.optimize.spec import load_spec

        load_spec(spec)
    if until is not None:
        from sdmodel.calendar import parse_month

        parse_month(until)


def _warn_calibration(calibration: Calibration) -> None:
    """Say which calibration was used when that is not obvious; warn when it was fitted to
    another version of the model."""
    if calibration.reason:
        click.echo(f"note: {calibration.reason}", err=True)
    if calibration.model_matches is False:
        click.echo(f"warning: the calibration in {calibration.note} was fitted to another "
                   "version of the model; rerun 'asielketen calibrate'", err=True)


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        versions = package_versions()
        click.echo(f"asielketen {versions['asielketen']} (pysd {versions['pysd']})")
        ctx.exit()


def _command_line(ctx: click.Context) -> str:
    """The command as an equivalent command line: its arguments, then every option given."""
    parts = ["asielketen", str(ctx.info_name)]
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        if isinstance(param, click.Argument) and value not in (None, ()):
            parts += [str(v) for v in (value if isinstance(value, tuple) else (value,))]
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
    """asielketen: the Dutch asylum chain (IND, COA reception, housing, departure) as a Vensim
    system-dynamics model (models/asielketen.mdl), calibrated to the history since 2014.

    Run a scenario of the new laws and their phasing, fit the model to the observations,
    compare scenarios with uncertainty bands, search phased schedules and capacity funding,
    and write the parliamentary briefing (Dutch by default). Each command writes one output
    folder, complete or not at all, with a manifest.json (command, model and data hashes,
    seed, versions). Ctrl-C, SIGTERM and SIGHUP stop a command cleanly (exit code 130).

    \b
    Examples:
      asielketen simulate --scenario alle-maatregelen --out out/alle
      asielketen compare baseline gefaseerd --samples 200 --seed 1 --out out/vergelijk
      asielketen optimize optimaliseer-alle-maatregelen --out out/plan
      asielketen briefing --optimized out/plan --out out/briefing
      asielketen doc --kind constant
    """


def run() -> None:
    """The ``asielketen`` program: SIGTERM and SIGHUP stop it as Ctrl-C does, then :func:`main`.

    The handlers are installed here, not in :func:`main`, so a process that calls the commands
    in-process (the tests, through click's CliRunner) keeps its own signal handling.
    """
    interrupt_on_termination()
    main()


@main.command(epilog="""\b
Examples:
  asielketen simulate --out out/basis
  asielketen simulate --scenario gefaseerd --until 2030-12 --out out/gefaseerd
  asielketen simulate --set "base time to acquire regular capacity=12" --out out/snel""")
@model_option
@click.option("--scenario", default=DEFAULT_SCENARIO, show_default=True, metavar="NAME|FILE",
              help="Scenario name in models/scenarios/ or a scenario TOML file.")
@set_option
@click.option("--until", metavar="YYYY-MM", default=None,
              help="Last month to simulate  [default: the model's final time]")
@calibration_option
@click.option("--engine", type=click.Choice(get_args(Engine)), default=None,
              help="The generated batch simulator's compiled (numba) or vectorised (numpy) "
                   "backend, or PySD (the reference)  [default: numba when installed]")
@click.option("--samples", type=click.IntRange(min=0), default=0, show_default=True,
              help="Runs of the uncertainty ensemble (bootstrap, assumptions, MPP band, "
              "measure effects); with N > 0 also bands.csv, bands.png and headline.csv.")
@click.option("--seed", type=click.IntRange(min=0, max=2**32 - 1), default=None,
              help="Seed of the ensemble's design  [default: drawn and recorded in the manifest]")
@out_option
@force_option
@lang_option
@click.pass_context
@user_errors
def simulate(
    ctx: click.Context, model_path: Path | None, scenario: str,
    set_values: tuple[tuple[str, float], ...], until: str | None, calibration: str | None,
    engine: Engine | None, samples: int, seed: int | None, out_dir: Path, force: bool,
    lang: Lang,
) -> None:
    """Run a scenario; write results.csv, kpi_overview.png and manifest.json to --out.

    With --samples N also the uncertainty ensemble around it: bands.csv and bands.png over
    history and future, and headline.csv (the central run's percentile in the ensemble).
    """
    from sdmodel.analysis.files import simulation_files, simulation_manifest
    from sdmodel.analysis.simulate import simulate as run_simulation

    started = time.perf_counter()
    _check_before_work(ctx, out_dir, force=force, scenarios=(scenario,), until=until,
                       files={"--model": model_path})
    run = run_simulation(model_path=model_path, scenario=scenario, set_values=set_values,
                         calibration=calibration, until=until, engine=engine, samples=samples,
                         seed=seed)
    files = simulation_files(run, lang=lang)
    _write(out_dir, files, simulation_manifest(run, lang=lang, command=_command_line(ctx)),
           force=force)
    elapsed = time.perf_counter() - started
    click.echo(f"wrote {', '.join([*files, 'manifest.json'])} to {out_dir} in {elapsed:.1f} s")
    _warn_calibration(run.session.calibration)


@main.command(epilog="""\b
Examples:
  asielketen calibrate --out out/fit --seed 1
  asielketen calibrate --until 2022-01-01 --out out/backtest   (fit before 2022, score after)
  asielketen calibrate --workers 2 --out out/fit --force""")
@model_option
@click.option("--until", metavar="YYYY-MM-DD", default=None,
              help="Back-test: fit to observations before this date, score the ones after.")
@click.option("--method", type=click.Choice(get_args(Method)), default=None,
              help="Multi-start least squares or differential evolution  "
                   "[default: calibration.toml]")
@click.option("--seed", type=int, callback=_check_seed, default=None,
              help="Seed of starts, DE and bootstrap  [default: calibration.toml]")
@click.option("--starts", type=click.IntRange(min=1), default=None,
              help="Least-squares starts  [default: calibration.toml]")
@click.option("--bootstrap", type=click.IntRange(min=0), default=None,
              help="Bootstrap refits for the intervals  [default: calibration.toml]")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Calibration file  [default: calibration/calibration.toml]")
@scaleout_options
@out_option
@force_option
@lang_option
@click.pass_context
@user_errors
def calibrate(
    ctx: click.Context, model_path: Path | None, until: str | None, method: Method | None,
    seed: int | None, starts: int | None, bootstrap: int | None, config_path: Path | None,
    workers: int | None, scheduler: str | None, out_dir: Path, force: bool, lang: Lang,
) -> None:
    """Fit the model to the observations; write parameters, fit report and figures to --out."""
    from calibration.command import calibrate as run_calibration
    from calibration.command import summary
    from calibration.files import calibration_files
    from sdmodel.scaleout import open_pool

    _check_before_work(ctx, out_dir, force=force,  # fail before the search, not after it
                       files={"--model": model_path, "--config": config_path})
    if until is not None:
        from calibration.backtest import parse_cutoff

        parse_cutoff(until)
    with open_pool(workers=workers, scheduler=scheduler) as pool:
        result = run_calibration(until=until, method=method, seed=seed, starts=starts,
                                 bootstrap=bootstrap, config_path=config_path,
                                 model_path=model_path, progress=True,
                                 command=_command_line(ctx), pool=pool)
    _write(out_dir, calibration_files(result, lang=lang), result.manifest, force=force)
    click.echo(summary(result, out_dir=out_dir), nl=False)


@main.command(epilog="""\b
Examples:
  asielketen compare baseline wetten-zoals-aangenomen gefaseerd --out out/vergelijk
  asielketen compare baseline alle-maatregelen --samples 200 --seed 1 --out out/banden""")
@click.argument("scenarios", nargs=-1, required=True, metavar="SCENARIO...")
@model_option
@out_option
@force_option
@lang_option
@click.option("--samples", type=click.IntRange(min=0), default=0, show_default=True,
              help="Latin-hypercube samples of the assumptions per scenario; with N > 0 the "
              "figures show uncertainty bands (fan_charts.png).")
@click.option("--seed", type=int, callback=_check_seed, default=None,
              help="Seed of the sample design  [default: drawn and recorded in the manifest]")
@calibration_option
@scaleout_options
@click.pass_context
@user_errors
def compare(
    ctx: click.Context, scenarios: tuple[str, ...], model_path: Path | None, out_dir: Path,
    force: bool, lang: Lang, samples: int, seed: int | None, calibration: str | None,
    workers: int | None, scheduler: str | None,
) -> None:
    """Run scenarios side by side with the calibrated parameters; write kpis.csv and figures.

    SCENARIO is a name in models/scenarios/ (e.g. baseline, alle-maatregelen, gefaseerd) or a
    scenario TOML file. With --samples N the scenarios also get uncertainty bands.
    """
    from sdmodel.analysis.compare import compare as run_comparison
    from sdmodel.analysis.files import comparison_files, comparison_manifest
    from sdmodel.progress import ProgressPool
    from sdmodel.scaleout import open_pool

    started = time.perf_counter()
    if samples == 1:
        raise click.ClickException("--samples 1: bands need at least 2 samples; give 0 for no "
                                   "bands or e.g. --samples 200")
    _check_before_work(ctx, out_dir, force=force, scenarios=scenarios,
                       files={"--model": model_path})
    with open_pool(workers=workers, scheduler=scheduler) as pool:
        result = run_comparison(scenarios, model_path=model_path, calibration=calibration,
                                samples=samples, seed=seed,
                                pool=ProgressPool(pool, "bands") if samples else pool)
    files = comparison_files(result, lang=lang)
    _write(out_dir, files, comparison_manifest(result, lang=lang, command=_command_line(ctx)),
           force=force)
    elapsed = time.perf_counter() - started
    click.echo(f"wrote {len(files) + 1} files (kpis.csv, comparison.png, ...) to {out_dir} "
               f"in {elapsed:.1f} s")
    _warn_calibration(result.session.calibration)


@main.command(epilog="""\b
Examples:
  asielketen optimize optimaliseer-alle-maatregelen --out out/plan
  asielketen optimize mijn-spec.toml --max-evals 200 --futures 20 --seed 1 --out out/plan""")
@click.argument("spec", metavar="SPEC")
@model_option
@click.option("--max-evals", type=click.IntRange(min=10), default=None,
              help="Budget of candidate plans for the search (its population x generations) "
              "and the Pareto sweep ([pareto] share_of_evals of it), each plan run over every "
              "future. Not a hard limit: the feasibility check at the corners of the space, the "
              "polish at the bounds and the minimum of a search (5 plans x 2 generations; 10 "
              "plans per Pareto budget) come on top; the summary and manifest.json give the "
              "total  "
              "[default: the spec's [search] max_evals]")
@click.option("--futures", type=click.IntRange(min=1), default=None,
              help="Futures per plan: the MPP bands, then Latin-hypercube samples  [default: "
              "the spec's [futures] count]")
@click.option("--seed", type=int, callback=_check_seed, default=None,
              help="Seed of the futures and the search  [default: the spec's, else drawn and "
              "recorded in the manifest]")
@calibration_option
@scaleout_options
@out_option
@force_option
@lang_option
@click.pass_context
@user_errors
def optimize(
    ctx: click.Context, spec: str, model_path: Path | None, max_evals: int | None,
    futures: int | None, seed: int | None, calibration: str | None, workers: int | None,
    scheduler: str | None, out_dir: Path, force: bool, lang: Lang,
) -> None:
    """Search the phased schedule and capacity funding of an optimisation spec.

    SPEC is a TOML file or a name in models/scenarios/ (e.g. optimaliseer-alle-maatregelen).
    Writes schedule.csv, capacity_plan.csv, kpis.csv, pareto.csv, convergence.csv,
    ensemble_band.csv, the figures and manifest.json to --out.
    """
    from sdmodel.optimize.files import optimization_files, optimization_manifest, summary
    from sdmodel.optimize.run import optimize as run_optimization
    from sdmodel.scaleout import open_pool

    _check_before_work(ctx, out_dir, force=force, spec=spec, files={"--model": model_path})
    with open_pool(workers=workers, scheduler=scheduler) as pool:
        result = run_optimization(spec, max_evals=max_evals, futures=futures, seed=seed,
                                  model_path=model_path, calibration=calibration,
                                  progress=True, pool=pool)
    files = optimization_files(result, lang=lang)
    _write(out_dir, files, optimization_manifest(result, lang=lang, command=_command_line(ctx)),
           force=force)
    click.echo(summary(result), nl=False)
    click.echo(f"wrote {len(files) + 1} files (schedule.csv, kpis.csv, gantt.png, ...) to "
               f"{out_dir}")
    _warn_calibration(result.session.calibration)
    if not result.success:
        click.echo(f"warning: {result.message}", err=True)


@main.command()
@click.option("--observations", "observations", required=True,
              type=click.Path(dir_okay=False, path_type=Path), metavar="NEW.csv",
              help="New figures, with the columns of calibration/data/observations.csv.")
@click.option("--scenario", default=DEFAULT_SCENARIO, show_default=True, metavar="NAME|FILE",
              help="The plan: a scenario name in models/scenarios/ or a scenario TOML file.")
@click.option("--as-of", "as_of", metavar="YYYY-MM", default=None,
              help="Use only figures up to this month  [default: the latest new figure's]")
@click.option("--drift-from", "drift_from", metavar="YYYY-MM", default=None,
              help="First month the drifting parameters may differ  [default: the month after "
                   "the calibration's data]")
@calibration_option
@click.option("--samples", type=click.IntRange(min=2), default=100, show_default=True,
              help="Runs per band (the plan's and the update's).")
@click.option("--seed", type=int, callback=_check_seed, default=None,
              help="Seed of the bands  [default: drawn and recorded in the manifest]")
@model_option
@out_option
@force_option
@lang_option
@click.pass_context
@user_errors
def monitor(
    ctx: click.Context, observations: Path, scenario: str, as_of: str | None,
    drift_from: str | None, calibration: str | None, samples: int, seed: int | None,
    model_path: Path | None, out_dir: Path, force: bool, lang: Lang,
) -> None:
    """Update the plan with new figures: drift, signposts and the re-projection.

    Writes results.csv, bands.csv, drift.csv, signposts.csv, parameters.csv, state.csv, the
    figures and manifest.json to --out (never into calibration/fitted).
    """
    from calibration.monitor.command import check_out_dir_not_fitted
    from calibration.monitor.command import monitor as run_monitor
    from calibration.monitor.files import monitor_files, monitor_manifest, summary

    started = time.perf_counter()
    check_out_dir_not_fitted(out_dir)
    _check_before_work(ctx, out_dir, force=force, scenarios=(scenario,),  # before the update
                       files={"--observations": observations, "--model": model_path})
    result = run_monitor(observations=observations, scenario=scenario, as_of=as_of,
                         drift_from=drift_from, calibration=calibration, samples=samples,
                         seed=seed, model_path=model_path)
    files = monitor_files(result, lang=lang)
    _write(out_dir, files, monitor_manifest(result, lang=lang, command=_command_line(ctx)),
           force=force)
    click.echo(summary(result), nl=False)
    click.echo(f"wrote {len(files) + 1} files (drift.csv, signposts.csv, drift.png, ...) to "
               f"{out_dir} in {time.perf_counter() - started:.1f} s")
    _warn_calibration(result.session.calibration)


@main.command(epilog="""\b
Examples:
  asielketen doc --kind constant
  asielketen doc --format csv > variabelen.csv""")
@model_option
@click.option("--kind", type=click.Choice(get_args(VariableKind)), default=None,
              help="Only variables of this kind.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table",
              show_default=True, help="Readable table, or CSV for spreadsheets.")
@user_errors
def doc(model_path: Path | None, kind: VariableKind | None, fmt: str) -> None:
    """List the model's variables with kind, units, range and source."""
    from sdmodel.engine.doc import doc_table
    from sdmodel.engine.model import ChainModel

    table = ChainModel.from_mdl(model_path).doc()
    if kind is not None:
        table = table[table["kind"] == kind]
    if fmt == "csv":
        click.echo(table.to_csv(index=False, lineterminator="\n"), nl=False)
    else:
        width = max(shutil.get_terminal_size((120, 24)).columns, 80)
        click.echo(doc_table(table.to_dict(orient="records"), width=width))


@main.command(epilog="""\b
Examples:
  asielketen briefing --out out/briefing
  asielketen briefing --scenario gefaseerd --scenario baseline --optimized out/plan --out out/b""")
@model_option
@click.option("--scenario", "scenarios", multiple=True, metavar="NAME|FILE",
              help="Scenario name in models/scenarios/ or a TOML file; repeatable, the first is "
              "the main one  [default: baseline, wetten-zoals-aangenomen, alle-maatregelen, "
              "gefaseerd]")
@click.option("--optimized", "optimized", type=click.Path(file_okay=False, path_type=Path),
              default=None, metavar="RESULT_DIR",
              help="Output folder of 'asielketen optimize' (schedule, Pareto front, ensemble).")
@click.option("--monitor", "monitor_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, metavar="MONITOR_DIR",
              help="Output folder of 'asielketen monitor': adds signposts and drift.")
@click.option("--sensitivity", "sensitivity_dir", default=None, metavar="RESULT_DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="Output folder of 'asielketen sensitivity' (tornado pages).")
@click.option("--discovery", "discovery_dir", default=None, metavar="RESULT_DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="Output folder of 'asielketen discover' (the discovery box page).")
@lang_option
@out_option
@force_option
@click.pass_context
@user_errors
def briefing(
    ctx: click.Context, model_path: Path | None, scenarios: tuple[str, ...],
    optimized: Path | None, monitor_dir: Path | None, sensitivity_dir: Path | None,
    discovery_dir: Path | None, lang: Lang, out_dir: Path, force: bool,
) -> None:
    """Write the briefing: briefing.pdf, the key figures as PNG and SVG, kpis.csv, findings.csv."""
    from sdmodel.briefing.build import (
        DEFAULT_SCENARIOS,
        briefing_files,
        briefing_manifest,
        build_briefing,
    )
    from sdmodel.progress import writing_bar

    started = time.perf_counter()
    _check_before_work(ctx, out_dir, force=force, scenarios=scenarios,
                       files={"--model": model_path}, folders={"--optimized": optimized})
    result = build_briefing(scenarios or DEFAULT_SCENARIOS, optimized=optimized, lang=lang,
                            model_path=model_path, monitor=monitor_dir,
                            sensitivity=sensitivity_dir, discovery=discovery_dir, progress=True)
    with writing_bar(briefing_files(result)) as files:
        _write(out_dir, files, briefing_manifest(result, command=_command_line(ctx)),
               force=force)
    elapsed = time.perf_counter() - started
    click.echo(f"wrote briefing.pdf ({result.page_count} pages), {len(result.figures)} figures "
               f"(PNG and SVG), kpis.csv and findings.csv to {out_dir} in {elapsed:.1f} s")


# -- sensitivity and scenario discovery (issue 13) ---------------------------------------------


@main.command()
@click.argument("scenario", metavar="SCENARIO")
@click.option("--method", type=click.Choice(["sobol", "morris"]), default="sobol",
              show_default=True, help="Sobol indices with confidence, or Morris screening.")
@click.option("--samples", type=int, required=True,
              help="Sobol: base samples N, a power of two (N x (D + 2) runs for D varied "
              "quantities); Morris: trajectories (N x (D + 1) runs).")
@click.option("--kpi", "kpis", multiple=True, metavar="KPI",
              help="KPI to analyse (a kpis.csv column, e.g. coa_2030, or a KPI of "
              "sdmodel/names.py with an optional _YEAR); repeatable  [default: every kpis.csv "
              "column]")
@click.option("--seed", type=int, callback=_check_seed, default=None,
              help="Seed of the design  [default: drawn and recorded in the manifest]")
@model_option
@calibration_option
@scaleout_options
@out_option
@force_option
@lang_option
@click.pass_context
@user_errors
def sensitivity(
    ctx: click.Context, scenario: str, method: str, samples: int, kpis: tuple[str, ...],
    seed: int | None, model_path: Path | None, calibration: str | None, workers: int | None,
    scheduler: str | None, out_dir: Path, force: bool, lang: Lang,
) -> None:
    """Global sensitivity of SCENARIO's KPIs to every assumption, the measures' effect sizes
    and the inflow band (SALib); write indices.csv, parameters.csv and tornado charts."""
    from sdmodel.analysis.robustness_files import sensitivity_files, sensitivity_manifest
    from sdmodel.analysis.run_kpis import parse_kpi
    from sdmodel.analysis.sensitivity import check_samples, run_sensitivity
    from sdmodel.scaleout import open_pool

    started = time.perf_counter()
    check_samples(method, samples)  # fail before loading the model, not after the runs
    for kpi in kpis:
        parse_kpi(kpi)
    _check_before_work(ctx, out_dir, force=force, scenarios=(scenario,),
                       files={"--model": model_path})
    with open_pool(workers=workers, scheduler=scheduler) as pool:
        result = run_sensitivity(scenario, method=method, samples=samples, kpis=kpis, seed=seed,
                                 model_path=model_path, calibration=calibration, pool=pool,
                                 progress=True)
    files = sensitivity_files(result, lang=lang)
    _write(out_dir, files, sensitivity_manifest(result, lang=lang, command=_command_line(ctx)),
           force=force)
    click.echo(f"{result.runs} runs ({method}, N = {samples}, {len(result.parameters)} varied); "
               f"wrote {len(files) + 1} files (indices.csv, tornado_*.png, ...) to {out_dir} in "
               f"{time.perf_counter() - started:.0f} s")
    _warn_calibration(result.session.calibration)


@main.command()
@click.argument("scenario", metavar="SCENARIO")
@click.option("--when", "when", required=True, metavar="'KPI OP NUMBER'",
              help='When a future fails, e.g. "coa_emergency_2030 > 0" (OP: < <= > >= == !=).')
@click.option("--samples", type=int, required=True,
              help="Futures: Latin-hypercube samples of the uncertainty ensemble (>= 100).")
@click.option("--seed", type=int, callback=_check_seed, default=None,
              help="Seed of the design  [default: drawn and recorded in the manifest]")
@click.option("--boxes", type=int, default=2, show_default=True,
              help="At most this many PRIM boxes.")
@click.option("--min-coverage", type=float, default=0.8, show_default=True,
              help="Share of the (remaining) failing futures a box must cover.")
@model_option
@calibration_option
@scaleout_options
@out_option
@force_option
@lang_option
@click.pass_context
@user_errors
def discover(
    ctx: click.Context, scenario: str, when: str, samples: int, seed: int | None, boxes: int,
    min_coverage: float, model_path: Path | None, calibration: str | None,
    workers: int | None, scheduler: str | None, out_dir: Path, force: bool, lang: Lang,
) -> None:
    """Scenario discovery: the boxes of assumptions in which SCENARIO fails (PRIM); write
    boxes.csv, trajectory.csv, futures.csv, reading.txt and peeling_trajectory.png."""
    from sdmodel.analysis.condition import parse_when
    from sdmodel.analysis.discovery import run_discovery
    from sdmodel.analysis.robustness_files import discovery_files, discovery_manifest
    from sdmodel.scaleout import open_pool

    started = time.perf_counter()
    parse_when(when)  # fail before loading the model, not after the runs
    _check_before_work(ctx, out_dir, force=force, scenarios=(scenario,),
                       files={"--model": model_path})
    with open_pool(workers=workers, scheduler=scheduler) as pool:
        result = run_discovery(scenario, when=when, samples=samples, seed=seed, boxes=boxes,
                               min_coverage=min_coverage, model_path=model_path,
                               calibration=calibration, pool=pool, progress=True)
    files = discovery_files(result, lang=lang)
    _write(out_dir, files, discovery_manifest(result, lang=lang, command=_command_line(ctx)),
           force=force)
    click.echo(f"{result.failing} of {samples} futures fail ({result.condition.text}); "
               f"{len(result.boxes)} box(es); wrote {len(files) + 1} files to {out_dir} in "
               f"{time.perf_counter() - started:.0f} s")
    _warn_calibration(result.session.calibration)


# -- attribution per measure and break-even inflow change (issue 13) ----------------------------


@main.command()
@click.argument("scenario", metavar="SCENARIO")
@click.option("--against", default=DEFAULT_SCENARIO, show_default=True, metavar="NAME|FILE",
              help="The reference scenario the difference is taken from.")
@click.option("--samples", type=click.IntRange(min=0), default=0, show_default=True,
              help="Futures of the uncertainty ensemble; with N > 0 every share gets a 90% band "
              "(attribution_bands.csv).")
@click.option("--seed", type=int, callback=_check_seed, default=None,
              help="Seed of the ensemble  [default: drawn and recorded in the manifest]")
@model_option
@calibration_option
@out_option
@force_option
@lang_option
@click.pass_context
@user_errors
def decompose(
    ctx: click.Context, scenario: str, against: str, samples: int, seed: int | None,
    model_path: Path | None, calibration: str | None, out_dir: Path, force: bool, lang: Lang,
) -> None:
    """Split each KPI's difference between SCENARIO and --against over SCENARIO's measures.

    Every subset of the measures runs in one batch (2^k runs): each measure alone, each left
    out and its exact Shapley value (the shares add up to the whole difference). Writes
    attribution.csv, totals.csv, waterfall_<kpi>.png and manifest.json to --out.
    """
    from sdmodel.analysis.attribution import decompose as run_decomposition
    from sdmodel.analysis.question_files import attribution_files, attribution_manifest

    started = time.perf_counter()
    _check_before_work(ctx, out_dir, force=force, scenarios=(scenario, against),  # before the runs
                       files={"--model": model_path})
    result = run_decomposition(scenario, against=against, model_path=model_path,
                               calibration=calibration, samples=samples, seed=seed)
    files = attribution_files(result, lang=lang)
    _write(out_dir, files, attribution_manifest(result, lang=lang, command=_command_line(ctx)),
           force=force)
    click.echo(f"decomposed {result.scenario.name} against {result.reference.name} over "
               f"{len(result.players)} measures ({len(result.coalitions)} runs"
               f"{f' x {result.samples} futures' if result.samples else ''}); wrote "
               f"{len(files) + 1} files to {out_dir} in {time.perf_counter() - started:.1f} s")
    _warn_calibration(result.session.calibration)


@main.command()
@click.argument("scenario", metavar="SCENARIO")
@click.option("--kpi", required=True, metavar="KPI",
              help="A KPI of one year: coa, coa_emergency, ind_backlog, status_holders_waiting, "
              "undocumented_on_street, cost_total_meur, ... (kpis.csv names without the year).")
@click.option("--year", type=int, required=True, help="The KPI's year (in the scenario period).")
@click.option("--against", default=DEFAULT_SCENARIO, show_default=True, metavar="NAME|FILE",
              help="The reference scenario whose KPI is to be matched.")
@click.option("--samples", type=click.IntRange(min=0), default=0, show_default=True,
              help="Futures of the uncertainty ensemble; with N > 0 the break-even change in "
              "each (breakeven_futures.csv) and its 90% band.")
@click.option("--seed", type=int, callback=_check_seed, default=None,
              help="Seed of the ensemble  [default: drawn and recorded in the manifest]")
@model_option
@calibration_option
@out_option
@force_option
@lang_option
@click.pass_context
@user_errors
def breakeven(
    ctx: click.Context, scenario: str, kpi: str, year: int, against: str, samples: int,
    seed: int | None, model_path: Path | None, calibration: str | None, out_dir: Path,
    force: bool, lang: Lang,
) -> None:
    """Find the change in future inflow at which SCENARIO's KPI equals --against's.

    Writes breakeven.csv, breakeven_curve.csv, breakeven.png and manifest.json to --out.
    """
    from sdmodel.analysis.breakeven import breakeven as run_breakeven
    from sdmodel.analysis.question_figures import finding_breakeven
    from sdmodel.analysis.question_files import breakeven_files, breakeven_manifest

    started = time.perf_counter()
    _check_before_work(ctx, out_dir, force=force, scenarios=(scenario, against),  # before the runs
                       files={"--model": model_path})
    result = run_breakeven(scenario, kpi=kpi, year=year, against=against, model_path=model_path,
                           calibration=calibration, samples=samples, seed=seed)
    files = breakeven_files(result, lang=lang)
    _write(out_dir, files, breakeven_manifest(result, lang=lang, command=_command_line(ctx)),
           force=force)
    click.echo(f"{finding_breakeven(result, lang=lang)}.")
    click.echo(f"wrote {len(files) + 1} files to {out_dir} in "
               f"{time.perf_counter() - started:.1f} s")
    _warn_calibration(result.session.calibration)


if __name__ == "__main__":
    run()
