"""Subcutaneous insulin: the two-compartment depot of the UVA/Padova T1D simulator
(Kovatchev et al. 2009; Dalla Man et al. 2014).

Insulin infused or injected under the skin (``insulin_infusion``, pmol/kg/min) enters a
non-monomeric depot ``Isc1``, dissociates into a monomeric depot ``Isc2``, and both are absorbed
into plasma (pmol/kg):

    dIsc1/dt = insulin_infusion - (ka1 + kd)*Isc1
    dIsc2/dt = kd*Isc1 - ka2*Isc2
    Rai = ka1*Isc1 + ka2*Isc2                  (insulin appearance in plasma, pmol/kg/min)

``Rai`` replaces the zero default of the insulin-kinetics component. A pump's rate in U/min converts
as ``insulin_infusion = rate * 6000 / BW`` (1 U = 6000 pmol; Heinemann 2010). The initial depot
``Isc1b``, ``Isc2b`` is the steady state of the basal infusion u_b, Isc1b = u_b/(ka1 + kd),
Isc2b = kd*Isc1b/ka2 (zero for a person not on insulin).
"""

from __future__ import annotations

from ..model import Component, Derived, Output, Quantity, sym

Isc1, Isc2 = sym("Isc1"), sym("Isc2")
ka1, ka2, kd = sym("ka1"), sym("ka2"), sym("kd")
u = sym("insulin_infusion")


def subcutaneous_insulin() -> Component:
    """Two-compartment subcutaneous insulin absorption, supplying ``Rai``."""
    return Component(
        name="subcutaneous insulin",
        description="subcutaneous insulin depot (non-monomeric and monomeric) and absorption",
        citations=("Kovatchev2009", "DallaMan2014"),
        states=(
            Quantity("Isc1", "pmol/kg", "subcutaneous insulin, non-monomeric"),
            Quantity("Isc2", "pmol/kg", "subcutaneous insulin, monomeric"),
        ),
        parameters=(
            Quantity("ka1", "1/min", "absorption rate of non-monomeric insulin"),
            Quantity("ka2", "1/min", "absorption rate of monomeric insulin"),
            Quantity("kd", "1/min", "dissociation rate non-monomeric -> monomeric"),
            Quantity("Isc1b", "pmol/kg", "initial (basal) non-monomeric depot"),
            Quantity("Isc2b", "pmol/kg", "initial (basal) monomeric depot"),
        ),
        inputs=(Quantity("insulin_infusion", "pmol/kg/min", "subcutaneous insulin delivery"),),
        derived=(
            Derived(
                "Rai",
                ka1 * Isc1 + ka2 * Isc2,
                "pmol/kg/min",
                "insulin appearance in plasma from the subcutaneous depot",
            ),
        ),
        replaces=("Rai",),
        rhs={
            "Isc1": u - (ka1 + kd) * Isc1,
            "Isc2": kd * Isc1 - ka2 * Isc2,
        },
        initial={"Isc1": sym("Isc1b"), "Isc2": sym("Isc2b")},
        outputs=(
            Output(
                "Subcutaneous insulin appearance [pmol/kg/min]", sym("Rai"), "ka1*Isc1 + ka2*Isc2"
            ),
            Output("Subcutaneous insulin depot [pmol/kg]", Isc1 + Isc2, "Isc1 + Isc2"),
        ),
    )
