"""Cross-check of the type-1 (UVA/Padova 2008 academic) model against simglucose.

Reference: ``tests/data/simglucose`` (made by ``scripts/make_simglucose_reference.py``): simglucose
v0.2.11's ``T1DPatient`` driven directly for 24 h (1-min steps, dopri5 rtol 1e-6) for four virtual
subjects; ``meta.json`` holds their parameter rows, read here with
:func:`~endotwin.parameters.sets.uvapadova_t1d.parameters_from_simglucose_row`.

Inputs, piecewise constant per minute, from the reference columns (row ``t`` holds the input of
the step over ``[t-1, t)``): ``carb_rate = 1000*CHO_gpermin`` [mg/min] and
``insulin_infusion = insulin_Upermin*6000/BW`` [pmol/kg/min].

``meal_size`` (simglucose's Dbar) is rebuilt from OUR simulation, not read from the reference: at
the first eating minute k0 of a meal, ``last_Qsto = Qsto1 + Qsto2`` of our state at k0; during an
eating minute k, ``Dbar = last_Qsto + 1000*sum(CHO over k0..k)``; after the meal it is frozen until
the next one. Since last_Qsto of a meal depends only on the simulation before it, we run from 0 to
each meal start in turn (later meals' Dbar not yet known: 0, which cannot matter before they start)
and then the whole day. The rebuilt bookkeeping is itself checked against the reference columns.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from endotwin.errors import InputError
from endotwin.models import meal_model, t1d_model
from endotwin.parameters.sets.uvapadova_t1d import (
    parameter_set_from_simglucose_row,
    parameters_from_simglucose_row,
)
from endotwin.schedule import Schedule
from endotwin.simulate import run

DATA = Path(__file__).parent / "data" / "simglucose"
META = json.loads((DATA / "meta.json").read_text())
PATIENTS = [p["name"] for p in META["patients"]]
T_END = 1440
RTOL = ATOL = 1e-8
# reference state column -> endotwin state
STATE_COLUMNS = {s["column"]: s["name"] for s in META["states"]}


def _changes(values: np.ndarray) -> list[tuple[float, float]]:
    """Per-minute values over [k, k+1) -> change points (time, value)."""
    keep = np.r_[True, values[1:] != values[:-1]]
    return [(float(k), float(values[k])) for k in np.flatnonzero(keep)]


def _meal_starts(cho: np.ndarray) -> np.ndarray:
    return np.flatnonzero((cho > 0) & (np.r_[0.0, cho[:-1]] <= 0))


def _dbar(cho: np.ndarray, last_qsto: dict[int, float]) -> np.ndarray:
    """simglucose's meal bookkeeping, per minute: Dbar = last_Qsto + 1000*food taken so far."""
    out = np.zeros(len(cho))
    qsto = food = 0.0
    for k, c in enumerate(cho):
        if c > 0 and (k == 0 or cho[k - 1] <= 0):  # first eating minute of a meal
            qsto, food = last_qsto.get(k, 0.0), 0.0
        if c > 0:
            food += c
        out[k] = qsto + 1000.0 * food
    return out


@pytest.fixture(scope="module")
def t1d() -> dict:
    """Our simulation of the four reference subjects (one batch), with the rebuilt Dbar."""
    refs = [pd.read_csv(DATA / p["file"]) for p in META["patients"]]
    rows = [parameters_from_simglucose_row(p["params"]) for p in META["patients"]]
    values = {k: np.array([r[k] for r in rows]) for k in rows[0]}
    cho = [ref["CHO_gpermin"].to_numpy()[1:] for ref in refs]  # g/min over [k, k+1)
    ins = [
        ref["insulin_Upermin"].to_numpy()[1:] * 6000.0 / r["BW"]
        for ref, r in zip(refs, rows, strict=True)
    ]
    starts = [_meal_starts(c) for c in cho]
    last_qsto: list[dict[int, float]] = [{} for _ in refs]
    model = t1d_model()

    def schedules() -> list[Schedule]:
        return [
            Schedule(
                signals={
                    "carb_rate": _changes(1000.0 * cho[i]),
                    "insulin_infusion": _changes(ins[i]),
                    "meal_size": _changes(_dbar(cho[i], last_qsto[i])),
                }
            )
            for i in range(len(refs))
        ]

    def simulate(duration: float):
        return run(
            model, values, schedules(), duration_min=duration, rtol=RTOL, atol=ATOL, labels=PATIENTS
        )

    t0 = time.perf_counter()
    for j in range(max(len(s) for s in starts)):
        sol = simulate(float(max(s[j] for s in starts if j < len(s))))
        qsto = sol["Qsto1 [mg]"].values + sol["Qsto2 [mg]"].values
        for i, s in enumerate(starts):
            if j < len(s):
                last_qsto[i][int(s[j])] = float(qsto[i, s[j]])
    sol = simulate(float(T_END))
    elapsed = time.perf_counter() - t0
    return {
        "model": model,
        "values": values,
        "refs": refs,
        "cho": cho,
        "starts": starts,
        "last_qsto": last_qsto,
        "schedules": schedules(),
        "sol": sol,
        "elapsed": elapsed,
    }


