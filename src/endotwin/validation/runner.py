"""Run published studies on virtual populations and compare the outcomes.

For each study: build ``n`` virtual people matched to its baseline
(:func:`endotwin.population.virtual_population`, then
:func:`endotwin.population.morning.match_morning_fasting` so that their 07:00 habitual-day
fasting glucose and insulin are the published ones), simulate every arm on the same people with the
coupled model (:func:`endotwin.physiology.simulate_physiology`, one batch per arm), compute each
outcome's model counterpart (:mod:`endotwin.validation.metrics`) and apply the pass rule:

- a published 95% CI: the model mean must lie inside it;
- an SD only: within 1 SD of the published mean; an SE: inside mean +/- 1.96 SE (its 95% CI);
- a qualitative result: the direction, and significance by a one-sample t-test of the
  per-person changes (p < 0.05); "no change": the model's mean change must be smaller than the
  study could detect, 1.96 x SD / sqrt(n) with the SD of the baseline values across the virtual
  people (an ASSUMPTION: the SD of the change is taken as that of the baseline), or
  1.96 x SD x sqrt(1/n + 1/n_versus) against a separate comparison group of n_versus people
  (the standard error of a difference of two independent means);
- outcomes given to the model (``input``), UNVERIFIED values and values without a published
  spread are shown but not scored.

The model interval is a 95% bootstrap interval of the virtual-population mean (people resampled
with replacement, arms kept paired), i.e. the sampling uncertainty of n virtual people.
"""

from __future__ import annotations

import datetime as dt
import time
import warnings
import zlib
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
from scipy import stats

from .. import __version__
from ..errors import EndotwinError
from ..models import physiology_model
from ..person import Person
from ..physiology import habitual_day, maintenance_intake, simulate_physiology
from ..population import Population, virtual_population
from ..population.morning import match_morning_fasting
from ..protocols.compile import compile_protocol
from ..protocols.steps import Protocol
from ..schedule import Schedule
from ..simulate import MINUTES_PER_DAY
from .metrics import (
    METRICS,
    OUTPUTS_READ,
    ArmData,
    incidence_events,
    last_day,
    morning,
    with_ogtt_days,
)
from .results import BOOTSTRAP, OutcomeResult, StudyResult, Trajectory, ValidationRun
from .screening import screened_population
from .study import Outcome, Study, all_studies

#: virtual people per arm (same people in every arm of a study)
DEFAULT_N = 40
DEFAULT_SEED = 20261124

Progress = Callable[[str, str], None]


def _study_seed(seed: int, name: str) -> int:
    """A per-study seed: stable across runs and independent of which studies are run."""
    return (seed + zlib.crc32(name.encode())) % (2**32)


def _shifted(schedule: Schedule, person: Person, days: int) -> Schedule:
    """``days`` habitual days, then ``schedule`` moved ``days`` later."""
    off = days * MINUTES_PER_DAY
    return Schedule(
        meals=[*habitual_day(person, days).meals]
        + [replace(m, time_min=m.time_min + off) for m in schedule.meals],
        exercise=[replace(e, start_min=e.start_min + off) for e in schedule.exercise],
        infusions=[replace(i, start_min=i.start_min + off) for i in schedule.infusions],
        signals={k: [(t + off, v) for t, v in pts] for k, pts in schedule.signals.items()},
    )


