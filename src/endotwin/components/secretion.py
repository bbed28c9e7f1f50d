"""Beta-cell insulin secretion: Dalla Man, Rizza & Cobelli 2007 (IEEE TBME 54:1740), eqs. 21-26.

Portal-vein insulin ``Ipo`` (pmol/kg) fed by a secretion with a dynamic (rate of change of glucose)
and a static (provision ``Y``) component:

    dIpo/dt = -gamma*Ipo + Spo,        S = gamma*Ipo
    Spo = Y + K*max(dG/dt, 0) + Sb                          (eq. 22)
    dY/dt = -alpha*(Y - max(beta*(G - h), -Sb))             (eq. 23; the max is the paper's
                                                             two-branch definition)
    h = Gb (the threshold is the basal glucose)
"""

from __future__ import annotations

import sympy as sp

from ..model import Component, Derived, Output, Quantity, sym

Ipo, Y = sym("Ipo"), sym("Y")
K, alpha, beta, gamma = sym("K"), sym("alpha"), sym("beta"), sym("gamma")
G, Gb, Sb, VG = sym("G"), sym("Gb"), sym("Sb"), sym("VG")
Spo, S = sym("Spo"), sym("S")


def insulin_secretion() -> Component:
    """Glucose-driven insulin secretion with first and second phase (Dalla Man 2007)."""
    dGdt = sym("ddt_Gp") / VG
    return Component(
        name="insulin secretion",
        description="beta-cell secretion into the portal vein",
        citations=("DallaMan2007",),
        states=(
            Quantity("Ipo", "pmol/kg", "insulin mass in the portal vein"),
            Quantity("Y", "pmol/kg/min", "static (provision) secretion above basal"),
        ),
        parameters=(
            Quantity("K", "pmol/kg per mg/dL", "responsivity to glucose rate of change"),
            Quantity("alpha", "1/min", "delay of static secretion"),
            Quantity("beta", "pmol/kg/min per mg/dL", "responsivity to glucose"),
            Quantity("gamma", "1/min", "portal -> liver transfer rate"),
        ),
        derived=(
            Derived(
                "Spo", Y + K * sp.Max(dGdt, 0) + Sb, "pmol/kg/min", "secretion into portal vein"
            ),
            Derived("S", gamma * Ipo, "pmol/kg/min", "insulin secretion rate"),
        ),
        rhs={
            "Ipo": -gamma * Ipo + Spo,
            "Y": -alpha * (Y - sp.Max(beta * (G - Gb), -Sb)),
        },
        initial={"Ipo": sym("Ipob"), "Y": 0.0},
        outputs=(Output("Insulin secretion [pmol/kg/min]", S, "S = gamma*Ipo"),),
    )
