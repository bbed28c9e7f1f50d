"""Hypothalamic leptin resistance: SOCS3 and ER stress.

The article: pro-inflammatory signals activate SOCS3, which binds the leptin receptor and blocks
its signalling; ER stress from metabolic overload adds to it; an anti-inflammatory diet and a
lower caloric load reduce both. Sustained hyperleptinaemia itself induces SOCS3 (Bjorbaek 1998,
mouse). Relative to baseline (1 at t = 0; parameters in set ``mechanisms``)::

    SOCS3* = (Fat/F0)^(leptin_b*e_L) * (CRP/CRP0)^e_C      sustained leptin level (the fat-mass
                                                          set level ratio) and inflammation
    ER*    = exp(k_ER_EB*energy_balance + k_ER_sfa*sat_fat_change)
    dSOCS3/dt = (SOCS3* - SOCS3)/tau_SOCS3,   dER/dt = (ER* - ER)/tau_ER
    leptin_receptor_inhibition = 1 - SOCS3^(-e_S) * ER^(-e_E)

The last line feeds the leptin component's input of the same name, whose leptin sensitivity is
1 - inhibition (:mod:`endotwin.components.leptin`). Time constants come from the only time course
found, in mice (El-Haschimi 2000: normal at 4, absent at 15 weeks of high-fat feeding).
"""

from __future__ import annotations

import sympy as sp

from ..model import Component, Derived, Output, Quantity, sym

_D = 1440.0


def leptin_resistance() -> Component:
    """SOCS3 and hypothalamic ER stress."""
    S, ER = sym("SOCS3"), sym("ER_stress")
    s_target = (sym("Fat") / sym("F0")) ** (sym("leptin_b") * sym("e_SOCS3_leptin")) * (
        sym("CRP") / sym("CRP0")
    ) ** sym("e_SOCS3_infl")
    er_target = sp.exp(
        sym("k_ER_EB") * sym("energy_balance") + sym("k_ER_sfa") * sym("sat_fat_change")
    )
    return Component(
        name="leptin resistance",
        description="hypothalamic SOCS3 (leptin, inflammation) and ER stress (overload)",
        citations=("Bjorbaek1998", "Ozcan2009", "ElHaschimi2000"),
        states=(
            Quantity("SOCS3", "1", "hypothalamic SOCS3 relative to baseline"),
            Quantity("ER_stress", "1", "hypothalamic ER stress relative to baseline"),
        ),
        parameters=tuple(
            Quantity(n, u, d)
            for n, u, d in [
                ("tau_SOCS3", "day", "time constant of SOCS3"),
                ("e_SOCS3_leptin", "1", "SOCS3 response to the leptin level"),
                ("e_SOCS3_infl", "1", "SOCS3 response to inflammation"),
                ("tau_ER", "day", "time constant of ER stress"),
                ("k_ER_EB", "1", "log ER stress per unit energy balance"),
                ("k_ER_sfa", "1/%E", "log ER stress per %energy saturated fat"),
                ("e_lep_SOCS3", "1", "leptin-sensitivity exponent of SOCS3"),
                ("e_lep_ER", "1", "leptin-sensitivity exponent of ER stress"),
            ]
        ),
        inputs=(Quantity("sat_fat_change", "%E", "saturated fat change from habitual"),),
        derived=(
            Derived("SOCS3_target", s_target, "1", "steady-state SOCS3"),
            Derived("ER_target", er_target, "1", "steady-state ER stress"),
            Derived(
                "leptin_receptor_inhibition",
                1 - S ** (-sym("e_lep_SOCS3")) * ER ** (-sym("e_lep_ER")),
                "1",
                "leptin-receptor signalling blocked relative to baseline",
            ),
        ),
        rhs={
            "SOCS3": (sym("SOCS3_target") - S) / sym("tau_SOCS3") / _D,
            "ER_stress": (sym("ER_target") - ER) / sym("tau_ER") / _D,
        },
        initial={"SOCS3": 1.0, "ER_stress": 1.0},
        outputs=(
            Output("SOCS3 [x baseline]", S, "hypothalamic SOCS3"),
            Output("Hypothalamic ER stress [x baseline]", ER, "ER stress"),
        ),
    )
