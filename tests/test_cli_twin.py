"""The personal-twin commands: `endotwin calibrate` (twin JSON + report) and `endotwin compare`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import endotwin as et
from endotwin.calibrate.calibration_report import VERDICT_WORDS
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
    assert "--ogtt" in _flat(res.output) and "cannot calibrate" in _flat(res.output)
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
