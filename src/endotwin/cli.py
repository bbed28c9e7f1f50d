"""Command-line interface of endotwin (research/education tool, not medical advice).

Commands: ``demo`` (built-in example and report), ``simulate`` (a person on a meal file or a
lifestyle protocol), ``protocol explain``, ``equations``, ``parameters``, ``validate`` (published
studies), ``calibrate`` (fit a person's twin to their data: twin JSON and HTML report,
``docs/calibrate.md``) and ``compare`` (rank lifestyle protocols for a person or their twin,
``docs/compare.md``).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from .errors import EndotwinError

if TYPE_CHECKING:
    from .calibrate.posterior import Posterior
    from .io.person_record import PersonRecord

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="endotwin: simulate the insulin-leptin axis "
    "(research/education tool, not medical advice).",
)
console = Console()


def _table(df: pd.DataFrame, title: str) -> Table:
    """A rich table with one row per metric and one column per person (fits 80 columns)."""
    df = df.T
    df.index.name = "metric"
    t = Table(title=title)
    t.add_column(df.index.name or "")
    for c in df.columns:
        t.add_column(str(c), justify="right")
    for idx, row in df.iterrows():
        cells = []
        for v in row.values:
            if isinstance(v, float):
                cells.append("—" if math.isnan(v) else f"{v:.3g}")
            else:
                cells.append(str(v))
        t.add_row(str(idx), *cells)
    return t


def _fail(e: EndotwinError) -> None:
    from rich.markup import escape

    console.print(f"[bold red]error:[/] {escape(str(e))}")
    raise typer.Exit(code=2)


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="folder for the report, plot and data")] = Path(
        "endotwin-report"
    ),
    backend: Annotated[str, typer.Option(help="numba or jax")] = "numba",
) -> None:
    """Simulate the built-in demo: a normal and a type-2 person over a day of three meals, plus a
    75 g OGTT each; print a summary and write a report."""
    from . import Person, simulate, standard_day
    from .challenges import ogtt
    from .report import plot_day, write_report
    from .solution import DISCLAIMER

    try:
        out.mkdir(parents=True, exist_ok=True)
        people = [
            Person(weight_kg=78, parameter_set="dallaman2007_normal", label="normal (78 kg)"),
            Person(weight_kg=91, parameter_set="dallaman2007_t2d", label="type 2 (91 kg)"),
        ]
        day = standard_day()
        with console.status("simulating a day of meals and two OGTTs..."):
            sol = simulate(people, day, backend=backend)
            tests = [ogtt(p, backend=backend) for p in people]
    except EndotwinError as e:
        _fail(e)
    summary = sol.summary()
    ogtt_rows = pd.DataFrame([{"person": r.person, **r.indices} for r in tests]).set_index("person")
    console.print(_table(summary, "One day, meals at 08:00 (45 g), 12:00 (70 g), 19:00 (70 g)"))
    console.print(_table(ogtt_rows, "75 g OGTT"))
    png = plot_day(sol, out / "demo_day.png", day)
    sol.to_netcdf(out / "demo_day.nc")
    cites = sorted(set(sol.cite()) | {c for r in tests for c in r.solution.cite()})
    report = write_report(
        out / "report.html",
        "endotwin demo: a day of meals and an OGTT",
        {"Day summary": summary, "OGTT 75 g": ogtt_rows},
        [png],
        cites,
        notes=["Parameters: Dalla Man, Rizza & Cobelli 2007, Table 1 (normal and T2D columns)."],
    )
    console.print(f"[green]wrote[/] {report}, {png}, {out / 'demo_day.nc'}")
    console.print(f"[yellow]{DISCLAIMER}[/]")


@app.command("simulate")
def simulate_cmd(
    person: Annotated[Path, typer.Option(help="person YAML/JSON file")],
    protocol: Annotated[
        str | None,
        typer.Option(
            help='lifestyle protocol, e.g. "16:8 fasting; HIIT 3x/week 20 min for 12 weeks", or '
            "a .yaml/.json/.txt file holding one; runs the coupled minutes-to-months model"
        ),
    ] = None,
    meals: Annotated[
        Path | None, typer.Option(help="meal CSV/YAML file (units in column names)")
    ] = None,
    days: Annotated[
        float | None,
        typer.Option(help="simulated days (default: 1, or the protocol's length / 84)"),
    ] = None,
    out: Annotated[Path, typer.Option(help="output .nc or .csv")] = Path("endotwin-result.nc"),
    interval: Annotated[
        float | None, typer.Option(help="output interval [min] (default 5; 60 with a protocol)")
    ] = None,
    backend: Annotated[str, typer.Option(help="numba or jax")] = "numba",
) -> None:
    """Simulate a person on a lifestyle protocol (coupled model) or a meal file (meal model), and
    write netCDF or CSV."""
    from . import Schedule, simulate
    from .errors import InputError
    from .io import read_meals, read_person
    from .physiology import physiology_summary, simulate_physiology
    from .protocols.load import load_protocol
    from .solution import DISCLAIMER

    try:
        if out.suffix.lower() not in (".csv", ".nc", ".netcdf"):
            raise InputError("--out", str(out), "a path ending in .nc or .csv")
        who = read_person(person)
        if protocol is not None:
            if meals is not None:
                raise InputError("--meals", str(meals), "no meal file with --protocol")
            prot = load_protocol(protocol)
            with console.status(f"simulating '{prot}'..."):
                sol = simulate_physiology(
                    who, prot, days=days, output_interval_min=interval or 60.0, backend=backend
                )
            summary = physiology_summary(sol).loc[str(sol.dataset["person"].values[0])]
            title = f"{who.label}: {prot}"
        else:
            sched = Schedule(meals=read_meals(meals)) if meals else Schedule()
            sol = simulate(
                who, sched, days=days or 1.0, output_interval_min=interval or 5.0, backend=backend
            )
            summary = sol.summary()
            title = f"{who.label}: {days or 1:g} day(s)"
        if out.suffix.lower() == ".csv":
            sol.to_csv(out)
        else:
            sol.to_netcdf(out)
    except EndotwinError as e:
        _fail(e)
    if protocol is not None:
        console.print(_metric_table(summary, title))
    else:
        console.print(_table(summary, title))
    console.print(f"[green]wrote[/] {out}")
    console.print(f"[yellow]{DISCLAIMER}[/]")


def _metric_table(df: pd.DataFrame, title: str) -> Table:
    """Rows = metrics, columns = start / end / change."""
    t = Table(title=title)
    t.add_column("metric")
    for c in df.columns:
        t.add_column(str(c), justify="right")
    for idx, row in df.iterrows():
        t.add_row(str(idx), *(f"{v:.4g}" for v in row.values))
    return t


protocol_app = typer.Typer(help="Lifestyle protocols: parse, explain, check.", no_args_is_help=True)
app.add_typer(protocol_app, name="protocol")


@protocol_app.command("explain")
def protocol_explain(
    text: Annotated[str, typer.Argument(help="protocol text, or a .yaml/.json/.txt file")],
    person: Annotated[
        Path | None, typer.Option(help="person YAML/JSON file (default: the demo person)")
    ] = None,
    weeks: Annotated[int, typer.Option(help="weeks of the schedule to print per phase")] = 1,
) -> None:
    """Print the parsed steps of a protocol and its weekly schedule for a person."""
    from . import demo_person
    from .io import read_person
    from .protocols.compile import compile_protocol
    from .protocols.load import load_protocol

    try:
        prot = load_protocol(text)
        who = read_person(person) if person else demo_person()
        compiled = compile_protocol(prot, who)
    except EndotwinError as e:
        _fail(e)
    console.print(f"[bold]protocol:[/] {prot}")
    for i, ph in enumerate(prot.phases):
        length = "until the end" if ph.days is None else f"{ph.days:g} days"
        console.print(f"[bold]phase {i + 1}[/] ({length}, adherence {100 * ph.adherence:g}%)")
        for s in ph.steps or ():
            fields = s.model_dump(mode="json", exclude_none=True, exclude={"kind"})
            console.print(f"  - {type(s).__name__} '{s}': {fields}")
        if not ph.steps:
            console.print("  - (habitual lifestyle)")
    console.print(
        f"maintenance intake of {who.label}: {compiled.maintenance_kcal:.0f} kcal/day "
        f"(Hall 2011); days compiled: {compiled.days}"
    )
    df = compiled.table()
    starts = sorted({int(df.index[df["phase"] == ph].min()) for ph in df["phase"].unique()})
    for start in starts:
        week = df.loc[start : start + 7 * weeks - 1]
        t = Table(title=f"days {start}-{int(week.index[-1])} (phase {week['phase'].iloc[0]})")
        for c in ("day", "followed", "energy [kcal]", "meals", "exercise", "diet signals"):
            t.add_column(c)
        for day, r in week.iterrows():
            sig = ", ".join(
                f"{k}={r[k]:.3g}"
                for k in ("whole_food_diet", "omega3", "sat_fat_change", "ad_libitum", "gut rate")
                if r[k] == r[k] and r[k] != (1.0 if k == "gut rate" else 0.0)
            )
            t.add_row(
                str(day),
                "yes" if r["followed"] else "no",
                str(r["energy [kcal]"]),
                r["meals"],
                r["exercise"],
                sig or "habitual",
            )
        console.print(t)
    for n in compiled.notes:
        console.print(f"[yellow]note:[/] {n}")


@app.command()
def equations(
    model: Annotated[
        str,
        typer.Argument(help="meal (Dalla Man 2007 + exercise), t1d or physiology (coupled)"),
    ] = "meal",
) -> None:
    """Print the model's equations (markdown), generated from the symbolic source."""
    from .models import meal_model, physiology_model, t1d_model

    factories = {"meal": meal_model, "t1d": t1d_model, "physiology": physiology_model}
    if model not in factories:
        console.print(f"[bold red]error:[/] model: got {model!r}; accepted: {sorted(factories)}")
        raise typer.Exit(code=2)
    print(factories[model]().to_markdown(), end="")