def test_initial_state_is_the_simglucose_initial_state(t1d: dict) -> None:
    model = t1d["model"]
    p = model.derive_parameters(t1d["values"])
    x0 = model.initial_state(p)
    for i, ref in enumerate(t1d["refs"]):
        for col, name in STATE_COLUMNS.items():
            assert x0[i, model.state_names.index(name)] == pytest.approx(ref[col][0], rel=1e-9)


def test_simglucose_row_mapping() -> None:
    row = META["patients"][0]["params"]
    values = parameters_from_simglucose_row(row)
    assert set(values) == {q.name for q in t1d_model().parameters}
    assert values["kgri"] == row["kmax"] and values["kp4"] == 0.0 and values["VG"] == row["Vg"]
    ps = parameter_set_from_simglucose_row(row)
    assert ps.values() == values and ps["VG"].unit == "dL/kg"
    with pytest.raises(InputError, match="x0_ 4"):
        parameters_from_simglucose_row({**row, "x0_ 4": row["Gpb"] + 1.0})
    with pytest.raises(InputError, match="Vg"):
        parameters_from_simglucose_row({k: v for k, v in row.items() if k != "Vg"})


def test_meal_bookkeeping_matches_reference(t1d: dict) -> None:
    """Our stomach content at each meal start is simglucose's last_Qsto; Dbar agrees."""
    for i, ref in enumerate(t1d["refs"]):
        for k0 in t1d["starts"][i]:
            ours = t1d["last_qsto"][i][int(k0)]
            assert abs(ours - ref["last_Qsto_mg"][k0 + 1]) < 0.01, (PATIENTS[i], k0, ours)
        dbar = _dbar(t1d["cho"][i], t1d["last_qsto"][i])
        assert np.max(np.abs(dbar - ref["Dbar_mg"].to_numpy()[1:])) < 0.01, PATIENTS[i]


def test_plasma_glucose_matches_simglucose(t1d: dict) -> None:
    sol = t1d["sol"]
    assert sol.time_min[-1] == T_END and len(sol.time_min) == T_END + 1
    g = sol["Plasma glucose [mg/dL]"].values
    gs = sol["Subcutaneous glucose [mg/dL]"].values
    ins = sol["Plasma insulin [pmol/L]"].values
    print(
        f"\nT1D day, {len(PATIENTS)} subjects, numba DP45 rtol={RTOL:g}: "
        f"{t1d['elapsed']:.2f} s for all runs (incl. compile)"
    )
    for i, (who, ref) in enumerate(zip(PATIENTS, t1d["refs"], strict=True)):
        vi = t1d["values"]["VI"][i]
        e_g = np.max(np.abs(g[i] - ref["BG_mgdL"].to_numpy()))
        e_gs = np.max(np.abs(gs[i] - ref["Gsub_mgdL"].to_numpy()))
        e_i = np.max(np.abs(ins[i] - ref["x5"].to_numpy() / vi))
        print(
            f"  {who:15s} max |BG - ref| = {e_g:.2e} mg/dL, |CGM - ref| = {e_gs:.2e} mg/dL, "
            f"|I - ref| = {e_i:.2e} pmol/L  (BG {g[i].min():.1f}-{g[i].max():.1f})"
        )
        assert e_g < 0.1, who
        assert e_gs < 0.1, who
        assert e_i < 0.1, who


def test_t1d_agrees_with_scipy(t1d: dict, solve_ivp_segments) -> None:
    """Numba DP45 (rtol 1e-8) vs scipy DOP853 (rtol 1e-10) on the lambdified symbolic rhs."""
    model, sol = t1d["model"], t1d["sol"]
    p = model.derive_parameters(t1d["values"])
    t_eval = sol.time_min
    ig = model.state_names.index("Gp")
    for i, who in enumerate(PATIENTS):
        seg_t, seg_u = t1d["schedules"][i].segments(model.input_names, T_END)
        x = solve_ivp_segments(
            model, p, i, seg_t, seg_u, t_eval, method="DOP853", rtol=1e-10, atol=1e-10
        )
        g_ref = x[:, ig] / p["VG"][i]
        err = np.max(np.abs(sol["Plasma glucose [mg/dL]"].values[i] - g_ref))
        print(f"  {who:15s} numba vs scipy DOP853: max |dG| = {err:.2e} mg/dL")
        assert err < 0.01, who


def test_t1d_model_shares_components_and_public_names() -> None:
    t1, normal = t1d_model(), meal_model()
    for name in ("meal absorption", "glucose kinetics"):
        a = next(c for c in t1.components if c.name == name)
        b = next(c for c in normal.components if c.name == name)
        assert a == b  # the very same equations (Component is a frozen dataclass)
    shared = [
        "Plasma glucose [mg/dL]",
        "Plasma insulin [pmol/L]",
        "Plasma insulin [uU/mL]",
        "Endogenous glucose production [mg/kg/min]",
        "Glucose rate of appearance [mg/kg/min]",
        "Remote insulin action [pmol/L]",
    ]
    for name in shared:
        assert name in t1.outputs and name in normal.outputs
    assert "Subcutaneous glucose [mg/dL]" in t1.outputs
    assert {"insulin_infusion", "carb_rate", "meal_size"} <= set(t1.input_names)
