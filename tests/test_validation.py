"""Validation suite: study files, pass rules on hand-built arms, and a fast subset of studies.

The whole suite runs in CI with ``pytest -m validation`` (see .ci/run) and on demand with
``endotwin validate``.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from endotwin.errors import InputError
from endotwin.parameters import get_parameter_set, list_parameter_sets
from endotwin.validation.metrics import ArmData, incidence_events
from endotwin.validation.runner import evaluate
from endotwin.validation.study import Study, all_studies, load_study

STUDIES = all_studies()


def test_every_shipped_study_loads_and_half_are_predictions():
    names = [s.name for s in STUDIES]
    assert len(names) >= 12 and len(set(names)) == len(names)
    pred = [s for s in STUDIES if not s.calibration]
    assert len(pred) >= len(STUDIES) / 2
    for s in STUDIES:
        assert s.citation and s.population_source
        for o in s.outcomes:
            assert o.source.split(":")[0] in {"V", "UNVERIFIED", "DERIVED", "MODEL CHOICE"}


#: surname (or group) that a parameter source would name if it had used the study
_AUTHOR = {"dpp2002_lifestyle": "Knowler|Diabetes Prevention Program"}


@pytest.mark.parametrize("study", [s for s in STUDIES if not s.calibration], ids=lambda s: s.name)
def test_prediction_studies_are_not_behind_any_parameter(study: Study):
    """A study counted as a prediction must not be a source of any parameter value."""
    surname = _AUTHOR.get(study.name) or re.match(r"[a-z]+", study.name).group(0).capitalize()
    year = re.search(r"\d{4}", study.name).group(0)
    pattern = re.compile(rf"({surname})[^;]{{0,40}}{year}", re.IGNORECASE)
    for set_name in list_parameter_sets():
        for p in get_parameter_set(set_name).parameters.values():
            text = f"{p.source} {p.description}"
            assert not pattern.search(text), f"{p.name} in {set_name} cites {study.name}: {text}"


def test_calibration_studies_are_the_ones_parameters_name():
    cal = {s.name for s in STUDIES if s.calibration}
    assert {"considine1996_leptin", "vanrossum2000_leptin", "dallaman2007_meal"} <= cal
    lep = get_parameter_set("leptin_appetite").parameters
    assert "van Rossum 2000" in lep["leptin_r_d"].source


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "s.yaml"
    p.write_text(text)
    return p


_GOOD = """
name: t
title: t
citation: c
design: d
calibration: false
population: {female_fraction: 0.5, age: {mean: 40, sd: 5}, bmi: {mean: 25, sd: 3}}
population_source: s
arms: [{name: a, protocol: "16:8 fasting for 2 weeks"}, {name: b}]
duration_weeks: 2
outcomes:
  - {name: w, metric: weight_kg, comparison: between, arm: a, versus: b, time_weeks: 2,
     unit: kg, mean: -1, spread: [-2, 0], spread_kind: 95CI, source: "V: x"}