def simulate_arms(study: Study, pop: Population, progress: Progress | None = None) -> dict:
    """Simulate every arm of ``study`` on the people of ``pop``; returns {arm: ArmData}.

    Each arm starts with ``study.burn_in_days`` habitual days, so that week 0 is the periodic
    state of the person's habitual eating (glycogen and extracellular water settle within about
    3 days from the model's fasting initial state: about +0.3 kg that is not a weight change);
    the returned time axis starts at the end of the burn-in.
    """
    names = physiology_model().parameter_names
    ei0 = np.array([maintenance_intake(p.parameter_values(names)) for p in pop.people])
    days = study.duration_weeks * 7.0
    burn = study.burn_in_days
    total_days = int(np.ceil(days)) + burn
    cov = pop.covariates
    male = (cov["sex"] == "male").to_numpy()
    out: dict[str, ArmData] = {}
    for arm in study.arms:
        if progress:
            progress(study.name, arm.name)
        schedules = []
        for p, e in zip(pop.people, ei0, strict=True):
            if arm.protocol is None:
                schedules.append(habitual_day(p, total_days))
                continue
            text = arm.protocol
            if arm.deficit_kcal is not None:
                text = text.replace("{deficit_pct}", f"{100.0 * arm.deficit_kcal / e:.2f}")
            # controlled feeding at the person's maintenance intake (Hall 2011 EI0)
            text = text.replace("{maintenance_kcal}", f"{e:.1f}")
            compiled = compile_protocol(Protocol(text), p, days).schedule
            schedules.append(_shifted(compiled, p, burn) if burn else compiled)
        if study.diagnosis is not None:
            visit_days = [burn + last_day(w) for w in study.diagnosis.visit_weeks]
            schedules = [with_ogtt_days(sc, visit_days) for sc in schedules]
        sol = simulate_physiology(
            list(pop.people),
            schedules,
            days=days + burn,
            output_interval_min=study.output_interval_min,
            outputs=OUTPUTS_READ,
        )
        ds = sol.dataset
        if burn:
            ds = ds.assign_coords(time=ds["time"] - burn * MINUTES_PER_DAY)
            ds = ds.sel(time=ds["time"] >= 0)
        out[arm.name] = ArmData(arm.name, ds, ei0, cov["bmi"].to_numpy(), male)
    return out


def _bootstrap(stat: Callable[[np.ndarray], float], n: int, rng: np.random.Generator):
    """``stat`` of all ``n`` people, its 95% bootstrap interval and the finite resampled values
    (interval None and no values when fewer than half of the resamples are finite)."""
    idx = np.arange(n)
    point = stat(idx)
    with warnings.catch_warnings():  # a resample may hold no one of a subgroup: NaN, dropped
        warnings.simplefilter("ignore", RuntimeWarning)
        boots = np.array([stat(rng.integers(0, n, n)) for _ in range(BOOTSTRAP)])
    boots = boots[np.isfinite(boots)]
    if boots.size < BOOTSTRAP // 2:
        return point, None, None, np.empty(0)
    lo, hi = np.percentile(boots, [2.5, 97.5])
    return point, float(lo), float(hi), boots


def pass_share(boots: np.ndarray, interval: tuple[float, float] | None) -> float | None:
    """Share of the resampled values ``boots`` inside the published ``interval`` (the pass rule
    of a non-qualitative outcome); None without an interval or without resamples."""
    if interval is None or boots.size == 0:
        return None
    return float(np.mean((boots >= interval[0]) & (boots <= interval[1])))


def _change(metric, arm: ArmData, t: float) -> np.ndarray:
    x0, xt = metric.value(arm, 0.0), metric.value(arm, t)
    return 100.0 * (xt - x0) / x0 if metric.kind == "percent" else xt - x0


