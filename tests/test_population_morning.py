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


def test_secretion_search_ignores_a_secant_of_the_wrong_sign():
    """More secretion lowers the mean glucose; a secant that says otherwise measured the morning
    match's move of the fasting parameters between the same steps, so the step uses the
    first-step slope (session 17: the range's floor of 10 mg/dL per log unit made a full-unit
    step, a factor of 3.3, and the person's glucose crashed)."""
    from endotwin.population.secretion import FIRST_STEP_MGDL_PER_LOG, SecretionSearch

    search = SecretionSearch(target=np.array([100.0]), lo=np.log([0.1]), hi=np.log([10.0]))
    search.update(np.array([110.0]))
    x1 = float(search.x[0])
    assert x1 == pytest.approx(10.0 / FIRST_STEP_MGDL_PER_LOG)
    search.update(np.array([112.0]))  # higher after more secretion: the fasting move's doing
    assert float(search.x[0]) == pytest.approx(x1 + 12.0 / FIRST_STEP_MGDL_PER_LOG)


def test_secretion_search_backs_off_a_factor_that_fails_and_still_converges():
    """A factor whose day cannot be simulated is stepped back from halfway to the last one that
    simulated and is never tried again; the search still finds a root below it (toy response
    100 + 240 / f, target 200, so f = 2.4; days with f > 2.5 fail)."""
    from endotwin.population.secretion import MEAN_GLUCOSE_TOL_MGDL, SecretionSearch

    search = SecretionSearch(target=np.array([200.0]), lo=np.log([0.1]), hi=np.log([10.0]))
    tried, first_fail = [], None
    for _ in range(25):
        f = float(search.factor[0])
        tried.append(f)
        fails = f > 2.5
        if fails and first_fail is None:
            first_fail = f
        orphans = search.update(np.array([np.nan if fails else 100.0 + 240.0 / f]), [fails])
        assert not orphans.any()
        if search.close[0]:
            break
    assert first_fail is not None  # the first step (a full log unit, f = e) fails
    assert all(f < first_fail for f in tried[tried.index(first_fail) + 1 :])
    assert search.close[0] and not search.stuck[0]
    assert 100.0 + 240.0 / float(search.factor[0]) == pytest.approx(
        200.0, abs=MEAN_GLUCOSE_TOL_MGDL
    )


def test_secretion_search_reports_a_failure_it_cannot_undo():
    """A person whose day fails before the factor ever moved has nowhere to go back to: the
    search returns them for the caller to report."""
    from endotwin.population.secretion import SecretionSearch

    search = SecretionSearch(
        target=np.array([100.0, 100.0]), lo=np.log([0.1] * 2), hi=np.log([10.0] * 2)
    )
    orphans = search.update(np.array([np.nan, 105.0]), np.array([True, False]))
    assert orphans.tolist() == [True, False]


def _one_person(pop, k):
    from dataclasses import replace

    return replace(
        pop, people=(pop.people[k],), covariates=pop.covariates.iloc[[k]].reset_index(drop=True)
    )


def test_the_calerie_person_whose_match_crashed_now_matches():
    """Regression (session 16): CALERIE 2's person 28 at ``--seed 2`` (fasting insulin 2.0 uU/mL,
    mean-glucose target 1 mg/dL above fasting) stopped the validation run: the secretion search
    stepped to a factor of 3.3, and the habitual day drove insulin through zero. The person now
    matches both targets, and an independent simulation of the result runs."""
    from endotwin.population.secretion import MEAN_GLUCOSE_TOL_MGDL
    from endotwin.validation.runner import _study_seed
    from endotwin.validation.study import all_studies

    st = next(s for s in all_studies() if s.name == "calerie2_ravussin2015")
    pop = virtual_population(st.population, 40, _study_seed(2, st.name), label=st.name)
    m = match_morning_fasting(_one_person(pop, 28), days=7)
    c = m.covariates.iloc[0]
    assert c["fasting_insulin_uuml"] < 2.5  # still the person the defect was found on
    assert bool(c["morning_matched"]) and bool(c["secretion_matched"])
    _g7, _i7, g_mean = _morning_values(list(m.people), 7)
    assert abs(g_mean[0] - c["mean_glucose_target_mgdl"]) < MEAN_GLUCOSE_TOL_MGDL


def test_a_trial_state_that_fails_is_stepped_back_from_and_noted(matched, monkeypatch):
    """Where a trial secretion factor makes the habitual day fail, the match steps back
    instead of stopping; every returned person simulates and the notes count them. The
    failure is injected (any person with K above 1.3 x the base set's fails) around the real
    simulation."""
    import endotwin.population.morning as morning
    from endotwin.errors import SolverError
    from endotwin.parameters import get_parameter_set

    k_cap = 1.3 * get_parameter_set("dallaman2007_normal")["K"].value
    real = morning._morning_values

    def failing(people, days):
        if any(p.parameters.get("K", 0.0) > k_cap for p in people):
            raise SolverError("?", 0.0, "injected")
        return real(people, days)

    pop, free = matched
    monkeypatch.setattr(morning, "_morning_values", failing)
    m = match_morning_fasting(pop, days=2)
    f = m.covariates["secretion_factor"].to_numpy()
    assert np.max(free.covariates["secretion_factor"]) > 1.3  # the cap binds someone
    assert np.all(f <= 1.3)
    assert "could not simulate" in m.notes[-1]
    g7, _i7, _m = real(list(m.people), 2)
    np.testing.assert_allclose(g7, m.covariates["morning_glucose_mgdl"], atol=1e-6)


def test_a_person_the_sampler_made_unsimulatable_is_refused_by_name(matched, monkeypatch):
    """A person whose very first habitual day fails (the sampler's own parameters) cannot be
    stepped back: the match raises a SolverError naming the person and their fasting values."""
    import endotwin.population.morning as morning
    from endotwin.errors import SolverError

    pop, _ = matched
    bad = pop.covariates["label"].iloc[1]
    real = morning._morning_values

    def failing(people, days):
        if any(p.label == bad for p in people):
            raise SolverError("?", 5.0, "injected")
        return real(people, days)

    monkeypatch.setattr(morning, "_morning_values", failing)
    with pytest.raises(SolverError, match=r"fasting glucose .* mg/dL") as e:
        match_morning_fasting(pop, days=2)
    assert bad in str(e.value)
