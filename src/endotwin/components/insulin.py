"""Insulin kinetics and action: Dalla Man, Rizza & Cobelli 2007 (IEEE TBME 54:1740),
eqs. 3-7, 11, 18.

Liver ``Il`` and plasma ``Ip`` insulin (pmol/kg) with secretion-dependent hepatic extraction:

    dIl/dt = -(m1 + m3)*Il + m2*Ip + S
    dIp/dt = -(m2 + m4)*Ip + m1*Il + Rai
    HE = max(0, -m5*S + m6),   m3 = HE*m1/(1 - HE)         (eqs. 4-5)
    I = Ip/VI                                              (pmol/L)
    dI1/dt = -ki*(I1 - I),  dId/dt = -ki*(Id - I1)         (eq. 11, delayed insulin on the liver)
    dX/dt  = -p2U*X + p2U*(I - Ib)                         (eq. 18, remote insulin action)

HE is an extraction *fraction*: the paper's linear law is bounded below by 0, because at the very
high secretion rates of an intravenous glucose bolus (S > m6/m5, about 21 pmol/kg/min for the
normal set) it turns negative, m3 < 0, and the liver would *create* insulin (mass is then not
conserved). Within the meal range the bound is never active (HE stays near 0.4-0.6). The upper
side needs no bound: S >= 0 gives HE <= m6 < 1.

``S`` is the secretion rate from the beta-cell component; ``Rai`` (exogenous insulin appearance,
pmol/kg/min) is zero unless a subcutaneous-insulin component supplies it.

The insulin-action part (I, I1, Id, X, the zero default of ``Rai`` and the plasma-insulin outputs)
is shared with the type-1 insulin kinetics of :mod:`endotwin.components.insulin_t1d`, which differs
only in its hepatic clearance (constant, no secretion); the helpers below are that shared part.
"""

from __future__ import annotations

import sympy as sp

from ..model import Component, Derived, Output, Quantity, sym

Il, Ip, I1, Id, X = sym("Il"), sym("Ip"), sym("I1"), sym("Id"), sym("X")
VI, m1, m2, m4, m5, m6, ki = (sym(n) for n in ("VI", "m1", "m2", "m4", "m5", "m6", "ki"))
p2U = sym("p2U")  # noqa: N816  (the paper's name)
S, I, HE, m3, Ib = sym("S"), sym("I"), sym("HE"), sym("m3"), sym("Ib")  # noqa: E741

#: Liver and plasma insulin masses (the states of both the normal and the T1D insulin kinetics).
LIVER_PLASMA_STATES: tuple[Quantity, ...] = (
    Quantity("Il", "pmol/kg", "insulin mass in the liver"),
    Quantity("Ip", "pmol/kg", "insulin mass in plasma"),
)

#: States of insulin action: delayed hepatic signal (I1, Id) and remote insulin (X), eqs. 11, 18.
INSULIN_ACTION_STATES: tuple[Quantity, ...] = (
    Quantity("I1", "pmol/L", "first delay compartment of insulin action on the liver"),
    Quantity("Id", "pmol/L", "delayed insulin signal acting on the liver"),
    Quantity("X", "pmol/L", "insulin in the remote (interstitial) compartment"),
)

#: Parameters of insulin action (eqs. 11, 18).
LIVER_PLASMA_PARAMETERS: tuple[Quantity, ...] = (
    Quantity("VI", "L/kg", "insulin distribution volume"),
    Quantity("m1", "1/min", "rate liver -> plasma"),
    Quantity("m2", "1/min", "rate plasma -> liver"),
    Quantity("m4", "1/min", "peripheral degradation"),
)
INSULIN_ACTION_PARAMETERS: tuple[Quantity, ...] = (
    Quantity("ki", "1/min", "delay of insulin action on EGP"),
    Quantity("p2U", "1/min", "rate of insulin action on uptake"),
)


def insulin_action_rhs() -> dict[str, sp.Expr]:
    """Right-hand sides of I1, Id (eq. 11) and X (eq. 18), driven by ``I`` and basal ``Ib``."""
    return {
        "I1": -ki * (I1 - I),
        "Id": -ki * (Id - I1),
        "X": -p2U * X + p2U * (I - Ib),
    }


def insulin_action_initial() -> dict[str, sp.Expr | float]:
    """Basal initial values of the insulin-action states: I1 = Id = Ib, X = 0."""
    return {"I1": Ib, "Id": Ib, "X": 0.0}


def plasma_insulin_derived() -> tuple[Derived, ...]:
    """``I = Ip/VI`` and the exogenous appearance ``Rai`` (0 unless a component replaces it)."""
    return (
        Derived("I", Ip / VI, "pmol/L", "plasma insulin concentration"),
        Derived("Rai", sym("Rai_none"), "pmol/kg/min", "exogenous insulin appearance"),
    )


#: The derived parameter behind the zero default of ``Rai``.
RAI_NONE = Quantity("Rai_none", "pmol/kg/min", "no exogenous insulin (0)")

#: Public outputs of plasma insulin and remote insulin action.
PLASMA_INSULIN_OUTPUTS: tuple[Output, ...] = (
    Output("Plasma insulin [pmol/L]", I, "Ip/VI"),
    Output("Plasma insulin [uU/mL]", I / 6.0, "Ip/VI / 6 (Heinemann 2010 conversion)"),
    Output("Remote insulin action [pmol/L]", X, "X"),
)


def insulin_kinetics() -> Component:
    """Insulin kinetics with hepatic extraction, delayed hepatic and remote peripheral action."""
    I_, Rai = plasma_insulin_derived()
    return Component(
        name="insulin kinetics",
        description="liver and plasma insulin, hepatic extraction, insulin action signals",
        citations=("DallaMan2007",),
        states=LIVER_PLASMA_STATES + INSULIN_ACTION_STATES,
        parameters=(
            *LIVER_PLASMA_PARAMETERS,
            Quantity("m5", "min*kg/pmol", "hepatic extraction slope"),
            Quantity("m6", "1", "hepatic extraction offset"),
            *INSULIN_ACTION_PARAMETERS,
        ),
        derived=(
            I_,
            Derived("HE", sp.Max(0, -m5 * S + m6), "1", "hepatic insulin extraction"),
            Derived("m3", HE * m1 / (1 - HE), "1/min", "hepatic insulin clearance rate"),
            Rai,
        ),
        derived_parameters=(RAI_NONE,),
        rhs={
            "Il": -(m1 + m3) * Il + m2 * Ip + S,
            "Ip": -(m2 + sym("m4")) * Ip + m1 * Il + sym("Rai"),
            **insulin_action_rhs(),
        },
        initial={"Il": sym("Ilb"), "Ip": sym("Ipb"), **insulin_action_initial()},
        outputs=(
            *PLASMA_INSULIN_OUTPUTS,
            Output("Hepatic insulin extraction [1]", HE, "HE"),
        ),
        derive=lambda p: {"Rai_none": 0.0 * p["VI"]},
    )
