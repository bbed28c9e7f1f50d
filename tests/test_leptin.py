"""Leptin-appetite component (``components/leptin.py``, parameter set ``leptin_appetite``).

Calibration targets T1-T31 of ``docs/research/leptin-appetite.md`` section 5, with the spec's
tolerances. The model is Hall 2011 + leptin (prescribed intake) or Hall 2011 + leptin + ad-libitum
eating. Measured values are printed (``pytest -s``). Persons are chosen from the study
descriptions in the spec (sex, BMI, age); fasts and restrictions start at t = 0 from the
weight-stable baseline, so L0 is the initial plasma leptin.
"""

from __future__ import annotations

import numpy as np
import pytest

from endotwin.citations import CITATIONS
from endotwin.components.body_composition import (
    baseline_intake,
    body_composition,
    intake_schedule,
)
from endotwin.components.leptin import ad_libitum_eating, leptin_appetite
from endotwin.model import Model
from endotwin.parameters.parameter_set import get_parameter_set
from endotwin.schedule import Schedule
from endotwin.simulate import run

DAY = 1440.0
H = 60.0


@pytest.fixture(scope="module")
def model() -> Model:
    return Model("hall_leptin", [body_composition(), leptin_appetite()])


@pytest.fixture(scope="module")
def adlib() -> Model:
    return Model("hall_leptin_adlib", [body_composition(), leptin_appetite(), ad_libitum_eating()])


def _person(**cov: float) -> dict[str, float]:
    v = get_parameter_set("hall2011").values()
    v.update(get_parameter_set("leptin_appetite").values())
    v.update(cov)
    return v


def _stack(people: list[dict[str, float]]) -> dict[str, np.ndarray]:
    return {k: np.array([p[k] for p in people], dtype=float) for k in people[0]}


def _fm_pct(bw: float, fm: float) -> float:
    return 100.0 * fm / bw


# -- structure and parameters ------------------------------------------------------------------
def test_parameter_set_provenance():
    ps = get_parameter_set("leptin_appetite")
    comp = leptin_appetite()
    assert {q.name for q in comp.parameters} == set(ps)
    for p in ps.parameters.values():
        assert p.unit and p.source and p.bounds_source
        assert p.citation in CITATIONS, p.name
    for key in comp.citations + ad_libitum_eating().citations:
        assert key in CITATIONS


def test_model_structure(model, adlib):
    for name in (
        "leptin",
        "leptin_set",
        "leptin_fast_factor",
        "leptin_sensitivity",
        "leptin_signal",
        "hunger_drive",
        "appetite_factor",
    ):
        assert name in {d.name for d in leptin_appetite().derived}
    drive = {d.name: d for d in model.derived}["AT_drive"]
    assert "leptin_signal" in {s.name for s in drive.expr.free_symbols}
    assert "beta_AT" not in {s.name for s in drive.expr.free_symbols}
    assert {"energy_intake", "energy_loss", "leptin_receptor_inhibition"} <= set(model.input_names)
    # ad libitum: intake is computed, so it is no longer an input
    assert "energy_intake" not in adlib.input_names
    assert "carb_intake" not in adlib.input_names
    assert {"intake_offset", "energy_loss"} <= set(adlib.input_names)


# -- baseline ------------------------------------------------------------------------------------
BASE_PEOPLE = [
    {},
    dict(BW=60.0, height_cm=165.0, age_yr=30.0, is_male=0.0),
    dict(BW=110.0, height_cm=175.0, age_yr=65.0, body_fat_pct=38.0, is_male=0.0),
]


