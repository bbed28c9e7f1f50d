"""Age-related decline of insulin release (Szoke 2008): rates, where they act, who gets which."""

from __future__ import annotations

import numpy as np
import pytest

import endotwin as et
from endotwin.parameters import get_parameter_set
from endotwin.physiology import habitual_day, simulate_physiology
from endotwin.population import Baseline, virtual_population
from endotwin.population.baseline import Stat

_PERSON = {"sex": "female", "age": 55.0, "height_cm": 165.0, "weight_kg": 85.0}


def _run(people: list[et.Person], days: int):
    return simulate_physiology(
        people, [habitual_day(p, days) for p in people], days=days, output_interval_min=60.0
    ).dataset


def test_set_holds_szoke_normal_glucose_tolerance_rates() -> None:
    ps = get_parameter_set("mechanisms")
    assert ps["beta_age_first"].value == pytest.approx(0.007)
    assert ps["beta_age_second"].value == pytest.approx(0.007)
    assert "Szoke" in ps["beta_age_first"].source


def test_release_factors_follow_their_rates_over_two_years() -> None:
    p = et.Person(**_PERSON, parameters={"beta_age_first": 0.022, "beta_age_second": 0.014})
    ds = _run([p], 730)
    t_years = ds["time"].values / (365.25 * 1440.0)
    first = ds["First-phase release, ageing [x baseline]"].values[0]
    second = ds["Second-phase release, ageing [x baseline]"].values[0]
    np.testing.assert_allclose(first, np.exp(-0.022 * t_years), rtol=1e-6)
    np.testing.assert_allclose(second, np.exp(-0.014 * t_years), rtol=1e-6)


def test_declining_release_raises_glucose_on_an_unchanged_day() -> None:
    """Same person with and without ageing: after two years the one whose release declined
    (IGT rates) has higher fasting glucose; with zero rates both factors stay at 1."""
    ageing = {"beta_age_first": 0.022, "beta_age_second": 0.014}
    none = {"beta_age_first": 0.0, "beta_age_second": 0.0}
    people = [et.Person(**_PERSON, parameters=d) for d in (ageing, none)]
    ds = _run(people, 730)
    at_7 = int(np.argmin(np.abs(ds["time"].values - (729 * 1440.0 + 7 * 60.0))))
    g = ds["Plasma glucose [mg/dL]"].values[:, at_7]
    # about 3 % less release after two years: +0.29 mg/dL at 07:00 with the liver store
    # (session 9), which buffers fasting glucose against the rise; the direction is the claim
    assert g[0] > g[1] + 0.2
    assert np.all(ds["Second-phase release, ageing [x baseline]"].values[1] == 1.0)


@pytest.mark.parametrize(
    ("status", "fpg", "expected"),
    [("normal", None, None), ("prediabetes", 106.0, (0.022, 0.014))],
)
def test_sampler_gives_impaired_people_the_igt_rates(status, fpg, expected) -> None:
    base = Baseline(
        female_fraction=0.5,
        age=Stat(mean=50.0),
        bmi=Stat(mean=30.0),
        fasting_glucose_mgdl=Stat(mean=fpg) if fpg else None,
        glycaemic_status=status,
    )
    pop = virtual_population(base, 3, seed=1)
    for p in pop.people:
        got = (p.parameters.get("beta_age_first"), p.parameters.get("beta_age_second"))
        assert got == (expected or (None, None))
    assert any("Szoke" in n for n in pop.notes) is (expected is not None)
