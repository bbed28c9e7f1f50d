"""Match the people's *morning* fasting glucose and insulin, as a trial measures them.

A published fasting glucose and insulin are morning values: blood drawn at about 07:00 after the
overnight fast that follows the person's usual dinner. :func:`~.sampler.virtual_population`
matches the model's fasting *steady state* instead (the state reached after an indefinitely long
fast, :func:`endotwin.components.steady_state.fasting_state`). The two differ because the meal
model has not returned to its steady state 12 hours after a habitual 19:00 dinner: measured on
the validation populations, the 07:00 glucose of the Dalla Man 2007 type-2 set is 20-35 mg/dL
below its steady state (a person matched to 148 mg/dL reads 115 at 07:00), the normal set's
about 2-3 mg/dL, and the 07:00 insulin about 15 % below. A population matched to the steady
state is therefore less hyperglycaemic, as a trial would measure it, than the one published.

:func:`match_morning_fasting` closes the gap: it simulates ``days`` habitual days, reads glucose
and insulin at 07:00 on the last one, and moves each person's steady-state target by the
difference (glucose additively, insulin in log space; a fixed-point iteration), re-matching
``m6`` and the sensitivity factor ``s`` with :func:`~.glycaemia.match_fasting_states`. It stops
when every person is within :data:`GLUCOSE_TOL_MGDL` and :data:`INSULIN_TOL_LOG`, or after
``iterations``. A person whose moved target the base set cannot reach within its parameter
bounds moves by half or a quarter of the gap if that is reachable, and otherwise
stops there (``morning_matched`` False); the count and the largest remaining gap are in the notes
(never silent).

In the same iteration each person's glucose-stimulated secretion is matched to their HbA1c
(:mod:`endotwin.population.secretion`): the two matches move different parameters (``m6``,
``s`` here; ``K``, ``beta`` there) but both read the same habitual-day simulation.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..errors import SolverError
from .glycaemia import eag_mgdl, match_fasting_states, match_overrides
from .sampler import Population, _base_values
from .secretion import (
    MATCHED_SETS,
    MEAN_GLUCOSE_TOL_MGDL,
    SecretionSearch,
    secretion_bounds,
    secretion_overrides,
)

#: stop when every person's 07:00 glucose is this close to the target [mg/dL]
GLUCOSE_TOL_MGDL = 0.5
#: ... and the 07:00 insulin this close in log space (about 1 %)
INSULIN_TOL_LOG = 0.01
#: fractions of a person's remaining gap tried in turn when the whole move is out of reach
MOVE_FRACTIONS = (1.0, 0.5, 0.25)
#: clock time of the morning sample [min after midnight] (metrics.FASTING_MIN)
MORNING_MIN = 7.0 * 60.0
#: sampling interval of the day's mean glucose [min]
MEAN_SAMPLE_MIN = 10.0


def _morning_values(people: list, days: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """07:00 glucose [mg/dL] and insulin [uU/mL] on the last of ``days`` habitual days, and
    the mean glucose [mg/dL] over that day (samples every :data:`MEAN_SAMPLE_MIN`)."""
    from ..physiology import habitual_day, simulate_physiology  # physiology builds on population

    sol = simulate_physiology(
        people,
        [habitual_day(p, days) for p in people],
        days=float(days),
        output_interval_min=MEAN_SAMPLE_MIN,
        outputs=["Plasma glucose [mg/dL]", "Plasma insulin [uU/mL]"],
    )
    start = (days - 1) * 1440.0
    ds = sol.dataset.sel(time=start + MORNING_MIN, method="nearest")
    day = sol.dataset["Plasma glucose [mg/dL]"].sel(time=slice(start, start + 1440.0 - 1e-9))
    return (
        ds["Plasma glucose [mg/dL]"].to_numpy().astype(float),
        ds["Plasma insulin [uU/mL]"].to_numpy().astype(float),
        day.mean("time").to_numpy().astype(float),
    )


def _morning_values_or_failed(
    people: list, days: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[SolverError | None]]:
    """:func:`_morning_values`, and the error of each person whose habitual day the model could
    not simulate (their values NaN; None for the others): where the batch raises, each person
    is simulated alone to find them."""
    try:
        return (*_morning_values(people, days), [None] * len(people))
    except SolverError:
        out = np.full((3, len(people)), np.nan)
        errors: list[SolverError | None] = [None] * len(people)
        for k, p in enumerate(people):
            try:
                out[:, k] = [float(v[0]) for v in _morning_values([p], days)]
            except SolverError as e:
                errors[k] = e
        return out[0], out[1], out[2], errors


def match_morning_fasting(
    pop: Population, days: int = 7, iterations: int = 10, *, resimulate_all: bool = False
) -> Population:
    """``pop`` with each person's 07:00 habitual-day fasting state moved onto their targets
    (the covariates ``fasting_glucose_mgdl`` and ``fasting_insulin_uuml``; module docstring)
    and their stimulated insulin secretion matched to their HbA1c
    (:mod:`endotwin.population.secretion`: the habitual day's mean glucose equals eAG).

    The covariates gain ``steady_state_glucose_mgdl`` and ``steady_state_insulin_uuml`` (the
    model's fasting steady state after matching) and ``morning_glucose_mgdl`` /
    ``morning_insulin_uuml`` (the 07:00 values reached), and ``morning_matched`` (False where
    a person is still outside the tolerance, e.g. stopped by the base set's parameter bounds);
    ``secretion_factor`` (on ``K`` and ``beta``), ``mean_glucose_mgdl`` (the habitual day's
    mean reached), ``mean_glucose_target_mgdl`` (its target: the sampler's covariate, eAG
    plus ADAG's between-person spread; eAG itself where a population lacks it), ``eag_mgdl``
    (the ADAG line at the person's HbA1c) and ``secretion_matched``.

    Each iteration re-simulates only the people whose parameters changed (people do not
    interact, so the values are the same); ``resimulate_all`` re-simulates everyone, for the
    benchmark (``benchmarks/bench_population_match.py``).
    """
    cov = pop.covariates.copy()
    g_target = cov["fasting_glucose_mgdl"].to_numpy(dtype=float)
    i_target = cov["fasting_insulin_uuml"].to_numpy(dtype=float)
    sets = cov["parameter_set"].to_numpy()
    people = list(pop.people)
    g_ss, i_ss = g_target.copy(), i_target.copy()
    stuck = np.zeros(len(people), dtype=bool)
    active = np.isin(sets.astype(str), MATCHED_SETS)
    hba1c = cov["hba1c_pct"].to_numpy(dtype=float)
    target = (
        cov["mean_glucose_target_mgdl"].to_numpy(dtype=float)
        if "mean_glucose_target_mgdl" in cov
        else eag_mgdl(hba1c)
    )
    search = SecretionSearch.for_people(
        target,
        [secretion_bounds(_base_values(str(k)), str(k)) for k in sets],
        active,
    )
    applied = np.ones(len(people))
    g7, i7, g_mean = (np.full(len(people), np.nan) for _ in range(3))
    dirty = np.ones(len(people), dtype=bool)  # people whose parameters changed: re-simulated
    failed = np.zeros(len(people), dtype=bool)  # the last simulation of the person failed
    backed_off = np.zeros(len(people), dtype=bool)
    frozen = np.zeros(len(people), dtype=bool)  # returned to their last state that simulated
    last_ok: list[tuple | None] = [None] * len(people)  # the person's last simulated state

    def restore(k: int) -> None:  # a person back to their last state that simulated
        people[k], g7[k], i7[k], g_mean[k], g_ss[k], i_ss[k], applied[k] = last_ok[k]
        search.pin(k, applied[k])
        stuck[k], failed[k], frozen[k] = True, False, True

    done = 0
    for done in range(1, iterations + 1):
        idx = np.flatnonzero(dirty)
        failed[:] = False
        if idx.size:  # each person is simulated alone (no coupling between people)
            g7[idx], i7[idx], g_mean[idx], errors = _morning_values_or_failed(
                [people[k] for k in idx], days
            )
            for k, e in zip(idx, errors, strict=True):
                if e is None:
                    last_ok[k] = (people[k], g7[k], i7[k], g_mean[k], g_ss[k], i_ss[k], applied[k])
                elif last_ok[k] is None:  # the sampler's own parameters: nothing to go back to
                    _refuse(pop, int(k), e)
                failed[k] = e is not None
        dirty[:] = resimulate_all
        err_g = g7 - g_target
        err_i = np.log(i7 / i_target)
        close = (np.abs(err_g) < GLUCOSE_TOL_MGDL) & (np.abs(err_i) < INSULIN_TOL_LOG)
        backed_off |= failed
        for k in np.flatnonzero(search.update(g_mean, failed)):
            restore(k)  # the secretion factor did not move: the fasting match's step failed
        if not np.any(failed) and np.all(close | stuck) and np.all(search.close | search.stuck):
            break
        if done == iterations:
            for k in np.flatnonzero(failed):
                restore(k)
            break
        for k in np.flatnonzero(~np.isclose(search.factor, applied, rtol=1e-12, atol=0.0)):
            over = secretion_overrides(_base_values(str(sets[k])), float(search.factor[k]))
            people[k] = replace(people[k], parameters={**people[k].parameters, **over})
            applied[k] = search.factor[k]
            dirty[k] = True
        for name in np.unique(sets):
            base = _base_values(str(name))
            todo = (sets == name) & ~stuck & ~close & ~failed
            # the full move, else the largest of half and a quarter of it that the set reaches
            for frac in MOVE_FRACTIONS:
                who = np.flatnonzero(todo)
                if who.size == 0:
                    break
                g_new = g_ss[who] - frac * err_g[who]
                i_new = i_ss[who] * np.exp(-frac * err_i[who])
                m6, s, ok = match_fasting_states(base, g_new, i_new, name)
                for j, k in enumerate(who):
                    if not ok[j]:
                        continue
                    over = match_overrides(base, m6[j], s[j])
                    people[k] = replace(people[k], parameters={**people[k].parameters, **over})
                    g_ss[k], i_ss[k] = g_new[j], i_new[j]
                    todo[k] = False
                    dirty[k] = True
            stuck |= todo
    close = (np.abs(g7 - g_target) < GLUCOSE_TOL_MGDL) & (
        np.abs(np.log(i7 / i_target)) < INSULIN_TOL_LOG
    )
    cov["steady_state_glucose_mgdl"] = g_ss
    cov["steady_state_insulin_uuml"] = i_ss
    cov["morning_glucose_mgdl"] = g7
    cov["morning_insulin_uuml"] = i7
    cov["morning_matched"] = close
    cov["secretion_factor"] = applied
    cov["mean_glucose_mgdl"] = g_mean
    cov["mean_glucose_target_mgdl"] = search.target
    cov["eag_mgdl"] = eag_mgdl(hba1c)
    cov["secretion_matched"] = active & (np.abs(g_mean - search.target) < MEAN_GLUCOSE_TOL_MGDL)
    gap_g = float(np.max(np.abs(g7 - g_target)))
    gap_i = float(np.max(np.abs(np.log(i7 / i_target))))
    note = (
        f"morning fasting state: 07:00 glucose and insulin on the last of {days} habitual days "
        f"matched to the targets ({done} simulation(s); largest gap {gap_g:.2f} mg/dL and "
        f"{100.0 * gap_i:.1f} % insulin); the model's steady state sits "
        f"{float(np.mean(g_ss - g_target)):+.1f} mg/dL and "
        f"{100.0 * float(np.mean(i_ss / i_target - 1.0)):+.0f} % insulin from them on average"
    )
    if not np.all(close):
        note += (
            f"; {int((~close).sum())} person(s) not within the tolerance "
            f"({int((stuck & ~frozen).sum())} stopped by the base set's parameter bounds, "
            f"{int(frozen.sum())} at their last state that simulated): their gap remains"
        )
    note_s = _secretion_note(sets, search, applied, g_mean, hba1c)
    if np.any(backed_off):
        note_s += (
            f"; {int(backed_off.sum())} person(s) had a trial step (of the secretion factor "
            "or the fasting match) whose habitual day the model could not simulate (e.g. "
            "glucose driven down and insulin through zero after a meal): their secretion "
            "factor stepped back halfway to the last one that simulated (the failed one is "
            "not tried again), or, where it had not moved, the person returned to their last "
            "state that simulated"
        )
    return replace(pop, people=tuple(people), covariates=cov, notes=(*pop.notes, note, note_s))


def _refuse(pop: Population, k: int, error: SolverError) -> None:
    """Raise for person ``k``, whose habitual day failed on the parameters the sampler gave
    them (no earlier state to return to): outside the model's range, named, never hidden."""
    c = pop.covariates.iloc[k]
    raise SolverError(
        f"{k} ({c.get('label', k)})",
        error.time_min,
        f"{error.reason}; the virtual person's habitual day cannot be simulated with the "
        f"parameters the sampler gave them (fasting glucose {c['fasting_glucose_mgdl']:.1f} "
        f"mg/dL, fasting insulin {c['fasting_insulin_uuml']:.2f} uU/mL, HbA1c "
        f"{c['hba1c_pct']:.2f} %, BMI {c['bmi']:.1f} kg/m2, parameter set "
        f"{c['parameter_set']})",
    ) from error


def _secretion_note(
    sets: np.ndarray,
    search: SecretionSearch,
    applied: np.ndarray,
    g_mean: np.ndarray,
    hba1c: np.ndarray,
) -> str:
    """The notes' line on the HbA1c secretion match (population/secretion.py)."""
    active = np.asarray(search.active)
    if not np.any(active):
        return (
            "stimulated insulin secretion: the base set's (not matched to the HbA1c on "
            f"{', '.join(sorted(set(sets.astype(str))))}; docs/population.md, step 10)"
        )
    gap = g_mean - search.target
    target = search.target[active]
    eag = eag_mgdl(hba1c[active])
    missed = active & (np.abs(gap) >= MEAN_GLUCOSE_TOL_MGDL)
    f_on = applied[active]
    out = (
        "stimulated insulin secretion (K, beta) scaled so that the habitual day's mean glucose "
        "equals the person's mean glucose at their HbA1c: the ADAG average glucose plus their "
        "drawn deviation from it, ADAG's spread between people, not below their fasting glucose "
        "(Nathan 2008; ADA Standards of Care Table 6.1; Kahn 1993's compensation): factor "
        f"median {float(np.median(f_on)):.2f} "
        f"[{float(np.min(f_on)):.2f}, {float(np.max(f_on)):.2f}]; mean glucose "
        f"{float(np.mean(g_mean[active])):.1f} mg/dL against the targets' "
        f"{float(np.mean(target)):.1f} (SD {float(np.std(target)):.1f}; eAG "
        f"{float(np.mean(eag)):.1f}: the floor at the fasting glucose lifts the mean)"
    )
    if not np.all(active):
        out += f"; {int((~active).sum())} person(s) on the type-2 set keep its secretion"
    if np.any(missed):
        out += (
            f"; {int(missed.sum())} person(s) more than {MEAN_GLUCOSE_TOL_MGDL:g} mg/dL away "
            f"(largest {float(np.max(np.abs(gap[active]))):.1f} mg/dL; "
            f"{int(search.stuck.sum())} stopped by the bounds of K and beta): their gap remains"
        )
    return out


__all__ = ["match_morning_fasting"]
