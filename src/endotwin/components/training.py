"""Strength training -> lean mass (the mechanical, not metabolic, training adaptation).

A strength session sets the input ``resistance_exercise`` (1 while it lasts; see
:class:`endotwin.schedule.ExerciseBout` ``kind="strength"``). The lean mass it adds is a state
that feeds Hall's ``lean_repartition`` (lean gained at the expense of fat at equal net energy,
:mod:`endotwin.components.body_composition`)::

    dLeanRT/dt = k_lean_rt*R*(lean_rt_max - LeanRT) - LeanRT/tau_lean_rt          [kg/min]
    lean_repartition = 1440*dLeanRT/dt                                          [kg/day]

k_lean_rt is calibrated to +1.1 kg after 20 weeks of 3 x 45 min/week (Peterson 2011); the
ceiling and the detraining time constant are ASSUMPTIONS (set ``mechanisms``).
"""

from __future__ import annotations

from ..model import Component, Derived, Output, Quantity, sym

_D = 1440.0


def strength_training() -> Component:
    """Training-induced lean mass."""
    L = sym("LeanRT")
    return Component(
        name="strength training",
        description="lean mass gained with strength training, lost slowly without it",
        citations=("Peterson2011",),
        states=(Quantity("LeanRT", "kg", "lean mass added by strength training"),),
        parameters=(
            Quantity("k_lean_rt", "1/min", "accretion rate per minute of strength training"),
            Quantity("lean_rt_max", "kg", "ceiling of trained lean mass"),
            Quantity("tau_lean_rt", "day", "detraining time constant"),
        ),
        inputs=(Quantity("resistance_exercise", "1", "1 during a strength session"),),
        derived=(
            Derived(
                "lean_repartition",
                sym("ddt_LeanRT") * _D,
                "kg/day",
                "lean gain paid for by fat",
            ),
        ),
        rhs={
            "LeanRT": sym("k_lean_rt") * sym("resistance_exercise") * (sym("lean_rt_max") - L)
            - L / sym("tau_lean_rt") / _D
        },
        initial={"LeanRT": 0.0},
        outputs=(Output("Trained lean mass [kg]", L, "lean mass added by strength training"),),
    )