def evaluate(
    study: Study, o: Outcome, arms: dict[str, ArmData], rng: np.random.Generator
) -> OutcomeResult:
    """The model's value for one outcome, its interval and the verdict."""
    m = METRICS[o.metric]
    arm = arms[o.arm or study.arms[0].name]
    ctl = arms[o.versus] if o.versus else None
    n = arm.dataset.sizes["person"]
    per_person: np.ndarray | None = None
    note = o.note
    t_sd = o.time_weeks if m.kind == "ogtt" else 0.0  # no OGTT at week 0
    sd0 = float(np.nanstd(m.value(arm, t_sd), ddof=1)) if n > 1 else float("nan")
    if m.kind == "correlation":
        lep = m.value(arm, o.time_weeks)
        fat = METRICS["body_fat_pct"].value(arm, o.time_weeks)
        point, lo, hi, boots = _bootstrap(
            lambda i: float(np.corrcoef(lep[i], fat[i])[0, 1]), n, rng
        )
    elif m.kind == "incidence":
        inc = incidence_events(arm, o.time_weeks, study.diagnosis)
        ev, yr = inc.event, inc.years

        def rate(i, ev=ev, yr=yr):
            return 100.0 * ev[i].sum() / yr[i].sum()

        if ctl is None:
            point, lo, hi, boots = _bootstrap(rate, n, rng)
            screens = [(arm.name, inc)]
        else:
            inc_c = incidence_events(ctl, o.time_weeks, study.diagnosis)
            ev_c, yr_c = inc_c.event, inc_c.years

            def reduction(i):
                rc = 100.0 * ev_c[i].sum() / yr_c[i].sum()
                return 100.0 * (1.0 - rate(i) / rc) if rc > 0 else float("nan")

            point, lo, hi, boots = _bootstrap(reduction, n, rng)
            screens = [(arm.name, inc), (ctl.name, inc_c)]
        if study.diagnosis is not None and study.diagnosis.confirm:
            extra = "; ".join(
                f"{name}: {i.confirmed} of {i.screens} screens confirmed" for name, i in screens
            )
            note = (note + " " if note else "") + f"({extra})"
    elif m.kind == "smd":
        d = _change(m, arm, o.time_weeks)
        if ctl is not None:
            d = d - _change(m, ctl, o.time_weeks)
        x0 = m.value(arm, 0.0)
        per_person = d / np.std(x0, ddof=1)  # in SD units, like the point estimate
        point, lo, hi, boots = _bootstrap(
            lambda i: float(d[i].mean() / np.std(x0[i], ddof=1)), n, rng
        )
    elif m.kind == "ogtt":
        v = m.value(arm, o.time_weeks)
        if ctl is not None:
            v = v - m.value(ctl, o.time_weeks)
        per_person = v
        point, lo, hi, boots = _bootstrap(lambda i: float(np.nanmean(v[i])), n, rng)
    else:
        if o.comparison == "level":
            v = m.value(arm, o.time_weeks)
        else:
            v = _change(m, arm, o.time_weeks)
            if ctl is not None:
                v = v - _change(m, ctl, o.time_weeks)
        per_person = v
        point, lo, hi, boots = _bootstrap(lambda i: float(np.nanmean(v[i])), n, rng)
    point = float(point) if np.isfinite(point) else None
    interval = o.interval()
    scored, passed, share = True, None, None
    if o.comparison == "qualitative":
        criterion, passed = _qualitative(o, point, per_person, sd0)
    else:
        share = pass_share(boots, interval)
        criterion = {
            "95CI": "model mean inside the published 95% CI",
            "SD": "model mean within 1 SD of the published mean",
            "SE": "model mean inside the published mean +/- 1.96 SE",
            None: "none (no published spread)",
        }[o.spread_kind]
        if interval is not None and point is not None:
            passed = bool(interval[0] <= point <= interval[1])
        elif interval is not None:
            passed = False
            note = (note + " " if note else "") + "the model gives no value (see the note)"
    reason = _not_scored(o)
    if reason:
        scored, passed, share, note = False, None, None, reason + note
    return OutcomeResult(
        **_published(study, o),
        criterion=criterion,
        model_mean=point,
        model_low=lo,
        model_high=hi,
        model_sd=float(np.nanstd(per_person, ddof=1)) if per_person is not None and n > 1 else None,
        scored=scored,
        passed=passed,
        note=note.strip(),
        pass_share=share,
    )


def _published(study: Study, o: Outcome) -> dict:
    """The fields of an OutcomeResult that come from the study file."""
    iv = o.interval()
    return {
        "study": study.name,
        "name": o.name,
        "arm": o.arm if o.versus is None else f"{o.arm} vs {o.versus}",
        "unit": o.unit,
        "time_weeks": o.time_weeks,
        "comparison": o.comparison,
        "published_mean": o.mean,
        "published_low": iv[0] if iv else None,
        "published_high": iv[1] if iv else None,
        "spread_kind": o.spread_kind,
    }