"""


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("metric: weight_kg", "metric: weight_lbs", "outcomes.0"),
        ("versus: b", "versus: c", ""),
        ('"16:8 fasting for 2 weeks"', '"16:8 fastin for 2 weeks"', "arms.0"),
        ("spread: [-2, 0]", "spread: 3", "outcomes.0"),
        ("time_weeks: 2,", "time_weeks: 5,", ""),
        ("female_fraction: 0.5", "female_fraction: 1.5", "population.female_fraction"),
    ],
)
def test_bad_study_files_name_the_field(tmp_path, old, new, field):
    load_study(_write(tmp_path, _GOOD))
    with pytest.raises(InputError) as e:
        load_study(_write(tmp_path, _GOOD.replace(old, new)))
    assert "s.yaml" in str(e.value) and field in str(e.value)


def _arm(name: str, weight: np.ndarray, glucose: np.ndarray, days: int = 8) -> ArmData:
    """A hand-built arm: weight and glucose per person, linear from day 0 07:00 to the end."""
    t = np.arange(0.0, days * 1440.0 + 1, 60.0)
    n = weight.shape[0]
    frac = np.clip((t - 420.0) / (6 * 1440.0), 0, 1)  # complete at week 1 (day 6, 07:00)
    w = weight[:, :1] + (weight[:, 1:] - weight[:, :1]) * frac
    g = glucose[:, :1] + (glucose[:, 1:] - glucose[:, :1]) * frac
    ds = xr.Dataset(
        {
            "Body weight [kg]": (("person", "time"), w),
            "Plasma glucose [mg/dL]": (("person", "time"), g),
            "Plasma insulin [uU/mL]": (("person", "time"), np.full_like(g, 10.0)),
        },
        coords={"person": [f"p{i}" for i in range(n)], "time": t},
    )
    return ArmData(name, ds, np.full(n, 2000.0), np.full(n, 25.0), np.zeros(n, bool))


def _study(outcome: str) -> Study:
    return Study.model_validate(
        {
            "name": "t",
            "title": "t",
            "citation": "c",
            "design": "d",
            "calibration": False,
            "population": {"female_fraction": 0.5, "age": {"mean": 40}, "bmi": {"mean": 25}},
            "population_source": "s",
            "arms": [{"name": "a"}, {"name": "b"}],
            "duration_weeks": 52,
            "outcomes": [__import__("yaml").safe_load(outcome)],
        }
    )


def test_pass_rules_ci_sd_se_and_between():
    rng = np.random.default_rng(0)
    w0 = np.full(20, 80.0)
    a = _arm("a", np.c_[w0, w0 - np.linspace(1, 3, 20)], np.c_[w0 + 10, w0 + 10])  # -2 kg mean
    b = _arm("b", np.c_[w0, w0 - 0.5], np.c_[w0 + 10, w0 + 10])  # -0.5 kg
    arms = {"a": a, "b": b}
    base = "{name: w, metric: weight_kg, arm: a, time_weeks: 1, unit: kg, source: 'V: x', "
    cases = [
        ("comparison: within, mean: -2.2, spread: [-2.5, -1.9], spread_kind: 95CI}", True),
        ("comparison: within, mean: -2.2, spread: [-2.5, -2.1], spread_kind: 95CI}", False),
        ("comparison: within, mean: -1.1, spread: 1.0, spread_kind: SD}", True),  # [-2.1,-0.1]
        ("comparison: within, mean: -1.1, spread: 0.8, spread_kind: SD}", False),
        ("comparison: within, mean: -1.5, spread: 0.26, spread_kind: SE}", True),  # +/-0.51
        ("comparison: within, mean: -1.5, spread: 0.25, spread_kind: SE}", False),
        (
            "comparison: between, versus: b, mean: -1.4, spread: [-1.6, -1.45], spread_kind: 95CI}",
            True,
        ),
    ]
    for text, expected in cases:
        st = _study(base + text)
        r = evaluate(st, st.outcomes[0], arms, rng)
        assert r.model_mean == pytest.approx(-1.5 if "between" in text else -2.0, abs=1e-9)
        assert r.passed is expected, text
        assert r.model_low < r.model_mean < r.model_high


def test_pass_share_is_the_share_of_resampled_means_that_pass():
    """A model mean on the interval's edge passes about half the resamples of its people, one far
    inside nearly all, one far outside none; qualitative outcomes have no pass share."""
    rng = np.random.default_rng(1)
    w0 = np.full(40, 80.0)
    a = _arm("a", np.c_[w0, w0 - np.linspace(1, 3, 40)], np.c_[w0 + 10, w0 + 10])  # -2 kg mean
    arms = {"a": a}
    base = "{name: w, metric: weight_kg, arm: a, time_weeks: 1, unit: kg, source: 'V: x', "
    # the resampled mean's SE is about 0.09 kg (per-person SD 0.59 / sqrt(40))
    shares = {}
    for hi in (-2.0, -1.0, -2.5):  # the model mean -2 on the upper edge, inside, outside
        text = f"comparison: within, mean: -3.0, spread: [-4.0, {hi}], spread_kind: 95CI}}"
        st = _study(base + text)
        shares[hi] = evaluate(st, st.outcomes[0], arms, rng).pass_share
    assert shares[-2.0] == pytest.approx(0.5, abs=0.08)
    assert shares[-1.0] == 1.0
    assert shares[-2.5] == 0.0
    st = _study(base + "comparison: qualitative, direction: decrease}")
    q = evaluate(st, st.outcomes[0], arms, rng)
    assert q.passed is True and q.pass_share is None


def test_input_unverified_and_spreadless_outcomes_are_not_scored():
    w0 = np.full(5, 80.0)
    arms = {"a": _arm("a", np.c_[w0, w0 - 1], np.c_[w0, w0])}
    base = "{name: w, metric: weight_kg, comparison: within, arm: a, time_weeks: 1, unit: kg, "
    for extra in (
        "mean: -1, spread: 1, spread_kind: SD, input: true, source: 'V: x'}",
        "mean: -1, spread: 1, spread_kind: SD, unverified: true, source: 'V: x'}",
        "mean: -1, source: 'V: x'}",
    ):
        st = _study(base + extra)
        r = evaluate(st, st.outcomes[0], arms, np.random.default_rng(0))
        assert r.scored is False and r.passed is None and r.note


def test_qualitative_direction_significance_and_no_change():
    rng = np.random.default_rng(1)
    w0 = 80.0 + rng.normal(0, 10, 30)
    noisy = w0 - 0.05 + rng.normal(0, 1.0, 30)  # tiny mean change, large scatter: not significant
    arms = {
        "a": _arm("a", np.c_[w0, w0 + 0.5], np.c_[w0, w0]),
        "b": _arm("b", np.c_[w0, noisy], np.c_[w0, w0]),
    }
    base = "{name: w, metric: weight_kg, comparison: qualitative, time_weeks: 1, unit: kg, "
    up = _study(base + "arm: a, direction: increase, source: 'V: x'}")
    assert evaluate(up, up.outcomes[0], arms, rng).passed is True
    down = _study(base + "arm: a, direction: decrease, source: 'V: x'}")
    assert evaluate(down, down.outcomes[0], arms, rng).passed is False
    ns = _study(base + "arm: b, direction: increase, source: 'V: x'}")
    r = evaluate(ns, ns.outcomes[0], arms, rng)
    assert r.passed is False and "p =" in r.criterion
    # no change: |0.5 kg| vs 1.96 x SD(baseline ~10 kg)/sqrt(n)
    for n, expected in ((10, True), (5000, False)):
        st = _study(base + f"arm: a, direction: 'no change', n: {n}, source: 'V: x'}}")
        assert evaluate(st, st.outcomes[0], arms, rng).passed is expected


def test_no_change_against_a_separate_group_uses_the_se_of_a_difference():
    """Two independent groups of n detect sqrt(2) x the change one group (or a crossover) does."""
    rng = np.random.default_rng(4)
    w0 = 80.0 + rng.normal(0, 10, 40)
    sd = np.std(w0, ddof=1)
    n = 100
    one_group = 1.959964 * sd / np.sqrt(n)
    shift = 1.2 * one_group  # detectable within one group, not between two groups of n
    arms = {
        "a": _arm("a", np.c_[w0, w0 + shift], np.c_[w0, w0]),
        "b": _arm("b", np.c_[w0, w0], np.c_[w0, w0]),
    }
    base = (
        "{name: w, metric: weight_kg, comparison: qualitative, time_weeks: 1, unit: kg, "
        f"arm: a, versus: b, direction: 'no change', n: {n}, source: 'V: x'"
    )
    crossover = _study(base + "}")
    r = evaluate(crossover, crossover.outcomes[0], arms, rng)
    assert r.model_mean == pytest.approx(shift) and r.passed is False
    parallel = _study(base + f", n_versus: {n}}}")
    r = evaluate(parallel, parallel.outcomes[0], arms, rng)
    assert r.passed is True and "sqrt(1/n + 1/n_versus)" in r.criterion
    assert f"{1.959964 * sd * np.sqrt(2.0 / n):.3g}" in r.criterion
    with pytest.raises(ValueError, match="n_versus"):
        _study(
            "{name: w, metric: weight_kg, comparison: qualitative, time_weeks: 1, unit: kg, "
            "arm: a, direction: 'no change', n: 10, n_versus: 10, source: 'V: x'}"
        )


def test_smd_is_difference_of_changes_over_baseline_sd():
    rng = np.random.default_rng(2)
    g0 = 100.0 + rng.normal(0, 10, 50)
    a = _arm("a", np.c_[g0 * 0 + 80, g0 * 0 + 80], np.c_[g0, g0 - 5.0])
    b = _arm("b", np.c_[g0 * 0 + 80, g0 * 0 + 80], np.c_[g0, g0])
    st = _study(
        "{name: h, metric: homa_ir_smd, comparison: between, arm: a, versus: b, "
        "time_weeks: 1, unit: SMD, mean: -0.5, spread: [-1, 0], spread_kind: 95CI, "
        "source: 'V: x'}"
    )
    r = evaluate(st, st.outcomes[0], {"a": a, "b": b}, rng)
    homa0 = g0 / 18.016 * 10.0 / 22.5
    expected = (-5.0 / 18.016 * 10.0 / 22.5) / np.std(homa0, ddof=1)
    assert r.model_mean == pytest.approx(expected, rel=1e-6)


def test_within_arm_smd_is_the_change_over_baseline_sd():
    rng = np.random.default_rng(3)
    g0 = 100.0 + rng.normal(0, 10, 50)
    a = _arm("a", np.c_[g0 * 0 + 80, g0 * 0 + 80], np.c_[g0, 0.9 * g0])
    st = _study(
        "{name: h, metric: homa_ir_smd, comparison: within, arm: a, "
        "time_weeks: 1, unit: SMD, mean: -0.5, spread: [-1, 0], spread_kind: 95CI, "
        "source: 'V: x'}"
    )
    r = evaluate(st, st.outcomes[0], {"a": a}, rng)
    homa0 = g0 / 18.016 * 10.0 / 22.5
    expected = np.mean(-0.1 * homa0) / np.std(homa0, ddof=1)
    assert r.model_mean == pytest.approx(expected, rel=1e-6)
    # the spread across people is reported in the same SD units as the mean
    sd_units = -0.1 * homa0 / np.std(homa0, ddof=1)
    assert r.model_sd == pytest.approx(np.std(sd_units, ddof=1), rel=1e-6)


def test_incidence_counts_first_crossing_at_visits():
    g0 = np.array([100.0, 110.0, 120.0, 124.0])
    # linear over 104 weeks: reaches 126 at the week-78 visit only for person 3 (124 -> 127)
    t = np.arange(0.0, 104 * 7 * 1440.0 + 1, 1440.0)
    frac = t / t[-1]
    g = g0[:, None] + np.array([0.0, 0.0, 4.0, 3.0])[:, None] * frac
    ds = xr.Dataset(
        {"Plasma glucose [mg/dL]": (("person", "time"), g)},
        coords={"person": list("abcd"), "time": t},
    )
    arm = ArmData("x", ds, np.ones(4), np.ones(4), np.zeros(4, bool))
    inc = incidence_events(arm, 104.0)
    ev, yr = inc.event, inc.years
    assert ev.tolist() == [0, 0, 0, 1]
    assert yr[3] == pytest.approx(78 / 52.18) and yr[0] == pytest.approx(104 / 52.18)


# --- real studies: a fast subset here, the whole suite under the `validation` marker -------


def _fast(study):
    """``study`` without its minimum number of people (a fast mechanical check)."""
    return study.model_copy(update={"min_n": None, "min_n_reason": ""})


@pytest.fixture(scope="module")
def fast_runs():
    from endotwin.validation.runner import run_study
    from endotwin.validation.study import get_study

    sizes = {"considine1996_leptin": 16, "dallaman2007_meal": 6, "sutton2018_etrf": 8}
    # a few people each: these tests check the mechanics, not a correlation's precision (the
    # suite runs Considine with its min_n)
    return {name: run_study(_fast(get_study(name)), n=n, seed=7) for name, n in sizes.items()}


def test_fast_subset_runs_and_matches_the_published_baseline(fast_runs):
    dm = fast_runs["dallaman2007_meal"]
    basal = {o.name: o for o in dm.outcomes}
    # the population is matched to the published basal state, and the simulator starts there
    assert basal["basal plasma glucose"].model_mean == pytest.approx(91.76, abs=0.05)
    assert basal["basal plasma insulin"].model_mean == pytest.approx(25.49, rel=0.01)
    peak = basal["peak plasma glucose after the meal"].model_mean
    assert 120 < peak < 220  # a mixed meal of ~1 g/kg: a physiological peak
    for r in fast_runs.values():
        for o in r.outcomes:
            assert o.model_mean is not None and np.isfinite(o.model_mean)
            assert o.model_low <= o.model_mean <= o.model_high


def test_considine_leptin_is_higher_in_obesity_and_tracks_body_fat(fast_runs):
    out = {o.name: o for o in fast_runs["considine1996_leptin"].outcomes}
    assert out["serum leptin, obese"].model_mean > 2 * out["serum leptin, normal weight"].model_mean
    assert out["correlation of leptin with % body fat"].model_mean > 0.6


def test_ogtt_metrics_read_the_75g_test_on_the_last_day():
    """Sutton's arms end with a 75 g OGTT at 08:00: its indices are physiological in both arms."""
    from endotwin.population import virtual_population
    from endotwin.validation.metrics import METRICS
    from endotwin.validation.runner import simulate_arms
    from endotwin.validation.study import get_study

    st = get_study("sutton2018_etrf")
    arms = simulate_arms(st, virtual_population(st.population, 3, seed=1))
    for arm in arms.values():
        isi = METRICS["ogtt_matsuda"].value(arm, st.duration_weeks)
        igi = METRICS["ogtt_insulinogenic_index"].value(arm, st.duration_weeks)
        assert np.all((isi > 1) & (isi < 30)) and np.all(igi > 0)
        # the drink raises glucose by more than 30 mg/dL within 2 h
        day = round(st.duration_weeks * 7) - 1
        t0 = day * 1440.0 + 480.0
        g = arm.series("Plasma glucose [mg/dL]")
        rise = g[:, (arm.time > t0) & (arm.time <= t0 + 120)].max(axis=1) - arm.at(
            "Plasma glucose [mg/dL]", t0
        )
        assert np.all(rise > 30)


