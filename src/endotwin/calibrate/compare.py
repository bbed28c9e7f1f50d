"""Compare lifestyle protocols for one person's twin: predicted changes, uncertainty, ranking.

``compare_protocols(people, ["16:8 fasting for 12 weeks", "HIIT 3x/week for 12 weeks"])``
simulates, for every person given (``people[0]`` the MAP twin, the rest posterior draws, see
:meth:`endotwin.calibrate.posterior.Posterior.sample_people`), a habitual arm (the person's
habitual day every day: an unchanged lifestyle) and one arm per protocol, with the coupled model
(:func:`endotwin.physiology.simulate_physiology`). Conventions (those of
:mod:`endotwin.validation.metrics`, stated once):

- every arm starts with :data:`BURN_IN_DAYS` habitual days, so that day 0 is the periodic state
  of the person's habitual eating (as :func:`endotwin.validation.runner.simulate_arms`);
- the protocol runs on days ``0 .. D-1`` (``D`` = horizon in days); day ``D`` is the end visit:
  **fasting** values (HOMA-IR, weight, fat mass) at 07:00, then a **75 g OGTT** ("meal at 08:00:
  75 g carbs") whose 0-120 min samples give the Matsuda index (Matsuda & DeFronzo 1999); the
  habitual arm gets the same visit;
- **leptin** is the daily mean of the last protocol day ``D-1`` (its 07:00 value also carries the
  previous dinner's timing);
- **CGM** metrics (Battelino 2019, :func:`endotwin.indices.cgm_metrics`) come from the simulated
  plasma glucose of the last :data:`CGM_DAYS` protocol days (all of them for a shorter horizon),
  sampled every :data:`CGM_INTERVAL_MIN` min like a CGM sensor;
- a **change** is the protocol arm minus the person's own habitual arm at the horizon (paired:
  same person, same day), so model drift and the day-of-week pattern cancel;
- the **point** is the MAP twin's change; the **90 % interval** is the 5th-95th percentile of the
  change across the posterior draws (none without a calibration: "no uncertainty").

Protocols are ranked by :data:`RANK_RULE`. The HOMA-IR change of the MAP twin is attributed to
mechanisms by exact Shapley values (:func:`endotwin.attribution.attribute`) over the
:data:`ATTRIBUTION_MECHANISMS` mechanisms with the largest leave-one-out effect: the exact 2^7 =
128-run decomposition over all seven takes about 60 s and 1.4 GB per 12-week protocol on 2 cores
(measured), the screen (8 runs, hourly output) plus 2^4 = 16 runs about 9 s and 0.2 GB.

Cost (2 cores, 12 weeks, 5-min output): about 0.75 s per simulated (person, arm), most of it
evaluating the model's outputs on the 5-min grid; the runs are chunked to
:data:`MEMORY_BUDGET_BYTES`. One person x 2 protocols: 2.3 s (+ 19 s with attribution);
20 draws: 49 s.

Research and education tool; not medical advice (:data:`NOT_MEDICAL_ADVICE`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from ..attribution import MECHANISMS, Attribution, attribute
from ..errors import InputError, ProtocolError
from ..indices import cgm_metrics, homa_ir, matsuda
from ..models import physiology_model
from ..person import Person
from ..physiology import baseline_normalisers, habitual_day, simulate_physiology
from ..protocols.compile import compile_protocol
from ..protocols.steps import Protocol
from ..schedule import Schedule
from ..simulate import MINUTES_PER_DAY
from ..validation.metrics import FASTING_MIN, OGTT_SAMPLES, OGTT_START_MIN

__all__ = [
    "ATTRIBUTION_MECHANISMS",
    "ATTRIBUTION_RULE",
    "BURN_IN_DAYS",
    "CGM_DAYS",
    "CGM_INTERVAL_MIN",
    "NOT_MEDICAL_ADVICE",
    "NO_UNCERTAINTY",
    "OGTT_PROTOCOL",
    "OUTCOMES",
    "RANK_RULE",
    "ArmTrajectory",
    "Comparison",
    "OutcomeSpec",
    "compare_protocols",
]

NOT_MEDICAL_ADVICE = (
    "endotwin is a research and education tool, not medical advice. Do not change treatment "
    "based on these results; talk to your clinician."
)
RANK_RULE = (
    "Protocols are ranked by the MAP twin's predicted change in fasting HOMA-IR at the horizon, "
    "relative to the twin's own habitual arm, most negative (largest fall) first; ties keep the "
    "order in which the protocols were given."
)
NO_UNCERTAINTY = "no uncertainty: twin not calibrated"
OGTT_PROTOCOL = "meal at 08:00: 75 g carbs for 1 day"
#: habitual days simulated before day 0 (glycogen and extracellular water settle in ~3 days)
BURN_IN_DAYS = 7
#: CGM window: the last 14 days (the consensus minimum for CGM metrics, Battelino 2019)
CGM_DAYS = 14
#: output (CGM sampling) interval [min]: a 5-min sensor
CGM_INTERVAL_MIN = 5.0
#: mechanisms kept for the exact Shapley decomposition (2^k runs), chosen by a screen
ATTRIBUTION_MECHANISMS = 4
ATTRIBUTION_RULE = (
    f"Mechanisms analysed: the {ATTRIBUTION_MECHANISMS} (of {len(MECHANISMS)}) with the largest "
    "leave-one-out effect on this protocol's HOMA-IR change (all acting vs all but one); the "
    "others act in every run, so their share is in 'not through a listed mechanism' with the "
    "meal-level effects (e.g. of a different meal pattern). The parts add up to the total change."
)
#: at most this many bytes of simulated output in memory at once (the runs are chunked)
MEMORY_BUDGET_BYTES = 400e6
#: the end visit is simulated up to 30 min after the last OGTT sample
_END_MIN = OGTT_START_MIN + float(OGTT_SAMPLES[-1]) + 30.0
_MAX_HORIZON_WEEKS = 520.0
_PCT = (5.0, 95.0)

_GLUCOSE = "Plasma glucose [mg/dL]"
_INSULIN = "Plasma insulin [uU/mL]"
_WEIGHT = "Body weight [kg]"
_FAT = "Fat mass [kg]"
_LEPTIN = "Plasma leptin [ng/mL]"


@dataclass(frozen=True)
class OutcomeSpec:
    """One compared outcome: its key, label, unit of its *change*, and how it is measured."""

    key: str
    label: str
    unit: str
    description: str


OUTCOMES: tuple[OutcomeSpec, ...] = (
    OutcomeSpec("homa_ir", "HOMA-IR", "1", "fasting (07:00) HOMA-IR, Matthews 1985"),
    OutcomeSpec(
        "matsuda", "Matsuda index", "1", "Matsuda index of a 75 g OGTT at 08:00 (0-120 min)"
    ),
    OutcomeSpec("weight_kg", "body weight", "kg", "body weight at 07:00"),
    OutcomeSpec("fat_mass_kg", "fat mass", "kg", "fat mass at 07:00"),
    OutcomeSpec("leptin_ngml", "leptin", "ng/mL", "daily mean plasma leptin, last protocol day"),
    OutcomeSpec("cgm_mean_mgdl", "CGM mean glucose", "mg/dL", "mean glucose over the CGM window"),
    OutcomeSpec(
        "cgm_tir_pct",
        "CGM time in range 70-180",
        "percentage points",
        "% of time with glucose 70-180 mg/dL over the CGM window",
    ),
    OutcomeSpec("cgm_cv_pct", "CGM glucose CV", "percentage points", "glucose SD / mean, in %"),
)
_OUTCOME = {o.key: o for o in OUTCOMES}


@dataclass(frozen=True, eq=False)
class ArmTrajectory:
    """Fasting (07:00) body weight and plasma glucose on days 0..D of one arm, per person."""

    day: np.ndarray  # (D + 1,)
    weight_kg: np.ndarray  # (people, D + 1); row 0 the MAP twin
    fasting_glucose_mgdl: np.ndarray  # (people, D + 1)


@dataclass(frozen=True, eq=False)
class Comparison:
    """The result of :func:`compare_protocols`.

    habitual / levels: outcome key -> value at the horizon per person (index 0 the MAP twin), for
    the habitual arm and for each protocol. Changes are protocol minus habitual, per person.
    attributions: protocol -> Shapley decomposition of the MAP HOMA-IR change (None when off).
    """

    person: str
    protocols: tuple[str, ...]
    horizon_weeks: float
    horizon_days: int
    cgm_days: int
    n_draws: int
    habitual: Mapping[str, np.ndarray]
    levels: Mapping[str, Mapping[str, np.ndarray]]
    habitual_trajectory: ArmTrajectory
    trajectories: Mapping[str, ArmTrajectory]
    attributions: Mapping[str, Attribution | None]
    notes: tuple[str, ...] = ()
    runtime_s: float = float("nan")
    rank_rule: str = RANK_RULE
    disclaimer: str = NOT_MEDICAL_ADVICE
    outcomes: tuple[OutcomeSpec, ...] = field(default=OUTCOMES)

    def change(self, protocol: str, outcome: str) -> np.ndarray:
        """Change at the horizon vs the habitual arm, per person (index 0 the MAP twin)."""
        if protocol not in self.levels:
            raise InputError("protocol", protocol, f"one of {list(self.protocols)}")
        if outcome not in _OUTCOME:
            raise InputError("outcome", outcome, f"one of {list(_OUTCOME)}")
        return np.asarray(self.levels[protocol][outcome]) - np.asarray(self.habitual[outcome])

    def point(self, protocol: str, outcome: str) -> float:
        """The MAP twin's change."""
        return float(self.change(protocol, outcome)[0])

    def interval(self, protocol: str, outcome: str) -> tuple[float, float]:
        """5th-95th percentile of the change across the posterior draws (NaN without draws)."""
        draws = self.change(protocol, outcome)[1:]
        if draws.size == 0:
            return (float("nan"), float("nan"))
        lo, hi = np.percentile(draws, _PCT)
        return (float(lo), float(hi))

    @property
    def uncertainty(self) -> str:
        """What the intervals are."""
        if self.n_draws == 0:
            return NO_UNCERTAINTY
        return (
            f"90% intervals: 5th-95th percentiles of the change across {self.n_draws} "
            "draws from the calibration posterior (parameter uncertainty only)"
        )

    @property
    def ranking(self) -> tuple[str, ...]:
        """Protocols in rank order (see :data:`RANK_RULE`)."""
        order = sorted(
            range(len(self.protocols)),
            key=lambda k: (self.point(self.protocols[k], "homa_ir"), k),
        )
        return tuple(self.protocols[k] for k in order)

    def rank(self, protocol: str) -> int:
        """1 = best by :data:`RANK_RULE`."""
        return self.ranking.index(protocol) + 1

    def probability_best(self) -> dict[str, float] | None:
        """Share of posterior draws in which each protocol has the most negative HOMA-IR change
        (None without draws): how firm the ranking is."""
        if self.n_draws == 0:
            return None
        d = np.stack([self.change(p, "homa_ir")[1:] for p in self.protocols])
        best = np.argmin(d, axis=0)
        return {p: float(np.mean(best == k)) for k, p in enumerate(self.protocols)}

    def table(self) -> pd.DataFrame:
        """One row per protocol and outcome: protocol, outcome, unit, point, lo, hi, rank."""
        rows = []
        for p in self.ranking:
            for o in self.outcomes:
                lo, hi = self.interval(p, o.key)
                rows.append(
                    {
                        "protocol": p,
                        "outcome": o.label,
                        "unit": o.unit,
                        "point": self.point(p, o.key),
                        "lo": lo,
                        "hi": hi,
                        "rank": self.rank(p),
                    }
                )
        return pd.DataFrame(
            rows, columns=["protocol", "outcome", "unit", "point", "lo", "hi", "rank"]
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (NaN written as None)."""

        def num(x: float) -> float | None:
            return float(x) if math.isfinite(float(x)) else None

        table = self.table().to_dict(orient="records")
        for r in table:
            for k in ("point", "lo", "hi"):
                r[k] = num(r[k])
            r["rank"] = int(r["rank"])
        return {
            "person": self.person,
            "protocols": list(self.protocols),
            "horizon_weeks": self.horizon_weeks,
            "horizon_days": self.horizon_days,
            "cgm_days": self.cgm_days,
            "n_draws": self.n_draws,
            "uncertainty": self.uncertainty,
            "rank_rule": self.rank_rule,
            "ranking": list(self.ranking),
            "probability_best": self.probability_best(),
            "outcomes": [vars(o) for o in self.outcomes],
            "table": table,
            "habitual_at_horizon": {o.key: num(self.habitual[o.key][0]) for o in self.outcomes},
            "attribution": {
                p: None
                if a is None
                else {
                    "outcome": a.outcome,
                    "habitual": a.baseline,
                    "total": a.total,
                    "not_through_listed_mechanisms": a.unattributed,
                    "contributions": dict(a.contributions),
                }
                for p, a in self.attributions.items()
            },
            "trajectories_map": {
                arm: {
                    "day": tr.day.tolist(),
                    "weight_kg": tr.weight_kg[0].tolist(),
                    "fasting_glucose_mgdl": tr.fasting_glucose_mgdl[0].tolist(),
                }
                for arm, tr in (("habitual", self.habitual_trajectory), *self.trajectories.items())
            },
            "notes": list(self.notes),
            "runtime_s": num(self.runtime_s),
            "disclaimer": self.disclaimer,
        }


# --------------------------------------------------------------------------------------------
# inputs
# --------------------------------------------------------------------------------------------


def _check_people(people: Sequence[Person]) -> list[Person]:
    if isinstance(people, Person):
        people = [people]
    people = list(people)
    if not people:
        raise InputError(
            "people", [], "at least one Person (the MAP twin first, then any posterior draws)"
        )
    bad = [i for i, p in enumerate(people) if not isinstance(p, Person)]
    if bad:
        raise InputError(
            "people", [type(people[i]).__name__ for i in bad], "endotwin.Person objects only"
        )
    return people


def _texts(protocols: Sequence[str]) -> list[str]:
    if isinstance(protocols, str):
        return [protocols]
    try:
        return list(protocols)
    except TypeError:
        raise InputError("protocols", protocols, "a list of protocol texts") from None


def _parse(texts: list[str], seed: int) -> list[Protocol]:
    if not texts:
        raise InputError(
            "protocols",
            [],
            "at least one protocol text",
            "e.g. compare_protocols(people, ['16:8 fasting for 12 weeks'])",
        )
    if any(not isinstance(t, str) for t in texts):
        raise InputError("protocols", texts, "protocol texts (str), e.g. '25% deficit for 8 weeks'")
    dup = sorted({t for t in texts if texts.count(t) > 1})
    if dup:
        raise InputError("protocols", dup, "each protocol once", "Remove the repeated protocol.")
    out = []
    for k, text in enumerate(texts):
        try:
            proto = Protocol(text)
        except ProtocolError as e:
            raise ProtocolError(f"protocol {k + 1} ({text!r}): {e}") from None
        out.append(proto if proto.seed else proto.model_copy(update={"seed": int(seed)}))
    return out


def _horizon(protos: list[Protocol], horizon_weeks: float | None) -> tuple[int, list[str]]:
    notes: list[str] = []
    if horizon_weeks is None:
        fixed = [p.fixed_days for p in protos if p.fixed_days is not None]
        days = max(fixed) if fixed else 84.0
        if len(fixed) < len(protos):
            notes.append(
                "a protocol without a total length runs to the horizon"
                + ("" if fixed else "; horizon defaulted to 12 weeks")
            )
        return math.ceil(days), notes
    try:
        h = float(horizon_weeks)
    except (TypeError, ValueError):
        h = float("nan")
    if not (math.isfinite(h) and 0.0 < h <= _MAX_HORIZON_WEEKS):
        raise InputError(
            "horizon_weeks",
            horizon_weeks,
            f"a number of weeks in (0, {_MAX_HORIZON_WEEKS:g}] giving at least 1 day",
            "Omit it to use the longest protocol's length.",
        )
    days = round(h * 7.0)
    if days < 1:
        raise InputError("horizon_weeks", horizon_weeks, "at least 1 day (1/7 week)")
    if abs(days - h * 7.0) > 1e-6:
        notes.append(f"horizon {h:g} weeks rounded to {days} days")
    return days, notes


def _length_notes(protos: list[Protocol], texts: Sequence[str], days: int) -> list[str]:
    notes = []
    for text, p in zip(texts, protos, strict=True):
        d = p.fixed_days
        if d is not None and d < days:
            notes.append(
                f"'{text}' lasts {d:g} days; the habitual day follows up to the {days}-day horizon"
            )
        elif d is not None and d > days:
            notes.append(f"'{text}' lasts {d:g} days; only its first {days} days are simulated")
    return notes


# --------------------------------------------------------------------------------------------
# schedules
# --------------------------------------------------------------------------------------------


def _join(parts: Sequence[tuple[Schedule, int]]) -> Schedule:
    """Schedules placed one after another: ``(schedule, start day)``. A signal of one part is
    reset at the start of the next to that part's first value (0 when it does not set it)."""
    meals, exercise, infusions = [], [], []
    keys = sorted({k for s, _ in parts for k in s.signals})
    signals: dict[str, list[tuple[float, float]]] = {k: [] for k in keys}
    for s, start in parts:
        off = start * MINUTES_PER_DAY
        meals += [replace(m, time_min=m.time_min + off) for m in s.meals]
        exercise += [replace(e, start_min=e.start_min + off) for e in s.exercise]
        infusions += [replace(i, start_min=i.start_min + off) for i in s.infusions]
        for k in keys:
            pts = [(t + off, v) for t, v in s.signals.get(k, ())]
            if not pts or pts[0][0] > off:
                pts.insert(0, (off, 0.0))
            signals[k] += pts
    return Schedule(meals=meals, exercise=exercise, infusions=infusions, signals=signals)


def _arm_schedule(person: Person, protocol: Protocol | None, days: int) -> Schedule:
    """Burn-in, the arm's ``days`` days, and the end visit (fasting sample, then the OGTT)."""
    arm = (
        habitual_day(person, days)
        if protocol is None
        else compile_protocol(protocol, person, days).schedule
    )
    ogtt = compile_protocol(Protocol(OGTT_PROTOCOL), person, 1).schedule
    return _join(
        [
            (habitual_day(person, BURN_IN_DAYS), 0),
            (arm, BURN_IN_DAYS),
            (ogtt, BURN_IN_DAYS + days),
        ]
    )


def _duration_days(days: int) -> float:
    return BURN_IN_DAYS + days + _END_MIN / MINUTES_PER_DAY


# --------------------------------------------------------------------------------------------
# simulation and read-out
# --------------------------------------------------------------------------------------------


def _normalisers(people: list[Person]) -> dict[str, np.ndarray]:
    names = physiology_model().parameter_names
    values = [p.parameter_values(names) for p in people]
    stacked = {k: np.array([v[k] for v in values]) for k in values[0]}
    return baseline_normalisers(people, stacked)


def _chunks(n: int, days: float) -> Iterator[slice]:
    n_time = days * MINUTES_PER_DAY / CGM_INTERVAL_MIN + 1
    per_run = n_time * 8.0 * 110  # ~110 saved variables (states and outputs)
    size = max(1, int(MEMORY_BUDGET_BYTES // per_run))
    for a in range(0, n, size):
        yield slice(a, min(n, a + size))


def _rows_at(t: np.ndarray, y: np.ndarray, times: np.ndarray) -> np.ndarray:
    return np.array([np.interp(times, t, row) for row in y])


def _read(ds: Any, days: int, cgm_days: int) -> dict[str, np.ndarray]:
    """Outcome levels and fasting trajectories of each run (time axis of the raw run)."""
    t = ds["time"].values
    off = BURN_IN_DAYS * MINUTES_PER_DAY
    g = ds[_GLUCOSE].values
    ins = ds[_INSULIN].values
    visit = off + days * MINUTES_PER_DAY + FASTING_MIN
    mornings = off + np.arange(days + 1) * MINUTES_PER_DAY + FASTING_MIN
    g0 = _rows_at(t, g, np.array([visit]))[:, 0]
    i0 = _rows_at(t, ins, np.array([visit]))[:, 0]
    ts = off + days * MINUTES_PER_DAY + OGTT_START_MIN + OGTT_SAMPLES
    og, oi = _rows_at(t, g, ts), _rows_at(t, ins, ts)
    day_end = off + days * MINUTES_PER_DAY
    last = (t >= day_end - MINUTES_PER_DAY) & (t < day_end)
    cgm = (t >= day_end - cgm_days * MINUTES_PER_DAY) & (t <= day_end)
    metrics = [cgm_metrics(t[cgm], row[cgm]) for row in g]
    return {
        "homa_ir": np.asarray(homa_ir(g0, i0), dtype=float),
        "matsuda": np.array(
            [matsuda(OGTT_SAMPLES, a, b) for a, b in zip(og, oi, strict=True)], dtype=float
        ),
        "weight_kg": _rows_at(t, ds[_WEIGHT].values, np.array([visit]))[:, 0],
        "fat_mass_kg": _rows_at(t, ds[_FAT].values, np.array([visit]))[:, 0],
        "leptin_ngml": ds[_LEPTIN].values[:, last].mean(axis=1),
        "cgm_mean_mgdl": np.array([m.mean_mgdl for m in metrics]),
        "cgm_tir_pct": np.array([m.time_in_range_70_180_percent for m in metrics]),
        "cgm_cv_pct": np.array([m.cv_percent for m in metrics]),
        "traj_weight": _rows_at(t, ds[_WEIGHT].values, mornings),
        "traj_glucose": _rows_at(t, g, mornings),
    }


def _simulate(
    people: list[Person],
    protos: list[Protocol],
    days: int,
    cgm_days: int,
) -> list[dict[str, np.ndarray]]:
    """Every (arm, person) run, chunked to :data:`MEMORY_BUDGET_BYTES`; one dict per arm
    (habitual first) of values per person."""
    norm = _normalisers(people)
    arms: list[Protocol | None] = [None, *protos]
    runs = [(a, i) for a in range(len(arms)) for i in range(len(people))]
    schedules = [_arm_schedule(people[i], arms[a], days) for a, i in runs]
    total = _duration_days(days)
    parts: list[dict[str, np.ndarray]] = []
    for sl in _chunks(len(runs), total):
        idx = [i for _, i in runs[sl]]
        sol = simulate_physiology(
            [people[i] for i in idx],
            schedules[sl],
            days=total,
            output_interval_min=CGM_INTERVAL_MIN,
            parameters={k: v[idx] for k, v in norm.items()},
        )
        parts.append(_read(sol.dataset, days, cgm_days))
        del sol
    allv = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    n = len(people)
    return [{k: v[a * n : (a + 1) * n] for k, v in allv.items()} for a in range(len(arms))]


# --------------------------------------------------------------------------------------------
# attribution
# --------------------------------------------------------------------------------------------


def _homa_at(day_abs: float) -> Any:
    def f(ds: Any) -> np.ndarray:
        t = ds["time"].values
        g = _rows_at(t, ds[_GLUCOSE].values, np.array([day_abs]))[:, 0]
        i = _rows_at(t, ds[_INSULIN].values, np.array([day_abs]))[:, 0]
        return np.asarray(homa_ir(g, i), dtype=float)

    return f


def _screen(
    person: Person, schedules: list[Schedule], total: float, t_visit: float
) -> list[list[str]]:
    """Per protocol: mechanisms ordered by |leave-one-out effect| on the end-visit HOMA-IR
    (all acting vs all but one), from one batch of (m + 1) x protocols runs (hourly output)."""
    names = list(MECHANISMS)
    m = len(names)
    switch = [np.ones(m)] + [np.where(np.arange(m) == k, 0.0, 1.0) for k in range(m)]
    norm = _normalisers([person])
    n = len(schedules) * (m + 1)
    params = {
        MECHANISMS[nm]: np.tile([s[k] for s in switch], len(schedules))
        for k, nm in enumerate(names)
    }
    params.update({k: np.repeat(v, n) for k, v in norm.items()})
    sol = simulate_physiology(
        [person] * n,
        [s for s in schedules for _ in range(m + 1)],
        days=total,
        output_interval_min=60.0,
        parameters=params,
    )
    v = _homa_at(t_visit)(sol.dataset).reshape(len(schedules), m + 1)
    out = []
    for row in v:
        effect = row[0] - row[1:]
        out.append([names[k] for k in np.argsort(-np.abs(effect), kind="stable")])
    return out


def _attribute(
    person: Person, protos: list[Protocol], days: int, habitual_homa: float
) -> list[Attribution]:
    total = _duration_days(days)
    t_visit = (BURN_IN_DAYS + days) * MINUTES_PER_DAY + FASTING_MIN
    schedules = [_arm_schedule(person, p, days) for p in protos]
    k = min(ATTRIBUTION_MECHANISMS, len(MECHANISMS))
    order = _screen(person, schedules, total, t_visit) if k < len(MECHANISMS) else None
    out = []
    for j, s in enumerate(schedules):
        mechs = list(MECHANISMS) if order is None else order[j][:k]
        out.append(
            attribute(
                person,
                s,
                days=total,
                outcome=_homa_at(t_visit),
                start=lambda ds: np.full(ds.sizes["person"], habitual_homa),
                outcome_name="fasting HOMA-IR change vs habitual",
                mechanisms=mechs,
            )
        )
    return out


# --------------------------------------------------------------------------------------------
# entry point
# --------------------------------------------------------------------------------------------


def compare_protocols(
    people: Sequence[Person],
    protocols: Sequence[str],
    horizon_weeks: float | None = None,
    *,
    attribution: bool = True,
    seed: int = 0,
) -> Comparison:
    """Predict and rank the effect of each protocol for one person's twin.

    people: the MAP twin first, then posterior draws (``Posterior.sample_people``); a single
        person gives point predictions only ("no uncertainty: twin not calibrated"). Identical
        people are simulated once.
    protocols: protocol texts (:mod:`endotwin.protocols`), e.g. ``"16:8 fasting for 12 weeks"``.
    horizon_weeks: when the outcomes are read (default: the longest protocol's length, or 12
        weeks when none has one). A shorter protocol is followed by the habitual day.
    attribution: Shapley attribution of the MAP twin's HOMA-IR change per protocol (about 9 s a
        12-week protocol, see :data:`ATTRIBUTION_RULE`); False skips it.
    seed: seed of the days not followed under partial adherence ("80% adherence"), the same
        for every protocol unless its text sets one ("seed N").

    Raises InputError (no people, no protocol, a repeated protocol, a bad horizon) or
    ProtocolError (a protocol that cannot be parsed or compiled for the person), before any
    simulation.
    """
    t0 = time.perf_counter()
    people = _check_people(people)
    texts = _texts(protocols)
    protos = _parse(texts, seed)
    days, notes = _horizon(protos, horizon_weeks)
    notes += _length_notes(protos, texts, days)
    cgm_days = min(CGM_DAYS, days)
    if cgm_days < CGM_DAYS:
        notes.append(
            f"CGM metrics use the last {cgm_days} days (the horizon is shorter than "
            f"{CGM_DAYS}); the consensus asks for 14"
        )
    unique: list[Person] = []
    where: list[int] = []
    for p in people:
        for k, q in enumerate(unique):
            if p == q:
                where.append(k)
                break
        else:
            where.append(len(unique))
            unique.append(p)
    for text, proto in zip(texts, protos, strict=True):  # compile errors before simulating
        try:
            compile_protocol(proto, people[0], days)
        except ProtocolError as e:
            raise ProtocolError(f"protocol {text!r}: {e}") from None
    arms = _simulate(unique, protos, days, cgm_days)
    pick = np.array(where)
    arms = [{k: v[pick] for k, v in a.items()} for a in arms]
    day_axis = np.arange(days + 1, dtype=float)

    def traj(a: dict[str, np.ndarray]) -> ArmTrajectory:
        return ArmTrajectory(day_axis, a["traj_weight"], a["traj_glucose"])

    keys = [o.key for o in OUTCOMES]
    habitual = {k: arms[0][k] for k in keys}
    attributions: dict[str, Attribution | None] = dict.fromkeys(texts)
    if attribution:
        for text, a in zip(
            texts, _attribute(people[0], protos, days, float(habitual["homa_ir"][0])), strict=True
        ):
            attributions[text] = a
    else:
        notes.append("mechanism attribution not computed (attribution=False)")
    if len(people) == 1:
        notes.append(NO_UNCERTAINTY)
    return Comparison(
        person=people[0].label,
        protocols=tuple(texts),
        horizon_weeks=days / 7.0,
        horizon_days=days,
        cgm_days=cgm_days,
        n_draws=len(people) - 1,
        habitual=habitual,
        levels={t: {k: a[k] for k in keys} for t, a in zip(texts, arms[1:], strict=True)},
        habitual_trajectory=traj(arms[0]),
        trajectories={t: traj(a) for t, a in zip(texts, arms[1:], strict=True)},
        attributions=attributions,
        notes=tuple(dict.fromkeys(notes)),
        runtime_s=time.perf_counter() - t0,
    )
