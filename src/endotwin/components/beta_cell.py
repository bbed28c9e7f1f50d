"""Beta-cell mass adaptation to the daily glucose level (Topp et al. 2000 beta-IG growth law,
re-centred on the person and run on the human time scale).

Topp 2000: dbeta/dt = (-d0 + r1*G - r2*G^2)*beta [per day, G in mg/dL]. With the published
r1 = 0.84e-3, r2 = 0.24e-5 and d0 = 0.06 the growth law is -r2*(G - 100)*(G - 250): a stable
physiological fixed point at 100 mg/dL and the glucotoxic threshold 150 mg/dL above it. Here G is
the person's *daily mean* plasma glucose (two-stage low-pass of the simulated glucose,
``tau_Gd`` each) and the law is re-centred on the person's baseline daily mean ``G_mean0`` (from
simulating their habitual day)::

    dGd1/dt = (G - Gd1)/tau_Gd,  dGd2/dt = (Gd1 - Gd2)/tau_Gd
    dBeta/dt = -k_h*r2*(Gd2 - G_mean0)*(Gd2 - G_mean0 - dG_tox)*Beta    (relative mass, 1 at t=0)

At ``G_mean0`` = 100 this is Topp's law exactly (times k_h). Re-centring makes every person's
measured state a *stable* steady state with Topp's restoring slope r2*dG_tox: a glucose fall
lowers the mass and a rise (up to ``dG_tox`` above baseline) raises it. Topp's uncentred law
with a per-person death rate, used before, put anyone whose daily mean exceeded
r1/(2*r2) = 175 mg/dL on the unstable (glucotoxic) root, so a person with diabetes on their
unchanged habitual day drifted into beta-cell collapse within weeks (a validation-suite crash).

``k_h`` (``topp_rate_human``) rescales Topp's rat kinetics (turnover 1/d0 = 16.7 d) to the human
time constant of beta-cell mass, tau_beta = 8570 d (Ha, Satin & Sherman 2016, human model). Ha's
faster constant, 249.9 d, belongs to secretory capacity (sigma), whose law is proportional (its
target falls with the secretory workload) rather than this integral one: run on 249.9 d, Topp's
law returned a lifestyle arm's fasting glucose to baseline within about two years (DPP lifestyle
arm 105.7 -> 98.4 -> 103.6 mg/dL), which is Ha's sigma time scale with Topp's perfect
adaptation, a hybrid neither paper has. Secretory capacity itself is not modelled. Beta scales
the secretion parameters ``beta``, ``K`` and ``Sb`` of Dalla Man 2007 (see
:mod:`endotwin.components.insulin_sensitivity`). A daily mean that rises more than ``dG_tox``
above baseline lowers the mass (glucotoxicity): Topp's pathway to beta-cell failure.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from ..model import Array, Component, Output, Quantity, sym

_D = 1440.0


def _check_baseline(p: dict[str, Array]) -> dict[str, Array]:
    g = p["G_mean0"]
    if np.any(g <= 0):
        raise InputError(
            "G_mean0",
            float(np.ravel(g)[int(np.argmax(np.ravel(g) <= 0))]),
            "(0, 400] mg/dL",
            "the baseline daily mean glucose: simulate through endotwin.simulate_physiology, "
            "which computes it from the person's habitual day",
        )
    return {}


def beta_cell_mass() -> Component:
    """Relative beta-cell mass (Topp 2000) driven by the daily mean glucose."""
    Gd1, Gd2, B = sym("Gd1"), sym("Gd2"), sym("BetaMass")
    tau, g0 = sym("tau_Gd"), sym("G_mean0")
    r2, dg, kh = sym("topp_r2"), sym("topp_dG_tox"), sym("topp_rate_human")
    return Component(
        name="beta-cell mass",
        description="beta-cell mass adapting to the daily mean glucose (Topp 2000)",
        citations=("Topp2000", "Ha2016"),
        states=(
            Quantity("Gd1", "mg/dL", "daily glucose, first low-pass stage"),
            Quantity("Gd2", "mg/dL", "daily mean glucose (second stage)"),
            Quantity("BetaMass", "1", "beta-cell mass relative to baseline"),
        ),
        parameters=(
            Quantity("tau_Gd", "day", "time constant of each glucose filter stage"),
            Quantity("topp_r2", "1/(mg/dL)^2/day", "curvature of the growth law"),
            Quantity("topp_dG_tox", "mg/dL", "glucotoxic threshold above the set point"),
            Quantity("topp_rate_human", "1", "human / rat time-scale factor"),
            Quantity("G_mean0", "mg/dL", "baseline daily mean glucose"),
        ),
        rhs={
            "Gd1": (sym("G") - Gd1) / tau / _D,
            "Gd2": (Gd1 - Gd2) / tau / _D,
            "BetaMass": -kh * r2 * (Gd2 - g0) * (Gd2 - g0 - dg) * B / _D,
        },
        initial={"Gd1": sym("G_mean0"), "Gd2": sym("G_mean0"), "BetaMass": 1.0},
        outputs=(
            Output("Beta-cell mass [x baseline]", B, "Topp 2000 relative mass"),
            Output("Daily mean glucose [mg/dL]", Gd2, "low-pass filtered plasma glucose"),
        ),
        derive=_check_baseline,
    )