def test_weight_stable_baseline(model, adlib):
    """At the baseline intake (prescribed or ad libitum) nothing moves for a year."""
    v = _stack([_person(**c) for c in BASE_PEOPLE])
    ei0 = baseline_intake(model, v)
    runs = {
        "prescribed": run(
            model,
            v,
            [intake_schedule(float(e)) for e in ei0],
            duration_min=365 * DAY,
            output_interval_min=73 * DAY,
        ).dataset,
        "ad libitum": run(
            adlib, v, Schedule(), duration_min=365 * DAY, output_interval_min=73 * DAY
        ).dataset,
    }
    for label, ds in runs.items():
        for name, tol in (
            ("Plasma leptin [ng/mL]", 1e-9),
            ("Hypothalamic leptin signal [1]", 1e-9),
            ("Leptin fast factor [1]", 1e-9),
            ("Appetite factor [1]", 1e-9),
            ("Adaptive thermogenesis [kcal/day]", 1e-6),
            ("Body weight [kg]", 1e-6),
        ):
            x = ds[name].values
            dev = float(np.max(np.abs(x - x[:, :1])))
            print(f"baseline {label}: max |{name} - initial| = {dev:.2e}")
            assert dev < tol
        np.testing.assert_allclose(ds["Hypothalamic leptin signal [1]"].values, 1.0, atol=1e-9)
        np.testing.assert_allclose(ds["Hunger drive [kcal/day]"].values, 0.0, atol=1e-6)
    intake = runs["ad libitum"]["Energy intake rate [kcal/day]"].values
    np.testing.assert_allclose(intake, np.repeat(ei0[:, None], intake.shape[1], 1), rtol=1e-12)


# -- set level: T1-T5 --------------------------------------------------------------------------
def test_set_level_T1_to_T5(model):
    people = [
        _person(BW=82.0, height_cm=178.0, body_fat_pct=_fm_pct(82.0, 20.5)),  # T1
        _person(BW=68.0, height_cm=165.0, is_male=0.0, body_fat_pct=_fm_pct(68.0, 20.4)),  # T2
    ]
    people += [_person(BW=80.0, body_fat_pct=bf) for bf in (15.0, 25.0, 35.0)]  # T3
    people += [
        _person(BW=70.0, height_cm=165.0, is_male=0.0, body_fat_pct=bf) for bf in (30.0, 40.0, 50.0)
    ]  # T4
    v = _stack(people)
    ds = run(model, v, Schedule(), duration_min=60.0, output_interval_min=60.0).dataset
    L = ds["Plasma leptin [ng/mL]"].values[:, 0]
    np.testing.assert_allclose(ds["Leptin set level [ng/mL]"].values[:, 0], L)
    print(f"T1 man FM 20.5 kg: {L[0]:.2f} ng/mL (6.9 +/- 10 %)")
    print(f"T2 woman FM 20.4 kg: {L[1]:.2f} ng/mL (15.2 +/- 10 %)")
    assert L[0] == pytest.approx(6.9, rel=0.10)
    assert L[1] == pytest.approx(15.2, rel=0.10)
    kennedy_m = [0.402 * bf - 3.087 for bf in (15.0, 25.0, 35.0)]
    kennedy_f = [1.293 * bf - 24.817 for bf in (30.0, 40.0, 50.0)]
    print("T3 men 80 kg, %BF 15/25/35:", np.round(L[2:5], 2), "Kennedy", np.round(kennedy_m, 2))
    print("T4 women 70 kg, %BF 30/40/50:", np.round(L[5:8], 2), "Kennedy", np.round(kennedy_f, 2))
    np.testing.assert_allclose(L[2:5], kennedy_m, rtol=0.35)
    np.testing.assert_allclose(L[5:8], kennedy_f, rtol=0.35)
    # T5: same fat mass (20.5 kg), female / male
    v5 = _stack(
        [
            _person(BW=82.0, height_cm=178.0, body_fat_pct=_fm_pct(82.0, 20.5)),
            _person(BW=82.0, height_cm=178.0, is_male=0.0, body_fat_pct=_fm_pct(82.0, 20.5)),
        ]
    )
    L5 = (
        run(model, v5, Schedule(), duration_min=60.0, output_interval_min=60.0)
        .dataset["Plasma leptin [ng/mL]"]
        .values[:, 0]
    )
    ratio = L5[1] / L5[0]
    print(f"T5 female/male at equal FM: {ratio:.2f} (2.2; 1.8-3.4)")
    assert 1.8 <= ratio <= 3.4


