"""Glucose-stimulated insulin secretion of virtual people, matched to their HbA1c.

The fasting match (:mod:`endotwin.population.glycaemia`, (d)) sets a person's insulin
sensitivity ``s`` and basal secretion from their fasting glucose and insulin, but leaves the
base set's *stimulated* secretion (Dalla Man 2007 eqs. 22-23: ``K``, the response to the rate of
glucose change, and ``beta``, the provision response) as it is. A person matched to a high
fasting insulin is then insulin resistant with the secretion of the mean subject: the disposition
index falls with ``s``. People do not work so: stimulated secretion rises as sensitivity falls,
along a hyperbola (Kahn SE et al., Diabetes 42:1663-1672, 1993, key ``Kahn1993``). Measured on
30 virtual people drawn to the DPP's baseline before this match (session 8), the habitual-day
mean glucose was 139.9 mg/dL against an HbA1c-derived 123.4, and 153-171 mg/dL for the three
with a fasting insulin of 11-36 uU/mL whose HbA1c said 120-131.

Each virtual person already carries an HbA1c, drawn jointly with age, BMI and body fat from the
NHANES copula (:mod:`endotwin.population.sampler`). :func:`update_secretion` scales ``K`` and
``beta`` by one factor ``f`` per person (on the normal set, :data:`MATCHED_SETS`; the type-2
set keeps its identified secretion) so that the mean plasma glucose over the last habitual
day equals the person's mean glucose at that HbA1c: the ADAG estimated average glucose,
eAG = 28.7 * HbA1c - 46.7 mg/dL (Nathan DM et al., Diabetes Care 31:1473, 2008;
:func:`~.glycaemia.eag_mgdl`), plus the person's own deviation from that line, drawn by the
sampler with ADAG's spread between people (:func:`~.glycaemia.mean_glucose_target`; HbA1c 6 %:
SD about 13 mg/dL; covariate ``mean_glucose_target_mgdl``). Before session 14 every person sat
exactly on the line, which narrowed the spread of the DPP candidates' 2-h glucose (96 % inside
the 140-199 mg/dL window, where the enrolled DPP spread nearly uniformly over it). ASSUMPTIONS:
the model's habitual day (three meals at maintenance, :func:`endotwin.physiology.habitual_day`)
stands for the free-living days behind an HbA1c; first and second phase scale together (Kahn
1993's hyperbola is on the acute, first-phase response). ``K`` and ``beta`` do not enter the
fasting steady state (their terms vanish there), so the fasting match is kept; the morning
(07:00) values move a little, which :func:`~.morning.match_morning_fasting` iterates away.

The root search is a safeguarded secant on ``log f`` per person
(:meth:`SecretionSearch.update`), within the parameter bounds of ``K`` and ``beta``. A person
whose target needs a factor outside the bounds stops at the bound and is
counted in the notes (never silent). A trial factor whose habitual day the model cannot
simulate (too much stimulated secretion for a person with a low basal insulin drives the
post-meal glucose down and the plasma insulin through zero: seen on a CALERIE 2 person at
``--seed 2``, session 16) is not kept: the search steps back halfway to the last factor that
simulated, and later steps approach the failed factor only by halving
(:meth:`SecretionSearch.back_off`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ..parameters import get_parameter_set

#: the stimulated-secretion parameters scaled together (Dalla Man 2007 eqs. 22-23)
SECRETION_SCALED = ("K", "beta")
#: base sets whose people are matched; the type-2 set keeps its identified secretion: on it
#: the match needed factors of 1.7-7.4 (Jelleyman 2015 T2D population, session 8), the
#: residual insulin of the raised secretion put 39 of 40 people's 07:00 insulin outside the
#: morning match (gaps up to +400 %), and 15 still missed their eAG
MATCHED_SETS = ("dallaman2007_normal",)
#: stop when the habitual-day mean glucose is this close to eAG [mg/dL]: small next to the
#: scatter of the ADAG regression itself (HbA1c 7 %: eAG 154 mg/dL, 95 % range 123-185)
MEAN_GLUCOSE_TOL_MGDL = 2.0
#: first step only: assumed fall of the day's mean glucose [mg/dL] per unit of log f (about
#: 40 on virtual people drawn to the DPP's baseline, session 8; the secant replaces it from the
#: second step on); a step is at most one unit of log f
FIRST_STEP_MGDL_PER_LOG = 40.0
#: range kept for the secant slope [mg/dL per unit of log f]
SLOPE_RANGE = (10.0, 160.0)


def secretion_bounds(base: Mapping[str, float], parameter_set: str) -> tuple[float, float]:
    """Range of the factor ``f`` keeping ``K`` and ``beta`` inside the set's bounds."""
    pset = get_parameter_set(parameter_set)
    lo, hi = 0.0, np.inf
    for name in SECRETION_SCALED:
        lo = max(lo, pset[name].lower / float(base[name]))
        hi = min(hi, pset[name].upper / float(base[name]))
    return lo, hi


def secretion_overrides(base: Mapping[str, float], factor: float) -> dict[str, float]:
    """``K`` and ``beta`` of the base set scaled by ``factor``."""
    return {k: float(base[k] * factor) for k in SECRETION_SCALED}


