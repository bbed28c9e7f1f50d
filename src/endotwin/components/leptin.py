"""Leptin and appetite: plasma leptin, hypothalamic signal, hunger and adaptive thermogenesis.

Spec: ``docs/research/leptin-appetite.md`` (section 4 structure, 4.3 parameters, 5 targets);
parameter set ``leptin_appetite``. It couples to the Hall 2011 body-composition component
(:mod:`endotwin.components.body_composition`), whose symbols it reads: the fat-mass state
``Fat`` [kg], the derived parameters ``F0`` [kg] and ``EI0`` [kcal/day], the parameters
``is_male``, ``age_yr``, ``forbes_const`` (10.4 kg) and ``tau_AT`` [day], and the inputs
``energy_intake`` and ``energy_loss`` [kcal/day] (declared here too; the Model merges them).

Equations (time in minutes in the solver; time constants are given in hours or days)::

    r        = (EI - U) / EI0                        energy availability (1 = baseline balance)
    r1'      = (r - r1) / tau_r,   r2' = (r1 - r2) / tau_r        two-stage low-pass (meals)
    f(r)     = E_min + (1 - E_min) * min(max(r, 0)/r_d, 1) + k_over * max(r - 1.02, 0)
    E*(r)    = smin(f(r) - f(1) + 1, E_max)          so that E*(1) = 1 exactly
    E'       = (E*(r2) - E) * (1/tau_rise + (1/tau_fall - 1/tau_rise) * sigmoid((E - E*)/w))
    L_set    = a * (Fat/FM_ref)^b * f_age,   a = a_male if is_male else a_female
               (a = L_meas / ((F0/FM_ref)^b * f_age) when a measured leptin L_meas > 0 is given)
    L        = L_set * E                             plasma leptin (algebraic: t1/2 ~ 25 min)
    sigma    = smax(1 - leptin_receptor_inhibition, 0.01)             leptin sensitivity
    S/S0     = sigma * (Fat/F0)^b * E^w              hypothalamic signal relative to baseline
    H        = -G_EI * ln(S/S0),   G_EI = g_P * (F0 + 10.4)/b         hunger drive [kcal/day]
    appetite = softplus(smin(1 + H/EI0, k_max))     ad-libitum intake / EI0 (smooth, > 0)
    AT_drive = A_AT * ln(S/S0),    A_AT = a_P * (F0 + 10.4)/b         (replaces Hall's bAT*dEI)
    S_slow/S0 = sigma * (Fat/F0)^b                   the signal without E: read by the leptin ->
                                                     JAK2 -> IRS-2 crosstalk (insulin_sensitivity)

Smoothing (spec 4.2 item 2, width 0.02): the kinks of E*(r) (the min/max and the overfeeding
kink, shifted by 0.02 so that it is exactly 0 for r <= 1) are C1 quadratic roundings of width 0.04
(``ramp``; exact outside it, so E* = 1 exactly for r_d + 0.02*r_d <= r <= 1 and no small deficit
lowers E); ``smin``, ``smax``, ``softplus`` and ``sigmoid`` (appetite clip, sensitivity floor, rate
switch) use ``Max``/``exp``/``log`` in a numerically stable form. Both backends (numba, JAX)
evaluate and differentiate them without overflow.

Choices (spec section 4, made explicit here):

- EE in ``r`` is the baseline intake EI0 (the spec's "simpler choice"), so ``r = 1`` exactly in
  the weight-stable baseline and all leptin states stay at their initial values.
- Plasma leptin is algebraic; the meal/insulin entrainment ``D(t)`` (diurnal rhythm, T25-T26) is
  not implemented: with the daily-rate inputs of the Hall model there is no meal clock.
- ``S0`` is the signal of the initial fat mass at *full* sensitivity (sigma = 1). A resistance
  component feeding ``leptin_receptor_inhibition`` should start at 0; an inhibition present at
  t = 0 acts as a hunger drive from the start.
- Adaptive thermogenesis keeps Hall's state ``AT`` and time constant ``tau_AT`` (14 d, spec 4.3);
  only its target ``AT_drive`` is replaced, so Hall's ``beta_AT`` is unused in this coupling.
- A fall of the fast factor E lowers the signal, so fasting raises hunger and lowers AT's target
  (w = 1); no quantitative human target was found for this (spec, UNVERIFIED item 21).
- The crosstalk to hepatic insulin action reads ``S_slow`` (fat mass and sensitivity), not E:
  keeping leptin at fed levels through a 72-h fast left the fasting changes of fuel utilisation
  unchanged in healthy men (Chan 2003, JCI 111:1409, abstract: they "may be independent of
  leptin in humans"), while a 52-h fast lowers glucose and insulin (Boden 1996). Driven by E, the
  crosstalk made every long fast raise fasting insulin and glucose (hepatic insulin sensitivity
  0.88 after 52 h), the wrong direction.

:func:`ad_libitum_eating` closes the loop: it defines ``energy_intake = EI0*appetite_factor +
intake_offset`` (smoothly kept >= 0) and ``carb_intake = carb_frac0*energy_intake``, which then
feed the Hall inputs by the Model's connection rule.
"""