@app.command()
def parameters(
    name: Annotated[str, typer.Argument(help="parameter set name")] = "dallaman2007_normal",
) -> None:
    """Show a parameter set: value, unit, bounds and source of every parameter."""
    from .parameters import get_parameter_set, list_parameter_sets

    try:
        ps = get_parameter_set(name)
    except EndotwinError as e:
        console.print(f"available: {', '.join(list_parameter_sets())}")
        _fail(e)
    t = Table(title=f"{ps.name}: {ps.description}")
    for c in ("name", "value", "unit", "bounds", "source"):
        t.add_column(c)
    for p in ps.parameters.values():
        t.add_row(p.name, f"{p.value:g}", p.unit, f"[{p.lower:g}, {p.upper:g}]", p.source)
    console.print(t)


@app.command()
def validate(
    study: Annotated[
        list[str] | None,
        typer.Option("--study", "-s", help="study name (repeatable); default: all"),
    ] = None,
    n: Annotated[
        int,
        typer.Option(
            help="virtual people per arm (a study may ask for more: its min_n)", min=2, max=2000
        ),
    ] = 40,
    seed: Annotated[int, typer.Option(help="seed of the virtual populations")] = 20261124,
    out: Annotated[Path, typer.Option(help="HTML report")] = Path("validation-report.html"),
    json_out: Annotated[
        Path | None, typer.Option("--json", help="also write the results as JSON")
    ] = None,
    list_only: Annotated[bool, typer.Option("--list", help="list the studies and stop")] = False,
    fail_under: Annotated[
        float | None,
        typer.Option(
            help="exit 1 when the prediction-only pass rate is below this (0-1)", min=0, max=1
        ),
    ] = None,
) -> None:
    """Run published studies on virtual populations and write the evidence as an HTML report."""
    import dataclasses
    import json

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from .validation.report import on_the_edge, write_validation_report
    from .validation.runner import run_validation
    from .validation.study import all_studies

    try:
        studies = all_studies()
        known = {s.name for s in studies}
        for name in study or []:
            if name not in known:
                from .errors import InputError

                raise InputError("--study", name, f"one of: {', '.join(sorted(known))}")
    except EndotwinError as e:
        _fail(e)
    chosen = [s for s in studies if not study or s.name in set(study)]
    if list_only:
        t = Table(title="validation studies")
        for c in ("name", "kind", "arms", "weeks", "outcomes", "title"):
            t.add_column(c)
        for s in chosen:
            kind = "calibration" if s.calibration else "prediction"
            t.add_row(
                s.name,
                kind,
                str(len(s.arms)),
                f"{s.duration_weeks:g}",
                str(len(s.outcomes)),
                s.title,
            )
        console.print(t)
        return
    total = sum(len(s.arms) for s in chosen)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} arms"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as bar:
        task = bar.add_task("validating", total=total)
        state = {"started": False}

        def progress(study_name: str, arm: str) -> None:
            if state["started"]:
                bar.advance(task)
            state["started"] = True
            bar.update(task, description=f"{study_name}: {arm}")

        def on_study(r) -> None:
            verdict = {True: "[green]PASS", False: "[red]FAIL", None: "[grey50]not scored"}
            kind = "calibration" if r.calibration else "prediction"
            bar.console.print(f"{verdict[r.passed]}[/] {r.name} ({kind}, {r.runtime_s:.0f} s)")
            for o in r.scored:
                if on_the_edge(o):
                    bar.console.print(
                        f"    on the edge: {o.name}{f' ({o.arm})' if o.arm else ''}: "
                        f"{'passes' if o.passed else 'fails'}; {100 * o.pass_share:.0f}% of the "
                        "resamples of its people pass"
                    )

        try:
            run = run_validation(
                [s.name for s in chosen], n=n, seed=seed, progress=progress, on_study=on_study
            )
        except EndotwinError as e:
            _fail(e)
        bar.advance(task)
    path = write_validation_report(run, out)
    if json_out is not None:
        json_out.write_text(json.dumps(dataclasses.asdict(run), indent=1, default=str))
    s = run.summary()
    console.print(
        f"prediction-only studies passed: {s['prediction_passed']}/{s['prediction_scored']}"
        f" ({100 * s['prediction_pass_rate']:.0f}%); calibration studies (not counted): "
        f"{s['calibration_studies']}; outcomes passed {s['outcomes_passed']}/"
        f"{s['outcomes_scored']}; {run.runtime_s:.0f} s"
    )
    console.print(f"report: {path}")
    if fail_under is not None and not s["prediction_pass_rate"] >= fail_under:
        raise typer.Exit(code=1)