def test_measured_intake_given_to_the_model_is_what_it_eats():
    """Gabel 2018's -341 kcal/day, given per person as a % deficit of their EI0, is eaten."""
    from endotwin.validation.runner import run_study
    from endotwin.validation.study import get_study

    r = run_study(get_study("gabel2018_tre"), n=4, seed=5)
    out = {o.name: o for o in r.outcomes}
    intake = out["energy intake change vs control"]
    assert intake.scored is False and intake.model_mean == pytest.approx(-341.0, abs=1.0)
    # the energy-balance layer turns it into weight loss
    assert out["body weight change vs control"].model_mean < -1.0


def test_runs_are_deterministic_given_the_seed():
    from endotwin.validation.runner import run_study
    from endotwin.validation.study import get_study

    st = _fast(get_study("considine1996_leptin"))
    a = run_study(st, n=6, seed=3)
    b = run_study(st, n=6, seed=3)
    c = run_study(st, n=6, seed=4)
    assert [o.model_mean for o in a.outcomes] == [o.model_mean for o in b.outcomes]
    assert [o.model_mean for o in a.outcomes] != [o.model_mean for o in c.outcomes]


def test_report_shows_the_numbers_of_the_run(fast_runs, tmp_path):
    import dataclasses

    from endotwin.validation.report import format_number, write_validation_report
    from endotwin.validation.results import ValidationRun

    run = ValidationRun(tuple(fast_runs.values()), "test", 8, 7, 1.0, "now")
    text = write_validation_report(run, tmp_path / "r.html").read_text()
    for r in run.studies:
        assert r.name in text
        for o in r.outcomes:
            assert format_number(o.model_mean) in text
            if o.pass_share is not None:
                assert f"<td>{o.pass_share:.2f}</td>" in text
    assert any(o.pass_share is not None for r in run.studies for o in r.outcomes)
    assert dataclasses.asdict(run)  # serialisable for --json


