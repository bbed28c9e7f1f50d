"""Core behaviour of the meal model and the Numba engine: steady state, mass balance, OGTT,
bad input and solver failures."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

import endotwin as et
from endotwin.challenges import ivgtt, mixed_meal, ogtt
from endotwin.model import Component, Model, Quantity, sym
from endotwin.simulate import run

SETS = ["dallaman2007_normal", "dallaman2007_t2d"]


@pytest.mark.parametrize("pset", SETS)
def test_basal_steady_state_holds_for_24h_without_food(pset: str) -> None:
    sol = et.simulate(et.Person(weight_kg=80, parameter_set=pset), et.Schedule(), days=1)
    g = sol["Plasma glucose [mg/dL]"].values[0]
    i = sol["Plasma insulin [pmol/L]"].values[0]
    print(f"{pset}: glucose {g[0]:.3f}->{g[-1]:.3f} mg/dL, insulin {i[0]:.3f}->{i[-1]:.3f} pmol/L")
    assert np.max(np.abs(g / g[0] - 1)) < 0.01
    assert np.max(np.abs(i / i[0] - 1)) < 0.01
    # and the derivative at the initial state is zero to rounding (an independent check of the
    # steady-state algebra, not just of a slow drift)
    assert np.max(np.abs(g / g[0] - 1)) < 1e-6


def test_normal_basal_state_matches_published_mean_subject() -> None:
    """Dalla Man 2007 normal subject: basal glucose ~91.8 mg/dL, insulin ~25.5 pmol/L,
    EGPb ~1.92 mg/kg/min (values implied by Table 1; cf. issue: basal ~ 94.7 / 25)."""
    m = et.simulate(et.Person(weight_kg=78), et.Schedule(), duration_min=10)
    assert m["Plasma glucose [mg/dL]"].values[0, 0] == pytest.approx(91.8, abs=0.1)
    assert m["Plasma insulin [pmol/L]"].values[0, 0] == pytest.approx(25.6, abs=0.1)
    assert m["Endogenous glucose production [mg/kg/min]"].values[0, 0] == pytest.approx(
        1.92, abs=0.01
    )


@pytest.mark.parametrize("pset", SETS)
def test_glucose_mass_balance_of_the_gut(pset: str) -> None:
    """Ingested carbohydrate = still in stomach/gut + absorbed, at every saved time (0.5%)."""
    sched = et.standard_day()
    sol = et.simulate(et.Person(weight_kg=70, parameter_set=pset), sched, days=1)
    t = sol.time_min
    ingested_g = np.zeros_like(t)
    for meal in sched.meals:
        frac = np.clip((t - meal.time_min) / meal.duration_min, 0.0, 1.0)
        ingested_g += meal.carbs_g * frac
    in_gut = (
        sol["Stomach carbohydrate [g]"].values[0]
        + sol["Gut carbohydrate [g]"].values[0]
        + sol["Absorbed carbohydrate [g]"].values[0]
    )
    eaten = ingested_g > 1.0
    rel = np.abs(in_gut[eaten] - ingested_g[eaten]) / ingested_g[eaten]
    print(f"{pset}: max relative mass-balance error {rel.max():.2e}")
    assert rel.max() < 0.005
    assert in_gut[-1] == pytest.approx(sched.total_carbs_g, rel=0.005)
    # most of the day's carbohydrate has been absorbed by midnight
    assert sol["Absorbed carbohydrate [g]"].values[0, -1] > 0.8 * sched.total_carbs_g


def test_ogtt_classifies_normal_and_t2d_sets() -> None:
    normal = ogtt(et.Person(weight_kg=78, parameter_set="dallaman2007_normal"))
    t2d = ogtt(et.Person(weight_kg=91, parameter_set="dallaman2007_t2d"))
    for r in (normal, t2d):
        print(r.person, "glucose", [round(x, 1) for x in r.glucose_mgdl], r.indices)
    assert normal.indices["classification"] == "normal"
    assert t2d.indices["classification"] in {
        "impaired glucose tolerance",
        "IFG+IGT",
        "diabetes",
        "impaired fasting glucose",
    }
    assert t2d.glucose_mgdl[-1] >= 140.0
    # the T2D set is more insulin resistant by every index
    assert t2d.indices["HOMA-IR"] > 2 * normal.indices["HOMA-IR"]
    assert t2d.indices["Matsuda"] < normal.indices["Matsuda"]


def test_mixed_meal_peaks_and_returns_to_basal() -> None:
    r = mixed_meal(et.Person(weight_kg=78))
    print(r.indices)
    assert 130 < r.indices["glucose peak [mg/dL]"] < 200
    assert 30 <= r.indices["glucose peak time [min]"] <= 120
    assert abs(r.indices["glucose at 300 min [mg/dL]"] - r.glucose_mgdl[0]) < 5.0


def test_ivgtt_runs_and_reports_first_phase() -> None:
    r = ivgtt(et.Person(weight_kg=78))
    print(r.indices)
    # 0.3 g/kg into VG = 1.88 dL/kg raises glucose by ~160 mg/dL
    assert max(r.glucose_mgdl) > r.glucose_mgdl[0] + 120
    assert r.indices["acute insulin response AIRg [pmol/L]"] > 100
    assert r.indices["Kg [%/min]"] > 0


def test_more_insulin_sensitivity_lowers_postprandial_glucose() -> None:
    lo = et.Person(weight_kg=78, parameters={"Vmx": 0.03}, label="low")
    hi = et.Person(weight_kg=78, parameters={"Vmx": 0.07}, label="high")
    sol = et.simulate([lo, hi])
    peak = sol["Plasma glucose [mg/dL]"].max("time").values
    assert peak[1] < peak[0]


# -- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"time_min": 60, "carbs_g": -5}, "meal.carbs_g"),
        ({"time_min": 60, "carbs_g": math.nan}, "meal.carbs_g"),
        ({"time_min": -1, "carbs_g": 50}, "meal.time_min"),
        ({"time_min": 60, "carbs_g": 50, "duration_min": 0}, "meal.duration_min"),
        ({"time_min": 60, "carbs_g": 900}, "meal.carbs_g"),
    ],
)
def test_bad_meals_raise_input_error_naming_the_field(kwargs: dict, field: str) -> None:
    with pytest.raises(et.InputError) as e:
        et.Meal(**kwargs)
    assert e.value.field == field
    assert "accepted" in str(e.value)


def test_meal_after_the_end_of_the_simulation_is_refused() -> None:
    with pytest.raises(et.InputError, match=r"meal\.time_min"):
        et.simulate(schedule=et.Schedule([et.Meal(2000, 50)]), days=1)


def test_overlapping_meals_are_refused() -> None:
    with pytest.raises(et.InputError, match="overlap"):
        et.Schedule([et.Meal(60, 50, 30), et.Meal(70, 20)])


def test_unknown_parameter_name_suggests_the_nearest() -> None:
    with pytest.raises(et.InputError) as e:
        et.Person(parameters={"Vmxx": 0.05})
    assert "Vmx" in str(e.value) and e.value.field == "parameter name"


def test_parameter_outside_bounds() -> None:
    with pytest.raises(et.InputError) as e:
        et.Person(parameters={"Vmx": 5.0})
    assert e.value.field == "Vmx" and "mg/kg/min per pmol/L" in str(e.value)


@pytest.mark.parametrize("value", ["104", 104, "104 furlongs"])
def test_quantities_without_units_are_refused(value: object) -> None:
    from endotwin.units import parse_quantity

    with pytest.raises(et.InputError) as e:
        parse_quantity(value, "glucose", "fasting_glucose")
    assert e.value.field == "fasting_glucose"


def test_unit_conversion_round_trip() -> None:
    from endotwin.units import parse_quantity

    assert parse_quantity("5.5 mmol/L", "glucose", "g") == pytest.approx(99.088)
    assert parse_quantity("10 uU/mL", "insulin", "i") == pytest.approx(60.0)
    assert parse_quantity("10 µU/mL", "insulin", "i") == pytest.approx(60.0)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"weight_kg": -70}, "weight_kg"),
        ({"age": -3}, "age"),
        ({"sex": "x"}, "sex"),
        ({"weight_kg": 300, "height_cm": 150}, "BMI (weight_kg / height_m^2)"),
    ],
)
def test_bad_person(kwargs: dict, field: str) -> None:
    with pytest.raises(et.InputError) as e:
        et.Person(**kwargs)
    assert e.value.field == field


def test_solver_failure_names_person_and_time() -> None:
    with pytest.raises(et.SolverError) as e:
        et.simulate([et.Person(label="ann"), et.Person(label="bob")], max_steps=20)
    assert e.value.person.startswith("0 (ann)")
    assert 0.0 <= e.value.time_min < 1440


def _blowup_model() -> Model:
    y = sym("y")
    comp = Component(
        name="blow-up",
        description="dy/dt = y^2 (finite-time singularity at t = 1/y0)",
        citations=(),
        states=(Quantity("y", "1", "test state"),),
        parameters=(Quantity("y0", "1", "initial value"),),
        rhs={"y": y**2},
        initial={"y": sym("y0")},
        outputs=(),
    )
    return Model("blowup", [comp])


def test_non_finite_state_raises_solver_error_not_nan() -> None:
    with pytest.raises(et.SolverError) as e:
        run(_blowup_model(), {"y0": np.array([0.01, 1.0])}, et.Schedule(), duration_min=10)
    assert e.value.person.startswith("1")
    assert e.value.time_min == pytest.approx(1.0, abs=0.05)


def test_blowup_model_before_singularity_matches_exact_solution() -> None:
    sol = run(
        _blowup_model(),
        {"y0": np.array([0.05])},
        et.Schedule(),
        duration_min=10,
        rtol=1e-10,
        atol=1e-12,
    )
    t = sol.time_min
    exact = 0.05 / (1 - 0.05 * t)
    np.testing.assert_allclose(sol["y [1]"].values[0], exact, rtol=1e-8)


def test_batch_equals_individual_runs() -> None:
    people = [et.Person(weight_kg=w, label=f"w{w}") for w in (55, 78, 110)]
    batch = et.simulate(people)["Plasma glucose [mg/dL]"].values
    for k, p in enumerate(people):
        one = et.simulate(p)["Plasma glucose [mg/dL]"].values[0]
        np.testing.assert_allclose(batch[k], one, rtol=1e-12)


def test_symbolic_rhs_is_zero_at_the_steady_state() -> None:
    """Independent of the solver: substitute the basal state into the sympy equations."""
    from endotwin.models import meal_model

    m = meal_model()
    pv = et.Person(weight_kg=78).parameter_values()
    p = {k: float(v[0]) for k, v in m.derive_parameters(pv).items()}
    x0 = m.initial_state({k: np.array([v]) for k, v in p.items()})[0]
    subs = {sym(n): v for n, v in p.items()}
    subs |= {sym(n): float(x0[i]) for i, n in enumerate(m.state_names)}
    subs |= {sym(n): 0.0 for n in m.input_names}
    derived = {}
    for d in m.derived:
        derived[sym(d.name)] = float(sp.N(d.expr.xreplace(subs | derived)))
    for s in m.state_names:
        val = float(sp.N(m.rhs[s].xreplace(subs | derived)))
        assert abs(val) < 1e-9, (s, val)


def test_state_with_parameter_only_derivative_is_integrated() -> None:
    """Regression: a derivative hoisted into the per-segment constants must still be written."""
    comp = Component(
        name="ramp",
        description="dy/dt = k",
        citations=(),
        states=(Quantity("y", "1", "test state"),),
        parameters=(Quantity("k", "1/min", "slope"),),
        rhs={"y": sym("k")},
        initial={"y": 0.0},
        outputs=(),
    )
    sol = run(Model("ramp", [comp]), {"k": np.array([0.5, 2.0])}, et.Schedule(), duration_min=60)
    np.testing.assert_allclose(sol["y [1]"].values[:, -1], [30.0, 120.0], rtol=1e-12)