def _not_scored(o: Outcome) -> str:
    """Why an outcome is shown but not scored ('' when it is scored)."""
    if o.input:
        return "input: given to the model, not a prediction. "
    if o.unverified:
        return "not scored: published value UNVERIFIED. "
    if o.comparison != "qualitative" and o.interval() is None:
        return "not scored: no published spread. "
    return ""


def _qualitative(o: Outcome, point, v, sd0: float) -> tuple[str, bool]:
    if point is None or v is None:
        return "direction (no model value)", False
    if o.direction == "no change":
        n = o.n or 1
        if o.n_versus is None:  # one group, or the same people in both conditions
            limit = 1.959964 * sd0 / np.sqrt(n)
            rule, sizes = "1.96 x SD/sqrt(n)", f"n = {o.n}"
        else:  # two independent groups: the SE of a difference of means
            limit = 1.959964 * sd0 * np.sqrt(1.0 / n + 1.0 / o.n_versus)
            rule, sizes = "1.96 x SD x sqrt(1/n + 1/n_versus)", f"n = {o.n} vs {o.n_versus}"
        return (
            f"|model mean change| < {rule} = {limit:.3g} (smallest change the study could "
            f"detect, {sizes})",
            bool(abs(point) < limit),
        )
    sign = 1.0 if o.direction == "increase" else -1.0
    p = float(stats.ttest_1samp(v, 0.0).pvalue) if np.std(v) > 0 else 0.0
    return (
        f"direction: {o.direction}, p < 0.05 (one-sample t-test over virtual people; p = {p:.2g})",
        bool(sign * point > 0 and p < 0.05),
    )


def _trajectories(study: Study, arms: dict[str, ArmData]) -> tuple[Trajectory, ...]:
    weeks = np.arange(0.0, study.duration_weeks + 1e-9, 1.0 if study.duration_weeks > 1 else 0.5)
    if study.duration_weeks < 1:
        return ()
    out = []
    for name, a in arms.items():
        for var, metric in (("Body weight [kg]", "weight_kg"), ("HOMA-IR", "homa_ir")):
            vals = np.array([METRICS[metric].value(a, float(w)) for w in weeks])  # (time, person)
            out.append(
                Trajectory(
                    arm=name,
                    variable=var,
                    time_weeks=tuple(float(w) for w in weeks),
                    mean=tuple(float(x) for x in vals.mean(axis=1)),
                    low=tuple(float(x) for x in np.percentile(vals, 5, axis=1)),
                    high=tuple(float(x) for x in np.percentile(vals, 95, axis=1)),
                )
            )
    return tuple(out)


def _population_note(study: Study, pop: Population) -> str:
    c = pop.covariates
    b = study.population
    parts = [f"virtual baseline (n = {len(c)}): women {100 * (c['sex'] == 'female').mean():.0f}%"]
    parts.append(f"(published {100 * b.female_fraction:.0f}%)")
    for col, stat, label in (
        ("age", b.age, "age"),
        ("bmi", b.bmi, "BMI"),
        ("weight_kg", b.weight_kg, "weight [kg]"),
        ("fasting_glucose_mgdl", b.fasting_glucose_mgdl, "fasting glucose [mg/dL]"),
        ("fasting_insulin_uuml", b.fasting_insulin_uuml, "fasting insulin [uU/mL]"),
        ("homa_ir", None, "HOMA-IR"),
        ("body_fat_pct", None, "body fat [%]"),
    ):
        s = f"{label} {c[col].mean():.1f} (SD {c[col].std():.1f})"
        if stat is not None:
            s += f" [published {stat.mean:g}" + (f", SD {stat.sd:g}]" if stat.sd else "]")
        parts.append(s)
    return "; ".join(parts)


