"""Muscle GLUT4 content: raised by exercise training, lost within days of inactivity.

Relative to baseline (1 at t = 0; parameters in set ``mechanisms``)::

    dGLUT4/dt = k_GLUT4*I*(GLUT4_max - GLUT4) - (GLUT4 - 1)/tau_GLUT4

I is the exercise intensity (every kind of session; strength sessions act through the intensity
given for them). k_GLUT4 is calibrated to a 1.6-fold rise in 12 weeks (Houmard), tau_GLUT4 to the
17.5% fall after 6 days of inactivity (Vukovich 1996). GLUT4 scales insulin-stimulated and
contraction-stimulated uptake (:mod:`endotwin.components.insulin_sensitivity`).
"""

from __future__ import annotations

from ..model import Component, Output, Quantity, sym

_D = 1440.0


def glut4() -> Component:
    """Relative muscle GLUT4 content."""
    G4 = sym("GLUT4")
    return Component(
        name="GLUT4",
        description="muscle GLUT4 content: training raises it, inactivity lowers it",
        citations=("Houmard1996", "Vukovich1996"),
        states=(Quantity("GLUT4", "1", "muscle GLUT4 protein relative to baseline"),),
        parameters=(
            Quantity("k_GLUT4", "1/min", "synthesis rate at intensity 1"),
            Quantity("GLUT4_max", "1", "ceiling of GLUT4 content"),
            Quantity("tau_GLUT4", "day", "detraining time constant"),
        ),
        inputs=(Quantity("exercise_intensity", "1", "fraction of the VO2 reserve"),),
        rhs={
            "GLUT4": sym("k_GLUT4") * sym("exercise_intensity") * (sym("GLUT4_max") - G4)
            - (G4 - 1) / sym("tau_GLUT4") / _D
        },
        initial={"GLUT4": 1.0},
        outputs=(Output("GLUT4 content [x baseline]", G4, "muscle GLUT4"),),
    )