def test_measured_leptin_and_age_factor(model):
    v = _stack(
        [
            _person(leptin_measured=12.0),
            _person(age_yr=70.0, leptin_f_age60=0.5),
            _person(age_yr=70.0),
        ]
    )
    L = (
        run(model, v, Schedule(), duration_min=60.0, output_interval_min=60.0)
        .dataset["Plasma leptin [ng/mL]"]
        .values[:, 0]
    )
    assert L[0] == pytest.approx(12.0, rel=1e-12)
    assert L[1] == pytest.approx(0.5 * L[2], rel=1e-12)


# -- fasting and refeeding: T6-T11 ---------------------------------------------------------------
@pytest.fixture(scope="module")
def fasts(model):
    """Fasts from t = 0 (0 kcal), then refeeding at the baseline intake."""
    cases = {
        "T6": (dict(BW=60.0, height_cm=165.0, age_yr=30.0, is_male=0.0), 52.0),
        "T7": (dict(BW=100.0, height_cm=165.0, age_yr=40.0, is_male=0.0), 52.0),
        "T8": (dict(BW=62.0, height_cm=165.0, age_yr=30.0, is_male=0.0), 72.0),
        "T10": (dict(BW=75.0, height_cm=178.0, age_yr=30.0), 36.0),
        "T11": (dict(BW=66.0, height_cm=165.0, age_yr=30.0, is_male=0.0), 96.0),
    }
    v = _stack([_person(**c) for c, _ in cases.values()])
    ei0 = baseline_intake(model, v)
    scheds = [
        intake_schedule([(0.0, 0.0), (h / 24.0, float(e))])
        for (_, h), e in zip(cases.values(), ei0, strict=True)
    ]
    ds = run(model, v, scheds, duration_min=6 * DAY, output_interval_min=30.0).dataset
    ratio = ds["Plasma leptin [ng/mL]"].values
    ratio = ratio / ratio[:, :1]
    bw = ds["Body weight [kg]"].values
    return {k: (ratio[i], bw[i] / bw[i, 0], h) for i, (k, (_, h)) in enumerate(cases.items())}


def _at(x: np.ndarray, hours: float) -> float:
    return float(x[round(hours * H / 30.0)])


def test_fasting_T6_T7_T8_T11(fasts):
    for key, target, lo, hi in (
        ("T6", 0.36, 0.25, 0.50),
        ("T7", 0.28, 0.20, 0.50),
        ("T8", 0.38, 0.25, 0.50),
        ("T11", 0.46, 0.38, 0.55),
    ):
        r, _, h = fasts[key]
        val = _at(r, h)
        print(f"{key}: L/L0 after {h:g} h fast = {val:.3f} (target {target}; {lo}-{hi})")
        assert lo <= val <= hi


@pytest.mark.xfail(
    reason="Hall 2011 loses glycogen with its water and ECF (carbohydrate-driven natriuresis) "
    "faster than Weigle's women: -4.8 % BW at 72 h vs -2.6 % (-1.8 to -3.4); the body-weight "
    "change is Hall's, not the leptin component's",
    strict=True,
)
def test_fasting_T8_body_weight(fasts):
    _, bw, h = fasts["T8"]
    dbw = 100.0 * (_at(bw, h) - 1.0)
    print(f"T8: body weight change after 72 h fast = {dbw:.2f} % (-2.6; -1.8 to -3.4)")
    assert -3.4 <= dbw <= -1.8


def test_refeeding_T9(fasts):
    r, _, h = fasts["T8"]
    after = r[round(h * H / 30.0) :]
    hours = float(np.argmax(after >= 0.9)) * 0.5 if np.any(after >= 0.9) else np.inf
    print(f"T9: time to L >= 0.9 L0 after refeeding = {hours:g} h (target 12 h; <= 24 h)")
    assert hours <= 24.0


def test_short_fast_T10(fasts):
    r, _, _ = fasts["T10"]
    l12 = _at(r, 12.0)
    t_min = float(np.argmin(r)) * 0.5
    print(f"T10: L(12 h)/L0 = {l12:.3f} (>= 0.9; >= 0.85); nadir at {t_min:g} h (36; 30-40)")
    assert l12 >= 0.85
    assert 30.0 <= t_min <= 40.0