def _result(
    study: Study,
    n: int,
    seed: int,
    runtime_s: float,
    outcomes: tuple[OutcomeResult, ...],
    notes: tuple[str, ...],
    arms: dict[str, ArmData] | None = None,
) -> StudyResult:
    return StudyResult(
        name=study.name,
        title=study.title,
        citation=study.citation,
        design=study.design,
        protocol=" | ".join(f"{a.name}: {a.protocol or 'habitual day'}" for a in study.arms),
        control=None,
        calibration=study.calibration,
        calibration_note=study.calibration_note,
        n_virtual=n,
        seed=seed,
        runtime_s=runtime_s,
        outcomes=outcomes,
        trajectories=_trajectories(study, arms) if arms else (),
        if_fails=study.if_fails,
        notes=notes,
    )


#: note of a study without burn-in days (its people are read at the fasting steady state)
NO_MORNING_MATCH = (
    "no morning fasting or HbA1c secretion match: the study starts at the fasting steady state "
    "(burn_in_days 0), which the sampler matched, and keeps the base set's stimulated secretion"
)


def study_population(study: Study, n: int, study_seed: int) -> Population:
    """The ``n`` virtual people of ``study`` as its run simulates them (``study_seed`` from
    :func:`_study_seed`): drawn to its baseline and matched to the morning fasting state and
    HbA1c, or enrolled by its screening."""
    if study.screening is not None:
        return screened_population(study, n, study_seed)
    pop = virtual_population(study.population, n, study_seed, label=study.name)
    if study.burn_in_days > 0:
        return match_morning_fasting(pop, days=study.burn_in_days)
    # time 0 is the fasting steady state: the sampler's match is the published one
    return replace(pop, notes=(*pop.notes, NO_MORNING_MATCH))


def run_study(
    study: Study,
    n: int = DEFAULT_N,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> StudyResult:
    """Simulate one study and compare every outcome (with at least ``study.min_n`` people)."""
    t0 = time.perf_counter()
    s = _study_seed(seed, study.name)
    raised = ()
    if study.min_n is not None and n < study.min_n:
        raised = (f"{study.min_n} virtual people per arm instead of {n}: {study.min_n_reason}",)
        n = study.min_n
    pop = study_population(study, n, s)
    arms = simulate_arms(study, pop, progress)
    rng = np.random.default_rng(s + 1)
    outcomes = tuple(evaluate(study, o, arms, rng) for o in study.outcomes)
    notes = (*raised, _population_note(study, pop), *pop.notes, *study.notes)
    return _result(study, n, s, time.perf_counter() - t0, outcomes, notes, arms)


def _failed_study(study: Study, n: int, seed: int, error: Exception) -> StudyResult:
    """The result of a study whose simulation raised: every scored outcome fails."""
    outcomes = []
    for o in study.outcomes:
        scored = not _not_scored(o)
        outcomes.append(
            OutcomeResult(
                **_published(study, o),
                criterion="the simulation must run",
                model_mean=None,
                model_low=None,
                model_high=None,
                model_sd=None,
                scored=scored,
                passed=False if scored else None,
                note=f"simulation error: {error}",
            )
        )
    return _result(study, n, seed, 0.0, tuple(outcomes), (f"simulation error: {error}",))


def run_validation(
    names: Sequence[str] | None = None,
    n: int = DEFAULT_N,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    on_study: Callable[[StudyResult], None] | None = None,
    folder: str | None = None,
) -> ValidationRun:
    """Run the named studies (default: all shipped ones)."""
    t0 = time.perf_counter()
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    chosen = [s for s in all_studies(folder) if names is None or s.name in set(names)]
    results = []
    for st in chosen:
        try:
            r = run_study(st, n, seed, progress)
        except EndotwinError as e:  # a study that cannot run is a failure, shown, not hidden
            r = _failed_study(st, max(n, st.min_n or 0), _study_seed(seed, st.name), e)
        results.append(r)
        if on_study:
            on_study(r)
    return ValidationRun(
        studies=tuple(results),
        endotwin_version=__version__,
        n_virtual=n,
        seed=seed,
        runtime_s=time.perf_counter() - t0,
        started=started,
        notes=(
            "Every arm of a study runs on the same virtual people (paired, in-silico "
            "counterfactual).",
            f"Fasting samples at {morning(0) / 60:.0f}:00; simulated days of "
            f"{MINUTES_PER_DAY:.0f} min.",
        ),
    )
