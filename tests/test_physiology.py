"""The coupled multi-scale model (issue 3): speed, energy conservation, 1-year stability, and the
direction of every effect in the article's two tables (docs/mechanisms.md maps rows to tests).

Direction tests compare an intervention with the same person's unchanged lifestyle in one batch
(same solver, same baseline), over person covariates drawn by hypothesis. Measured values are
printed (``pytest -s``).
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from endotwin.errors import InputError
from endotwin.models import physiology_model
from endotwin.person import Person
from endotwin.physiology import habitual_meals, maintenance_intake, simulate_physiology
from endotwin.schedule import ExerciseBout, Meal, Schedule

DAY = 1440.0
DIRECTION_DAYS = 28


def _demo() -> Person:
    return Person(weight_kg=92.0, sex="female", age=48, height_cm=165, label="demo")


@st.composite
def people(draw: st.DrawFn) -> Person:
    sex = draw(st.sampled_from(["female", "male"]))
    height = draw(st.floats(155.0, 192.0))
    bmi = draw(st.floats(21.0, 38.0))
    age = draw(st.floats(25.0, 70.0))
    return Person(weight_kg=bmi * (height / 100) ** 2, sex=sex, age=age, height_cm=height)


FEW = settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


def _meals(person: Person, days: int, times_h=(8.0, 12.5, 19.0), scale: float = 1.0) -> list:
    v = person.parameter_values(physiology_model().parameter_names)
    ei0 = maintenance_intake(v)
    out = []
    for d in range(days):
        for m, h in zip(
            habitual_meals(ei0, v["carb_frac0"], day=d, scale=scale), times_h, strict=True
        ):
            out.append(Meal(d * DAY + h * 60, m.carbs_g, fat_g=m.fat_g, protein_g=m.protein_g))
    return out


def _weekly(days: int, kind: str, minutes: float, intensity: float) -> list[ExerciseBout]:
    return [
        ExerciseBout((7 * w + d) * DAY + 17 * 60, minutes, intensity, kind=kind)
        for w in range(days // 7)
        for d in (0, 2, 4)
    ]


def _pair(person: Person, intervention: Schedule, days: int = DIRECTION_DAYS):
    control = Schedule(meals=_meals(person, days))
    sol = simulate_physiology(
        [person, person], [control, intervention], days=days, output_interval_min=10.0
    )
    return sol.dataset


def _at(ds, name: str, day: float, hour: float):
    """Values (control, intervention) of an output at ``day`` + ``hour``."""
    return ds[name].sel(time=day * DAY + hour * 60, method="nearest").values


def _fasting_homa(ds, day: int):
    g = _at(ds, "Plasma glucose [mg/dL]", day, 7.8) / 18.0
    i = _at(ds, "Plasma insulin [uU/mL]", day, 7.8)
    return g * i / 22.5


def _end(ds, name: str):
    return ds[name].isel(time=-1).values


# --- must show: speed, energy, stability -----------------------------------------------------


def test_twelve_weeks_runs_within_five_seconds_warm() -> None:
    p = _demo()
    simulate_physiology(p, days=2)  # warm: compile / load the cached kernel
    t0 = time.perf_counter()
    sol = simulate_physiology(p, days=84, output_interval_min=60.0)
    wall = time.perf_counter() - t0
    print(f"\n12-week single-person simulation with meals: {wall:.3f} s warm")
    assert np.all(np.isfinite(sol.dataset["Body weight [kg]"].values))
    assert wall <= 5.0


def test_energy_is_conserved_over_twelve_weeks() -> None:
    """intake - expenditure - urinary loss = change in stored energy (fat, lean, glycogen)."""
    p = _demo()
    days = 84
    sched = Schedule(
        meals=_meals(p, days, scale=0.75),
        exercise=_weekly(days, "hiit", 20, 0.85)
        + [
            ExerciseBout((7 * w + 5) * DAY + 17 * 60, 45, 0.5, kind="strength")
            for w in range(days // 7)
        ],
    )
    ds = simulate_physiology(
        p, sched, days=days, output_interval_min=DAY, rtol=1e-8, atol=1e-8
    ).dataset
    ei = float(_end(ds, "Energy intake [kcal]")[0])
    ee = float(_end(ds, "Energy expended [kcal]")[0])
    loss = float(_end(ds, "Energy lost [kcal]")[0])
    stored = float(_end(ds, "Stored energy [kcal]")[0])
    resid = (ei - ee - loss) - stored
    print(
        f"\nintake {ei:.0f}, expended {ee:.0f}, lost {loss:.1f}, stored {stored:.1f} kcal; "
        f"residual {resid:.2e} kcal = {abs(resid) / abs(stored):.1e} of the stored change"
    )
    assert stored < -10000  # a real deficit was simulated
    assert abs(resid) <= 0.005 * abs(stored)


@pytest.mark.parametrize(
    "person",
    [
        _demo(),
        Person(weight_kg=78.0, sex="male", age=35, height_cm=180),
    ],
    ids=["woman-48y-BMI34", "man-35y-BMI24"],
)
def test_unchanged_lifestyle_is_stable_for_one_year(person: Person) -> None:
    """Morning (07:00, fasting) weights, as people weigh themselves: within the day body weight
    swings by ~0.8 kg with glycogen and its water and with extracellular fluid (Hall 2011)."""
    ds = simulate_physiology(person, days=365, output_interval_min=60.0).dataset
    bw = ds["Body weight [kg]"].values[0][7::24][1:]  # 07:00 of days 1..364
    homa = np.array([_fasting_homa(ds, d)[0] for d in range(1, 365, 28)])
    dbw = np.max(np.abs(bw - bw[0]))
    dh = np.max(np.abs(homa / homa[0] - 1))
    print(
        f"\n{person.label}: max |dBW| {dbw:.3f} kg, max |dHOMA-IR| {100 * dh:.2f}% "
        f"(HOMA-IR {homa[0]:.2f})"
    )
    assert dbw <= 0.5
    assert dh <= 0.05


def test_bad_person_data_raises_input_error() -> None:
    with pytest.raises(InputError, match="body_fat_pct"):
        Person(weight_kg=80, sex="male", age=40, height_cm=180, body_fat_pct=85)
    with pytest.raises(InputError, match="BMI"):
        Person(weight_kg=300, sex="male", age=40, height_cm=150)
    with pytest.raises(InputError, match="age"):
        Person(weight_kg=80, sex="male", age=-3, height_cm=180)
    with pytest.raises(InputError, match="sex") as e:
        simulate_physiology(Person(weight_kg=80, age=40, height_cm=180), days=1)
    assert "needed by the model" in str(e.value)
    with pytest.raises(InputError, match="height_cm"):
        simulate_physiology(Person(weight_kg=80, sex="female", age=40), days=1)


# --- directions: the article's tables ----------------------------------------------------------


@FEW
@given(people())
def test_whole_food_diet_lowers_inflammation_and_raises_both_sensitivities(p: Person) -> None:
    d = DIRECTION_DAYS
    ds = _pair(p, Schedule(meals=_meals(p, d), signals={"whole_food_diet": [(0.0, 1.0)]}))
    crp = _end(ds, "Inflammatory tone CRP [mg/L]")
    serp = _end(ds, "IRS-1 serine phosphorylation [x baseline]")
    si = _end(ds, "Peripheral insulin sensitivity [x baseline]")
    socs = _end(ds, "SOCS3 [x baseline]")
    sens = _end(ds, "Leptin sensitivity [1]")
    assert crp[1] < crp[0] and serp[1] < serp[0] and si[1] > si[0]
    assert socs[1] < socs[0] and sens[1] > sens[0]
    assert _fasting_homa(ds, d - 1)[1] < _fasting_homa(ds, d - 1)[0]


@FEW
@given(people())
def test_omega3_lowers_socs3_strengthens_leptin_signal_and_hunger_falls(p: Person) -> None:
    d = DIRECTION_DAYS
    ds = _pair(p, Schedule(meals=_meals(p, d), signals={"omega3": [(0.0, 3.0)]}))
    assert _end(ds, "Inflammatory tone CRP [mg/L]")[1] < _end(ds, "Inflammatory tone CRP [mg/L]")[0]
    assert _end(ds, "SOCS3 [x baseline]")[1] < _end(ds, "SOCS3 [x baseline]")[0]
    sig = ds["Hypothalamic leptin signal [1]"].isel(time=slice(-144, None)).mean("time").values
    hunger = ds["Hunger drive [kcal/day]"].isel(time=slice(-144, None)).mean("time").values
    assert sig[1] > sig[0] and hunger[1] < hunger[0]


@FEW
@given(people())
def test_intermittent_fasting_lowers_fasting_insulin_and_leptin_and_switches_metabolism(
    p: Person,
) -> None:
    """16:8 (meals at 12:00, 15:30, 19:30) vs the habitual 08:00-19:00 day.

    At *equal* energy the model lowers fasting insulin, switches to fat oxidation (DAG falls,
    hepatic sensitivity rises), but does not reliably lower leptin: leptin follows energy
    availability and fat mass. The article's "reduces circulating leptin" needs the lower intake
    that comes with time-restricted eating in practice (here 10% less, the size of Gabel 2018's
    -341 kcal/day), which is a third arm.
    """
    d = DIRECTION_DAYS
    control = Schedule(meals=_meals(p, d))
    tre = Schedule(meals=_meals(p, d, times_h=(12.0, 15.5, 19.5)))
    tre_less = Schedule(meals=_meals(p, d, times_h=(12.0, 15.5, 19.5), scale=0.9))
    ds = simulate_physiology(
        [p, p, p], [control, tre, tre_less], days=d, output_interval_min=10.0
    ).dataset
    ins = _at(ds, "Plasma insulin [uU/mL]", d - 1, 11.8)  # fasting 16 h vs 3.5 h after breakfast
    assert ins[1] < ins[0]
    switch = ds["Metabolic switch [1]"].mean("time").values
    assert switch[1] > switch[0]
    assert _end(ds, "Diacylglycerol [x baseline]")[1] < _end(ds, "Diacylglycerol [x baseline]")[0]
    si = _end(ds, "Hepatic insulin sensitivity [x baseline]")
    assert si[1] > si[0]
    lep = ds["Plasma leptin [ng/mL]"].isel(time=slice(-144, None)).mean("time").values
    sig = ds["Hypothalamic leptin signal [1]"].isel(time=slice(-144, None)).mean("time").values
    assert lep[2] < lep[0]
    assert _end(ds, "SOCS3 [x baseline]")[2] < _end(ds, "SOCS3 [x baseline]")[0]
    print(f"\nleptin control/TRE/TRE-10%: {lep.round(2)}, signal {sig.round(3)}")


@FEW
@given(people())
def test_strength_training_raises_lean_mass_glut4_and_glucose_uptake(p: Person) -> None:
    d = 56
    ds = _pair(p, Schedule(meals=_meals(p, d), exercise=_weekly(d, "strength", 45, 0.5)), d)
    lean = _end(ds, "Lean mass [kg]")
    assert lean[1] > lean[0] and _end(ds, "Trained lean mass [kg]")[1] > 0.1
    assert _end(ds, "GLUT4 content [x baseline]")[1] > 1.0
    si = _end(ds, "Peripheral insulin sensitivity [x baseline]")
    assert si[1] > si[0]
    # body composition improves: less fat at the same energy intake -> lower leptin
    assert _end(ds, "Fat mass [kg]")[1] < _end(ds, "Fat mass [kg]")[0]
    assert _end(ds, "Leptin set level [ng/mL]")[1] < _end(ds, "Leptin set level [ng/mL]")[0]


@FEW
@given(people())
def test_hiit_raises_mitochondria_glut4_and_insulin_sensitivity(p: Person) -> None:
    d = DIRECTION_DAYS
    ds = _pair(p, Schedule(meals=_meals(p, d), exercise=_weekly(d, "hiit", 20, 0.9)))
    assert _end(ds, "Mitochondrial capacity [x baseline]")[1] > 1.1
    assert _end(ds, "GLUT4 content [x baseline]")[1] > 1.1
    assert _end(ds, "Diacylglycerol [x baseline]")[1] < _end(ds, "Diacylglycerol [x baseline]")[0]
    h = _fasting_homa(ds, d - 1)
    assert h[1] < h[0]


@FEW
@given(people())
def test_caloric_restriction_lowers_fat_leptin_dag_and_raises_sensitivity(p: Person) -> None:
    d = DIRECTION_DAYS
    ds = _pair(p, Schedule(meals=_meals(p, d, scale=0.75)))
    for name in (
        "Fat mass [kg]",
        "Plasma leptin [ng/mL]",
        "Diacylglycerol [x baseline]",
        "Inflammatory tone CRP [mg/L]",
    ):
        v = _end(ds, name)
        assert v[1] < v[0], name
    # a deficit does not raise oxidative capacity (Toledo 2008: 16 weeks of diet-induced weight
    # loss left it unchanged); before session 15 the overload term worked both ways
    assert _end(ds, "Mitochondrial capacity [x baseline]")[1] == pytest.approx(1.0, abs=1e-6)
    h = _fasting_homa(ds, d - 1)
    assert h[1] < h[0]


@FEW
@given(people())
def test_inflammation_raises_irs1_serine_phosphorylation_and_lowers_sensitivity(
    p: Person,
) -> None:
    """Weight gain (overfeeding +25%) raises inflammatory tone -> JNK/IKK -> IRS-1 Ser-P."""
    d = DIRECTION_DAYS
    ds = _pair(p, Schedule(meals=_meals(p, d, scale=1.25)))
    jnk = _end(ds, "JNK/IKK activity [x baseline]")
    serp = _end(ds, "IRS-1 serine phosphorylation [x baseline]")
    si = _end(ds, "Peripheral insulin sensitivity [x baseline]")
    assert jnk[1] > jnk[0] and serp[1] > serp[0] and si[1] < si[0]
    assert _end(ds, "Mitochondrial capacity [x baseline]")[1] < 1.0  # nutrient overload
    h = _fasting_homa(ds, d - 1)
    assert h[1] > h[0]


@FEW
@given(people())
def test_saturated_fat_raises_dag_er_stress_and_lowers_sensitivity(p: Person) -> None:
    d = DIRECTION_DAYS
    ds = _pair(p, Schedule(meals=_meals(p, d), signals={"sat_fat_change": [(0.0, 8.0)]}))
    assert _end(ds, "PKC activity [x baseline]")[1] > 1.0
    assert _end(ds, "Hypothalamic ER stress [x baseline]")[1] > 1.0
    assert _end(ds, "Leptin sensitivity [1]")[1] < 1.0
    si = _end(ds, "Hepatic insulin sensitivity [x baseline]")
    assert si[1] < si[0]


def test_leptin_crosstalk_follows_fat_mass_leptin_not_a_fasts_fall() -> None:
    """Leptin -> JAK2 -> IRS-2 reads the slow (fat-mass) leptin signal. Weeks of restriction
    lower it and, with the crosstalk on, hepatic insulin action relative to the crosstalk
    switched off. A 3-day fast lowers plasma leptin (Boden 1996: -64 to -72 % over 52 h) but
    not the crosstalk: leptin kept at fed levels through a 72-h fast left the fasting changes
    of fuel use unchanged in men (Chan 2003)."""
    p = _demo()
    d = 28
    sol = simulate_physiology(
        [p, p],
        Schedule(meals=_meals(p, d, scale=0.6)),
        days=d,
        output_interval_min=60.0,
        parameters={"attr_leptin_crosstalk": [1.0, 0.0]},
    )
    ds = sol.dataset
    f = _end(ds, "Leptin-insulin crosstalk [x baseline]")
    assert f[0] < 0.999 and f[1] == pytest.approx(1.0)
    s = _end(ds, "Hepatic insulin sensitivity [x baseline]")
    assert s[0] < s[1]

    fast = simulate_physiology(
        p,
        Schedule(meals=[m for m in _meals(p, 4) if m.time_min < DAY]),  # fast from day 1
        days=4,
        output_interval_min=60.0,
    ).dataset
    leptin = fast["Plasma leptin [ng/mL]"].values[0]
    assert leptin[-1] < 0.7 * leptin[24]
    crosstalk = fast["Leptin-insulin crosstalk [x baseline]"].values[0]
    assert np.all(np.abs(crosstalk - 1.0) < 0.01)


def test_diet_signals_outside_their_range_are_refused() -> None:
    with pytest.raises(InputError, match="whole_food_diet"):
        Schedule(signals={"whole_food_diet": [(0.0, 1.5)]})
    with pytest.raises(InputError, match="omega3"):
        Schedule(signals={"omega3": [(0.0, -1.0)]})
    with pytest.raises(InputError, match="sat_fat_change"):
        Schedule(signals={"sat_fat_change": [(0.0, float("nan"))]})
    with pytest.raises(InputError, match=r"exercise\.kind"):
        ExerciseBout(0.0, 30.0, 0.5, kind="yoga")
    with pytest.raises(InputError, match=r"meal\.fat_g"):
        Meal(0.0, 50.0, fat_g=-5.0)


def test_ad_libitum_eating_of_the_habitual_day_is_weight_stable():
    """Appetite peaks at meal times; ``appetite_habitual`` normalises the meal-weighted appetite
    so that eating by appetite on an unchanged lifestyle keeps the habitual intake (before the
    fix: +2.3% intake, +0.45 kg in 12 weeks over the habitual arm)."""
    from endotwin.person import demo_person
    from endotwin.physiology import simulate_physiology

    p = demo_person()
    ad_lib = simulate_physiology(p, "ad libitum for 4 weeks", output_interval_min=60)
    fixed = simulate_physiology(p, None, days=28, output_interval_min=60)
    w_ad = ad_lib.dataset["Body weight [kg]"].values[0]
    w_fix = fixed.dataset["Body weight [kg]"].values[0]
    assert abs(w_ad[-1] - w_fix[-1]) < 0.03
    eaten_ad = ad_lib.dataset["Energy intake [kcal]"].values[0, -1]
    eaten_fix = fixed.dataset["Energy intake [kcal]"].values[0, -1]
    assert eaten_ad / eaten_fix == pytest.approx(1.0, abs=0.003)