# -- restriction: T12-T15 ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def restriction(model):
    """(person, fraction of needs or fixed kcal/d, days) from t = 0."""
    cases = {
        "T12 men": (dict(BW=76.0, height_cm=178.0, age_yr=30.0), 0.32, 7.0),
        "T12 women": (dict(BW=65.3, height_cm=165.0, age_yr=30.0, is_male=0.0), 0.32, 7.0),
        "T13": (dict(BW=88.5, height_cm=180.0, age_yr=35.0), 0.36, 4.0),
        "T14": (dict(BW=95.0, height_cm=162.0, age_yr=40.0, is_male=0.0), -1000.0, 42.0),
        "T15": (dict(BW=125.0, height_cm=163.0, age_yr=40.0, is_male=0.0), -1000.0, 10.0),
    }
    v = _stack([_person(**c) for c, _, _ in cases.values()])
    ei0 = baseline_intake(model, v)
    scheds = [
        intake_schedule(-f if f < 0 else f * float(e))
        for (_, f, _), e in zip(cases.values(), ei0, strict=True)
    ]
    ds = run(model, v, scheds, duration_min=42 * DAY, output_interval_min=DAY / 2).dataset
    L = ds["Plasma leptin [ng/mL]"].values
    return {
        k: float(L[i, round(2 * d)] / L[i, 0]) for i, (k, (_, _, d)) in enumerate(cases.items())
    }


@pytest.mark.parametrize(
    ("key", "target", "lo", "hi"),
    [
        ("T12 men", 0.64, 0.54, 0.74),
        ("T13", 0.61, 0.56, 0.65),
        ("T14", 0.45, 0.35, 0.60),
        ("T15", 0.74, 0.50, 0.98),
    ],
)
def test_restriction(restriction, key, target, lo, hi):
    val = restriction[key]
    print(f"{key}: L/L0 = {val:.3f} (target {target}; {lo}-{hi})")
    assert lo <= val <= hi


@pytest.mark.xfail(
    reason="the fast factor is sex-independent (spec section 7: a sex-specific E_min is a "
    "candidate); Dubuc's women fall to 0.39 while the men fall to 0.64 (model: women ~0.59)",
    strict=True,
)
def test_restriction_T12_women(restriction):
    val = restriction["T12 women"]
    print(f"T12 women: L/L0 = {val:.3f} (target 0.39; 0.29-0.49)")
    assert 0.29 <= val <= 0.49


# -- slow loss and reduced weight: T17, T18 ------------------------------------------------------
def test_van_rossum_T17(model):
    """54 obese postmenopausal women (BMI 32, FM 39 kg, 60 y), -300 kcal/d for 6 months."""
    v = _stack([_person(BW=82.0, height_cm=160.0, age_yr=60.0, is_male=0.0, body_fat_pct=47.6)])
    ei0 = float(baseline_intake(model, v)[0])
    ds = run(
        model, v, intake_schedule(ei0 - 300.0), duration_min=183 * DAY, output_interval_min=61 * DAY
    ).dataset
    bw, fm = ds["Body weight [kg]"].values[0], ds["Fat mass [kg]"].values[0]
    L = ds["Plasma leptin [ng/mL]"].values[0]
    dbw, dfm, dl = bw[-1] - bw[0], fm[-1] - fm[0], 100.0 * (L[-1] / L[0] - 1.0)
    print(f"T17: dBW {dbw:.2f} kg (-5.8 +/- 3.4), dFM {dfm:.2f} kg (-5.2 +/- 3.5), dL {dl:.1f} %")
    assert -9.2 <= dbw <= -2.4
    assert -8.7 <= dfm <= -1.7
    assert -35.0 <= dl <= -5.0