def _cell(text: object) -> str:
    from rich.markup import escape

    return escape(str(text))


@app.command()
def calibrate(
    person: Annotated[
        Path,
        typer.Argument(help="person record YAML/JSON: sex, age, height, weight and labs"),
    ],
    ogtt: Annotated[
        Path | None,
        typer.Option(
            "--ogtt",
            help="OGTT CSV/YAML: glucose (and insulin if measured) at 0/30/60/90/120 min, "
            "units in the column names (docs/twin-inputs.md)",
        ),
    ] = None,
    ogtt_dose: Annotated[
        float | None,
        typer.Option(
            "--ogtt-dose",
            help="glucose load of a CSV OGTT in g (default 75; a YAML OGTT states its own)",
        ),
    ] = None,
    cgm: Annotated[
        Path | None,
        typer.Option(
            "--cgm",
            help="CGM export CSV instead of an OGTT: Dexcom Clarity, LibreView, or generic "
            "time,glucose_mgdl (docs/twin-inputs.md); at least one whole day from 03:00",
        ),
    ] = None,
    cgm_unit: Annotated[
        str | None,
        typer.Option(
            "--cgm-unit",
            help="glucose unit of a CGM file whose header does not say it (a glucose or gl "
            "column): mg/dL or mmol/L",
        ),
    ] = None,
    cgm_subject: Annotated[
        str | None,
        typer.Option(
            "--cgm-subject",
            help="subject to fit in a CGM file with several (its id column); names the "
            "subject of a single-subject file",
        ),
    ] = None,
    meals: Annotated[
        Path | None,
        typer.Option(
            "--meals",
            help="meal log CSV for --cgm: time (ISO date-time on the CGM's clock), carbs_g, "
            "optional label (docs/twin-inputs.md); meals not in it are detected from the CGM",
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="twin JSON (the posterior)")] = Path(
        "twin.json"
    ),
    report: Annotated[Path, typer.Option("--report", help="HTML calibration report")] = Path(
        "calibration.html"
    ),
) -> None:
    """Fit the person's twin to their data (an OGTT or a CGM trace): the identifiable
    parameters with uncertainty, and which ones the data cannot identify. Writes the twin (JSON)
    and an HTML report."""
    import time

    from .calibrate.calibration_report import (
        NOT_MEDICAL_ADVICE,
        data_notes,
        parameter_rows,
        write_calibration_report,
    )
    from .errors import InputError
    from .io.ogtt_file import read_ogtt
    from .io.person_record import read_person_record

    t0 = time.perf_counter()
    try:
        if ogtt is not None and cgm is not None:
            raise InputError(
                "data",
                f"--ogtt {ogtt} and --cgm {cgm}",
                "one kind of data: --ogtt FILE or --cgm FILE",
                "Calibrate on one: an OGTT and a CGM trace are fitted separately (run the "
                "command once per file, with different --out and --report).",
            )
        if ogtt is None and cgm is None:
            raise InputError(
                "data",
                None,
                "an OGTT file: --ogtt ogtt.csv (glucose, ideally also insulin, at 0, 30, 60, "
                "90 and 120 min), or a CGM export: --cgm cgm.csv (at least one whole day; with "
                "--meals meals.csv if meals were logged); formats in docs/twin-inputs.md",
                "A person record alone cannot calibrate a twin: it needs measurements over time.",
            )
        for name, value, needs in (
            ("--ogtt-dose", ogtt_dose, ogtt),
            ("--cgm-unit", cgm_unit, cgm),
            ("--cgm-subject", cgm_subject, cgm),
            ("--meals", meals, cgm),
        ):
            if value is not None and needs is None:
                other = "--ogtt" if name == "--ogtt-dose" else "--cgm"
                raise InputError(name, str(value), f"only together with {other}")
        record = read_person_record(person)
    except EndotwinError as e:
        _fail(e)
    if cgm is not None:
        _calibrate_cgm(record, cgm, cgm_unit, cgm_subject, meals, out, report, t0)
        return
    assert ogtt is not None
    try:
        test = read_ogtt(ogtt, dose_g=ogtt_dose)
        from .calibrate.ogtt_fit import MEANING, fit_ogtt

        has_insulin = test.insulin_uuml is not None
        fasting_insulin = None if has_insulin else record.labs.fasting_insulin_uuml
        with console.status(f"fitting the twin of {record.person.label} to {ogtt.name}..."):
            fit = fit_ogtt(record.person, test, fasting_insulin_uuml=fasting_insulin)
        post = fit.posterior
        post.save(out)
        with console.status("writing the report (simulating posterior draws)..."):
            write_calibration_report(fit, report, person_record=record, ogtt=test)
    except EndotwinError as e:
        _fail(e)
    _print_parameter_table(post, parameter_rows(post, MEANING))
    rmse = f"RMSE glucose {fit.rmse_glucose_mgdl:.3g} mg/dL"
    if fit.rmse_insulin_pmoll is not None:
        rmse += f", insulin {fit.rmse_insulin_pmoll:.3g} pmol/L"
    console.print(
        f"{rmse}; prior set {_cell(post.report.get('prior set'))}; fit {fit.seconds:.1f} s, "
        f"total {time.perf_counter() - t0:.1f} s"
    )
    for n in data_notes(record, test):
        console.print(f"[yellow]note:[/] {_cell(n)}")
    console.print(f"[green]wrote[/] {_cell(out)} (twin) and {_cell(report)} (report)")
    console.print(f"[yellow]{_cell(NOT_MEDICAL_ADVICE)}[/]")