from __future__ import annotations

import sympy as sp

from ..model import Component, Derived, Output, Quantity, sym

MIN_PER_DAY = 1440.0
MIN_PER_H = 60.0
#: width of the smooth min/max/softplus/switch (spec 4.2 item 2: "width ~ 0.02")
SMOOTH_W = 0.02
#: width [kcal/day] of the smooth floor at 0 of the ad-libitum intake with a voluntary offset
INTAKE_FLOOR_W = 10.0
#: lower limit of the leptin sensitivity (keeps ln(S/S0) finite at full inhibition)
SIGMA_FLOOR = 0.01


def _absx(x: sp.Expr) -> sp.Expr:
    return sp.Max(x, -x)


def softplus(x: sp.Expr, w: float = SMOOTH_W) -> sp.Expr:
    """Smooth max(x, 0): ``w*log(1 + exp(x/w))``, written without overflow."""
    return sp.Max(x, 0) + w * sp.log(1 + sp.exp(-_absx(x) / w))


def smooth_min(a: sp.Expr, b: sp.Expr, w: float = SMOOTH_W) -> sp.Expr:
    """Smooth min(a, b) = a - softplus(a - b)."""
    return a - softplus(a - b, w)


def smooth_max(a: sp.Expr, b: sp.Expr, w: float = SMOOTH_W) -> sp.Expr:
    """Smooth max(a, b) = a + softplus(b - a)."""
    return a + softplus(b - a, w)


def ramp(x: sp.Expr, h: float = 2 * SMOOTH_W) -> sp.Expr:
    """C1 ramp max(x, 0) rounded on [-h/2, h/2]: exactly 0 below and exactly x above it."""
    return sp.Piecewise(
        (sp.Integer(0), x <= -h / 2), ((x + h / 2) ** 2 / (2 * h), x < h / 2), (x, True)
    )


def sigmoid(x: sp.Expr, w: float = SMOOTH_W) -> sp.Expr:
    """Logistic 1/(1 + exp(-x/w)), written without overflow."""
    return sp.exp(sp.Min(x, 0) / w) / (1 + sp.exp(-_absx(x) / w))


#: Primary parameters (values in the ``leptin_appetite`` parameter set).
PARAMETERS = (
    Quantity("leptin_a_male", "ng/mL", "set leptin of men at FM_ref"),
    Quantity("leptin_a_female", "ng/mL", "set leptin of women at FM_ref"),
    Quantity("leptin_FM_ref", "kg", "reference fat mass of the set level"),
    Quantity("leptin_b", "1", "exponent of fat mass in the set level"),
    Quantity("leptin_f_age60", "1", "factor on the set level above 60 years of age"),
    Quantity("leptin_measured", "ng/mL", "measured baseline leptin (0 = not measured)"),
    Quantity("leptin_tau_r", "h", "time constant of each stage of the energy-availability filter"),
    Quantity("leptin_tau_fall", "h", "time constant of a fall of the fast factor"),
    Quantity("leptin_tau_rise", "h", "time constant of a rise of the fast factor"),
    Quantity("leptin_E_min", "1", "fast factor at zero energy availability"),
    Quantity("leptin_r_d", "1", "energy availability below which the fast factor falls"),
    Quantity("leptin_k_over", "1", "rise of the fast factor per unit overfeeding"),
    Quantity("leptin_E_max", "1", "maximal fast factor"),
    Quantity("leptin_w", "1", "exponent of the fast factor in the hypothalamic signal"),
    Quantity("g_P", "kcal/day/kg", "appetite gain: extra intake per kg of weight lost"),
    Quantity("a_P", "kcal/day/kg", "adaptive thermogenesis per kg of weight lost"),
    Quantity("appetite_max", "1", "maximal ad-libitum intake / EI0 (satiety ceiling)"),
    Quantity("leptin_CL", "mL/kg/min", "plasma leptin clearance"),
)


