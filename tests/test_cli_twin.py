"""The personal-twin commands: `endotwin calibrate` (twin JSON + report) and `endotwin compare`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import endotwin as et
from endotwin.calibrate.calibration_report import VERDICT_WORDS
from endotwin.calibrate.cgm_fit import simulate_cgm
from endotwin.calibrate.compare import NOT_MEDICAL_ADVICE
from endotwin.calibrate.ogtt_fit import FIT_PARAMETERS, simulate_ogtt
from endotwin.calibrate.posterior import load_posterior
from endotwin.cli import app

runner = CliRunner()
T = np.array([0.0, 30.0, 60.0, 90.0, 120.0])
#: the person behind the synthetic OGTT: less insulin-sensitive, stronger beta-cell response
TRUE = {"Vmx": 0.03, "beta": 0.15, "K": 1.8}
RECORD = (
    "label: Ann\nsex: female\nage: 50\nheight: 165 cm\nweight: {w} kg\n"
    "fasting_glucose: 92 mg/dL\nfasting_insulin: 5 uU/mL\n"
)
HIIT = "HIIT 3x/week for 2 weeks"


def _flat(text: str) -> str:
    """CLI output with rich's line wrapping undone."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("twin")
    person = et.Person(weight_kg=85, sex="female", age=50, height_cm=165, parameters=TRUE)
    g, i = simulate_ogtt(person, T)  # Numba: independent of the JAX fit
    rows = "".join(f"{t:g},{a:.2f},{b / 6.0:.3f}\n" for t, a, b in zip(T, g, i, strict=True))
    paths = {
        "record": d / "ann.yaml",
        "other": d / "ann_heavier.yaml",
        "ogtt": d / "ogtt.csv",
        "ogtt_g": d / "ogtt_glucose.csv",
        "dir": d,
    }
    paths["record"].write_text(RECORD.format(w=85))
    paths["other"].write_text(RECORD.format(w=95))
    paths["ogtt"].write_text("time_min,glucose_mgdl,insulin_uuml\n" + rows)
    paths["ogtt_g"].write_text(
        "time_min,glucose_mgdl\n" + "".join(f"{t:g},{a:.2f}\n" for t, a in zip(T, g, strict=True))
    )
    return paths


@pytest.fixture(scope="module")
def calibrated(files: dict[str, Path]):
    out, report = files["dir"] / "twin.json", files["dir"] / "calibration.html"
    args = ["calibrate", str(files["record"]), "--ogtt", str(files["ogtt"])]
    res = runner.invoke(app, [*args, "--out", str(out), "--report", str(report)])
    return res, out, report


def test_calibrate_writes_a_loadable_twin_and_a_report(calibrated, files) -> None:
    res, out, report = calibrated
    assert res.exit_code == 0, res.output
    text = _flat(res.output)
    assert NOT_MEDICAL_ADVICE in text
    assert "RMSE glucose" in text and "insulin" in text and "fit" in text
    assert "not fitted" in text.replace("\n", " ") and "leptin" in text
    for name in FIT_PARAMETERS:
        assert name in res.output
    post = load_posterior(out)
    assert post.names == FIT_PARAMETERS and post.person.label == "Ann"
    assert post.report["data"] == "OGTT glucose and insulin"
    # the twin reproduces the data it was fitted to, through the Numba simulator
    g, _ = simulate_ogtt(post.person, T)
    obs = np.loadtxt(files["ogtt"], delimiter=",", skiprows=1)
    assert np.sqrt(np.mean((g - obs[:, 1]) ** 2)) < 2.0
    lo, hi = post.interval(0.9)["Vmx"]
    assert lo < TRUE["Vmx"] < hi
    # the loaded twin writes back the same file and draws the same people every time
    again = post.save(files["dir"] / "again.json")
    assert json.loads(again.read_text()) == json.loads(out.read_text())
    assert load_posterior(again).sample_people(3, seed=5) == post.sample_people(3, seed=5)
    html = report.read_text()
    assert "Not medical advice" in html and NOT_MEDICAL_ADVICE in html
    assert html.count("data:image/png;base64,") >= 1
    for name, verdict in post.report["identifiability"].items():
        assert f'<td class="txt">{name}</td>' in html
        assert VERDICT_WORDS[verdict] in html
    assert "HOMA-IR" in html and "Matsuda" in html and "Laplace" in html


