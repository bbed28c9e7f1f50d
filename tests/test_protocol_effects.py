"""Protocols act through the mechanisms only, and each acts in the direction the article says.

Each test compiles protocol text for the demo person, runs the arms as one batch of the coupled
model, and compares with the habitual-lifestyle arm (same person, same days). The rows of the
article's "Comparison of Lifestyle Intervention Effects" table and the tests that cover them are
listed in docs/protocols.md.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import endotwin as et
from endotwin.errors import ProtocolError
from endotwin.models import physiology_model
from endotwin.physiology import habitual_day, maintenance_intake, simulate_physiology
from endotwin.protocols import Protocol, compile_protocol
from endotwin.protocols.glycaemic_index import (
    GI_SAMPLE_TIMES_MIN,
    _table,
    gi_habitual,
    gi_range,
    gut_rate_for_gi,
    incremental_auc,
    simulate_iauc_ratios,
)

DAY = 1440.0
#: inputs that describe behaviour (what is eaten, when, how one moves, supplements)
BEHAVIOUR_INPUTS = {
    "carb_rate",
    "meal_size",
    "gut_rate_log",
    "fat_rate",
    "protein_rate",
    "iv_glucose",
    "exercise_intensity",
    "resistance_exercise",
    "sodium_intake_change",
    "ad_libitum",
    "whole_food_diet",
    "omega3",
    "sat_fat_change",
}


@pytest.fixture(scope="module")
def person() -> et.Person:
    return et.demo_person()


def _arms(person: et.Person, texts: list[str], days: int, interval: float = 15.0):
    """Simulate the habitual arm plus one arm per protocol text, as one batch."""
    schedules = [habitual_day(person, days)] + [
        compile_protocol(t, person, days=days).schedule for t in texts
    ]
    sol = simulate_physiology(
        [person] * len(schedules), schedules, days=days, output_interval_min=interval
    )
    return sol.dataset


def _at(ds, name: str, day: float, hour: float = 7.0) -> np.ndarray:
    return ds[name].sel(time=day * DAY + hour * 60.0, method="nearest").values


def test_model_inputs_are_behaviour_only_and_protocols_set_no_outcome(person) -> None:
    """No model input is an outcome: a protocol can only act through behaviour."""
    model = physiology_model()
    assert set(model.input_names) <= BEHAVIOUR_INPUTS, set(model.input_names) - BEHAVIOUR_INPUTS
    c = compile_protocol(
        "whole-food diet, 20% deficit, 30 g fibre, 8% saturated fat; omega-3 2 g/day; 16:8 "
        "fasting; HIIT 3x/week 20 min; strength training 2x/week 45 min at 07:00; adherence 90% "
        "for 2 weeks then ad libitum for 1 weeks",
        person,
    )
    assert set(c.schedule.signals) <= BEHAVIOUR_INPUTS
    assert set(c.schedule.change_points()) <= BEHAVIOUR_INPUTS
    outcomes = set(model.outputs)
    assert not any(name in outcomes for name in c.schedule.signals)


def test_compilation_is_deterministic_given_the_seed(person) -> None:
    text = "16:8 fasting; HIIT 3x/week 20 min; adherence 70% for 4 weeks"
    a = compile_protocol(text, person)
    b = compile_protocol(text, person)
    c = compile_protocol(text + "; seed 7", person)
    followed = [p.adherent for p in a.plans]
    assert followed == [p.adherent for p in b.plans] and a.schedule == b.schedule
    assert followed != [p.adherent for p in c.plans]
    assert 0.4 < np.mean(followed) < 0.95  # 70% of 28 days, binomial spread
    # a day not followed is the habitual day: three habitual meals, no exercise
    hab = habitual_day(person, 28).meals
    for p in a.plans:
        if not p.adherent:
            assert p.exercise == () and [m.time_min for m in p.meals] == [
                m.time_min for m in hab[3 * p.day : 3 * p.day + 3]
            ]


def test_zero_adherence_is_the_habitual_lifestyle(person) -> None:
    c = compile_protocol("16:8 fasting; HIIT 3x/week 20 min; adherence 0% for 2 weeks", person)
    hab = habitual_day(person, 14)
    assert c.schedule.meals == hab.meals and c.schedule.exercise == () and not c.schedule.signals


def test_energy_of_the_plan_matches_the_diet(person) -> None:
    c = compile_protocol("1800 kcal/day, 40% carbs, 25% protein; 16:8 fasting for 1 weeks", person)
    for p in c.plans:
        assert sum(m.energy_kcal for m in p.meals) == pytest.approx(1800.0)
        carbs = sum(4 * m.carbs_g for m in p.meals)
        assert carbs == pytest.approx(0.40 * 1800.0)
        assert all(12 * 60 <= (m.time_min % DAY) <= 20 * 60 - 15 for m in p.meals)
    c = compile_protocol("5:2 fasting at 600 kcal for 2 weeks", person)
    energies = [p.energy_kcal for p in c.plans]
    assert sorted(energies)[:4] == pytest.approx([600.0] * 4)
    assert energies[0] == pytest.approx(600.0) and energies[3] == pytest.approx(600.0)
    c = compile_protocol("3-day fast then 16:8 fasting for 1 weeks", person)
    assert [len(p.meals) for p in c.plans[:4]] == [0, 0, 0, 2] and c.days == 10


def test_exercise_sessions_alternate_and_never_overlap(person) -> None:
    c = compile_protocol(
        "HIIT 3x/week 20 min at 18:00; strength training 3x/week 45 min at 18:00; walk 30 min "
        "daily at 18:00 for 2 weeks",
        person,
    )
    bouts = c.schedule.exercise
    assert sum(b.kind == "hiit" for b in bouts) == 6
    assert sum(b.kind == "strength" for b in bouts) == 6
    hiit_days = {int(b.start_min // DAY) % 7 for b in bouts if b.kind == "hiit"}
    strength_days = {int(b.start_min // DAY) % 7 for b in bouts if b.kind == "strength"}
    assert hiit_days == {0, 2, 4} and strength_days == {1, 3, 5}
    for a, b in itertools.pairwise(bouts):
        assert b.start_min >= a.start_min + a.duration_min


def test_omitted_meals_are_partly_made_up(person) -> None:
    """A window that drops the habitual breakfast (25 % of the day) leaves 65 % of it uneaten
    (Levitsky & Pacanowski 2013: 35 % made up); two dropped meals (60 %) likewise; prescribed
    energy or three meals are not touched."""
    from endotwin.protocols.compile import MEAL_OMISSION_COMPENSATION

    uneaten = 1 - MEAL_OMISSION_COMPENSATION
    ei0 = compile_protocol("3 meals a day; ad libitum for 1 weeks", person).plans[0].energy_kcal
    tre = compile_protocol("eat between 12:00 and 20:00; ad libitum for 1 weeks", person)
    assert len(tre.plans[0].meals) == 2
    assert tre.plans[0].energy_kcal == pytest.approx(ei0 * (1 - uneaten * 0.25))
    omad = compile_protocol("one meal a day at 18:00 for 1 weeks", person).plans[0]
    assert omad.energy_kcal == pytest.approx(ei0 * (1 - uneaten * 0.60))
    fixed = compile_protocol("eat between 12:00 and 20:00; 1800 kcal/day for 1 weeks", person)
    assert fixed.plans[0].energy_kcal == pytest.approx(1800.0)


def test_fasting_window_lengthens_low_insulin_and_switches_to_fat(person) -> None:
    """16:8 at the same energy: longer low-insulin time, more glycogen depletion, more switching
    (the article: 'lowers baseline insulin levels and promotes metabolic switching')."""
    from endotwin.models import physiology_model
    from endotwin.physiology import maintenance_intake

    ei0 = maintenance_intake(person.parameter_values(physiology_model().parameter_names))
    ds = _arms(person, [f"16:8 fasting; {ei0:.1f} kcal/day for 2 weeks"], 14)
    ins = ds["Plasma insulin [pmol/L]"].values
    t = ds["time"].values
    last = (t >= 13 * DAY) & (t < 14 * DAY)
    basal = ins[0, 0]
    low_h = (ins[:, last] < 1.25 * basal).sum(axis=1) * 15.0 / 60.0
    assert low_h[1] > low_h[0] + 2.0, low_h
    sw = ds["Metabolic switch [1]"].values[:, last].mean(axis=1)
    assert sw[1] > sw[0]
    gly = ds["Glycogen [kg]"].values[:, last].min(axis=1)
    assert gly[1] < gly[0]


def test_time_restricted_eating_at_its_observed_intake_lowers_insulin_and_leptin(person) -> None:
    """16:8 as people live it eats less: -341 kcal/day, about 14% (Gabel 2018). At that intake it
    lowers fasting insulin and leptin ('reduces circulating leptin levels'). At equal energy the
    model's leptin does not fall (leptin follows fat mass and energy balance, not the clock); as
    written without an energy, the omitted breakfast is only partly made up and leptin falls."""
    from endotwin.models import physiology_model
    from endotwin.physiology import maintenance_intake

    ei0 = maintenance_intake(person.parameter_values(physiology_model().parameter_names))
    ds = _arms(
        person,
        [
            "16:8 fasting; 14% deficit for 6 weeks",
            f"16:8 fasting; {ei0:.1f} kcal/day for 6 weeks",
            "16:8 fasting for 6 weeks",
        ],
        42,
        interval=60.0,
    )
    ins = _at(ds, "Plasma insulin [uU/mL]", 41)
    last = ds["time"].values >= 41 * DAY
    lep = ds["Plasma leptin [ng/mL]"].values[:, last].mean(axis=1)  # daily mean
    assert ins[1] < ins[0] and lep[1] < 0.9 * lep[0]
    assert lep[2] == pytest.approx(lep[0], rel=0.05)
    assert lep[3] < 0.9 * lep[0]


def test_whole_food_diet_slows_absorption_and_lowers_inflammation(person) -> None:
    """Whole foods: lower post-meal glucose peaks (GI through the gut rate) and lower hs-CRP,
    both sensitivities up (the article: 'reduces glucose spikes', 'lowers inflammation')."""
    same = "50% carbs, 30% fat, 20% protein"
    ds = _arms(
        person,
        [f"whole-food diet, {same} for 4 weeks", f"standard western diet, {same} for 4 weeks"],
        28,
    )
    g = ds["Plasma glucose [mg/dL]"].values
    t = ds["time"].values
    breakfast = (t >= 8 * 60) & (t <= 10 * 60)
    peak = g[:, breakfast].max(axis=1)
    area = np.trapezoid(np.clip(g[:, breakfast] - g[:, [0]], 0, None), t[breakfast], axis=1)
    assert peak[1] < peak[2] - 2.0, peak  # same carbohydrate, lower GI
    assert area[1] < 0.95 * area[2], area
    crp = _at(ds, "Inflammatory tone CRP [mg/L]", 27)
    assert crp[1] < crp[0] and crp[2] == pytest.approx(crp[0], rel=0.02)  # western = habitual
    si = _at(ds, "Peripheral insulin sensitivity [x baseline]", 27)
    lep = _at(ds, "Leptin sensitivity [1]", 27)
    assert si[1] > si[0] and lep[1] > lep[0]


def test_fibre_and_glycaemic_load_each_act(person) -> None:
    ds = _arms(person, ["22 g fibre for 3 weeks", "glycaemic load 90 for 3 weeks"], 21)
    crp = _at(ds, "Inflammatory tone CRP [mg/L]", 20)
    assert crp[1] < crp[0]
    g = ds["Plasma glucose [mg/dL]"].values[:, ds["time"].values < DAY].max(axis=1)
    assert g[2] < g[0] - 3.0
    assert crp[2] == pytest.approx(crp[0], rel=0.01)  # GL acts on absorption, not inflammation


def test_omega3_lowers_inflammation_and_raises_leptin_sensitivity(person) -> None:
    ds = _arms(person, ["omega-3 3 g/day for 4 weeks"], 28)
    crp = _at(ds, "Inflammatory tone CRP [mg/L]", 27)
    lep = _at(ds, "Leptin sensitivity [1]", 27)
    assert crp[1] < crp[0] and lep[1] > lep[0]


def test_strength_training_raises_lean_mass_and_glut4(person) -> None:
    """The article: 'increases muscle mass and insulin-independent glucose uptake'."""
    ds = _arms(person, ["strength training 3x/week 45 min for 8 weeks"], 56, interval=60.0)
    lean = _at(ds, "Lean mass [kg]", 55)
    glut4 = _at(ds, "GLUT4 content [x baseline]", 55)
    assert lean[1] > lean[0] + 0.2 and glut4[1] > glut4[0]
    # 'improves body composition, which helps normalize leptin production': less fat, less leptin
    fat, lep = _at(ds, "Fat mass [kg]", 55), _at(ds, "Plasma leptin [ng/mL]", 55)
    assert fat[1] < fat[0] and lep[1] < lep[0]


def test_hiit_raises_insulin_independent_uptake_and_mitochondria(person) -> None:
    ds = _arms(person, ["HIIT 3x/week 20 min for 4 weeks"], 28)
    up = ds["Insulin-independent exercise uptake [mg/kg/min]"].values
    assert up[1].max() > 1.0 and up[0].max() == pytest.approx(0.0, abs=1e-9)
    mito = _at(ds, "Mitochondrial capacity [x baseline]", 27)
    si = _at(ds, "Peripheral insulin sensitivity [x baseline]", 27)
    assert mito[1] > 1.1 and si[1] > si[0]


def test_energy_deficit_lowers_fat_and_leptin_then_ad_libitum_regains(person) -> None:
    """The article: deficit 'reduces circulating leptin levels'; after the deficit, eating to
    appetite (hunger raised by the low leptin) regains weight."""
    ds = _arms(person, ["25% deficit for 4 weeks then ad libitum for 4 weeks"], 56, interval=60.0)
    fat4, fat0 = _at(ds, "Fat mass [kg]", 28), _at(ds, "Fat mass [kg]", 0)
    lep4 = _at(ds, "Plasma leptin [ng/mL]", 28)
    assert fat4[1] < fat0[1] - 1.0 and lep4[1] < lep4[0]
    bw4, bw8 = _at(ds, "Body weight [kg]", 28), _at(ds, "Body weight [kg]", 55)
    assert bw8[1] > bw4[1]


def test_free_living_prescription_drifts_back_towards_appetite(person) -> None:
    """A self-followed prescription eats the plan plus the appetite change (Polidori 2016's
    feedback): the same deficit loses less weight free-living than eaten exactly, and intake
    rises above the plan as weight falls."""
    texts = ["25% deficit for 8 weeks", "25% deficit, free-living for 8 weeks"]
    c = compile_protocol(texts[1], person, days=56)
    gain = dict(c.schedule.signals["ad_libitum"])[0.0]
    ei0 = maintenance_intake(person.parameter_values(physiology_model().parameter_names))
    assert gain == pytest.approx(1.0 / 0.75, rel=1e-9)  # EI0 / plan
    ds = _arms(person, texts, 56, interval=60.0)
    bw0, bw8 = _at(ds, "Body weight [kg]", 0), _at(ds, "Body weight [kg]", 55)
    strict, free = bw8[1] - bw0[1], bw8[2] - bw0[2]
    assert strict < free < 0.0
    cum = "Energy intake [kcal]"
    last_week = (_at(ds, cum, 55, 23.99) - _at(ds, cum, 48, 23.99)) / 7.0
    assert last_week[1] == pytest.approx(0.75 * ei0, rel=0.02)
    assert last_week[2] > 0.75 * ei0 + 50.0
    with pytest.raises(ProtocolError, match="free-living"):
        compile_protocol("free-living for 1 week", person, days=7)


def test_glycaemic_index_table_reproduces_the_iso_definition() -> None:
    """Re-simulate points of the shipped GI table: the 2-h iAUC ratio (ISO 26642 sampling) of a
    50 g carbohydrate meal at the tabulated gut-rate factor is the tabulated ratio."""
    factors, ratios = _table()
    idx = [3, len(factors) // 2, len(factors) - 4]
    got = simulate_iauc_ratios(factors[idx])
    np.testing.assert_allclose(got, ratios[idx], rtol=1e-3)
    assert np.all(np.diff(ratios) > 0)
    assert gut_rate_for_gi(gi_habitual()) == pytest.approx(1.0, abs=1e-12)
    lo, hi = gi_range()
    assert lo < 30 and hi > 80
    with pytest.raises(ValueError, match="outside the calibrated"):
        gut_rate_for_gi(hi + 5)


def test_incremental_auc_ignores_area_below_fasting() -> None:
    t = np.array(GI_SAMPLE_TIMES_MIN)
    assert incremental_auc(t, np.full(7, 90.0)) == 0.0
    g = np.array([90, 110, 130, 110, 90, 80, 90.0])  # triangle 0..60 min, dip below after
    assert incremental_auc(t, g) == pytest.approx(0.5 * 60 * 40)


def test_gut_rate_keeps_mass_balance(person) -> None:
    """A slow (low-GI) meal is absorbed more slowly, not less: everything eaten is absorbed."""
    meals = [et.Meal(60.0, 60.0, gut_rate=r) for r in (0.3, 1.0, 2.0)]
    sol = et.simulate([person] * 3, [et.Schedule(meals=[m]) for m in meals], duration_min=1440)
    absorbed = sol["Absorbed carbohydrate [g]"].values
    left = (sol["Stomach carbohydrate [g]"] + sol["Gut carbohydrate [g]"]).values
    np.testing.assert_allclose((absorbed + left)[:, -1], 60.0, rtol=1e-6)
    at_2h = absorbed[:, int(180 / (sol.time_min[1] - sol.time_min[0]))]
    assert at_2h[0] < at_2h[1] < at_2h[2]


def test_protocol_through_the_public_api(person) -> None:
    sol = et.simulate(person, Protocol("whole-food diet; walk 30 min daily for 1 weeks"))
    assert sol.dataset.sizes["time"] == 7 * 24 + 1
    cited = " ".join(et.cite(sol))
    assert "Esposito" in cited and "Compendium" in cited and "glycemic index" in cited
    from endotwin.physiology import physiology_summary

    s = physiology_summary(sol)
    metrics = set(s.index.get_level_values(1))
    assert {
        "HOMA-IR",
        "body weight [kg]",
        "leptin [ng/mL]",
        "leptin, daily mean [ng/mL]",
    } <= metrics
    row = s.loc[(s.index[0][0], "HOMA-IR")]
    assert row["change"] == pytest.approx(row["end"] - row["start"])
    ds = sol.dataset
    g = ds["Plasma glucose [mg/dL]"].sel(time=6 * 1440 + 420).values[0] / 18.016
    i = ds["Plasma insulin [uU/mL]"].sel(time=6 * 1440 + 420).values[0]
    assert row["end"] == pytest.approx(g * i / 22.5, rel=1e-9)


@pytest.mark.xfail(
    strict=True,
    reason="at equal energy, 12:00-20:00 eating raises the model's 07:00 insulin by ~15 % over "
    "habitual (Gabel 2018: no significant change in fasting insulin): the larger, later dinner "
    "leaves the liver glycogen store fuller at 07:00 and, without glucagon counter-regulation, "
    "fasting glucose and insulin follow the store too closely (docs/validation.md, session 9)",
)
def test_isocaloric_16_8_leaves_fasting_insulin_near_habitual(person) -> None:
    from endotwin.models import physiology_model
    from endotwin.physiology import maintenance_intake

    ei0 = maintenance_intake(person.parameter_values(physiology_model().parameter_names))
    ds = _arms(person, [f"16:8 fasting; {ei0:.1f} kcal/day for 2 weeks"], 14, interval=60.0)
    ins = _at(ds, "Plasma insulin [uU/mL]", 13)
    assert ins[1] == pytest.approx(ins[0], rel=0.1)