def leptin_appetite() -> Component:
    """Leptin set level, fast energy-balance factor, hypothalamic signal, hunger and AT target."""
    Fat, F0, EI0 = sym("Fat"), sym("F0"), sym("EI0")
    is_male, age, forbes, BWt = sym("is_male"), sym("age_yr"), sym("forbes_const"), sym("BW_t")
    EI, U, inh = sym("energy_intake"), sym("energy_loss"), sym("leptin_receptor_inhibition")
    r1, r2, E = sym("lep_r1"), sym("lep_r2"), sym("lep_E")
    (a_m, a_f, FMref, b, f60, Lmeas, tau_r, tau_fall, tau_rise) = (
        sym(q.name) for q in PARAMETERS[:9]
    )
    E_min, r_d, k_over, E_max, w, g_P, a_P, k_max, CL = (sym(q.name) for q in PARAMETERS[9:])

    r, Estar = sym("leptin_energy_availability"), sym("leptin_fast_target")
    Lset, Lp, sigma = sym("leptin_set"), sym("leptin"), sym("leptin_sensitivity")
    signal, H, app = sym("leptin_signal"), sym("hunger_drive"), sym("appetite_factor")

    def f(x: sp.Expr) -> sp.Expr:
        xs = ramp(x) / r_d
        return E_min + (1 - E_min) * (xs - ramp(xs - 1)) + k_over * ramp(x - 1 - SMOOTH_W)

    f_age = sp.Piecewise((f60, age > 60), (1.0, True))
    a_sex = is_male * a_m + (1 - is_male) * a_f
    a_eff = sp.Piecewise((Lmeas / ((F0 / FMref) ** b * f_age), Lmeas > 0), (a_sex, True))
    g_ei = g_P * (F0 + forbes) / b
    a_at = a_P * (F0 + forbes) / b
    rate = 1 / tau_rise + (1 / tau_fall - 1 / tau_rise) * sigmoid(E - Estar)
    derived = (
        Derived("leptin_energy_availability", (EI - U) / EI0, "1", "energy availability r"),
        Derived(
            "leptin_fast_target",
            smooth_min(f(r2) - f(sp.Integer(1)) + 1, E_max),
            "1",
            "steady-state fast factor E* at the filtered availability r2",
        ),
        Derived(
            "leptin_fast_factor",
            E / sym("leptin_E_habitual"),
            "1",
            "fast energy-balance factor of plasma leptin, E / its habitual daily mean",
        ),
        Derived(
            "leptin_set",
            a_eff * (Fat / FMref) ** b * f_age,
            "ng/mL",
            "fat-mass-dependent (set) leptin level",
        ),
        Derived("leptin", Lset * sym("leptin_fast_factor"), "ng/mL", "plasma leptin"),
        Derived(
            "leptin_sensitivity",
            smooth_max(1 - inh, SIGMA_FLOOR),
            "1",
            "hypothalamic leptin sensitivity sigma = 1 - receptor inhibition",
        ),
        Derived(
            "leptin_signal",
            sigma * (Fat / F0) ** b * sym("leptin_fast_factor") ** w,
            "1",
            "hypothalamic leptin signal relative to its baseline S/S0",
        ),
        Derived(
            "leptin_signal_slow",
            sigma * (Fat / F0) ** b,
            "1",
            "fat-mass leptin signal S/S0 without the fast factor (JAK2 -> IRS-2 crosstalk)",
        ),
        Derived("hunger_drive", -g_ei * sp.log(signal), "kcal/day", "hunger drive H"),
        Derived(
            "appetite_factor",
            softplus(smooth_min(1 + H / EI0, k_max)),
            "1",
            "ad-libitum energy intake / EI0",
        ),
        Derived(
            "AT_drive",
            a_at * sp.log(signal),
            "kcal/day",
            "target of adaptive thermogenesis (leptin signal)",
        ),
        Derived("leptin_production", CL * BWt * Lp, "ng/min", "whole-body leptin production"),
    )
    return Component(
        name="leptin and appetite",
        description="plasma leptin from fat mass and energy availability; hypothalamic leptin "
        "signal driving hunger and adaptive thermogenesis",
        citations=(
            "Hickey1996",
            "Kennedy1997",
            "Klein1996",
            "Boden1996",
            "Chan2003",
            "Weigle1997",
            "Polidori2016",
            "Leibel1995",
            "Rosenbaum2005",
        ),
        states=(
            Quantity("lep_r1", "1", "energy availability, first low-pass stage"),
            Quantity("lep_r2", "1", "energy availability, second low-pass stage"),
            Quantity("lep_E", "1", "fast energy-balance factor E of plasma leptin"),
        ),
        parameters=(
            *PARAMETERS,
            Quantity("leptin_E_habitual", "1", "daily mean fast factor on habitual eating"),
        ),
        inputs=(
            Quantity("energy_intake", "kcal/day", "total energy intake"),
            Quantity("energy_loss", "kcal/day", "energy lost unused (urinary glucose)"),
            Quantity(
                "leptin_receptor_inhibition",
                "1",
                "fraction of hypothalamic leptin-receptor signalling blocked (SOCS3, ER stress)",
            ),
        ),
        derived=derived,
        rhs={
            "lep_r1": (r - r1) / (tau_r * MIN_PER_H),
            "lep_r2": (r1 - r2) / (tau_r * MIN_PER_H),
            "lep_E": (Estar - E) * rate / MIN_PER_H,
        },
        initial={"lep_r1": 1.0, "lep_r2": 1.0, "lep_E": sym("leptin_E_habitual")},
        outputs=(
            Output("Plasma leptin [ng/mL]", Lp, "plasma leptin L = L_set * E"),
            Output("Leptin set level [ng/mL]", Lset, "fat-mass-dependent leptin level"),
            Output("Leptin fast factor [1]", E, "energy-balance factor E"),
            Output("Hypothalamic leptin signal [1]", signal, "S/S0"),
            Output("Leptin sensitivity [1]", sigma, "1 - receptor inhibition"),
            Output("Hunger drive [kcal/day]", H, "extra ad-libitum intake wanted"),
            Output("Appetite factor [1]", app, "ad-libitum intake / EI0"),
            Output("Leptin production [ng/min]", sym("leptin_production"), "CL * BW * L"),
        ),
        replaces=("AT_drive",),
    )


def ad_libitum_eating() -> Component:
    """Ad-libitum eating: intake follows the appetite factor (plus a voluntary offset)."""
    EI0, app, off, c0 = sym("EI0"), sym("appetite_factor"), sym("intake_offset"), sym("carb_frac0")
    ei = sym("energy_intake")
    return Component(
        name="ad libitum eating",
        description="energy intake = EI0 * appetite factor + voluntary offset",
        citations=("Polidori2016",),
        inputs=(
            Quantity(
                "intake_offset",
                "kcal/day",
                "voluntary change of intake from the ad-libitum level (restriction < 0)",
            ),
        ),
        derived=(
            Derived(
                "energy_intake",
                softplus(EI0 * app + off, INTAKE_FLOOR_W),
                "kcal/day",
                "ad-libitum energy intake",
            ),
            Derived("carb_intake", c0 * ei, "kcal/day", "carbohydrate intake (baseline fraction)"),
        ),
        outputs=(Output("Energy intake rate [kcal/day]", ei, "ad-libitum energy intake"),),
    )


__all__ = ["ad_libitum_eating", "leptin_appetite"]
