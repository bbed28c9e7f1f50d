"""Synthetic recovery of the OGTT calibration (issue 6): bookkeeping and a small recovery run."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

import endotwin as et
from endotwin.calibrate import ogtt_fit, recovery
from endotwin.calibrate.posterior import Posterior
from endotwin.parameters import get_parameter_set

NAMES = ogtt_fit.FIT_PARAMETERS
Z90 = 1.6448536269514722  # standard normal 0.95 quantile


def _posterior(mean: np.ndarray, sd: np.ndarray) -> Posterior:
    return Posterior(
        person=et.Person(),
        names=NAMES,
        mean=mean,
        cov=np.diag(sd**2),
        prior_sd=np.full(len(NAMES), 0.5),
        to_overrides=lambda th: {},
        report={"prior set": "dallaman2007_normal"},
    )


def test_compare_flags_truth_inside_the_90_percent_interval() -> None:
    mean = np.log([90.0, 25.0, 0.05, 0.009, 0.1, 2.0, 0.05])
    sd = np.array([0.03, 0.1, 0.2, 0.3, 0.1, 0.1, 0.2])
    # truth at these many posterior SDs from the MAP: inside iff |k| <= 1.645
    k = np.array([0.0, 1.5, 1.7, -1.7, -1.6, 3.0, 0.5])
    verdicts = dict.fromkeys(NAMES, "identified")
    out = recovery.compare(_posterior(mean, sd), verdicts, mean + k * sd)
    assert [out[n]["covered"] for n in NAMES] == [True, True, False, False, True, False, True]
    for j, n in enumerate(NAMES):
        d = out[n]
        assert math.isclose(d["log_error"], -k[j] * sd[j], abs_tol=1e-12)
        assert math.isclose(d["lo"], math.exp(mean[j] - Z90 * sd[j]), rel_tol=1e-9)
        assert math.isclose(d["sd_ratio"], sd[j] / 0.5)
        assert math.isclose(d["truth"], math.exp(mean[j] + k[j] * sd[j]))


def _record(person: int, cls: str, covered: dict[str, bool], verdict: dict[str, str]) -> dict:
    params = {
        n: {
            "truth": math.e,
            "map": math.e ** (1.1 if covered[n] else 2.0),
            "log_error": 0.1 if covered[n] else 1.0,
            "post_sd_log": 0.1,
            "covered": covered[n],
            "verdict": verdict[n],
        }
        for n in NAMES
    }
    return {"person": person, "class": cls, "status": "ok", "seconds": 1.0, "params": params}


def test_summarise_counts_coverage_verdicts_and_failures() -> None:
    ident = dict.fromkeys(NAMES, "identified")
    ident |= {"kp3": "not identified", "Vmx": "weakly identified"}
    all_in = dict.fromkeys(NAMES, True)
    recs = [
        # person 0: everything covered
        _record(0, "NGT", all_in, ident),
        # person 1: beta (identified) and kp3 (not identified) missed; Vmx identified here
        _record(1, "T2D", all_in | {"beta": False, "kp3": False}, ident | {"Vmx": "identified"}),
        {"person": 2, "class": "NGT", "status": "failed", "error": "CalibrationError: x"},
        # the cold first fit: counted for coverage, not for timing
        _record(3, "T2D", all_in, ident) | {"seconds": 9.0, "cold": True},
    ]
    s = recovery.summarise(recs)
    assert (s["people"], s["fits_ok"], s["fit_failures"]) == (4, 3, 1)
    assert s["failures"] == [{"person": 2, "class": "NGT", "error": "CalibrationError: x"}]
    # identified pairs: 5 per person (Gb, Ib, beta, K, kabs) + Vmx for person 1 = 16; 1 missed
    assert (s["pooled_identified"]["covered"], s["pooled_identified"]["n"]) == (15, 16)
    assert (s["pooled_all"]["covered"], s["pooled_all"]["n"]) == (19, 21)
    worst = s["pooled_identified_failures_as_misses"]
    assert (worst["covered"], worst["n"]) == (15, 16 + len(NAMES))
    b = s["parameters"]["beta"]
    assert b["coverage_all"]["covered"] == 2 and b["coverage_all"]["n"] == 3
    v = s["parameters"]["Vmx"]
    assert v["verdicts"] == {"identified": 1, "weakly identified": 2, "not identified": 0}
    assert v["fraction_identified_by_class"] == {"NGT": 0.0, "T2D": 0.5}
    assert v["coverage_identified"]["n"] == 1
    k = s["parameters"]["kp3"]
    assert k["coverage_identified"] == {"covered": 0, "n": 0, "coverage": None, "ci95": None}
    assert k["median_abs_log_error"] == pytest.approx(0.1)
    assert s["seconds"] == {"mean": 1.0, "median": 1.0, "max": 1.0}


def test_binomial_interval() -> None:
    assert recovery.binomial_ci(10, 10)[1] == 1.0
    assert recovery.binomial_ci(0, 10)[0] == 0.0
    lo, hi = recovery.binomial_ci(9, 10)  # Clopper-Pearson, tabulated: 0.5550, 0.9975
    assert lo == pytest.approx(0.5550, abs=1e-4) and hi == pytest.approx(0.9975, abs=1e-4)
    assert recovery.binomial_ci(0, 0) is None


def test_virtual_people_are_drawn_from_the_fit_prior_in_fitted_coordinates() -> None:
    people, rejections = recovery.draw_people(2, seed=7)
    assert [p.cls for p in people] == ["NGT", "T2D"]
    assert all(isinstance(v, int) for v in rejections.values())
    # person k has its own stream: the same with a smaller population
    again, _ = recovery.draw_people(1, seed=7)
    np.testing.assert_array_equal(again[0].theta, people[0].theta)
    for vp in people:
        base = recovery.CLASS_SET[vp.cls]
        # the prior centre the draw uses is the fit's (ogtt_fit's setup for this person)
        setup = ogtt_fit._setup(vp.person, base)
        fit_centre = [setup.p0[setup.index[n]] for n in NAMES[2:]]
        np.testing.assert_allclose(np.exp(recovery.prior_centre(vp.cls, vp.person)), fit_centre)
        # the truth simulates the drawn fasting state (also checked inside draw_person)
        assert vp.glucose_mgdl[0] == pytest.approx(math.exp(vp.theta[0]), rel=1e-3)
        assert vp.insulin_pmoll[0] == pytest.approx(math.exp(vp.theta[1]), rel=1e-3)
        ps = get_parameter_set(base)
        for n, val in vp.true_person.parameters.items():
            assert ps[n].lower <= val <= ps[n].upper
        lo, hi = recovery.GB_POPULATION[vp.cls][2:]
        assert lo <= math.exp(vp.theta[0]) <= hi


@pytest.mark.slow
def test_synthetic_recovery_intervals_cover_the_truth() -> None:
    """20 virtual people (about 2 min with a cold JAX cache).

    Band 0.70-1.0 for the pooled coverage of the identified parameters' 90 % intervals: with
    20 people there are about 110 identified (person, parameter) pairs; if they were independent
    the binomial SD at p = 0.9 would be 0.03, and pairs from one person are correlated (design
    effect at most the ~5.5 identified parameters per person: SD <= 0.07). 0.70 is then >= 3 SD
    below 0.9 (a false alarm < 0.2 %), while intervals half as wide as they should be (coverage
    about 59 %) fail. The issue's 80-98 % band is checked on >= 50 people by the script.
    """
    res = recovery.run_recovery(20, seed=1, scenarios=("nominal", "glucose_only"))
    s = res["scenarios"]["nominal"]["summary"]
    assert s["fit_failures"] <= 2, s["failures"]
    cov = s["pooled_identified"]
    assert cov["n"] >= 60
    assert 0.70 <= cov["coverage"] <= 1.0, cov
    par = s["parameters"]
    # beta (2nd-phase secretion) is identified from insulin in (nearly) everyone; Vmx
    # (peripheral sensitivity) in most NGT people and at least weakly in most of everyone
    # (in T2D, insulin-dependent uptake is small and Vmx mostly only weakly identified)
    assert par["beta"]["fraction_identified"] >= 0.8
    assert par["Vmx"]["fraction_identified_by_class"]["NGT"] >= 0.7
    v = par["Vmx"]["verdicts"]
    assert (v["identified"] + v["weakly identified"]) / s["fits_ok"] >= 0.8
    # without insulin the secretion side is lost: Ib never identified, beta rarely
    g = res["scenarios"]["glucose_only"]["summary"]["parameters"]
    assert g["Ib"]["verdicts"]["identified"] == 0
    assert g["beta"]["fraction_identified"] < par["beta"]["fraction_identified"]
    assert g["Vmx"]["fraction_identified"] < par["Vmx"]["fraction_identified"]
    # the script renders its Markdown from the result
    path = Path(__file__).parent.parent / "scripts" / "twin_recovery.py"
    spec = importlib.util.spec_from_file_location("twin_recovery", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    md = mod.markdown(res, "python scripts/twin_recovery.py --n 20")
    assert f"{cov['covered']}/{cov['n']}" in md