def test_reduced_weight_T18(model):
    """Nagy 1998: postmenopausal women, FM 29.7 kg (BMI 27.7, 40.7 % fat), weight-stable at
    FM 20.3 kg. Constant intakes for 4 years reach their equilibria; interpolate at 20.3 kg."""
    fr = np.linspace(0.50, 0.85, 6)
    cov = dict(BW=73.0, height_cm=162.3, age_yr=55.0, is_male=0.0, body_fat_pct=40.7)
    v = _stack([_person(**cov)] * len(fr))
    ei0 = float(baseline_intake(model, v)[0])
    ds = run(
        model,
        v,
        [intake_schedule(f * ei0) for f in fr],
        duration_min=4 * 365 * DAY,
        output_interval_min=365 * DAY,
    ).dataset
    fm = ds["Fat mass [kg]"].values[:, -1]
    ratio = ds["Plasma leptin [ng/mL]"].values[:, -1] / ds["Plasma leptin [ng/mL]"].values[:, 0]
    o = np.argsort(fm)
    val = float(np.interp(20.3, fm[o], ratio[o]))
    print(f"T18: weight-stable L/L0 at FM 29.7 -> 20.3 kg = {val:.3f} (0.36; 0.30-0.50)")
    assert fm.min() < 20.3 < fm.max()
    assert 0.30 <= val <= 0.50


# -- ad libitum feedback: T28-T30 ----------------------------------------------------------------
@pytest.fixture(scope="module")
def covert_loss(adlib):
    """Reference man eating ad libitum with an unnoticed energy loss (urinary glucose)."""
    v = _stack([_person(), _person()])
    ei0 = float(baseline_intake(adlib, v)[0])
    scheds = [
        Schedule(signals={"energy_loss": [(0.0, 360.0)]}),  # Polidori (52 wk)
        Schedule(signals={"energy_loss": [(0.0, 206.0)]}),  # Ferrannini (90 wk)
    ]
    ds = run(adlib, v, scheds, duration_min=630 * DAY, output_interval_min=7 * DAY).dataset
    return ds, ei0


def test_polidori_T28_T30(covert_loss):
    ds, ei0 = covert_loss
    w = 52
    bw = ds["Body weight [kg]"].values[0]
    ei = ds["Energy intake rate [kcal/day]"].values[0]
    ee = ds["Energy expenditure [kcal/day]"].values[0]
    dbw, dei, dee = bw[w] - bw[0], ei[w] - ei0, ee[w] - ee[0]
    gain = dei / -dbw
    adapt = dee / dbw
    print(f"T28: 52 wk, loss 360 kcal/d: dBW {dbw:.2f} kg, dEI {dei:.0f} kcal/d, ")
    print(f"     dEI/-dBW = {gain:.1f} kcal/d/kg (100; 80-120)")
    print(f"T30: EE adaptation dEE/dBW = {adapt:.1f} kcal/d/kg (<= 33)")
    assert 80.0 <= gain <= 120.0
    assert 0.0 < adapt <= 33.0
    assert adapt < gain / 3.0


@pytest.mark.xfail(
    reason="Ferrannini 2015 needs EE to rise (+2 %) while weight falls: dEI - U = +63 kcal/d; in "
    "this structure EE falls with weight, so the steady state is ~-1.4 kg, +160 kcal/d",
    strict=True,
)
def test_ferrannini_T29(covert_loss):
    ds, ei0 = covert_loss
    w = 90
    dbw = ds["Body weight [kg]"].values[1, w] - ds["Body weight [kg]"].values[1, 0]
    dei = ds["Energy intake rate [kcal/day]"].values[1, w] - ei0
    print(f"T29: 90 wk, loss 206 kcal/d: dBW {dbw:.2f} kg (-3.2; -2 to -5), dEI {dei:.0f} (+269)")
    assert -5.0 <= dbw <= -2.0
    assert 180.0 <= dei <= 350.0


