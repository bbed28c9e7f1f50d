"""Standard metabolic challenge tests simulated on a person: OGTT, mixed meal, IVGTT.

Each test starts from the person's fasting steady state at t = 0 and samples the simulated plasma
glucose and insulin at the clinical sampling times, then computes the usual indices from those
samples exactly as a laboratory would (:mod:`endotwin.indices`).

- OGTT: 75 g glucose drink taken over 5 min; samples at 0, 30, 60, 90, 120 min; ADA 2-h criteria
  (American Diabetes Association, Standards of Care 2024, section 2).
- Mixed meal: a meal of ``carbs_g`` (default 75 g, eaten over 15 min), 5 h of follow-up.
- IVGTT: 0.3 g/kg glucose injected over 1 min (frequently sampled IVGTT dose, Bergman 1979 /
  Boston 2003), 3 h of follow-up. The Dalla Man 2007 model was identified on meal data; its IVGTT
  response is outside the fitted domain and is reported without a validation claim.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import indices
from .person import Person, demo_person
from .schedule import Infusion, Meal, Schedule
from .simulate import simulate
from .solution import Solution
from .units import INSULIN_PMOLL_PER_UUML

OGTT_TIMES_MIN = (0.0, 30.0, 60.0, 90.0, 120.0)
#: the glucose drink is taken over 5 min
OGTT_DRINK_MIN = 5.0


@dataclass(frozen=True)
class ChallengeResult:
    """Samples and indices of one challenge test for one person."""

    test: str
    person: str
    sample_times_min: tuple[float, ...]
    glucose_mgdl: tuple[float, ...]
    insulin_pmoll: tuple[float, ...]
    indices: dict[str, float | str] = field(default_factory=dict)
    solution: Solution | None = field(default=None, repr=False, compare=False)

    @property
    def insulin_uuml(self) -> tuple[float, ...]:
        return tuple(i / INSULIN_PMOLL_PER_UUML for i in self.insulin_pmoll)


def _samples(
    sol: Solution, times: tuple[float, ...]
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    t = sol.time_min
    g = sol["Plasma glucose [mg/dL]"].values[0]
    i = sol["Plasma insulin [pmol/L]"].values[0]
    gs = tuple(float(np.interp(x, t, g)) for x in times)
    ins = tuple(float(np.interp(x, t, i)) for x in times)
    return gs, ins


def ogtt(person: Person | None = None, glucose_g: float = 75.0, **kw: object) -> ChallengeResult:
    """Simulate a 75 g oral glucose tolerance test and compute its indices."""
    person = person or demo_person()
    sched = Schedule(meals=[Meal(0.0, glucose_g, duration_min=OGTT_DRINK_MIN, label="OGTT drink")])
    sol = simulate(person, sched, duration_min=180.0, **kw)  # type: ignore[arg-type]
    g, ins = _samples(sol, OGTT_TIMES_MIN)
    iu = np.array(ins) / INSULIN_PMOLL_PER_UUML
    cls = indices.ogtt_classification(g[0], g[-1])
    idx: dict[str, float | str] = {
        "classification": cls.category,
        "fasting glucose [mg/dL]": g[0],
        "2-h glucose [mg/dL]": g[-1],
        "HOMA-IR": float(indices.homa_ir(g[0], iu[0])),
        "HOMA-%B": float(indices.homa_beta(g[0], iu[0])) if g[0] > 63.1 else float("nan"),
        "QUICKI": float(indices.quicki(g[0], iu[0])),
        "Matsuda": indices.matsuda(OGTT_TIMES_MIN, g, iu),
        "insulinogenic index [uU/mL per mg/dL]": indices.insulinogenic_index(OGTT_TIMES_MIN, g, iu),
    }
    return ChallengeResult("OGTT 75 g", person.label, OGTT_TIMES_MIN, g, ins, idx, sol)


def mixed_meal(
    person: Person | None = None, carbs_g: float = 75.0, **kw: object
) -> ChallengeResult:
    """Simulate a mixed meal of ``carbs_g`` carbohydrate and 5 h of follow-up."""
    person = person or demo_person()
    sched = Schedule(meals=[Meal(0.0, carbs_g, duration_min=15.0, label="mixed meal")])
    sol = simulate(person, sched, duration_min=300.0, **kw)  # type: ignore[arg-type]
    times = tuple(float(x) for x in range(0, 301, 15))
    g, ins = _samples(sol, times)
    gt = sol["Plasma glucose [mg/dL]"].values[0]
    it = sol["Plasma insulin [pmol/L]"].values[0]
    t = sol.time_min
    idx: dict[str, float | str] = {
        "glucose peak [mg/dL]": float(gt.max()),
        "glucose peak time [min]": float(t[int(np.argmax(gt))]),
        "insulin peak [pmol/L]": float(it.max()),
        "glucose at 300 min [mg/dL]": float(gt[-1]),
        "glucose iAUC 0-300 [mg/dL*min]": float(np.trapezoid(np.maximum(gt - gt[0], 0.0), t)),
    }
    return ChallengeResult(f"mixed meal {carbs_g:g} g", person.label, times, g, ins, idx, sol)


def ivgtt(
    person: Person | None = None, dose_g_per_kg: float = 0.3, **kw: object
) -> ChallengeResult:
    """Simulate an intravenous glucose tolerance test (0.3 g/kg over 1 min)."""
    person = person or demo_person()
    sched = Schedule(infusions=[Infusion(0.0, dose_g_per_kg * 1000.0, duration_min=1.0)])
    sol = simulate(person, sched, duration_min=180.0, output_interval_min=0.5, **kw)  # type: ignore[arg-type]
    times = (0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 15.0, 20.0, 30.0, 60.0, 90.0, 120.0, 180.0)
    g, ins = _samples(sol, times)
    t = sol.time_min
    it = sol["Plasma insulin [pmol/L]"].values[0]
    gt = sol["Plasma glucose [mg/dL]"].values[0]
    first = (t > 0) & (t <= 10)
    # glucose disappearance constant Kg from the log-linear fall between 10 and 30 min (%/min)
    w = (t >= 10) & (t <= 30)
    slope = np.polyfit(t[w], np.log(gt[w]), 1)[0]
    idx: dict[str, float | str] = {
        "acute insulin response AIRg [pmol/L]": float(np.mean(it[first]) - it[0]),
        "Kg [%/min]": float(-100.0 * slope),
        "glucose nadir [mg/dL]": float(gt.min()),
    }
    return ChallengeResult(f"IVGTT {dose_g_per_kg:g} g/kg", person.label, times, g, ins, idx, sol)
