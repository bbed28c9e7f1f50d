"""Generate reference trajectories from simglucose's UVA/Padova T1D patient model.

This script drives ``simglucose.patient.t1dpatient.T1DPatient`` directly (no
environment wrapper, no sensor, no pump quantisation, no controller) through a
deterministic 24 h day, and writes one CSV per virtual patient plus a
``meta.json`` describing the run. endotwin's own implementation of the
UVA/Padova equations is cross-checked against these files.

Usage (from the repository root, with simglucose installed)::

    python scripts/make_simglucose_reference.py
    python scripts/make_simglucose_reference.py --out-dir tests/data/simglucose \
        --patients adolescent#001 adult#001

CSV layout (one row per minute, 1441 rows: t = 0 ... 1440)
-----------------------------------------------------------
Row ``t`` holds the state at time ``t`` [min] *after* the step that ran over
``[t-1, t)``, together with the input and the meal bookkeeping that step used.
Row ``t = 0`` holds the initial state; its input columns are 0 and its
bookkeeping columns are the values set by ``T1DPatient.reset()``.

* ``t`` - time at the end of the step [min]
* ``CHO_announced_g`` - carbohydrate passed in ``Action.CHO`` on that step [g]
* ``CHO_gpermin`` - carbohydrate actually ingested during the step, after
  simglucose spreads the announced meal at EAT_RATE = 5 g/min [g/min]
* ``insulin_Upermin`` - subcutaneous insulin rate during the step [U/min]
* ``last_Qsto_mg``, ``last_foodtaken_g`` - ``T1DPatient._last_Qsto`` and
  ``_last_foodtaken`` as passed to the ODE right-hand side for that step
* ``Dbar_mg`` - ``last_Qsto_mg + 1000 * last_foodtaken_g`` [mg]
* ``x0`` ... ``x12`` - the 13 model states at time ``t`` (names and units in
  ``meta.json``)
* ``BG_mgdL`` - plasma glucose ``x3 / Vg`` [mg/dL]
* ``Gsub_mgdL`` - subcutaneous glucose ``x12 / Vg`` [mg/dL] (the patient's
  ``observation.Gsub``)

Values are written with 10 significant digits.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import json
import logging
import math
import warnings
from pathlib import Path

DEFAULT_PATIENTS = ("adolescent#001", "adult#001", "adult#002", "child#001")
N_STEPS = 1440  # one-minute steps, 24 h

# Deterministic day, minutes after a midnight start (simulation starts at t=0).
MEALS = (
    {"t_min": 420, "clock": "07:00", "carbs_g": 45.0, "bolus": True, "label": "breakfast"},
    {"t_min": 720, "clock": "12:00", "carbs_g": 70.0, "bolus": True, "label": "lunch"},
    {"t_min": 900, "clock": "15:00", "carbs_g": 15.0, "bolus": False, "label": "snack"},
    {"t_min": 1110, "clock": "18:30", "carbs_g": 80.0, "bolus": True, "label": "dinner"},
)

STATE_COLUMNS = (
    ("x0", "Qsto1", "mg", "glucose in stomach, solid phase"),
    ("x1", "Qsto2", "mg", "glucose in stomach, liquid phase"),
    ("x2", "Qgut", "mg", "glucose mass in intestine"),
    ("x3", "Gp", "mg/kg", "glucose in plasma and rapidly equilibrating tissues"),
    ("x4", "Gt", "mg/kg", "glucose in slowly equilibrating tissues"),
    ("x5", "Ip", "pmol/kg", "insulin in plasma"),
    ("x6", "X", "pmol/L", "insulin action on glucose utilisation (remote insulin)"),
    ("x7", "I1", "pmol/L", "delayed insulin signal, first compartment (I')"),
    ("x8", "Id", "pmol/L", "delayed insulin signal acting on EGP (X^L)"),
    ("x9", "Il", "pmol/kg", "insulin in liver"),
    ("x10", "Isc1", "pmol/kg", "subcutaneous insulin, non-monomeric"),
    ("x11", "Isc2", "pmol/kg", "subcutaneous insulin, monomeric"),
    ("x12", "Gs", "mg/kg", "subcutaneous glucose"),
)

HEADER = (
    "t",
    "CHO_announced_g",
    "CHO_gpermin",
    "insulin_Upermin",
    "last_Qsto_mg",
    "last_foodtaken_g",
    "Dbar_mg",
    *(c[0] for c in STATE_COLUMNS),
    "BG_mgdL",
    "Gsub_mgdL",
)


def _fmt(value: float) -> str:
    value = float(value)
    if value == 0.0:
        return "0"
    return f"{value:.10g}"


def _safe_filename(name: str) -> str:
    return name.replace("#", "_") + ".csv"


def _jsonable(value):
    if isinstance(value, str):
        return value
    f = float(value)
    if f.is_integer() and abs(f) < 2**53 and not isinstance(value, float):
        return int(f)
    return f


def simulate_patient(name: str, quest_row) -> tuple[list[list[float]], dict]:
    from simglucose.patient.t1dpatient import Action, T1DPatient

    patient = T1DPatient.withName(name)
    params = patient._params
    vg = float(params.Vg)
    basal = float(params.u2ss) * float(params.BW) / 6000.0  # U/min
    cr = float(quest_row.CR)
    meal_at = {m["t_min"]: m for m in MEALS}

    def row(t, cho_ann, cho, ins, state):
        last_qsto = float(patient._last_Qsto)
        last_food = float(patient._last_foodtaken)
        x = [float(v) for v in state]
        return [
            t,
            cho_ann,
            cho,
            ins,
            last_qsto,
            last_food,
            last_qsto + 1000.0 * last_food,
            *x,
            x[3] / vg,
            x[12] / vg,
        ]

    rows = [row(0.0, 0.0, 0.0, 0.0, patient.state)]
    boluses = []
    for k in range(N_STEPS):
        meal = meal_at.get(k)
        cho_announced = float(meal["carbs_g"]) if meal else 0.0
        insulin = basal
        if meal and meal["bolus"]:
            bolus_u = meal["carbs_g"] / cr
            insulin += bolus_u  # whole bolus delivered within one minute
            boluses.append({"t_min": k, "units": bolus_u})
        patient.step(Action(CHO=cho_announced, insulin=insulin))
        if abs(patient.t - (k + 1)) > 1e-9:
            raise RuntimeError(f"{name}: unexpected solver time {patient.t} at step {k}")
        applied_cho = float(patient._last_action.CHO)
        rows.append(row(float(k + 1), cho_announced, applied_cho, insulin, patient.state))

    info = {"basal_U_per_min": basal, "boluses": boluses}
    return rows, info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=Path("tests/data/simglucose"))
    parser.add_argument("--patients", nargs="+", default=list(DEFAULT_PATIENTS))
    args = parser.parse_args()

    warnings.filterwarnings("ignore")  # pkg_resources deprecation noise
    logging.getLogger("simglucose").setLevel(logging.WARNING)

    import pandas as pd
    from simglucose.patient import t1dpatient

    param_file = Path(t1dpatient.PATIENT_PARA_FILE)
    quest_file = param_file.with_name("Quest.csv")
    vparams = pd.read_csv(param_file)
    quest = pd.read_csv(quest_file)

    args.out_dir.mkdir(parents=True, exist_ok=True)
    meta: dict = {
        "description": (
            "Reference trajectories of simglucose's T1DPatient (UVA/Padova T1D model) "
            "driven directly, without env/sensor/pump/controller, over a deterministic day."
        ),
        "generator": "scripts/make_simglucose_reference.py",
        "versions": {
            pkg: importlib.metadata.version(pkg)
            for pkg in ("simglucose", "scipy", "numpy", "pandas")
        },
        "simulation": {
            "n_steps": N_STEPS,
            "step_min": 1,
            "t0_min": 0,
            "start_clock": "00:00",
            "initial_state": "vpatient_params.csv columns 'x0_ 1' ... 'x0_13' (no randomisation)",
            "solver": (
                "scipy.integrate.ode(model).set_integrator('dopri5') with defaults "
                "(rtol=1e-6, atol=1e-12, nsteps=500, first_step auto); one integrate(t+1) "
                "call per minute, input held constant over the minute"
            ),
            "eat_rate_g_per_min": 5,
            "basal": "u2ss * BW / 6000 U/min every minute",
            "bolus": "carbs / CR U, added to the basal rate during the meal's first minute",
        },
        "schedule": {"meals": list(MEALS)},
        "columns": {
            "t": "time at end of step [min]; row t=0 is the initial state",
            "CHO_announced_g": "Action.CHO passed to T1DPatient.step over [t-1,t) [g]",
            "CHO_gpermin": "CHO actually ingested over [t-1,t) (EAT_RATE-limited) [g/min]",
            "insulin_Upermin": "Action.insulin over [t-1,t) [U/min]",
            "last_Qsto_mg": "T1DPatient._last_Qsto used by the ODE over [t-1,t) [mg]",
            "last_foodtaken_g": "T1DPatient._last_foodtaken used by the ODE over [t-1,t) [g]",
            "Dbar_mg": "last_Qsto_mg + 1000*last_foodtaken_g [mg]",
            **{c[0]: f"{c[1]} [{c[2]}] at time t: {c[3]}" for c in STATE_COLUMNS},
            "BG_mgdL": "plasma glucose x3/Vg at time t [mg/dL]",
            "Gsub_mgdL": "subcutaneous glucose x12/Vg at time t [mg/dL]",
        },
        "states": [
            {"column": c[0], "index": i, "name": c[1], "unit": c[2], "description": c[3]}
            for i, c in enumerate(STATE_COLUMNS)
        ],
        "float_format": "10 significant digits",
        "patients": [],
    }

    for name in args.patients:
        prow = vparams.loc[vparams.Name == name]
        qrow = quest.loc[quest.Name == name]
        if len(prow) != 1 or len(qrow) != 1:
            raise SystemExit(f"unknown patient {name!r}")
        prow = prow.iloc[0]
        qrow = qrow.iloc[0]
        rows, info = simulate_patient(name, qrow)
        fname = _safe_filename(name)
        with open(args.out_dir / fname, "w", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(HEADER)
            for r in rows:
                writer.writerow([_fmt(v) for v in r])
        bg = [r[HEADER.index("BG_mgdL")] for r in rows]
        meta["patients"].append(
            {
                "name": name,
                "file": fname,
                "params": {k: _jsonable(v) for k, v in prow.items()},
                "quest": {k: _jsonable(v) for k, v in qrow.items()},
                "CR_g_per_U": float(qrow.CR),
                "CF_mgdL_per_U": float(qrow.CF),
                "initial_state": rows[0][7:20],
                "initial_BG_mgdL": rows[0][HEADER.index("BG_mgdL")],
                **info,
                "BG_min_mgdL": min(bg),
                "BG_max_mgdL": max(bg),
                "BG_final_mgdL": bg[-1],
            }
        )
        print(
            f"{name:16s} BG0={bg[0]:7.2f} min={min(bg):7.2f} max={max(bg):7.2f} "
            f"final={bg[-1]:7.2f} mg/dL -> {args.out_dir / fname}"
        )
        if not all(math.isfinite(v) for v in bg):
            raise SystemExit(f"{name}: non-finite glucose")

    with open(args.out_dir / "meta.json", "w") as fh:
        json.dump(meta, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
