"""Beta-cell insulin secretion: Dalla Man, Rizza & Cobelli 2007 (IEEE TBME 54:1740), eqs. 21-26.

Portal-vein insulin ``Ipo`` (pmol/kg) fed by a secretion with a dynamic (rate of change of glucose)
and a static (provision ``Y``) component:

    dIpo/dt = -gamma*Ipo + Spo,        S = gamma*Ipo
    Spo = Y + K*max(dG/dt, 0) + Sb                          (eq. 22)
    dY/dt = -alpha*(Y - beta*(G - h))             G >= h     (eq. 23)
    dY/dt = -alpha*(Y - Sb*((G/h)^(beta*h/Sb) - 1)) G <  h     (endotwin, below basal)
    h = Gb (the threshold is the basal glucose)

Below basal the paper's second branch, ``max(beta*(G - h), -Sb)``, extrapolates the
postprandial slope: with the normal subject's beta and Sb static secretion reaches zero 16 mg/dL
below basal, so a fast longer than a night drove plasma insulin to zero (and through it, within
the solver's tolerance). endotwin continues the law below basal as a power of G/h whose
exponent beta*h/Sb (about 5.6 for the normal subject) gives the paper's slope at h: the two
branches meet with the same value and slope, small dips are the paper's law, and secretion never
reaches zero. It adds no parameter. In a 52-h fast it still lowers insulin more than people do
(Boden 1996: 16 -> 10 uU/mL as glucose fell from 88 to 63 mg/dL; the power law gives ~15 % of
basal secretion at that glucose): fasting people keep secretion up by signals the model lacks
(fatty acids, ketones), a strict xfail in tests/test_liver_glycogen.py.
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
            "Y": -alpha
            * (
                Y
                - sp.Piecewise(
                    (beta * (G - Gb), Gb <= G),
                    (Sb * ((G / Gb) ** (beta * Gb / Sb) - 1), True),
                )
            ),
        },
        initial={"Ipo": sym("Ipob"), "Y": 0.0},
        outputs=(Output("Insulin secretion [pmol/kg/min]", S, "S = gamma*Ipo"),),
    )