def test_calibrate_glucose_only_uses_the_records_fasting_insulin(files) -> None:
    d = files["dir"]
    res = runner.invoke(
        app,
        [
            "calibrate",
            str(files["record"]),
            "--ogtt",
            str(files["ogtt_g"]),
            "--out",
            str(d / "twin_g.json"),
            "--report",
            str(d / "cal_g.html"),
        ],
    )
    assert res.exit_code == 0, res.output
    text = _flat(res.output)
    assert "fasting insulin (5 uU/mL) centres the prior" in text
    assert "not identified" in text
    post = load_posterior(d / "twin_g.json")
    assert post.report["data"] == "OGTT glucose only"
    assert post.report["identifiability"]["Ib"] == "not identified"
    assert VERDICT_WORDS["not identified"] in (d / "cal_g.html").read_text()


def test_calibrate_without_data_or_with_bad_data_exits_2(files, tmp_path: Path) -> None:
    res = runner.invoke(app, ["calibrate", str(files["record"]), "--out", str(tmp_path / "t")])
    assert res.exit_code == 2
    text = _flat(res.output)
    assert "--ogtt" in text and "--cgm" in text and "cannot calibrate" in text
    assert not (tmp_path / "t").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("time_min,glucose\n0,95\n30,150\n120,120\n")
    res = runner.invoke(app, ["calibrate", str(files["record"]), "--ogtt", str(bad)])
    assert res.exit_code == 2 and "glucose_mgdl" in _flat(res.output)
    res = runner.invoke(app, ["calibrate", str(tmp_path / "nobody.yaml"), "--ogtt", str(bad)])
    assert res.exit_code == 2 and "error" in res.output


def test_compare_without_a_twin(files, tmp_path: Path) -> None:
    report, js = tmp_path / "c.html", tmp_path / "c.json"
    res = runner.invoke(
        app,
        [
            "compare",
            str(files["record"]),
            HIIT,
            "--no-attribution",
            "--report",
            str(report),
            "--json",
            str(js),
        ],
    )
    assert res.exit_code == 0, res.output
    text = _flat(res.output)
    assert "HOMA-IR" in text and NOT_MEDICAL_ADVICE in text
    assert "no uncertainty" in text and "no --twin" in text
    data = json.loads(js.read_text())
    assert data["n_draws"] == 0 and data["protocols"] == [HIIT]
    assert "Not medical advice" in report.read_text()