@dataclass
class SecretionSearch:
    """State of the per-person root search on ``log f`` (module docstring)."""

    target: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    active: np.ndarray | None = None
    x: np.ndarray = field(init=False)
    x_prev: np.ndarray = field(init=False)
    err_prev: np.ndarray = field(init=False)
    close: np.ndarray = field(init=False)
    stuck: np.ndarray = field(init=False)
    #: factors (log) whose habitual day failed to simulate: excluded bounds, approached by
    #: halving (:meth:`back_off`)
    failed_hi: np.ndarray = field(init=False)
    failed_lo: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        n = self.target.size
        if self.active is None:
            self.active = np.ones(n, dtype=bool)
        self.x = np.zeros(n)
        self.x_prev = np.full(n, np.nan)
        self.err_prev = np.full(n, np.nan)
        self.close = np.zeros(n, dtype=bool)
        self.stuck = np.zeros(n, dtype=bool)
        self.failed_hi = np.full(n, np.inf)
        self.failed_lo = np.full(n, -np.inf)

    @classmethod
    def for_people(
        cls, target_mgdl: np.ndarray, bounds: list[tuple[float, float]], active: np.ndarray
    ) -> SecretionSearch:
        """Search toward each person's mean-glucose target [mg/dL] (module docstring)."""
        lo = np.log([b[0] for b in bounds])
        hi = np.log([b[1] for b in bounds])
        target = np.asarray(target_mgdl, dtype=float)
        return cls(target=target, lo=lo, hi=hi, active=np.asarray(active, dtype=bool))

    @property
    def factor(self) -> np.ndarray:
        return np.exp(self.x)

    def update(self, mean_glucose: np.ndarray, failed: np.ndarray | None = None) -> np.ndarray:
        """One step from the simulated habitual-day mean glucose at the current factors.

        A Newton step on ``log f`` with the slope from the last two steps (a secant), kept in
        :data:`SLOPE_RANGE` because the fasting parameters move between steps too (the morning
        match), so a secant between old and new states can be far off; clipped to the bounds.
        The ``failed`` people (no mean glucose: their day could not be simulated) are stepped
        back instead (:meth:`back_off`); returns those of them with no earlier factor to return
        to, for the caller to handle.
        """
        failed = np.zeros(self.x.size, dtype=bool) if failed is None else np.asarray(failed)
        err = np.where(failed, 0.0, mean_glucose - self.target)  # > 0: more secretion needed
        self.close = (np.abs(err) < MEAN_GLUCOSE_TOL_MGDL) | ~self.active
        at_hi = (self.x >= self.hi - 1e-12) & (err > 0)
        at_lo = (self.x <= self.lo + 1e-12) & (err < 0)
        self.stuck = (at_hi | at_lo) & ~self.close
        move = ~self.close & ~self.stuck & ~failed
        dx = self.x - self.x_prev
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = -(err - self.err_prev) / dx
        # more secretion lowers the mean glucose: a secant of the wrong sign measured the
        # fasting parameters' move (the morning match moves them between the same two steps),
        # not secretion, and is replaced by the first-step slope rather than clipped to the
        # range's floor (whose 1/10 step overshot to a factor of 3.3, session 17)
        usable = np.isfinite(slope) & (np.abs(dx) > 1e-9) & (slope > 0.0)
        slope = np.where(usable, slope, FIRST_STEP_MGDL_PER_LOG)
        slope = np.clip(slope, *SLOPE_RANGE)
        x_new = np.clip(self.x + np.clip(err / slope, -1.0, 1.0), self.lo, self.hi)
        # a factor that failed is never tried again: halve the way to it instead
        x_new = np.where(x_new >= self.failed_hi, 0.5 * (self.x + self.failed_hi), x_new)
        x_new = np.where(x_new <= self.failed_lo, 0.5 * (self.x + self.failed_lo), x_new)
        self.x_prev = np.where(move, self.x, self.x_prev)
        self.err_prev = np.where(move, err, self.err_prev)
        self.x = np.where(move, x_new, self.x)
        return self.back_off(failed)

    def pin(self, k: int, factor: float) -> None:
        """Hold person ``k`` at ``factor`` for the rest of the search (no further moves)."""
        self.x[k] = self.lo[k] = self.hi[k] = np.log(factor)
        self.failed_hi[k], self.failed_lo[k] = np.inf, -np.inf

    def back_off(self, failed: np.ndarray) -> np.ndarray:
        """Step the ``failed`` people (whose habitual day at the current factor could not be
        simulated) back halfway, in ``log f``, to the last factor that simulated; the failed
        factor becomes an excluded bound that later steps approach only by halving.

        Returns the failed people that have no earlier factor to return to (the failure is not
        the search's): the caller must report them.
        """
        failed = np.asarray(failed, dtype=bool)
        can = failed & np.isfinite(self.x_prev) & (np.abs(self.x - self.x_prev) > 1e-12)
        up = can & (self.x > self.x_prev)
        self.failed_hi = np.where(up, np.minimum(self.failed_hi, self.x), self.failed_hi)
        self.failed_lo = np.where(can & ~up, np.maximum(self.failed_lo, self.x), self.failed_lo)
        self.x = np.where(can, 0.5 * (self.x + self.x_prev), self.x)
        self.close = self.close & ~failed
        self.stuck = self.stuck & ~failed
        return failed & ~can


__all__ = [
    "MATCHED_SETS",
    "MEAN_GLUCOSE_TOL_MGDL",
    "SECRETION_SCALED",
    "SecretionSearch",
    "secretion_bounds",
    "secretion_overrides",
]
