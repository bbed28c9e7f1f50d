"""Inflammatory tone (TNF-alpha/IL-6, read out as hs-CRP) and JNK/IKK activity.

The article: chronic inflammation, "often driven by excess visceral fat", raises TNF-alpha and
IL-6, which activate JNK and IKK; a whole-food diet and omega-3 lower cytokines; exercise raises
anti-inflammatory proteins; weight loss lowers adipose release. The tone is expressed in its
clinical read-out, high-sensitivity CRP [mg/L], because the human effect sizes are published in
it (parameters: set ``mechanisms``; numbers in ``docs/research/resistance-mechanisms.md``)::

    CRP* = CRP0 + k_w*(BW - BW0)                       weight (adiposity); Selvin 2007
                - k_diet*whole_food_diet               Mediterranean/whole-food diet; Esposito 2004
                - es_o3*sd*w/(w + K_o3)*(3 + K_o3)/3   omega-3 EPA+DHA w [g/day]; ES at 3 g/day
                - es_tr*sd*(Mito - 1)/0.38             training (oxidative capacity as its marker,
                                                       +38% = a 2-week HIIT block); Fedewa 2017
    CRP* -> softplus(CRP*; 0.05 mg/L)                  (smoothly kept positive)
    dCRP/dt = (CRP* - CRP)/tau_infl
    JNK_IKK = CRP/CRP0                                 kinase activity relative to baseline

``whole_food_diet`` (input, 0-1) is the adherence to a whole-food, anti-inflammatory diet of the
Esposito 2004 kind; ``omega3`` (input) the supplement dose [g/day EPA+DHA]. The kinase activity is
taken proportional to the tone (an ASSUMPTION: no human dose-response of muscle JNK/IKK activity
to circulating cytokines was found).
"""

from __future__ import annotations

import sympy as sp

from ..model import Component, Derived, Output, Quantity, sym

_D = 1440.0


def inflammation() -> Component:
    """Inflammatory tone (hs-CRP) and JNK/IKK activity."""
    CRP, CRP0 = sym("CRP"), sym("CRP0")
    w = sym("omega3")
    K = sym("omega3_K")
    raw = (
        CRP0
        + sym("k_crp_weight") * (sym("BW_t") - sym("BW"))
        - sym("k_crp_diet") * sym("whole_food_diet")
        - sym("es_omega3") * sym("crp_sd") * w / (w + K) * (3 + K) / 3
        - sym("es_training") * sym("crp_sd") * (sym("Mito") - 1) / sp.Float(0.38)
    )
    width = sp.Float(0.05)
    target = width * sp.log(1 + sp.exp(raw / width))
    return Component(
        name="inflammation",
        description="inflammatory tone (TNF-alpha/IL-6 read out as hs-CRP) and JNK/IKK activity",
        citations=("Selvin2007", "Esposito2004", "Fedewa2017"),
        states=(Quantity("CRP", "mg/L", "inflammatory tone, as high-sensitivity CRP"),),
        parameters=tuple(
            Quantity(n, u, d)
            for n, u, d in [
                ("CRP0", "mg/L", "baseline hs-CRP"),
                ("tau_infl", "day", "time constant of the tone"),
                ("k_crp_weight", "mg/L/kg", "CRP per kg body weight"),
                ("k_crp_diet", "mg/L", "CRP fall on a whole-food diet"),
                ("crp_sd", "mg/L", "SD converting standardised effects"),
                ("es_omega3", "SD", "omega-3 effect at 3 g/day"),
                ("omega3_K", "g/day", "omega-3 half-maximal dose"),
                ("es_training", "SD", "training effect without weight loss"),
            ]
        ),
        inputs=(
            Quantity("whole_food_diet", "1", "adherence to a whole-food anti-inflammatory diet"),
            Quantity("omega3", "g/day", "EPA+DHA supplement dose"),
        ),
        derived=(
            Derived("CRP_target", target, "mg/L", "steady-state tone for the current drivers"),
            Derived("JNK_IKK", CRP / CRP0, "1", "JNK/IKK activity relative to baseline"),
        ),
        rhs={"CRP": (sym("CRP_target") - CRP) / sym("tau_infl") / _D},
        initial={"CRP": CRP0},
        outputs=(
            Output("Inflammatory tone CRP [mg/L]", CRP, "hs-CRP"),
            Output("JNK/IKK activity [x baseline]", sym("JNK_IKK"), "CRP/CRP0"),
        ),
    )
