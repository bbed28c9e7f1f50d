"""Mitochondrial oxidative capacity: training-driven biogenesis, detraining, nutrient overload.

The article: mitochondria are "overloaded by excess nutrients"; exercise promotes biogenesis and
caloric restriction reduces the load. In the model, restriction ends the overload's loss of
capacity but does not raise capacity above the person's baseline: diet-induced weight loss did
not raise it in Toledo 2008 and lowered it in Dube 2011. Relative to baseline (1 at t = 0;
parameters in set ``mechanisms``)::

    dMito/dt = k_mito*I^2*(mito_max - Mito)      biogenesis while exercising (I = intensity,
                                                 squared: intense intervals are the stronger
                                                 stimulus per minute; k_mito calibrated to +38%
                                                 citrate synthase after 6 HIIT sessions in
                                                 2 weeks, Burgomaster 2005)
             - (Mito - 1)/tau_mito               detraining, half-time 7.7 d (Ryan 2013)
             - k_ov*max(energy_balance, 0)*Mito  overload: a surplus lowers capacity; a deficit
                                                 does not raise it (Toledo 2008: diet-induced
                                                 weight loss left it unchanged; Dube 2011: it fell)

The calibration is exact (:mod:`endotwin.components.training_calibration`).
"""

from __future__ import annotations

import sympy as sp

from ..model import Component, Output, Quantity, sym

_D = 1440.0


def mitochondria() -> Component:
    """Relative mitochondrial oxidative capacity."""
    M, I_ex = sym("Mito"), sym("exercise_intensity")
    return Component(
        name="mitochondria",
        description="oxidative capacity: biogenesis with exercise, decay, nutrient overload",
        citations=("Burgomaster2005", "Ryan2013", "Toledo2008", "Dube2011"),
        states=(Quantity("Mito", "1", "mitochondrial oxidative capacity relative to baseline"),),
        parameters=(
            Quantity("k_mito", "1/min", "biogenesis rate at intensity 1"),
            Quantity("mito_max", "1", "ceiling of capacity"),
            Quantity("tau_mito", "day", "detraining time constant"),
            Quantity("k_mito_overload", "1/day", "loss per unit energy surplus"),
        ),
        inputs=(Quantity("exercise_intensity", "1", "fraction of the VO2 reserve"),),
        rhs={
            "Mito": sym("k_mito") * I_ex**2 * (sym("mito_max") - M)
            - (M - 1) / sym("tau_mito") / _D
            - sym("k_mito_overload") * sp.Max(0, sym("energy_balance")) * M / _D
        },
        initial={"Mito": 1.0},
        outputs=(Output("Mitochondrial capacity [x baseline]", M, "oxidative capacity"),),
    )