@pytest.mark.validation
def test_whole_suite(tmp_path):
    """All studies, 40 virtual people per arm; the report goes to $VALIDATION_OUT."""
    import os

    from endotwin.validation.report import write_validation_report
    from endotwin.validation.runner import run_validation

    run = run_validation(n=40)
    out = Path(os.environ.get("VALIDATION_OUT", tmp_path)) / "validation-report.html"
    text = write_validation_report(run, out).read_text()
    s = run.summary()
    assert s["prediction_studies"] >= s["studies"] / 2
    assert f'data-prediction-passed="{s["prediction_passed"]}"' in text
    for r in run.studies:
        for o in r.scored:
            assert o.passed is not None
    print(s)


def test_diagnosis_uses_the_2h_glucose_only_at_ogtt_visits_and_confirms():
    """DPP-style diagnosis: a 2-h value far above 200 mg/dL is diagnosed at the first OGTT
    visit (not at the fasting-only visit before it); a person far below both thresholds never
    is; a fasting value far above 126 is diagnosed at the first visit; the measurement draws are
    the same for every arm (same people, same noise)."""
    from endotwin.validation.study import Diagnosis

    t = np.arange(0.0, 60 * 7 * 1440.0 + 1, 60.0)
    clock = t % 1440.0
    after_drink = (clock >= 480.0) & (clock <= 700.0)
    fasting = np.array([90.0, 95.0, 160.0])
    g = np.repeat(fasting[:, None], t.size, axis=1)
    g[0] = np.where(after_drink, 300.0, 90.0)  # diabetic 2-h response, normal fasting
    g[1] = np.where(after_drink, 120.0, 95.0)
    ds = xr.Dataset(
        {"Plasma glucose [mg/dL]": (("person", "time"), g)},
        coords={"person": list("abc"), "time": t},
    )
    arm = ArmData("x", ds, np.ones(3), np.ones(3), np.zeros(3, bool))
    dx = Diagnosis(visit_weeks=(26, 52), ogtt_weeks=(52,), source="test")
    inc = incidence_events(arm, 52.0, dx)
    assert inc.event.tolist() == [1, 0, 1]
    assert inc.years[0] == pytest.approx(52 / 52.18)
    assert inc.years[2] == pytest.approx(26 / 52.18)
    assert inc.years[1] == pytest.approx(52 / 52.18)
    assert inc.screens == inc.confirmed == 2
    again = incidence_events(replace_arm(arm, "y"), 52.0, dx)
    assert again.event.tolist() == inc.event.tolist()
    with pytest.raises(ValueError, match="not visits"):
        Diagnosis(visit_weeks=(26,), ogtt_weeks=(52,), source="test")