def _print_parameter_table(post: Posterior, rows: list[dict]) -> list[dict]:
    """Print the fitted parameters (MAP, 90% interval, verdict) and the ones the data cannot
    identify; returns the rows."""
    t = Table(title=f"twin of {_cell(post.person.label)}: {_cell(post.report.get('data', ''))}")
    for c, justify in (
        ("parameter", "left"),
        ("meaning", "left"),
        ("MAP", "right"),
        ("90% interval", "right"),
        ("verdict", "left"),
    ):
        t.add_column(c, justify=justify)  # type: ignore[arg-type]
    for r in rows:
        colour = {"identified": "green", "weakly identified": "yellow"}.get(r["verdict"], "red")
        t.add_row(
            _cell(r["name"]),
            _cell(r["meaning"]),
            _cell(r["map"]),
            _cell(r["interval"]),
            f"[{colour}]{_cell(r['verdict'])}[/]",
        )
    console.print(t)
    missing = [r["name"] for r in rows if r["verdict"] == "not identified"]
    if missing:
        console.print(
            f"[bold]not identified by these data[/] (estimate = prior): {_cell(', '.join(missing))}"
        )
    from .calibrate.posterior import NOT_FITTED

    console.print(f"[bold]not fitted[/]: {_cell(NOT_FITTED)}")
    return rows


