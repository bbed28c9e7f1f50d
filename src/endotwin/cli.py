"""Command-line interface: ``endotwin demo``, ``endotwin simulate``, ``endotwin parameters``."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from .errors import EndotwinError

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
    console.print(f"[bold red]error:[/] {e}")
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
    meals: Annotated[
        Path | None, typer.Option(help="meal CSV/YAML file (units in column names)")
    ] = None,
    days: Annotated[float, typer.Option(help="simulated days")] = 1.0,
    out: Annotated[Path, typer.Option(help="output .nc or .csv")] = Path("endotwin-result.nc"),
    interval: Annotated[float, typer.Option(help="output interval [min]")] = 5.0,
    backend: Annotated[str, typer.Option(help="numba or jax")] = "numba",
) -> None:
    """Simulate a person on a meal file and write netCDF or CSV."""
    from . import Schedule, simulate
    from .io import read_meals, read_person

    try:
        who = read_person(person)
        sched = Schedule(meals=read_meals(meals)) if meals else Schedule()
        sol = simulate(who, sched, days=days, output_interval_min=interval, backend=backend)
        if out.suffix.lower() == ".csv":
            sol.to_csv(out)
        elif out.suffix.lower() in (".nc", ".netcdf"):
            sol.to_netcdf(out)
        else:
            from .errors import InputError

            raise InputError("--out", str(out), "a path ending in .nc or .csv")
    except EndotwinError as e:
        _fail(e)
    console.print(_table(sol.summary(), f"{who.label}: {days:g} day(s)"))
    console.print(f"[green]wrote[/] {out}")


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


if __name__ == "__main__":  # pragma: no cover
    app()