def replace_arm(arm: ArmData, name: str) -> ArmData:
    return ArmData(name, arm.dataset, arm.ei0, arm.bmi, arm.male)


def test_min_n_raises_the_people_per_arm_and_says_why():
    from endotwin.validation.runner import run_study

    data = _study(
        "{name: w, metric: weight_kg, comparison: within, arm: a, time_weeks: 1, unit: kg, "
        "mean: 0, spread: 1, spread_kind: SD, source: 'V: x'}"
    ).model_dump()
    data.update(duration_weeks=1, arms=[{"name": "a"}])
    with pytest.raises(ValueError, match="min_n_reason"):
        Study.model_validate({**data, "min_n": 4})
    st = Study.model_validate({**data, "min_n": 4, "min_n_reason": "events are rare"})
    r = run_study(st, n=2, seed=1)
    assert r.n_virtual == 4
    assert r.notes[0].startswith("4 virtual people per arm instead of 2: events are rare")
    assert run_study(st, n=5, seed=1).n_virtual == 5  # a larger n is kept


def test_screening_enrols_the_first_eligible_candidates_of_each_sex():
    """The trial's own test decides who is enrolled: a 75 g OGTT at 08:00 after the burn-in
    days, read with Mooy 1996's within-person variability (the diagnosis's CV, from the
    screening's own generator); for each sex the first candidates eligible on the *measured*
    value are kept, in the published sex mix (the sampler lists women first); too few is an
    error."""
    from endotwin.errors import InputError
    from endotwin.population import virtual_population
    from endotwin.population.morning import match_morning_fasting
    from endotwin.validation.metrics import G2H_WITHIN_CV
    from endotwin.validation.screening import (
        SCREENING_STREAM,
        screened_population,
        screening_ogtt_2h,
    )

    data = _study(
        "{name: w, metric: weight_kg, comparison: within, arm: a, time_weeks: 1, unit: kg, "
        "mean: 0, spread: 1, spread_kind: SD, source: 'V: x'}"
    ).model_dump()
    data.update(duration_weeks=1, arms=[{"name": "a"}])

    def study(window):
        scr = {"ogtt_2h_mgdl": window, "candidates_per_person": 2, "source": "test"}
        return Study.model_validate({**data, "screening": scr})

    cand = virtual_population(study([40, 400]).population, 6, 5, label="t")  # 3 women, 3 men
    true = screening_ogtt_2h(match_morning_fasting(cand, days=7), 7)
    z = np.random.default_rng([5, SCREENING_STREAM]).standard_normal(6)
    g2 = true * (1.0 + G2H_WITHIN_CV * z)
    sex = cand.covariates["sex"].to_numpy()
    women, men = np.flatnonzero(sex == "female"), np.flatnonzero(sex == "male")
    # a cut that leaves 2 women and 1 man eligible at least, and excludes someone
    cut = max(np.sort(g2[women])[1], np.sort(g2[men])[0]) + 1e-6
    assert np.sum(g2 >= cut) >= 1
    pop = screened_population(study([40, cut]), 3, 5)  # female_fraction 0.5: 2 women, 1 man
    expect = np.concatenate([women[g2[women] < cut][:2], men[g2[men] < cut][:1]])
    assert list(pop.covariates["label"]) == list(cand.covariates["label"].iloc[expect])
    assert list(pop.covariates["sex"]) == ["female", "female", "male"]
    np.testing.assert_allclose(pop.covariates["screening_ogtt_2h_mgdl"], g2[expect])
    np.testing.assert_allclose(pop.covariates["screening_ogtt_2h_true_mgdl"], true[expect])
    assert not np.allclose(g2, true)
    assert pop.notes[-1].startswith("screening: 6 candidates")
    assert "2 women and 1 men were enrolled" in pop.notes[-1]
    with pytest.raises(InputError, match="eligible female"):
        screened_population(study([40, float(g2.min()) - 1.0]), 3, 5)
