"""Cross-check of the generated Numba DP45 backend against scipy on the normal meal model.

The scipy side integrates the model's symbolic right-hand side (derived quantities substituted,
lambdified with the ``math`` module: independent of the backend code generator) with
``solve_ivp(method="DOP853", rtol=1e-11)``, restarting at every input change point of the schedule
(the same segments the backend restarts at).
"""

from __future__ import annotations

import time

import numpy as np

from endotwin.models import meal_model
from endotwin.parameters import get_parameter_set
from endotwin.simulate import run, standard_day

T_END = 1440.0


def test_normal_day_numba_agrees_with_scipy(solve_ivp_segments) -> None:
    model = meal_model()
    values = {**get_parameter_set("dallaman2007_normal").values(), "BW": 78.0}
    schedule = standard_day()
    t0 = time.perf_counter()
    sol = run(model, values, schedule, duration_min=T_END, rtol=1e-9, atol=1e-9)
    t_numba = time.perf_counter() - t0

    p = model.derive_parameters(values)
    seg_t, seg_u = schedule.segments(model.input_names, T_END)
    t0 = time.perf_counter()
    x = solve_ivp_segments(
        model, p, 0, seg_t, seg_u, sol.time_min, method="DOP853", rtol=1e-11, atol=1e-11
    )
    t_scipy = time.perf_counter() - t0

    g_ref = x[:, model.state_names.index("Gp")] / p["VG"][0]
    i_ref = x[:, model.state_names.index("Ip")] / p["VI"][0]
    e_g = np.max(np.abs(sol["Plasma glucose [mg/dL]"].values[0] - g_ref))
    e_i = np.max(np.abs(sol["Plasma insulin [pmol/L]"].values[0] - i_ref))
    print(
        f"\nnormal day: numba {t_numba:.2f} s (incl. compile), scipy DOP853 {t_scipy:.2f} s; "
        f"max |dG| = {e_g:.2e} mg/dL, max |dI| = {e_i:.2e} pmol/L "
        f"(G {g_ref.min():.1f}-{g_ref.max():.1f}, I {i_ref.min():.1f}-{i_ref.max():.1f})"
    )
    assert np.all(np.isfinite(x))
    assert e_g < 0.01
    assert e_i < 0.1
