"""Beta-cell mass adaptation to the daily glucose level (Topp et al. 2000, beta-IG model).

Topp 2000: dbeta/dt = (-d0 + r1*G - r2*G^2)*beta [per day, G in mg/dL]. With the published
r1 = 0.84e-3, r2 = 0.24e-5 and d0 = 0.06 the steady states are G = 100 (stable) and 250 mg/dL
(the glucotoxic threshold). Here G is the person's *daily mean* plasma glucose (two-stage
low-pass of the simulated glucose, ``tau_Gd`` each), and d0 is set per person so that their
baseline daily mean ``G_mean0`` (from simulating their habitual day) is a steady state::

    d0 = r1*G_mean0 - r2*G_mean0^2
    dGd1/dt = (G - Gd1)/tau_Gd,  dGd2/dt = (Gd1 - Gd2)/tau_Gd
    dBeta/dt = (-d0 + r1*Gd2 - r2*Gd2^2)*Beta                    (relative mass, 1 at t = 0)

Beta scales the glucose responsivities of secretion (``beta``, ``K`` of Dalla Man 2007; see
:mod:`endotwin.components.insulin_sensitivity`). Above G = r1/(2*r2) = 175 mg/dL a rise of glucose
*lowers* the growth rate (glucotoxicity): a person whose daily mean is that high is on Topp's
pathway to beta-cell failure, which is the model's prediction, not an instability of the code.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from ..model import Array, Component, Output, Quantity, sym

_D = 1440.0


def _derive(p: dict[str, Array]) -> dict[str, Array]:
    g = p["G_mean0"]
    if np.any(g <= 0):
        raise InputError(
            "G_mean0",
            float(np.ravel(g)[int(np.argmax(np.ravel(g) <= 0))]),
            "(0, 400] mg/dL",
            "the baseline daily mean glucose: simulate through endotwin.simulate_physiology, "
            "which computes it from the person's habitual day",
        )
    return {"topp_d0": p["topp_r1"] * g - p["topp_r2"] * g**2}


def beta_cell_mass() -> Component:
    """Relative beta-cell mass (Topp 2000) driven by the daily mean glucose."""
    Gd1, Gd2, B = sym("Gd1"), sym("Gd2"), sym("BetaMass")
    tau = sym("tau_Gd")
    r1, r2, d0 = sym("topp_r1"), sym("topp_r2"), sym("topp_d0")
    return Component(
        name="beta-cell mass",
        description="beta-cell mass adapting to the daily mean glucose (Topp 2000)",
        citations=("Topp2000",),
        states=(
            Quantity("Gd1", "mg/dL", "daily glucose, first low-pass stage"),
            Quantity("Gd2", "mg/dL", "daily mean glucose (second stage)"),
            Quantity("BetaMass", "1", "beta-cell mass relative to baseline"),
        ),
        parameters=(
            Quantity("tau_Gd", "day", "time constant of each glucose filter stage"),
            Quantity("topp_r1", "1/(mg/dL)/day", "glucose growth coefficient"),
            Quantity("topp_r2", "1/(mg/dL)^2/day", "glucotoxicity coefficient"),
            Quantity("G_mean0", "mg/dL", "baseline daily mean glucose"),
        ),
        derived_parameters=(Quantity("topp_d0", "1/day", "death rate balancing G_mean0"),),
        rhs={
            "Gd1": (sym("G") - Gd1) / tau / _D,
            "Gd2": (Gd1 - Gd2) / tau / _D,
            "BetaMass": (-d0 + r1 * Gd2 - r2 * Gd2**2) * B / _D,
        },
        initial={"Gd1": sym("G_mean0"), "Gd2": sym("G_mean0"), "BetaMass": 1.0},
        outputs=(
            Output("Beta-cell mass [x baseline]", B, "Topp 2000 relative mass"),
            Output("Daily mean glucose [mg/dL]", Gd2, "low-pass filtered plasma glucose"),
        ),
        derive=_derive,
    )
