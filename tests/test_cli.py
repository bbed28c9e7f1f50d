"""The command line: demo report, simulate from files, clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from endotwin.cli import app
from endotwin.solution import read_solution

runner = CliRunner()


def test_demo_writes_report_plot_and_data(tmp_path: Path) -> None:
    res = runner.invoke(app, ["demo", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "OGTT" in res.output and "not medical advice" in res.output.lower()
    html = (tmp_path / "report.html").read_text()
    assert "Not medical advice" in html and "Dalla Man" in html
    assert (tmp_path / "demo_day.png").stat().st_size > 10_000
    sol = read_solution(tmp_path / "demo_day.nc")
    g = sol["Plasma glucose [mg/dL]"].values
    assert g.shape[0] == 2 and np.all(np.isfinite(g))
    assert sol["Plasma glucose [mg/dL]"].attrs["units"] == "mg/dL"


def _files(tmp_path: Path, meals: str) -> tuple[Path, Path]:
    person = tmp_path / "person.yaml"
    person.write_text("label: Ann\nweight: 92 kg\nparameter_set: dallaman2007_t2d\n")
    meal_file = tmp_path / "meals.csv"
    meal_file.write_text(meals)
    return person, meal_file


def test_simulate_from_files_to_csv_and_netcdf(tmp_path: Path) -> None:
    person, meals = _files(tmp_path, "time,carbs_g,duration_min\n08:00,50,15\n13:00,60,\n")
    for out in ("r.csv", "r.nc"):
        res = runner.invoke(
            app,
            [
                "simulate",
                "--person",
                str(person),
                "--meals",
                str(meals),
                "--out",
                str(tmp_path / out),
                "--interval",
                "10",
            ],
        )
        assert res.exit_code == 0, res.output
    import pandas as pd

    df = pd.read_csv(tmp_path / "r.csv")
    assert "Plasma glucose [mg/dL]" in df.columns
    assert df["time [min]"].max() == 1440
    nc = read_solution(tmp_path / "r.nc")
    np.testing.assert_allclose(
        nc["Plasma glucose [mg/dL]"].values[0], df["Plasma glucose [mg/dL]"].values
    )


def test_meal_file_without_units_is_refused(tmp_path: Path) -> None:
    person, meals = _files(tmp_path, "time,carbs\n08:00,50\n")
    res = runner.invoke(app, ["simulate", "--person", str(person), "--meals", str(meals)])
    assert res.exit_code == 2
    assert "carbs_g" in res.output


def test_meal_at_impossible_clock_time(tmp_path: Path) -> None:
    person, meals = _files(tmp_path, "time,carbs_g\n25:00,50\n")
    res = runner.invoke(app, ["simulate", "--person", str(person), "--meals", str(meals)])
    assert res.exit_code == 2
    assert "HH:MM" in res.output


def test_person_file_with_unknown_field(tmp_path: Path) -> None:
    person = tmp_path / "p.yaml"
    person.write_text("weight_kg: 80\nwieght: 3\n")
    res = runner.invoke(app, ["simulate", "--person", str(person)])
    assert res.exit_code == 2 and "wieght" in res.output


def test_parameters_lists_sources() -> None:
    res = runner.invoke(app, ["parameters", "dallaman2007_t2d"])
    assert res.exit_code == 0
    assert "Table 1" in res.output and "Km0" in res.output


def test_equations_docs_are_generated_from_the_model() -> None:
    from endotwin.models import meal_model

    res = runner.invoke(app, ["equations", "meal"])
    assert res.exit_code == 0
    assert "dGp/dt" in res.output.replace("`", "") and "DallaMan2007" in res.output
    committed = (Path(__file__).parent.parent / "docs" / "equations-meal.md").read_text()
    assert committed == meal_model().to_markdown(), "regenerate: endotwin equations meal"


def test_physiology_equations_docs_are_generated() -> None:
    from endotwin.models import physiology_model

    res = runner.invoke(app, ["equations", "physiology"])
    assert res.exit_code == 0
    assert "IRS1_serP" in res.output.replace("`", "") and "Topp2000" in res.output
    committed = (Path(__file__).parent.parent / "docs" / "equations-physiology.md").read_text()
    assert committed == physiology_model().to_markdown(), (
        "regenerate: endotwin equations physiology"
    )


def test_protocol_explain_prints_steps_and_week(tmp_path: Path) -> None:
    res = runner.invoke(
        app,
        ["protocol", "explain", "16:8 fasting; HIIT 3x/week 20 min for 12 weeks"],
        terminal_width=200,
    )
    assert res.exit_code == 0, res.output
    assert "EatingWindow '16:8 fasting'" in res.output
    assert "Exercise 'HIIT 3x/week 20 min at 18:00'" in res.output
    out = " ".join(res.output.split())  # the table may wrap at the terminal width
    assert "12:00" in out and "hiit" in out and "90%" in out and "VO2R" in out
    assert "days 0-6" in res.output


def test_protocol_errors_point_at_the_word() -> None:
    res = runner.invoke(app, ["protocol", "explain", "16:8 fastin; HIIT 3x/week"])
    assert res.exit_code == 2
    assert "16:8 fastin; HIIT 3x/week" in res.output and "^^^^^^" in res.output
    assert "fasting" in res.output


def test_simulate_with_a_protocol_from_text_and_yaml(tmp_path: Path) -> None:
    person = tmp_path / "person.yaml"
    person.write_text("weight_kg: 92\nsex: female\nage: 48\nheight_cm: 165\n")
    res = runner.invoke(
        app,
        [
            "simulate",
            "--person",
            str(person),
            "--protocol",
            "20% deficit for 2 weeks",
            "--out",
            str(tmp_path / "p.nc"),
        ],
        terminal_width=200,
    )
    assert res.exit_code == 0, res.output
    assert "HOMA-IR" in res.output and "not medical advice" in res.output.lower()
    sol = read_solution(tmp_path / "p.nc")
    bw = sol["Body weight [kg]"].values[0]
    assert sol.time_min[-1] == 14 * 1440 and bw[-1] < bw[0]
    prot = tmp_path / "protocol.yaml"
    prot.write_text("protocol: 20% deficit for 2 weeks\n")
    res2 = runner.invoke(
        app,
        [
            "simulate",
            "--person",
            str(person),
            "--protocol",
            str(prot),
            "--out",
            str(tmp_path / "q.nc"),
        ],
    )
    assert res2.exit_code == 0, res2.output
    np.testing.assert_allclose(read_solution(tmp_path / "q.nc")["Body weight [kg]"].values, [bw])