def _calibrate_cgm(
    record: PersonRecord,
    cgm: Path,
    cgm_unit: str | None,
    cgm_subject: str | None,
    meals: Path | None,
    out: Path,
    report: Path,
    t0: float,
) -> None:
    """``endotwin calibrate --cgm``: read the CGM export (and meal log), fit, save, report."""
    import time
    import warnings

    from .calibrate.calibration_report import (
        NOT_MEDICAL_ADVICE,
        parameter_rows,
        write_calibration_report,
    )
    from .calibrate.cgm_fit import fit_cgm
    from .calibrate.cgm_report import CGM_MEANING, cgm_data_notes
    from .errors import InputError
    from .io.cgm_file import read_cgm
    from .io.meal_log import read_meal_log

    person, labs = record.person, record.labs
    fit_warnings: list[str] = []
    try:
        try:
            read = read_cgm(cgm, unit=cgm_unit, subject=cgm_subject)
        except InputError as e:
            if cgm_unit is not None or not e.field.endswith("glucose unit"):
                raise
            raise InputError(
                e.field,
                e.value,
                e.accepted,
                "The file does not say its unit: pass --cgm-unit mg/dL or --cgm-unit mmol/L, or "
                "name the column glucose_mgdl / glucose_mmoll.",
            ) from None
        console.print(f"[bold]{_cell(cgm.name)}:[/] {_cell(read.report.summary())}")
        if cgm_subject is not None:
            trace = read.trace(cgm_subject)
        elif len(read.traces) == 1:
            trace = read.traces[0]
        else:
            raise InputError(
                "--cgm-subject",
                None,
                f"one of {read.subjects}",
                f"{cgm.name} holds {len(read.traces)} subjects: choose the one to fit.",
            )
        log = read_meal_log(meals, start=trace.start) if meals is not None else []
        caught: list[warnings.WarningMessage] = []
        try:
            with (
                console.status(
                    f"fitting the twin of {person.label} to {cgm.name} (subject {trace.subject})..."
                ),
                warnings.catch_warnings(record=True) as caught,
            ):
                warnings.simplefilter("always")
                fit = fit_cgm(
                    person, trace, log or None, fasting_insulin_uuml=labs.fasting_insulin_uuml
                )
        finally:  # the fit's warnings are shown even when it then fails
            package = Path(__file__).resolve().parent
            for w in caught:
                if Path(w.filename).resolve().is_relative_to(package):
                    if str(w.message) not in fit_warnings:
                        fit_warnings.append(str(w.message))
                else:  # not endotwin's: back to the usual warning filters
                    warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
            for text in fit_warnings:
                console.print(f"[yellow]warning:[/] {_cell(text)}")
        post = fit.posterior
        post.save(out)
        with console.status("writing the report (simulating posterior draws)..."):
            write_calibration_report(
                fit,
                report,
                person_record=record,
                data={
                    "cgm": read,
                    "cgm_file": cgm,
                    "cgm_trace": trace,
                    "meals": log,
                    "meal_log": meals,
                    "warnings": fit_warnings,
                },
            )
    except EndotwinError as e:
        _fail(e)
    _print_parameter_table(post, parameter_rows(post, CGM_MEANING))
    r = post.report
    counts = r.get("meals") or {}
    console.print(
        f"fitted {r.get('readings fitted')} readings in {len(r.get('windows') or [])} "
        f"window(s) from {_cell(', '.join(map(str, r.get('windows') or [])))}; meals: "
        f"{counts.get('logged', 0)} logged, {counts.get('detected', 0)} detected"
    )
    console.print(
        f"RMSE {fit.rmse_mgdl:.3g} mg/dL, MARD {fit.mard_pct:.3g} %; prior set "
        f"{_cell(r.get('prior set'))}; fit {fit.seconds:.1f} s, total "
        f"{time.perf_counter() - t0:.1f} s"
    )
    console.print(
        f"SI (insulin sensitivity index) {fit.si:.3g} {_cell(r.get('SI unit', ''))}, 90% "
        f"interval [{fit.si_90[0]:.3g}, {fit.si_90[1]:.3g}]: {_cell(fit.si_verdict)}; "
        "largest posterior correlation of log SI with a meal's log carbs "
        f"{float(r.get('max |corr(log SI, log carbs)|', float('nan'))):.2f}"
    )
    for n in cgm_data_notes(record, r, log):
        console.print(f"[yellow]note:[/] {_cell(n)}")
    console.print(
        "[yellow]note:[/] glucose only: meal carbohydrate and insulin sensitivity trade off, "
        "basal insulin rests on its prior and insulin secretion is inferred from glucose "
        "alone; see the report's limits and docs/calibrate.md"
    )
    console.print(f"[green]wrote[/] {_cell(out)} (twin) and {_cell(report)} (report)")
    console.print(f"[yellow]{_cell(NOT_MEDICAL_ADVICE)}[/]")


