"""Daily energy balance seen by the slow mechanisms (a two-stage low-pass filter).

The slow mechanisms respond to the energy balance over days, not to single meals. The balance
``EI - U - EE`` of the Hall component (:mod:`endotwin.components.body_composition`; intake,
urinary loss and expenditure in kcal/day) is passed through two first-order stages with time
constant ``tau_EB`` (1 day each; at the 1/day meal rhythm the gain is 1/(1 + (2*pi)^2) = 2.5%)::

    dEB1/dt = (EI - U - EE - EB1)/tau_EB,   dEB2/dt = (EB1 - EB2)/tau_EB
    energy_balance = EB2/EI0                                  [fraction of baseline intake]

``energy_balance`` > 0 is a surplus (nutrient overload), < 0 a deficit (caloric restriction).
"""

from __future__ import annotations

from ..model import Component, Derived, Output, Quantity, sym

_D = 1440.0


def energy_balance_filter() -> Component:
    """Filtered daily energy balance (fraction of the baseline intake)."""
    EB1, EB2, tau = sym("EB1"), sym("EB2"), sym("tau_EB")
    net = sym("energy_intake") - sym("energy_loss") - sym("EE")
    return Component(
        name="daily energy balance",
        description="two-stage low-pass filter of intake - loss - expenditure",
        citations=("Hall2011",),
        states=(
            Quantity("EB1", "kcal/day", "energy balance, first low-pass stage"),
            Quantity("EB2", "kcal/day", "energy balance, second low-pass stage"),
        ),
        parameters=(Quantity("tau_EB", "day", "time constant of each filter stage"),),
        derived=(Derived("energy_balance", EB2 / sym("EI0"), "1", "daily energy balance / EI0"),),
        rhs={"EB1": (net - EB1) / tau / _D, "EB2": (EB1 - EB2) / tau / _D},
        initial={"EB1": 0.0, "EB2": 0.0},
        outputs=(
            Output("Daily energy balance [kcal/day]", EB2, "filtered intake - loss - expenditure"),
        ),
    )
