"""Beta-cell mass homeostat (Topp 2000 re-centred on the person, human time scale).

Regression for the validation-suite crash: with Topp's law and a per-person death rate, anyone
whose baseline daily mean glucose exceeded r1/(2*r2) = 175 mg/dL sat on the unstable root and
collapsed on their unchanged habitual day.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import endotwin as et
from endotwin.components.beta_cell import beta_cell_mass
from endotwin.model import sym
from endotwin.parameters import get_parameter_set
from endotwin.physiology import habitual_day, simulate_physiology


def _growth() -> tuple[sp.Expr, dict]:
    comp = beta_cell_mass()
    ps = get_parameter_set("mechanisms")
    rate = comp.rhs["BetaMass"] / sym("BetaMass") * 1440.0  # per day, per unit mass
    vals = {sym(n): ps[n].value for n in ("topp_r2", "topp_dG_tox", "topp_rate_human")}
    return sp.simplify(rate.xreplace(vals)), vals


@pytest.mark.parametrize("g0", [90.0, 150.0, 200.0, 260.0, 330.0])
def test_every_baseline_is_a_stable_set_point(g0: float) -> None:
    rate, _ = _growth()
    G, G0 = sym("Gd2"), sym("G_mean0")
    at = {G0: g0}
    assert float(rate.xreplace(at | {G: g0})) == pytest.approx(0.0, abs=1e-15)
    # glucose above the set point grows the mass (compensation), below it shrinks it
    slope = float(sp.diff(rate, G).xreplace(at | {G: g0}))
    assert slope > 0
    # the glucotoxic root is topp_dG_tox above the set point, whatever the set point
    assert float(rate.xreplace(at | {G: g0 + 150.0})) == pytest.approx(0.0, abs=1e-15)


def test_at_100_mg_dl_it_is_topps_law_on_the_human_time_scale() -> None:
    rate, vals = _growth()
    G = sym("Gd2")
    kh = vals[sym("topp_rate_human")]
    topp = -0.06 + 0.84e-3 * G - 0.24e-5 * G**2  # Topp 2000 Table 1
    for g in (80.0, 120.0, 200.0, 260.0):
        got = float(rate.xreplace({sym("G_mean0"): 100.0, G: g}))
        assert got == pytest.approx(kh * float(topp.xreplace({G: g})), rel=1e-9)


def test_diabetic_person_above_175_mg_dl_is_stable_on_the_habitual_day() -> None:
    p = et.Person(
        weight_kg=95,
        sex="female",
        age=55,
        height_cm=165,
        parameter_set="dallaman2007_t2d",
        parameters={"Vmx": 0.02},
    )
    ds = simulate_physiology([p], [habitual_day(p, 56)], days=56, output_interval_min=60.0).dataset
    g = ds["Daily mean glucose [mg/dL]"].values[0]
    mass = ds["Beta-cell mass [x baseline]"].values[0]
    assert g[0] > 175.0  # on the branch that used to be unstable
    assert np.all(np.abs(mass - 1.0) < 0.01)
    assert abs(g[-1] - g[0]) < 10.0