def _twin_mismatch(twin: object, record: object) -> list[str]:
    """Covariates on which a loaded twin's person and the person record differ."""
    out = []
    for name, unit, tol in (
        ("sex", "", 0.0),
        ("age", " years", 1.0),
        ("height_cm", " cm", 1.0),
        ("weight_kg", " kg", 1.0),
    ):
        a, b = getattr(twin, name), getattr(record, name)
        if a is None or b is None:
            same = a is b
        elif isinstance(a, str) or isinstance(b, str):
            same = a == b
        else:
            same = abs(float(a) - float(b)) <= tol
        if not same:
            fa, fb = (f"{v:g}" if isinstance(v, int | float) else str(v) for v in (a, b))
            out.append(f"{name}: twin {fa}{unit}, record {fb}{unit}")
    return out


@app.command()
def compare(
    person: Annotated[Path, typer.Argument(help="person record YAML/JSON")],
    protocols: Annotated[
        list[str],
        typer.Argument(
            help='protocols to compare, e.g. "16:8 fasting for 12 weeks" '
            '"HIIT 3x/week for 12 weeks"'
        ),
    ],
    twin: Annotated[
        Path | None,
        typer.Option(
            "--twin", help="calibrated twin JSON (endotwin calibrate --out): adds uncertainty"
        ),
    ] = None,
    weeks: Annotated[
        float | None,
        typer.Option(help="horizon in weeks (default: the longest protocol, or 12)"),
    ] = None,
    draws: Annotated[
        int, typer.Option(help="posterior draws with --twin (uncertainty intervals)", min=0)
    ] = 20,
    seed: Annotated[int, typer.Option(help="seed of the draws and of partial adherence")] = 0,
    no_attribution: Annotated[
        bool,
        typer.Option("--no-attribution", help="skip the mechanism attribution (faster)"),
    ] = False,
    report: Annotated[Path, typer.Option("--report", help="HTML report")] = Path("compare.html"),
    json_path: Annotated[
        Path | None, typer.Option("--json", help="also write the comparison as JSON")
    ] = None,
) -> None:
    """Compare lifestyle protocols for a person (or their calibrated twin): predicted changes
    vs habitual with 90% intervals, ranking, mechanism attribution, HTML report."""
    import json

    from .calibrate.compare import NOT_MEDICAL_ADVICE, compare_protocols
    from .calibrate.compare_report import write_compare_report
    from .calibrate.posterior import load_posterior
    from .io.person_record import read_person_record

    try:
        record = read_person_record(person)
        posterior = load_posterior(twin) if twin is not None else None
        if posterior is not None:
            for d in _twin_mismatch(posterior.person, record.person):
                console.print(
                    f"[yellow]warning:[/] the twin in {_cell(twin)} differs from the person "
                    f"record {_cell(person)}: {_cell(d)}. The twin's covariates are used; "
                    "recalibrate if the person has changed."
                )
            people = [posterior.person, *posterior.sample_people(draws, seed=seed)]
        else:
            people = [record.person]
        with console.status(
            f"simulating {len(people)} people x {len(protocols) + 1} arms"
            + ("" if no_attribution else " + mechanism attribution")
            + "..."
        ):
            comparison = compare_protocols(
                people, protocols, horizon_weeks=weeks, attribution=not no_attribution, seed=seed
            )
    except EndotwinError as e:
        _fail(e)
    print(comparison.table().to_string(index=False))
    print(comparison.rank_rule)
    print(comparison.uncertainty)
    if posterior is None:
        console.print(
            "[yellow]note:[/] no --twin: the uncalibrated person (population parameters); "
            "calibrate with `endotwin calibrate` for a personal twin with intervals"
        )
    print(NOT_MEDICAL_ADVICE)
    path = write_compare_report(comparison, report, posterior=posterior)
    written = [str(path)]
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(comparison.to_dict(), indent=2))
        written.append(str(json_path))
    console.print(f"[green]wrote[/] {_cell(', '.join(written))}")


if __name__ == "__main__":  # pragma: no cover
    app()
