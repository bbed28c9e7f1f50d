"""Mechanism attribution by exact Shapley values over counterfactual runs (issue 3, item 7)."""

from __future__ import annotations

import pytest

from endotwin.attribution import attribute
from endotwin.errors import InputError
from endotwin.person import Person
from endotwin.physiology import habitual_day
from endotwin.schedule import ExerciseBout, Schedule


def test_shapley_attribution_sums_to_the_total_change() -> None:
    p = Person(weight_kg=92.0, sex="female", age=48, height_cm=165)
    days = 21
    base = habitual_day(p, days=days)
    hiit = [
        ExerciseBout((7 * w + d) * 1440 + 17 * 60, 20, 0.9, kind="hiit")
        for w in range(3)
        for d in (0, 2, 4)
    ]
    sched = Schedule(meals=base.meals, exercise=hiit)
    a = attribute(p, sched, days=days, mechanisms=["glut4", "mitochondria", "lipid"])
    for name, value in a.table():
        print(f"{name:35s} {value:+.4f}")
    assert a.total < 0  # HIIT lowers HOMA-IR
    parts = a.unattributed + sum(a.contributions.values())
    assert parts == pytest.approx(a.total, abs=1e-12)
    # GLUT4 and mitochondrial capacity both lower HOMA-IR (negative contributions)
    assert a.contributions["glut4"] < 0 and a.contributions["mitochondria"] < 0
    # exactness is not by construction of the numbers: the pieces are different runs
    assert len({round(v, 9) for v in a.contributions.values()}) == 3


def test_unknown_mechanism_is_refused() -> None:
    p = Person(weight_kg=80.0, sex="male", age=40, height_cm=180)
    with pytest.raises(InputError, match="mechanisms"):
        attribute(p, habitual_day(p, 2), days=2, mechanisms=["willpower"])
