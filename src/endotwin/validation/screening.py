"""Enrol virtual people as a trial did: screen candidates with the trial's own test.

A trial's published baseline describes the people it *enrolled*, after screening. The DPP, for
one, enrolled impaired glucose tolerance: a 2-h glucose of 140-199 mg/dL after 75 g (DPP
Research Group, Diabetes Care 2000;23:1619). The virtual-population sampler draws people to the
published means, but nothing in it knows their glucose tolerance: drawn to the DPP's baseline,
22 % of them have a 2-h glucose of 200 mg/dL or more and 8 % below 140 (session 7, 120 people),
people the trial would not have enrolled.

:func:`screened_population` draws ``candidates_per_person`` times as many candidates, matches
their morning fasting state (:func:`endotwin.population.morning.match_morning_fasting`), gives
each a 75 g OGTT at 08:00 after the study's habitual burn-in days, and enrols, for each sex,
the first eligible candidates (in draw order) whose *measured* 2-h glucose lies in the window:
``round(n * female_fraction)`` women and the rest men, so the arm keeps the published sex mix
(the sampler lists women first, so "the first ``n`` eligible" alone enrolled 96 % women for the
DPP's 68 %). The kept people's other means differ from the published ones, as the selection
makes them; the notes give both.

The screening test is measured as the diagnosis measures (:func:`~.metrics.incidence_events`,
both through :func:`~.metrics.measured`): the simulated 2-h glucose times ``1 + CV * z``,
with Mooy 1996's within-person CV of one test (:data:`~.metrics.G2H_WITHIN_CV`, about 15 %).
A trial enrols on one noisy test, so some enrolled people sit above the window in truth and
some eligible ones are missed (regression to the mean: the same test repeated is diagnostic in
only 47 % of DPP screens, Christophi 2013). Until session 14 the screen read the simulated
value without error while the diagnosis read it with error. The fasting-glucose eligibility
(95-125 mg/dL) is the sampler's drawn value, not a noisy test
(ASSUMPTION). Too few eligible candidates of either sex is an
:class:`~endotwin.errors.InputError`, never a smaller arm.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..errors import InputError
from ..physiology import habitual_day, simulate_physiology
from ..population import Population, virtual_population
from ..population.morning import match_morning_fasting
from ..simulate import MINUTES_PER_DAY
from .metrics import G2H_WITHIN_CV, OGTT_SAMPLES, OGTT_START_MIN, measured, with_ogtt_days
from .study import Study

#: key of the generator of the screening test's variability, ``default_rng([seed,
#: SCREENING_STREAM])``: apart from the population's own generators (sampler)
SCREENING_STREAM = 2


def screening_ogtt_2h(pop: Population, day: int) -> np.ndarray:
    """2-h glucose [mg/dL] of a 75 g OGTT at 08:00 on day ``day`` (0-based) after habitual
    days, for every person of ``pop`` (the drink replaces that day's breakfast)."""
    people = list(pop.people)
    schedules = [with_ogtt_days(habitual_day(p, day + 1), [day]) for p in people]
    ds = simulate_physiology(
        people,
        schedules,
        days=float(day + 1),
        output_interval_min=5.0,
        outputs=["Plasma glucose [mg/dL]"],
    ).dataset
    t = day * MINUTES_PER_DAY + OGTT_START_MIN + OGTT_SAMPLES[-1]
    return ds["Plasma glucose [mg/dL]"].sel(time=t, method="nearest").to_numpy().astype(float)


def screened_population(study: Study, n: int, seed: int) -> Population:
    """``n`` people enrolled from candidates drawn to ``study.population`` by
    ``study.screening`` (module docstring); morning fasting state matched."""
    sc = study.screening
    assert sc is not None
    m = int(np.ceil(n * sc.candidates_per_person))
    days = max(study.burn_in_days, 1)
    cand = virtual_population(study.population, m, seed, label=study.name)
    cand = match_morning_fasting(cand, days=days)
    g2 = screening_ogtt_2h(cand, days)
    z = np.random.default_rng([int(seed), SCREENING_STREAM]).standard_normal(g2.size)
    g2_measured = measured(g2, G2H_WITHIN_CV, z)
    lo, hi = sc.ogtt_2h_mgdl
    ok = (g2_measured >= lo) & (g2_measured < hi)
    sex = cand.covariates["sex"].to_numpy()
    n_f = int(np.floor(n * study.population.female_fraction + 0.5))
    keep_parts = []
    for who, k in (("female", n_f), ("male", n - n_f)):
        eligible = np.flatnonzero(ok & (sex == who))
        if eligible.size < k:
            raise InputError(
                "screening.candidates_per_person",
                sc.candidates_per_person,
                f"enough candidates for {k} eligible {who} people: {eligible.size} of "
                f"{int(np.sum(sex == who))} had a 2-h glucose in [{lo:g}, {hi:g}) mg/dL",
            )
        keep_parts.append(eligible[:k])
    keep = np.concatenate(keep_parts)
    cov = cand.covariates.iloc[keep].reset_index(drop=True).copy()
    cov["screening_ogtt_2h_mgdl"] = g2_measured[keep]
    cov["screening_ogtt_2h_true_mgdl"] = g2[keep]
    c0 = cand.covariates
    note = (
        f"screening: {m} candidates drawn to the published baseline took a 75 g OGTT at 08:00 "
        f"after {days} habitual days, measured with Mooy 1996's within-person variability "
        f"(CV {100.0 * G2H_WITHIN_CV:.1f} %); {int(ok.sum())} ({100.0 * ok.mean():.0f} %) had a "
        f"measured 2-h glucose in [{lo:g}, {hi:g}) mg/dL "
        f"({100.0 * np.mean(g2_measured >= hi):.0f} % above, "
        f"{100.0 * np.mean(g2_measured < lo):.0f} % below; without the variability "
        f"{100.0 * np.mean((g2 >= lo) & (g2 < hi)):.0f} % inside); the first eligible {n_f} "
        f"women and {n - n_f} men were enrolled, {int(np.sum(g2[keep] >= hi))} of them with a "
        f"true 2-h glucose of {hi:g} mg/dL or more. Means, "
        f"candidates -> enrolled: age {c0['age'].mean():.1f} -> {cov['age'].mean():.1f} y, "
        f"BMI {c0['bmi'].mean():.1f} -> {cov['bmi'].mean():.1f}, fasting glucose "
        f"{c0['fasting_glucose_mgdl'].mean():.1f} -> {cov['fasting_glucose_mgdl'].mean():.1f} "
        f"mg/dL, true 2-h glucose {g2.mean():.1f} -> {g2[keep].mean():.1f} mg/dL, measured "
        f"{g2_measured.mean():.1f} -> {g2_measured[keep].mean():.1f} mg/dL ({sc.source})"
    )
    return replace(
        cand,
        people=tuple(cand.people[i] for i in keep),
        covariates=cov,
        notes=(*cand.notes, note),
    )


__all__ = ["screened_population", "screening_ogtt_2h"]
