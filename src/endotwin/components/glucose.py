"""Glucose subsystem: Dalla Man, Rizza & Cobelli 2007 (IEEE TBME 54:1740), eqs. 1-2, 10, 14-20, 27.

Two compartments, plasma/rapidly equilibrating tissue ``Gp`` and slowly equilibrating tissue ``Gt``
(mg/kg):

    dGp/dt = EGP + Ra - Uii - E - k1*Gp + k2*Gt
    dGt/dt = -Uid + k1*Gp - k2*Gt
    (+ iv_glucose, an intravenous glucose infusion input in mg/kg/min, for the IVGTT)
    EGP = max(0, kp1 - kp2*Gp - kp3*Id - kp4*Ipo)           (eq. 10; EGP >= 0 as in the
                                                             UVA/Padova simulator, Dalla Man 2014)
    Uii = Fcns                                             (eq. 14)
    Uid = (Vm0 + Vmx*X) * Gt / (Km0 + Gt)                  (eqs. 15-17, Km = Km0)
    E   = ke1 * max(0, Gp - ke2)                           (eq. 27)

``Ra`` comes from the meal component, ``Id``, ``X`` from insulin, ``Ipo`` from secretion.
"""

from __future__ import annotations

import sympy as sp

from ..model import Component, Derived, Output, Quantity, sym

Gp, Gt = sym("Gp"), sym("Gt")
VG, k1, k2 = sym("VG"), sym("k1"), sym("k2")
kp1, kp2, kp3, kp4 = sym("kp1"), sym("kp2"), sym("kp3"), sym("kp4")
Fcns, Vm0, Vmx, Km0, ke1, ke2 = (sym(n) for n in ("Fcns", "Vm0", "Vmx", "Km0", "ke1", "ke2"))
Id, X, Ipo, Ra = sym("Id"), sym("X"), sym("Ipo"), sym("Ra")
EGP, Uii, Uid, E, G = sym("EGP"), sym("Uii"), sym("Uid"), sym("E"), sym("G")


def glucose_kinetics() -> Component:
    """Glucose kinetics, production, utilisation and renal excretion (Dalla Man 2007)."""
    return Component(
        name="glucose kinetics",
        description="plasma and tissue glucose with production, utilisation and renal excretion",
        citations=("DallaMan2007", "DallaMan2014"),
        states=(
            Quantity("Gp", "mg/kg", "glucose mass in plasma and rapidly equilibrating tissues"),
            Quantity("Gt", "mg/kg", "glucose mass in slowly equilibrating tissues"),
        ),
        parameters=tuple(
            Quantity(n, u, desc)
            for n, u, desc in [
                ("VG", "dL/kg", "glucose distribution volume"),
                ("k1", "1/min", "rate Gp -> Gt"),
                ("k2", "1/min", "rate Gt -> Gp"),
                ("kp1", "mg/kg/min", "EGP at zero glucose and insulin"),
                ("kp2", "1/min", "liver glucose effectiveness"),
                ("kp3", "mg/kg/min per pmol/L", "delayed insulin action on EGP"),
                ("kp4", "mg/kg/min per pmol/kg", "portal insulin action on EGP"),
                ("Fcns", "mg/kg/min", "insulin-independent uptake"),
                ("Vm0", "mg/kg/min", "basal Vmax of insulin-dependent uptake"),
                ("Vmx", "mg/kg/min per pmol/L", "insulin sensitivity of uptake"),
                ("Km0", "mg/kg", "Michaelis constant of uptake"),
                ("ke1", "1/min", "glomerular filtration rate"),
                ("ke2", "mg/kg", "renal threshold"),
            ]
        ),
        inputs=(Quantity("iv_glucose", "mg/kg/min", "intravenous glucose infusion"),),
        derived=(
            Derived("G", Gp / VG, "mg/dL", "plasma glucose concentration"),
            Derived(
                "EGP",
                sp.Max(0, kp1 - kp2 * Gp - kp3 * Id - kp4 * Ipo),
                "mg/kg/min",
                "endogenous glucose production",
            ),
            Derived("Uii", Fcns, "mg/kg/min", "insulin-independent utilisation"),
            Derived(
                "Uid",
                (Vm0 + Vmx * X) * Gt / (Km0 + Gt),
                "mg/kg/min",
                "insulin-dependent utilisation",
            ),
            Derived("E", ke1 * sp.Max(0, Gp - ke2), "mg/kg/min", "renal excretion"),
        ),
        rhs={
            "Gp": EGP + Ra + sym("iv_glucose") - Uii - E - k1 * Gp + k2 * Gt,
            "Gt": -Uid + k1 * Gp - k2 * Gt,
        },
        initial={"Gp": sym("Gpb"), "Gt": sym("Gtb")},
        outputs=(
            Output("Plasma glucose [mg/dL]", G, "Gp/VG"),
            Output("Endogenous glucose production [mg/kg/min]", EGP, "EGP"),
            Output("Glucose utilisation [mg/kg/min]", Uii + Uid, "Uii + Uid"),
            Output("Insulin-dependent glucose utilisation [mg/kg/min]", Uid, "Uid"),
            Output("Renal glucose excretion [mg/kg/min]", E, "E"),
        ),
    )
