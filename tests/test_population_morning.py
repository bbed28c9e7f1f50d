"""Morning fasting match: a trial's fasting values are 07:00 values on the habitual day."""

from __future__ import annotations

import numpy as np
import pytest

from endotwin.population import Baseline, virtual_population
from endotwin.population.morning import (
    GLUCOSE_TOL_MGDL,
    INSULIN_TOL_LOG,
    _morning_values,
    match_morning_fasting,
)


@pytest.fixture(scope="module")
def matched():
    b = Baseline.model_validate(
        {
            "female_fraction": 0.5,
            "age": {"mean": 50, "sd": 8},
            "bmi": {"mean": 30, "sd": 3},
            "fasting_glucose_mgdl": {"mean": 105, "low": 95, "high": 120},
            "glycaemic_status": "prediabetes",
        }
    )
    pop = virtual_population(b, 4, seed=2)
    return pop, match_morning_fasting(pop, days=2)


def test_steady_state_matching_leaves_a_morning_gap(matched):
    """Without the step the 07:00 values miss the targets (the meal model is still below its
    steady state 12 h after dinner); this is what the step exists for."""
    pop, _ = matched
    g7, _i7, _mean = _morning_values(list(pop.people), 2)
    target = pop.covariates["fasting_glucose_mgdl"].to_numpy()
    assert np.max(np.abs(g7 - target)) > 1.0


def test_morning_values_reach_the_targets(matched):
    """After the step, an independent simulation of the matched people reads the published
    fasting glucose and insulin at 07:00 (within the tolerances), for everyone not reported
    as stuck; bodies, covariates and other parameters are unchanged."""
    pop, m = matched
    g7, i7, g_mean = _morning_values(list(m.people), 2)
    c = m.covariates
    assert np.allclose(g7, c["morning_glucose_mgdl"], atol=1e-6)
    ok = np.abs(g7 - c["fasting_glucose_mgdl"]) < GLUCOSE_TOL_MGDL
    ok &= np.abs(np.log(i7 / c["fasting_insulin_uuml"])) < INSULIN_TOL_LOG
    assert np.array_equal(ok, c["morning_matched"].to_numpy())
    assert ok.sum() >= 2
    # the unmatched are closer than before the step
    g0, i0, _ = _morning_values(list(pop.people), 2)
    before = np.abs(g0 - c["fasting_glucose_mgdl"]) + np.abs(np.log(i0 / c["fasting_insulin_uuml"]))
    after = np.abs(g7 - c["fasting_glucose_mgdl"]) + np.abs(np.log(i7 / c["fasting_insulin_uuml"]))
    assert (after <= before + 1e-9).all()
    # the model's steady state sits above the morning value it produces
    assert (c["steady_state_glucose_mgdl"] >= c["fasting_glucose_mgdl"] - GLUCOSE_TOL_MGDL).all()
    for a, b in zip(pop.people, m.people, strict=True):
        assert (a.weight_kg, a.sex, a.age, a.height_cm) == (b.weight_kg, b.sex, b.age, b.height_cm)
        assert set(b.parameters) == set(a.parameters) | {"K", "beta"}
    np.testing.assert_allclose(g_mean, c["mean_glucose_mgdl"], atol=1e-6)


def test_stimulated_secretion_matches_the_hba1c_and_compensates(matched):
    """An independent simulation of the matched people reads each person's mean-glucose target
    (the ADAG average glucose of their HbA1c plus their drawn deviation from it) as the habitual
    day's mean (within the tolerance) for everyone reported as matched;
    the fasting steady state does not depend on K and beta; the more insulin resistant
    (higher fasting insulin at a similar glucose) get more stimulated secretion (Kahn 1993)."""
    from endotwin.components.steady_state import fasting_state
    from endotwin.population.glycaemia import eag_mgdl
    from endotwin.population.secretion import MEAN_GLUCOSE_TOL_MGDL

    _, m = matched
    c = m.covariates
    _, _, g_mean = _morning_values(list(m.people), 2)
    np.testing.assert_allclose(c["eag_mgdl"], eag_mgdl(c["hba1c_pct"].to_numpy()))
    target = c["mean_glucose_target_mgdl"].to_numpy()
    assert np.all(np.abs(target - c["eag_mgdl"]) > 0.0)  # the deviations are drawn, not zero
    ok = np.abs(g_mean - target) < MEAN_GLUCOSE_TOL_MGDL
    assert np.array_equal(ok, c["secretion_matched"].to_numpy()) and ok.sum() >= 3
    for person, f in zip(m.people, c["secretion_factor"], strict=True):
        v = person.parameter_values()
        scaled = {k: np.array([x]) for k, x in v.items()}
        base = {k: np.array([x]) for k, x in v.items()}
        base["K"], base["beta"] = base["K"] / f, base["beta"] / f
        for key in ("Gb", "Ib"):
            assert fasting_state(scaled)[key][0] == pytest.approx(fasting_state(base)[key][0])
    order = np.argsort(c["homa_ir"].to_numpy())
    assert c["secretion_factor"].to_numpy()[order[-1]] > c["secretion_factor"].to_numpy()[order[0]]


def test_secretion_search_converges_and_stops_at_the_bounds():
    """The safeguarded secant finds the factor of a monotone toy response and stops, flagged,
    at a bound it cannot cross."""
    from endotwin.population.secretion import MEAN_GLUCOSE_TOL_MGDL, SecretionSearch

    search = SecretionSearch(
        target=np.array([120.0, 120.0, 120.0]),
        lo=np.log([0.2, 0.2, 0.2]),
        hi=np.log([5.0, 5.0, 1.5]),
    )
    excess = np.array([30.0, 5.0, 60.0])  # mean glucose = 100 + excess / f
    for _ in range(12):
        search.update(100.0 + excess / search.factor)
    assert search.close[:2].all()
    tol = MEAN_GLUCOSE_TOL_MGDL / 20.0  # relative: 2 mg/dL on an excess of 20
    np.testing.assert_allclose(search.factor[:2], excess[:2] / 20.0, rtol=tol)
    assert search.stuck[2] and search.factor[2] == pytest.approx(1.5)


def test_type2_people_keep_the_identified_secretion():
    """The HbA1c secretion match runs on the normal set only (population/secretion.py,
    MATCHED_SETS): type-2 people keep the type-2 set's K and beta, and the notes say so."""
    b = Baseline.model_validate(
        {
            "female_fraction": 0.5,
            "age": {"mean": 55, "sd": 8},
            "bmi": {"mean": 31, "sd": 4},
            "glycaemic_status": "type 2 diabetes",
        }
    )
    m = match_morning_fasting(virtual_population(b, 2, seed=3), days=2)
    assert (m.covariates["parameter_set"] == "dallaman2007_t2d").all()
    assert (m.covariates["secretion_factor"] == 1.0).all()
    assert not m.covariates["secretion_matched"].any()
    assert all("K" not in p.parameters and "beta" not in p.parameters for p in m.people)
    assert "not matched to the HbA1c" in m.notes[-1]
