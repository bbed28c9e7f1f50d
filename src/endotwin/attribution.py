"""Attribution: how much of a simulated change came from each mechanism (exact Shapley values).

Every coupling map of :mod:`endotwin.components.insulin_sensitivity` and
:mod:`endotwin.components.lipid_signalling` carries an attribution switch ``attr_<mechanism>``
(1 = acts, 0 = held at baseline). For a protocol, the outcome change v(S) is simulated with only
the mechanisms in S acting, for every subset S (one batched run of 2^m "people"); the Shapley
value of mechanism i is

    phi_i = sum over S not containing i of |S|!(m - |S| - 1)!/m! * (v(S + i) - v(S))

so that v(all) = v(none) + sum_i phi_i exactly (efficiency). ``v(none)`` is the change that
does not pass through any listed mechanism (e.g. the meal-level effect of a different meal
pattern, or the mechanisms left out of the list). Feedbacks are included: switching GLUT4 off
also changes glucose and hence beta cells.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import xarray as xr

from .errors import InputError
from .models import physiology_model
from .person import Person
from .physiology import baseline_normalisers, simulate_physiology
from .schedule import Schedule

MECHANISMS: dict[str, str] = {
    "inflammation": "attr_inflammation",
    "lipid": "attr_lipid",
    "mitochondria": "attr_mitochondria",
    "glut4": "attr_glut4",
    "muscle_mass": "attr_muscle_mass",
    "leptin_crosstalk": "attr_leptin_crosstalk",
    "beta_cell": "attr_beta_cell",
}

Outcome = Callable[[xr.Dataset], np.ndarray]


def fasting_homa_ir(day: int, hour: float = 7.8) -> Outcome:
    """Outcome: HOMA-IR from the fasting glucose and insulin at ``day`` + ``hour``."""

    def f(ds: xr.Dataset) -> np.ndarray:
        t = day * 1440.0 + hour * 60.0
        g = ds["Plasma glucose [mg/dL]"].sel(time=t, method="nearest").values / 18.0
        i = ds["Plasma insulin [uU/mL]"].sel(time=t, method="nearest").values
        return g * i / 22.5

    return f


@dataclass(frozen=True)
class Attribution:
    """Shapley decomposition of ``total`` = outcome(end) - outcome(start)."""

    outcome: str
    baseline: float
    total: float
    unattributed: float
    contributions: dict[str, float]

    def table(self) -> list[tuple[str, float]]:
        rows = sorted(self.contributions.items(), key=lambda kv: -abs(kv[1]))
        return [
            *rows,
            ("not through a listed mechanism", self.unattributed),
            ("total change", self.total),
        ]


def attribute(
    person: Person,
    schedule: Schedule,
    *,
    days: float,
    outcome: Outcome | None = None,
    outcome_name: str = "fasting HOMA-IR",
    start: Outcome | None = None,
    mechanisms: list[str] | None = None,
) -> Attribution:
    """Decompose the change of ``outcome`` under ``schedule`` by mechanism (Shapley values).

    outcome / start: functions of the simulated dataset returning one value per run (default:
    fasting HOMA-IR on the last day and on day 1).
    mechanisms: names from :data:`MECHANISMS` (default: all; 2^m runs).
    """
    names = list(MECHANISMS) if mechanisms is None else list(mechanisms)
    unknown = [n for n in names if n not in MECHANISMS]
    if unknown:
        raise InputError("mechanisms", unknown, f"names from {list(MECHANISMS)}")
    m = len(names)
    if m > 8:
        raise InputError("mechanisms", m, "at most 8 (2^m runs)")
    n_days = math.ceil(days)
    end_f = outcome or fasting_homa_ir(n_days - 1)
    start_f = start or fasting_homa_ir(0)
    subsets = list(itertools.product((0.0, 1.0), repeat=m))
    params = {MECHANISMS[n]: [s[k] for s in subsets] for k, n in enumerate(names)}
    # the person's baseline (habitual day) once, not once per counterfactual copy
    values = {
        k: np.array([x])
        for k, x in person.parameter_values(physiology_model().parameter_names).items()
    }
    params.update({k: list(v) for k, v in baseline_normalisers([person], values).items()})
    sol = simulate_physiology(
        [person] * len(subsets), schedule, days=days, output_interval_min=10.0, parameters=params
    )
    ds = sol.dataset
    v = np.asarray(end_f(ds), dtype=float) - np.asarray(start_f(ds), dtype=float)
    value = {s: float(v[j]) for j, s in enumerate(subsets)}
    phi: dict[str, float] = {}
    for k, name in enumerate(names):
        total = 0.0
        for s in subsets:
            if s[k] == 1.0:
                continue
            size = int(sum(s))
            with_i = tuple(1.0 if j == k else x for j, x in enumerate(s))
            w = math.factorial(size) * math.factorial(m - size - 1) / math.factorial(m)
            total += w * (value[with_i] - value[s])
        phi[name] = total
    full = tuple([1.0] * m)
    none = tuple([0.0] * m)
    return Attribution(
        outcome=outcome_name,
        baseline=float(np.asarray(start_f(ds))[subsets.index(full)]),
        total=value[full],
        unattributed=value[none],
        contributions=phi,
    )


__all__ = ["MECHANISMS", "Attribution", "attribute", "fasting_homa_ir"]