# -- expenditure at reduced weight: T31 ----------------------------------------------------------
@pytest.mark.parametrize(
    ("label", "cov", "lo", "hi"),
    [
        ("never-obese", dict(BW=70.0, height_cm=178.0, age_yr=35.0), -9.0, -3.0),
        ("obese", dict(BW=110.0, height_cm=175.0, age_yr=35.0), -13.0, -3.0),
    ],
)
def test_leibel_T31(model, label, cov, lo, hi):
    """Weight held 10 % below baseline by a prescribed intake (4-year equilibria of constant
    intakes, interpolated at 0.9 BW0). dTEE/FFM with the baseline FFM (spec: "dTEE/FFM")."""
    fr = np.linspace(0.75, 0.95, 5)
    v = _stack([_person(**cov)] * len(fr))
    ei0 = float(baseline_intake(model, v)[0])
    ds = run(
        model,
        v,
        [intake_schedule(f * ei0) for f in fr],
        duration_min=4 * 365 * DAY,
        output_interval_min=365 * DAY,
    ).dataset
    bw = ds["Body weight [kg]"].values
    ee = ds["Energy expenditure [kcal/day]"].values
    ffm = bw - ds["Fat mass [kg]"].values
    rel = bw[:, -1] / bw[:, 0]
    o = np.argsort(rel)
    # equilibrium: expenditure equals the prescribed intake
    np.testing.assert_allclose(ee[:, -1], fr * ei0, rtol=2e-3)
    d_abs = float(np.interp(0.9, rel[o], ((ee[:, -1] - ee[:, 0]) / ffm[:, 0])[o]))
    d_ratio = float(np.interp(0.9, rel[o], (ee[:, -1] / ffm[:, -1] - ee[:, 0] / ffm[:, 0])[o]))
    at = float(np.interp(0.9, rel[o], ds["Adaptive thermogenesis [kcal/day]"].values[o, -1]))
    print(
        f"T31 {label}: dTEE/FFM0 = {d_abs:.2f} kcal/kg FFM/d ({lo}..{hi}); "
        f"d(TEE/FFM) = {d_ratio:.2f}; AT = {at:.0f} kcal/d"
    )
    assert lo <= d_abs <= hi


# -- leptin resistance input ---------------------------------------------------------------------
def test_receptor_inhibition_raises_hunger(adlib):
    v = _stack([_person(), _person()])
    scheds = [
        Schedule(signals={"leptin_receptor_inhibition": [(0.0, 0.0)]}),
        Schedule(signals={"leptin_receptor_inhibition": [(0.0, 0.3)]}),
    ]
    ds = run(adlib, v, scheds, duration_min=180 * DAY, output_interval_min=60 * DAY).dataset
    sigma = ds["Leptin sensitivity [1]"].values
    np.testing.assert_allclose(sigma[1], 0.7, atol=1e-6)
    np.testing.assert_allclose(sigma[0], 1.0, atol=1e-6)
    bw = ds["Body weight [kg]"].values
    app = ds["Appetite factor [1]"].values
    print(f"inhibition 0.3, 180 d ad lib: dBW {bw[1, -1] - bw[1, 0]:.2f} kg, appetite {app[1]}")
    assert app[1, 1] > 1.0 and bw[1, -1] > bw[1, 0] + 1.0
    assert abs(bw[0, -1] - bw[0, 0]) < 1e-6


# -- both backends -------------------------------------------------------------------------------
def test_jax_backend_agrees(adlib):
    """The smooth clips and switches generate valid JAX code: fast, refeed, covert loss."""
    v = _stack([_person()])
    s = Schedule(
        signals={"energy_loss": [(0.0, 360.0)], "intake_offset": [(0.0, -2748.45), (3 * DAY, 0.0)]}
    )
    kw = dict(duration_min=10 * DAY, output_interval_min=DAY)
    a = run(adlib, v, s, backend="numba", **kw).dataset
    b = run(adlib, v, s, backend="jax", **kw).dataset
    for name in ("Plasma leptin [ng/mL]", "Body weight [kg]", "Appetite factor [1]"):
        dev = float(np.max(np.abs(a[name].values - b[name].values)))
        print(f"jax vs numba, max |{name}| difference = {dev:.1e}")
        assert dev < 1e-4 * float(np.max(np.abs(a[name].values)))
