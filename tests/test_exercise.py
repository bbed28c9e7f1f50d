"""Acute exercise extension of the meal model (Dalla Man 2009 effects + muscle glycogen).

Protocol used throughout: 45 min at 60% of the VO2 reserve from t = 120 min.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import endotwin as et
from endotwin.components.glucose import glucose_kinetics
from endotwin.components.insulin import insulin_kinetics
from endotwin.components.meal import meal_absorption
from endotwin.components.secretion import insulin_secretion
from endotwin.components.steady_state import fasting_steady_state
from endotwin.model import Model, sym
from endotwin.models import meal_model
from endotwin.simulate import run, standard_day

SETS = ["dallaman2007_normal", "dallaman2007_t2d"]
T0, DUR, INTENSITY = 120.0, 45.0, 0.6
T1 = T0 + DUR
BOUT = et.ExerciseBout(T0, DUR, INTENSITY)
G = "Plasma glucose [mg/dL]"
INS = "Plasma insulin [pmol/L]"
MG = "Muscle glycogen [g]"


def _person(pset: str) -> et.Person:
    return et.Person(weight_kg=78 if pset.endswith("normal") else 91, parameter_set=pset)


def _values(sol: et.Solution, name: str) -> np.ndarray:
    return sol[name].values[0]


# -- (a) exercise lowers glucose during activity in a fasting run -------------------------------
@pytest.mark.parametrize("pset", SETS)
def test_exercise_lowers_fasting_glucose_during_activity(pset: str) -> None:
    person = _person(pset)
    rest = et.simulate(person, et.Schedule(), duration_min=360)
    ex = et.simulate(person, et.Schedule(exercise=[BOUT]), duration_min=360)
    t = ex.time_min
    during = (t > T0) & (t <= T1)
    g_rest, g_ex = _values(rest, G), _values(ex, G)
    d_mean = float(np.mean(g_rest[during] - g_ex[during]))
    late = during & (t > T0 + DUR / 2)  # second half of the bout (Y has risen, T_HR = 5 min)
    d_late = float(np.mean(g_rest[late] - g_ex[late]))
    d_end = float(g_rest[t == T1][0] - g_ex[t == T1][0])
    hr = _values(ex, "Heart rate [bpm]")
    uptake = _values(ex, "Exercise glucose uptake [mg/kg/min]")
    print(
        f"\n{pset}: glucose at end of exercise {g_ex[t == T1][0]:.1f} vs rest "
        f"{g_rest[t == T1][0]:.1f} mg/dL (-{d_end:.1f}); mean during exercise -{d_mean:.1f}, "
        f"second half -{d_late:.1f} mg/dL; "
        f"nadir {g_ex.min():.1f} at t={t[np.argmin(g_ex)]:.0f} min; HR {hr[during][0]:.1f} bpm; "
        f"extra uptake {uptake[during].mean():.2f} mg/kg/min"
    )
    # 60% of the heart-rate reserve: HRrest + 0.6*(208 - 0.7*age - HRrest) (Swain 1997, Tanaka 2001)
    ps = et.get_parameter_set(pset)
    hr_rest, age = ps["HRrest"].value, ps["age_yr"].value
    assert hr[during][0] == pytest.approx(hr_rest + 0.6 * (208 - 0.7 * age - hr_rest))
    assert hr[t < T0].max() == pytest.approx(hr_rest)
    assert np.all(uptake[during & (t > T0 + 2 * 5.0)] > 0.3)  # once Y is up (T_HR = 5 min)
    assert d_end > 4.0  # > 4 mg/dL (> 2.5% of basal in both sets) by the end of the bout
    assert d_late > 3.0
    assert d_mean > 1.5
    assert np.all(g_ex[during] <= g_rest[during] + 1e-9)
    # glucose returns towards basal after the bout (secretion falls, EGP rises)
    assert g_ex[-1] > g_ex.min() + 2.0


# -- (b) insulin action is raised after exercise --------------------------------------------------
def test_insulin_action_raised_after_exercise_meal_response_lower() -> None:
    person = _person("dallaman2007_normal")
    t_meal = T1 + 120.0
    meal = [et.Meal(t_meal, 75.0)]
    rest = et.simulate(person, et.Schedule(meals=meal), duration_min=720)
    ex = et.simulate(person, et.Schedule(meals=meal, exercise=[BOUT]), duration_min=720)
    t = ex.time_min
    w = (t >= t_meal) & (t <= t_meal + 180)
    factor = _values(ex, "Exercise insulin-action factor [1]")
    out = {}
    for label, s in (("rest", rest), ("exercise", ex)):
        g, i = _values(s, G), _values(s, INS)
        uid = _values(s, "Insulin-dependent glucose utilisation [mg/kg/min]")
        out[label] = {
            "g_peak": g[w].max(),
            "g_mean": g[w].mean(),
            "i_mean": i[w].mean(),
            "uid_per_ins": uid[w].mean() / i[w].mean(),
        }
        print(
            f"\n{label}: meal at {t_meal:.0f} min: glucose peak {g[w].max():.1f}, 3-h mean "
            f"{g[w].mean():.1f} mg/dL; insulin 3-h mean {i[w].mean():.1f} pmol/L; Uid per "
            f"insulin {out[label]['uid_per_ins'] * 1000:.2f} (mg/kg/min)/(nmol/L)"
        )
    print(
        f"insulin-action factor: end of bout {factor[t == T1][0]:.2f}, at meal "
        f"{factor[t == t_meal][0]:.2f}, 6 h after the bout {factor[t == T1 + 360][0]:.2f}"
    )
    assert factor[t == t_meal][0] > 1.5
    assert 1.0 < factor[t == T1 + 360][0] < factor[t == t_meal][0]
    assert np.all(factor[t < T0] == 1.0)
    assert out["exercise"]["g_mean"] < out["rest"]["g_mean"] - 5.0
    assert out["exercise"]["g_peak"] < out["rest"]["g_peak"] - 4.0
    assert out["exercise"]["i_mean"] < 0.9 * out["rest"]["i_mean"]
    assert out["exercise"]["uid_per_ins"] > 1.2 * out["rest"]["uid_per_ins"]


# -- (c) muscle glycogen falls during exercise and recovers after, with meals -------------------
def test_muscle_glycogen_falls_and_recovers_with_meals() -> None:
    person = _person("dallaman2007_normal")
    meals = [et.Meal(300, 60.0), et.Meal(600, 80.0), et.Meal(1080, 80.0)]
    fed = et.simulate(person, et.Schedule(meals=meals, exercise=[BOUT]), days=1)
    fasted = et.simulate(person, et.Schedule(exercise=[BOUT]), days=1)
    no_ex = et.simulate(person, et.Schedule(meals=meals), days=1)
    t = fed.time_min
    mg_fed, mg_fast, mg_rest = _values(fed, MG), _values(fasted, MG), _values(no_ex, MG)
    mgb = mg_fed[0]
    during = (t >= T0) & (t <= T1)
    nadir = float(mg_fed[t == T1][0])
    deficit = mgb - nadir
    ox = _values(fed, "Muscle glycogen oxidation [g/min]")
    rec_fed = (mg_fed[-1] - nadir) / deficit
    rec_fast = (mg_fast[-1] - nadir) / deficit
    print(
        f"\nmuscle glycogen: basal {mgb:.1f} g (6 g/kg x 78 kg), end of bout {nadir:.1f} g "
        f"(-{deficit:.1f} g; oxidation {ox[during][1:].mean():.2f} g/min); at 24 h with meals "
        f"{mg_fed[-1]:.1f} g ({100 * rec_fed:.0f}% recovered), fasting {mg_fast[-1]:.1f} g "
        f"({100 * rec_fast:.0f}%); no exercise {mg_rest.min():.3f}-{mg_rest.max():.3f} g"
    )
    assert mgb == pytest.approx(6.0 * 78)
    assert np.all(np.diff(mg_fed[during]) < 0)  # falls throughout the bout
    assert 30.0 < deficit < 60.0  # ~1 g/min for 45 min (Watt 2002-derived calibration target)
    assert np.all(np.diff(mg_fed[t > T1 + 5]) > -1e-9)  # then only refills
    assert rec_fed > 0.8  # meals refill most of it within the day
    assert 0.0 < rec_fast < rec_fed  # slower without food (only the fasting insulin action)
    assert mg_fed.max() <= mgb + 1e-6
    # without exercise the pool is untouched, meals or not
    assert np.max(np.abs(mg_rest - mgb)) < 1e-9


# -- (d) at rest the model is the Dalla Man 2007 model ------------------------------------------
@pytest.mark.parametrize("pset", SETS)
def test_basal_steady_state_24h_unchanged(pset: str) -> None:
    sol = et.simulate(_person(pset), et.Schedule(), days=1)
    g, i = _values(sol, G), _values(sol, INS)
    print(
        f"\n{pset}: 24 h fasting: glucose {g[0]:.3f}->{g[-1]:.3f} mg/dL, "
        f"insulin {i[0]:.3f}->{i[-1]:.3f} pmol/L"
    )
    assert np.max(np.abs(g / g[0] - 1)) < 0.01
    assert np.max(np.abs(i / i[0] - 1)) < 0.01
    assert np.max(np.abs(g / g[0] - 1)) < 1e-6
    for name in (
        "Exercise heart-rate signal [bpm]",
        "Exercise insulin-action memory [bpm*min]",
        "Exercise glucose uptake [mg/kg/min]",
    ):
        assert np.all(_values(sol, name) == 0.0), name


def _no_exercise_model() -> Model:
    return Model(
        "dallaman2007_no_exercise",
        [
            meal_absorption(),
            insulin_kinetics(),
            insulin_secretion(),
            fasting_steady_state(),
            glucose_kinetics(),
        ],
    )


@pytest.mark.parametrize("pset", SETS)
def test_meal_day_without_exercise_equals_dalla_man_2007_model(pset: str) -> None:
    values = _person(pset).parameter_values()
    day = standard_day()
    full = run(meal_model(), values, day, duration_min=1440, rtol=1e-10, atol=1e-10)
    ref = run(_no_exercise_model(), values, day, duration_min=1440, rtol=1e-10, atol=1e-10)
    for name in (G, INS, "Insulin-dependent glucose utilisation [mg/kg/min]"):
        a, b = full[name].values[0], ref[name].values[0]
        err = float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-3)))
        print(f"\n{pset} {name}: max relative difference {err:.1e}")
        assert err < 1e-6


def test_uid_reduces_symbolically_to_dalla_man_2007_at_rest() -> None:
    m = meal_model()
    derived = {d.name: d.expr for d in m.derived}
    subs: dict[sp.Symbol, sp.Expr] = {}
    for d in m.derived:
        subs[sym(d.name)] = d.expr.xreplace(subs)
    rest = {sym("Y_ex"): 0, sym("E_ex"): 0, sym("exercise_intensity"): 0}
    uid = derived["Uid"].xreplace(subs).xreplace(rest)
    dm2007 = next(d.expr for d in glucose_kinetics().derived if d.name == "Uid")
    assert sp.simplify(uid - dm2007) == 0
    # the exercise states do not move at rest
    mgb = sym("MGb")
    threshold = {sym("I_gly0"): sp.Rational(1, 4)}  # any threshold >= 0
    for s in ("Y_ex", "E_ex", "MG"):
        e = m.rhs[s].xreplace(subs).xreplace(rest | threshold | {sym("MG"): mgb})
        assert sp.simplify(e) == 0, s


# -- (e) bad input ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"start_min": 120, "duration_min": 45, "intensity": 1.5}, "exercise.intensity"),
        ({"start_min": 120, "duration_min": 45, "intensity": -0.1}, "exercise.intensity"),
        ({"start_min": 120, "duration_min": -10, "intensity": 0.5}, "exercise.duration_min"),
        ({"start_min": -5, "duration_min": 45, "intensity": 0.5}, "exercise.start_min"),
    ],
)
def test_bad_exercise_input_names_the_field(kwargs: dict[str, float], field: str) -> None:
    with pytest.raises(et.InputError) as e:
        et.ExerciseBout(**kwargs)
    print(f"\n{e.value}")
    assert e.value.field == field
    assert field in str(e.value)


def test_bad_exercise_covariates_are_refused() -> None:
    with pytest.raises(et.InputError) as e:
        et.Person(parameters={"HRrest": 250.0})
    assert e.value.field == "HRrest"
    with pytest.raises(et.InputError) as e:
        et.Person(parameters={"ex_alpha": -1.0})
    assert e.value.field == "ex_alpha"


def test_exercise_parameters_are_cited_with_units_and_bounds() -> None:
    from endotwin.citations import CITATIONS
    from endotwin.parameters.sets.exercise import exercise_parameters

    for pset in SETS:
        ps = et.get_parameter_set(pset)
        for name, p in exercise_parameters().items():
            assert ps[name].value == p.value
            assert p.unit and p.source and p.lower <= p.value <= p.upper
            assert p.citation == "" or p.citation in CITATIONS, name
        assert set(ps.citations) <= set(CITATIONS)
    sol = et.simulate(et.Person(), et.Schedule(exercise=[BOUT]), duration_min=240)
    refs = "\n".join(sol.cite())
    for text in ("Physical activity into the meal", "Heart rate reserve", "Age-predicted"):
        assert text in refs
