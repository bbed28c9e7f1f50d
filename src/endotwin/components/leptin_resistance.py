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

**The appetite gain stays calibrated to the whole person.** The leptin component derives its
hunger gain from Polidori 2016's ~100 kcal/day of extra intake per kg lost (``g_P``), assuming
that the signal S/S0 falls with fat mass as (Fat/F0)^b. That is a whole-person measurement:
whatever sensitivity change accompanies the weight loss is inside it. With this component the
steady-state signal falls less, because SOCS3 follows the leptin level and the CRP, which fall with
weight (ER stress is back at 1 at steady state)::

    d ln(S/S0)/dBW = [b*(1 - e_S*e_L)/(F0 + 10.4) - e_S*e_C*k_w/CRP0]     (Forbes: dFat/dBW =
                                                                          Fat/(Fat + 10.4))

so ``g_P`` is scaled by ``leptin_feedback_gain`` = the leptin-only elasticity b/(F0 + 10.4) over
this one::

    leptin_feedback_gain = 1 / (1 - e_S*e_L - e_S*e_C*k_w*(F0 + 10.4)/(b*CRP0))

which keeps the model's steady-state hunger at g_P per kg lost for every person (checked by
``tests/test_appetite_feedback.py``). Without it the resistance layer cancelled most of the
appetite feedback (a free-living prescription lost about 3 times the published weight in Liu
2022). A gain above :data:`MAX_FEEDBACK_GAIN` (the resistance channels cancelling nearly all the
leptin fall) is refused: the assumed channel sizes would then contradict Polidori's feedback.

Adaptive thermogenesis (``a_P``, Leibel 1995) is *not* scaled: scaled, it made the CALERIE 2
prescribed-restriction arms lose half the published weight (Pennington -4.6 vs -9.0 kg), i.e.
Leibel's ~25 kcal/day per kg (obese people held at a reduced weight) overstates the adaptation of
non-obese people in active restriction; unscaled, the model's AT is a_P times the remaining
signal elasticity, 11-14 kcal/day per kg. This is a known tension, listed in docs/validation.md.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..errors import InputError
from ..model import Array, Component, Derived, Output, Quantity, sym

_D = 1440.0
#: largest accepted correction of the appetite/AT gains (the resistance layer may cancel at most
#: 80 % of the leptin signal's steady-state fall with weight; MODEL CHOICE)
MAX_FEEDBACK_GAIN = 5.0


def _feedback_gain(p: dict[str, Array]) -> dict[str, Array]:
    cancel = p["e_lep_SOCS3"] * (
        p["e_SOCS3_leptin"]
        + p["e_SOCS3_infl"]
        * p["k_crp_weight"]
        * (p["F0"] + p["forbes_const"])
        / (p["leptin_b"] * p["CRP0"])
    )
    remaining = 1.0 - cancel
    if np.any(remaining < 1.0 / MAX_FEEDBACK_GAIN):
        i = int(np.argmin(np.ravel(remaining * np.ones_like(p["F0"]))))
        raise InputError(
            "leptin resistance channel sizes (e_lep_SOCS3, e_SOCS3_leptin, e_SOCS3_infl)",
            float(np.ravel(cancel * np.ones_like(p["F0"]))[i]),
            f"a cancelled share of the leptin signal's fall below {1 - 1 / MAX_FEEDBACK_GAIN:g}",
            f"with fat mass F0 = {float(np.ravel(p['F0'] * np.ones_like(cancel))[i]):.1f} kg the "
            "hypothalamic sensitivity would offset the leptin fall almost entirely, "
            "contradicting the ~100 kcal/day per kg appetite feedback of Polidori 2016",
        )
    return {"leptin_feedback_gain": 1.0 / remaining}


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
        citations=("Bjorbaek1998", "Ozcan2009", "ElHaschimi2000", "Polidori2016"),
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
        derived_parameters=(
            Quantity(
                "leptin_feedback_gain",
                "1",
                "scale of g_P keeping the whole-person appetite feedback",
            ),
        ),
        modulates={
            "g_P": sym("leptin_feedback_gain") * sym("g_P"),
        },
        derive=_feedback_gain,
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
