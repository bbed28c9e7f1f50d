"""Considine 1996's leptin - % body fat correlation at a size where the draw does not decide it.

The validation suite compares the r of one draw of 275 virtual people (the study's size) with
Considine's 0.85 [0.81, 0.88]; this checks the model's r itself, over 2000 people
(``scripts/considine_r_sampling.py``; docs/validation.md, "Considine 1996").
"""

from __future__ import annotations

import numpy as np
import pytest
from _scripts import load_script

from endotwin.validation.study import get_study


@pytest.fixture(scope="module")
def sampling():
    return load_script("considine_r_sampling")


def test_the_scripts_set_level_is_the_simulated_daily_mean_leptin(sampling):
    """The script's shortcut (the set level from fat mass and sex) against the coupled model's
    daily mean plasma leptin on a habitual day, for the same virtual people."""
    from endotwin.population import virtual_population
    from endotwin.validation.runner import simulate_arms

    st = get_study("considine1996_leptin")
    leptin, _, _, _ = sampling.set_levels(4, 5)
    pop = virtual_population(st.population, 4, 5, label=st.name)
    arm = simulate_arms(st, pop)["habitual"]
    simulated = arm.day_mean("Plasma leptin [ng/mL]", 3)
    np.testing.assert_allclose(simulated, leptin, rtol=0.02)


def test_leptin_follows_fat_mass_more_closely_than_percent_fat(sampling):
    """The reason the model's r falls short: its set level follows fat mass [kg], and at one %
    body fat the fat mass still varies with body size."""
    leptin, pct, fat, male = sampling.set_levels(2000, 0)
    assert leptin.min() > 0
    r_pct, r_fat = np.corrcoef(leptin, pct)[0, 1], np.corrcoef(leptin, fat)[0, 1]
    assert 0.7 < r_pct < r_fat
    # within each sex, too
    for who in (male, ~male):
        assert np.corrcoef(leptin[who], pct[who])[0, 1] < np.corrcoef(leptin[who], fat[who])[0, 1]


@pytest.mark.xfail(
    strict=True,
    reason="the model's leptin is a sex constant times fat mass squared: across 2000 virtual "
    "people its r with % body fat is about 0.79 (0.86 with fat mass in kg), below Considine's "
    "interval [0.81, 0.88]; the suite's 275-person draw passes at the edge (docs/validation.md)",
)
def test_model_r_reaches_considines_interval(sampling):
    r_outcome = get_study("considine1996_leptin").outcomes[2]
    assert r_outcome.metric == "leptin_bodyfat_r"
    assert sampling.set_level_r(2000, 0) >= r_outcome.interval()[0]
