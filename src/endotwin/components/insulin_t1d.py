"""Insulin kinetics of type-1 diabetes: the UVA/Padova T1D simulator (Kovatchev et al. 2009;
Dalla Man et al. 2014), built on Dalla Man, Rizza & Cobelli 2007 (IEEE TBME 54:1740),
eqs. 3, 11, 18.

In type-1 diabetes there is no endogenous secretion (S = 0), so the secretion-dependent hepatic
extraction law of the meal model (eqs. 4-5) is replaced by a constant hepatic clearance ``m30``:

    dIl/dt = -(m1 + m30)*Il + m2*Ip
    dIp/dt = -(m2 + m4)*Ip + m1*Il + Rai                   (Rai from the subcutaneous depot)
    I = Ip/VI,  dI1/dt = -ki*(I1 - I),  dId/dt = -ki*(Id - I1),  dX/dt = -p2U*X + p2U*(I - Ib)

(the insulin-action part is shared with :mod:`endotwin.components.insulin`). The constant
clearance corresponds to the basal extraction of the meal model, m30 = HEb*m1/(1 - HEb), i.e. an
extraction fraction ``HE = m30/(m1 + m30)`` (0.6 for the UVA/Padova 2008 academic subjects).

Portal insulin: the shared glucose component writes endogenous production as
EGP = max(0, kp1 - kp2*Gp - kp3*Id - kp4*Ipo), where the portal term kp4*Ipo is the early effect of
*secreted* insulin on the liver (Dalla Man 2007, eq. 10). A person with type-1 diabetes secretes no
insulin, so there is no portal insulin: this component defines ``Ipo = 0`` (a derived quantity fed
by the zero derived parameter ``Ipo_none``), and the T1D parameter values also set ``kp4 = 0``.
This is the EGP of the UVA/Padova T1D simulator, EGP = max(0, kp1 - kp2*Gp - kp3*Id)
(Kovatchev 2009; Dalla Man 2014).

Basal state: a UVA/Padova virtual subject is specified at its fasting state, with basal glucose and
insulin masses among its parameters (the simulator derives kp1 and Vm0 from them).
:func:`basal_state_t1d` declares these parameters (Gpb, Gtb, Ib, Ipb, Ilb); it is the T1D
counterpart of :func:`endotwin.components.steady_state.fasting_steady_state`, which *computes*
them for people with endogenous secretion. (The subcutaneous depot's basal state, Isc1b and
Isc2b, belongs to :mod:`endotwin.components.subcutaneous_insulin`.)
"""

from __future__ import annotations

from ..model import Component, Derived, Output, Quantity, sym
from .insulin import (
    INSULIN_ACTION_PARAMETERS,
    INSULIN_ACTION_STATES,
    LIVER_PLASMA_PARAMETERS,
    LIVER_PLASMA_STATES,
    PLASMA_INSULIN_OUTPUTS,
    RAI_NONE,
    insulin_action_initial,
    insulin_action_rhs,
    plasma_insulin_derived,
)

Il, Ip = sym("Il"), sym("Ip")
m1, m2, m4, m30 = sym("m1"), sym("m2"), sym("m4"), sym("m30")


def insulin_kinetics_t1d() -> Component:
    """Liver/plasma insulin with constant hepatic clearance and no secretion (UVA/Padova T1D)."""
    return Component(
        name="insulin kinetics (type 1)",
        description="liver and plasma insulin without secretion, constant hepatic clearance, "
        "insulin action signals",
        citations=("DallaMan2007", "Kovatchev2009", "DallaMan2014"),
        states=LIVER_PLASMA_STATES + INSULIN_ACTION_STATES,
        parameters=(
            *LIVER_PLASMA_PARAMETERS,
            Quantity("m30", "1/min", "hepatic insulin clearance rate (constant; basal extraction)"),
            *INSULIN_ACTION_PARAMETERS,
        ),
        derived=(
            *plasma_insulin_derived(),
            Derived("HE", m30 / (m1 + m30), "1", "hepatic insulin extraction (constant)"),
            Derived(
                "Ipo",
                sym("Ipo_none"),
                "pmol/kg",
                "portal insulin: none without endogenous secretion",
            ),
        ),
        derived_parameters=(
            RAI_NONE,
            Quantity("Ipo_none", "pmol/kg", "no portal (secreted) insulin in type 1 (0)"),
        ),
        rhs={
            "Il": -(m1 + m30) * Il + m2 * Ip,
            "Ip": -(m2 + m4) * Ip + m1 * Il + sym("Rai"),
            **insulin_action_rhs(),
        },
        initial={"Il": sym("Ilb"), "Ip": sym("Ipb"), **insulin_action_initial()},
        outputs=(
            *PLASMA_INSULIN_OUTPUTS,
            Output("Hepatic insulin extraction [1]", sym("HE"), "m30/(m1 + m30)"),
        ),
        derive=lambda p: {"Rai_none": 0.0 * p["VI"], "Ipo_none": 0.0 * p["VI"]},
    )


def basal_state_t1d() -> Component:
    """The fasting (basal) state of a T1D virtual subject, given as subject parameters."""
    return Component(
        name="basal state (type 1)",
        description="fasting glucose and insulin masses of a type-1 virtual subject",
        citations=("Kovatchev2009",),
        parameters=(
            Quantity("Gpb", "mg/kg", "basal plasma glucose mass"),
            Quantity("Gtb", "mg/kg", "basal tissue glucose mass"),
            Quantity("Ib", "pmol/L", "basal plasma insulin"),
            Quantity("Ipb", "pmol/kg", "basal plasma insulin mass"),
            Quantity("Ilb", "pmol/kg", "basal liver insulin mass"),
        ),
    )
