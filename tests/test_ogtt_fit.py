"""OGTT calibration (issue 6): recovery of known parameters, identifiability, bad data."""

from __future__ import annotations

import numpy as np
import pytest

import endotwin as et
from endotwin.calibrate.ogtt_fit import fit_ogtt, simulate_ogtt
from endotwin.io.ogtt_file import OGTT

T = np.array([0.0, 30.0, 60.0, 90.0, 120.0])
TRUE = {"Vmx": 0.03, "kp3": 0.007, "kp4": 0.0618 * 0.007 / 0.009, "beta": 0.15, "K": 1.8}


def _person(**par: float) -> et.Person:
    return et.Person(weight_kg=85, sex="female", age=50, height_cm=165, parameters=par)


@pytest.fixture(scope="module")
def data():
    g, i = simulate_ogtt(_person(**TRUE), T)  # Numba backend: independent of the JAX fit
    return g, i


def test_noise_free_ogtt_recovers_the_parameters_it_identifies(data) -> None:
    g, i = data
    fit = fit_ogtt(_person(), OGTT(times_min=T, glucose_mgdl=g, insulin_uuml=i / 6.0))
    iv = fit.posterior.interval(0.9)
    for name in ("Vmx", "beta", "K"):
        assert fit.verdicts[name] == "identified"
        lo, hi = iv[name]
        assert lo < TRUE[name] < hi, (name, iv[name])
    assert fit.rmse_glucose_mgdl < 2.0 and fit.rmse_insulin_pmoll < 10.0
    # the fitted overrides reproduce the data through the (independent) Numba simulation
    g2, i2 = simulate_ogtt(fit.posterior.person, T)
    np.testing.assert_allclose(g2, fit.glucose_fit_mgdl, rtol=2e-3)
    np.testing.assert_allclose(i2, fit.insulin_fit_pmoll, rtol=5e-3)
    draws = fit.posterior.sample_people(3, seed=1)
    assert len({d.parameters["Vmx"] for d in draws}) == 3


def test_glucose_only_ogtt_says_secretion_is_not_identified(data) -> None:
    g, _ = data
    fit = fit_ogtt(_person(), OGTT(times_min=T, glucose_mgdl=g))
    assert fit.insulin_fit_pmoll is None
    assert fit.verdicts["Ib"] != "identified"
    assert fit.posterior.report["data"] == "OGTT glucose only"


def test_impaired_glucose_tolerance_gives_szoke_ageing_rates(data) -> None:
    """A 2-h glucose >= 140 mg/dL after 75 g gives the IGT rates of age-related decline of
    insulin release (Szoke 2008); below it the set's normal rates stay; a person's own rates
    are kept."""
    g, i = data
    g_ngt = g.copy()
    g_ngt[-1] = 130.0
    normal = fit_ogtt(_person(), OGTT(times_min=T, glucose_mgdl=g_ngt, insulin_uuml=i / 6.0))
    assert "beta_age_first" not in normal.posterior.person.parameters
    g_igt = g.copy()
    g_igt[-1] = 150.0
    igt = fit_ogtt(_person(), OGTT(times_min=T, glucose_mgdl=g_igt, insulin_uuml=i / 6.0))
    par = igt.posterior.person.parameters
    assert (par["beta_age_first"], par["beta_age_second"]) == (0.022, 0.014)
    assert "Szoke" in igt.posterior.report["ageing of insulin release"]
    own = fit_ogtt(
        _person(beta_age_first=0.01),
        OGTT(times_min=T, glucose_mgdl=g_igt, insulin_uuml=i / 6.0),
    )
    assert own.posterior.person.parameters["beta_age_first"] == 0.01
    assert "beta_age_second" not in own.posterior.person.parameters