def test_compare_with_the_twin(calibrated, files, tmp_path: Path) -> None:
    _, twin, _ = calibrated
    report, js = tmp_path / "c.html", tmp_path / "c.json"
    res = runner.invoke(
        app,
        [
            "compare",
            str(files["record"]),
            HIIT,
            "--twin",
            str(twin),
            "--draws",
            "2",
            "--seed",
            "3",
            "--no-attribution",
            "--report",
            str(report),
            "--json",
            str(js),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "warning" not in res.output
    assert "2 draws from the calibration posterior" in _flat(res.output)
    data = json.loads(js.read_text())
    assert data["n_draws"] == 2
    row = next(r for r in data["table"] if r["outcome"] == "HOMA-IR")
    assert row["lo"] is not None and row["hi"] is not None
    html = report.read_text()
    assert 'id="calibration"' in html and "Not medical advice" in html


def test_compare_warns_when_the_twin_is_of_another_person_and_refuses_bad_input(
    calibrated, files, tmp_path: Path
) -> None:
    _, twin, _ = calibrated
    # a protocol that cannot be parsed is refused before anything is simulated
    res = runner.invoke(
        app, ["compare", str(files["other"]), "HIIT sometimes", "--twin", str(twin)]
    )
    assert res.exit_code == 2
    text = _flat(res.output)
    assert "warning" in text and "weight_kg: twin 85 kg, record 95 kg" in text
    assert "error" in text
    bad = tmp_path / "bad_twin.json"
    bad.write_text("{not json")
    res = runner.invoke(app, ["compare", str(files["record"]), HIIT, "--twin", str(bad)])
    assert res.exit_code == 2 and "valid JSON" in _flat(res.output)
    data = json.loads(Path(twin).read_text())
    data["cov_log"][0][0] = -1.0
    bad.write_text(json.dumps(data))
    res = runner.invoke(app, ["compare", str(files["record"]), HIIT, "--twin", str(bad)])
    assert res.exit_code == 2 and "positive semi-definite" in _flat(res.output)
    res = runner.invoke(app, ["compare", str(files["record"]), HIIT, HIIT, "--no-attribution"])
    assert res.exit_code == 2


def test_the_report_is_generic_over_a_posterior(calibrated, tmp_path: Path) -> None:
    """A kind of fit the report does not know yet still gets the header, the parameter table
    with verdicts, the twin's indices and the not-medical-advice statement."""
    from dataclasses import replace
    from types import SimpleNamespace

    from endotwin.calibrate.calibration_report import write_calibration_report

    post = replace(load_posterior(calibrated[1]), report={"calibration": "new kind"})
    fit = SimpleNamespace(posterior=post, seconds=1.0)
    html = write_calibration_report(fit, tmp_path / "r.html", draws=3).read_text()
    assert NOT_MEDICAL_ADVICE in html and "HOMA-IR" in html
    for name in FIT_PARAMETERS:
        assert f'<td class="txt">{name}</td>' in html
    assert VERDICT_WORDS["identified"] in html


# --- calibration from a CGM trace -------------------------------------------------------------

#: the person behind the synthetic CGM day (less insulin-sensitive than the prior centre) and
#: the meals they ate: minutes from 03:00, grams of carbohydrate
CGM_TRUE = {"Vmx": 0.032, "kp3": 0.006, "kp4": 0.0618 * 0.006 / 0.009, "kabs": 0.035}
CGM_MEALS = [(210.0, 45.0), (540.0, 75.0), (960.0, 70.0)]
CGM_START = np.datetime64("2024-03-01T03:00")


def _clock(minutes: float) -> str:
    return str(CGM_START + np.timedelta64(round(minutes), "m"))


@pytest.fixture(scope="module")
def cgm_files(files: dict[str, Path]) -> dict[str, Path]:
    """A CGM day (03:00 to 03:00, every 5 min) of the record's person eating logged meals,
    simulated on the Numba backend (independent of the JAX fit), with 3 % log-normal noise;
    written as a generic ``time,glucose_mgdl`` CSV, and the meal log beside it."""
    d = files["dir"]
    person = et.Person(weight_kg=85, sex="female", age=50, height_cm=165, parameters=CGM_TRUE)
    t = np.arange(0.0, 1445.0, 5.0)
    sched = et.Schedule(meals=[et.Meal(a, g) for a, g in CGM_MEALS])
    g = simulate_cgm(person, sched, 1440.0, t)
    g = g * np.exp(np.random.default_rng(7).normal(0.0, 0.03, t.size))
    paths = {"cgm": d / "cgm.csv", "meals": d / "meals.csv"}
    paths["cgm"].write_text(
        "time,glucose_mgdl\n" + "".join(f"{_clock(m)},{v:.1f}\n" for m, v in zip(t, g, strict=True))
    )
    paths["meals"].write_text(
        "time,carbs_g,label\n"
        + "".join(f"{_clock(a)},{c:g},meal {k}\n" for k, (a, c) in enumerate(CGM_MEALS))
    )
    return paths


def test_calibrate_from_a_cgm_trace_and_a_meal_log(files, cgm_files) -> None:
    out, report = files["dir"] / "twin_cgm.json", files["dir"] / "cal_cgm.html"
    res = runner.invoke(
        app,
        [
            "calibrate",
            str(files["record"]),
            "--cgm",
            str(cgm_files["cgm"]),
            "--meals",
            str(cgm_files["meals"]),
            "--out",
            str(out),
            "--report",
            str(report),
        ],
    )
    assert res.exit_code == 0, res.output
    text = _flat(res.output)
    assert "kept 289 glucose readings" in text  # the reader's summary
    assert "RMSE" in text and "MARD" in text and "SI (insulin sensitivity index)" in text
    assert "meals: 3 logged, 0 detected" in text
    assert NOT_MEDICAL_ADVICE in text
    post = load_posterior(out)
    assert post.report["calibration"] == "cgm" and post.person.label == "Ann"
    assert post.names[: len(FIT_PARAMETERS)] == FIT_PARAMETERS
    assert [n for n in post.names if n.startswith("carbs ")] == [
        f"carbs meal {k} {_clock(a).replace('T', ' ')[:16]}" for k, (a, _) in enumerate(CGM_MEALS)
    ]
    assert post.report["RMSE [mg/dL]"] < 10.0  # noise about 4 mg/dL
    assert post.report["identifiability"]["Ib"] == "not identified"  # glucose only
    html = report.read_text()
    assert "Not medical advice" in html and NOT_MEDICAL_ADVICE in html
    assert "SI" in html and "Insulin sensitivity (SI)" in html
    assert html.count("data:image/png;base64,") >= 1
    assert "logged (carbs known)" in html
    assert "Carbohydrate and insulin sensitivity trade off" in html
    assert "carbohydrate of the logged meal &#39;meal 0&#39;" in html
    for name in post.names:
        assert f'<td class="txt">{name}</td>' in html


def test_calibrate_refuses_an_ogtt_and_a_cgm_together(files, cgm_files, tmp_path: Path) -> None:
    out = tmp_path / "t.json"
    args = ["calibrate", str(files["record"]), "--ogtt", str(files["ogtt"])]
    res = runner.invoke(app, [*args, "--cgm", str(cgm_files["cgm"]), "--out", str(out)])
    assert res.exit_code == 2
    assert "Calibrate on one" in _flat(res.output)
    assert not out.exists()
    res = runner.invoke(app, [*args, "--meals", str(cgm_files["meals"]), "--out", str(out)])
    assert res.exit_code == 2 and "--meals" in _flat(res.output) and not out.exists()


def test_calibrate_refuses_a_bad_cgm(files, tmp_path: Path) -> None:
    out = tmp_path / "t.json"
    one = tmp_path / "one.csv"
    one.write_text("time,glucose_mgdl\n2024-03-01T03:00,104\n")
    res = runner.invoke(app, ["calibrate", str(files["record"]), "--cgm", str(one)])
    assert res.exit_code == 2
    assert "one.csv: readings" in _flat(res.output) and not out.exists()
    # no unit in the header: the message names the CLI option
    bare = tmp_path / "bare.csv"
    bare.write_text("time,gl\n2024-03-01T03:00,104\n2024-03-01T03:05,106\n")
    res = runner.invoke(app, ["calibrate", str(files["record"]), "--cgm", str(bare)])
    assert res.exit_code == 2 and "--cgm-unit" in _flat(res.output)
    # several subjects: one must be chosen
    two = tmp_path / "two.csv"
    two.write_text(
        "id,time,glucose_mgdl\n"
        + "".join(f"{s},2024-03-01T03:0{k},10{k}\n" for s in "AB" for k in range(3))
    )
    res = runner.invoke(app, ["calibrate", str(files["record"]), "--cgm", str(two)])
    assert res.exit_code == 2
    text = _flat(res.output)
    assert "--cgm-subject" in text and "['A', 'B']" in text


def test_calibrate_shows_the_warnings_of_the_cgm_fit(
    files, cgm_files, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Warnings that fit_cgm raises reach the user, also when the fit then fails."""
    import warnings

    import endotwin.calibrate.cgm_fit as cgm_fit
    from endotwin.errors import CalibrationError

    def failing_fit(*args, **kwargs):
        warnings.warn("CGM trace 'cgm': the CGM fit ends on the bound of ['kabs']", stacklevel=2)
        raise CalibrationError("CGM trace 'cgm': the fit failed")

    monkeypatch.setattr(cgm_fit, "fit_cgm", failing_fit)
    out = tmp_path / "t.json"
    res = runner.invoke(
        app, ["calibrate", str(files["record"]), "--cgm", str(cgm_files["cgm"]), "--out", str(out)]
    )
    assert res.exit_code == 2
    text = _flat(res.output)
    assert "warning: CGM trace 'cgm': the CGM fit ends on the bound of ['kabs']" in text
    assert "error: CGM trace 'cgm': the fit failed" in text and not out.exists()
