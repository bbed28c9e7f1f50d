"""Adult body weight and composition: Hall et al. 2011 (Lancet 378:826, web appendix).

Five physiological states on a days-to-years scale (spec:
``docs/research/hall2011-body-composition.md``, sections 1-2; equations in our notation,
constants from the ``bw`` implementation, see the ``hall2011`` parameter set):

- ``Fat`` [kg] fat mass F,
- ``Lean`` [kg] "lean" mass L *excluding* extracellular fluid and glycogen with its water (not FFM),
- ``Gly`` [kg] glycogen G (each kg is stored with 2.7 kg water: factor ``gly_hydration`` = 3.7),
- ``ECF`` [kg] extracellular fluid,
- ``AT`` [kcal/day] adaptive thermogenesis relative to baseline,

plus two bookkeeping states, ``EI_cum`` and ``EE_cum`` [kcal]: cumulative energy intake and
expenditure (for the energy-conservation check).

Equations (per **day**; t in days)::

    BW   = F + L + ECF + hyd*G
    EE   = K + gF*F + gL*L + delta*BW + bTEF*(EI - EI0) + AT + eF*F' + eL*L' + activity_ee
    rG*G' = CI - U_gly - kG*G^2                                 (glycogen; kG = CIb/G0^2)
    net  = EI - U - K - gF*F - gL*L - delta*BW - bTEF*(EI - EI0) - AT - activity_ee - rG*G'
    Lf'  = (C/rL) * net / (C*(1 + eL/rL) + F*(1 + eF/rF)),    C = 10.4 kg * rL/rF  (Forbes)
    L'   = Lf' + q
    F'   = F*rL/(rF*C) * Lf' - (rL + eL)/(rF + eF) * q          (so dL/dF = 10.4/F when q = 0)
    [Na]*ECF' = dNa - zNa*(ECF - ECF0) - zCI*(1 - CI/CIb)
    AT'  = (AT_drive - AT) / tauAT,   AT_drive = bAT*(EI - EI0)

which gives ``EI - U - EE = rF*F' + rL*L' + rG*G'`` exactly (energy balance) for any ``q``. The
glycogen energy term is the energy-consistent (``rG*G'``) form of spec section 2.8.

Coupling inputs (all 0 when the component runs alone, so it is then Hall's model exactly):

- ``energy_loss`` U [kcal/day]: energy that leaves unused (urinary glucose in the coupled model).
- ``glycogen_use`` U_gly [kcal/day]: glycogen oxidised by exercise (its energy is part of
  ``activity_ee``, so it is drawn from the glycogen store rather than from fat and lean).
- ``lean_repartition`` q [kg/day]: lean mass gained at the expense of fat at equal net energy
  (strength training); the factor (rL + eL)/(rF + eF) keeps (rF + eF)F' + (rL + eL)L' = net.
- ``AT_drive`` is a derived quantity that another component may replace (the leptin component
  drives adaptive thermogenesis by the hypothalamic leptin signal instead of the intake change).

Units and time: the simulation engine integrates in **minutes**, so every right-hand side here is
the per-day rate divided by 1440 min/day. States, parameters and inputs keep per-day units
(kcal/day, mg/day, ...).

Inputs (piecewise-constant signals of a :class:`~endotwin.schedule.Schedule`):

- ``energy_intake`` [kcal/day]: *total* energy intake EI. There is no implicit default: an input
  not given in the schedule is 0, i.e. fasting. Use :func:`intake_schedule` (and
  :func:`baseline_intake` for the person's maintenance intake EI0).
- ``carb_intake`` [kcal/day]: *total* carbohydrate intake CI, in energy units as in Hall's
  model (1 g carbohydrate = 4 kcal, Atwater, if converting from grams). The baseline is
  ``CIb = carb_frac0 * EI0``; :func:`intake_schedule` sets ``CI = carb_fraction * EI``.
- ``sodium_intake_change`` [mg/day]: change of dietary sodium from the person's habitual intake
  (Hall's ECF equation uses only the change; default 0 = habitual).
- ``activity_ee`` [kcal/day]: extra physical-activity expenditure above the baseline activity
  (which is inside ``PAL``). Default 0. It adds to EE directly; as in Hall's model it does not
  drive adaptive thermogenesis. Exercise bouts of the meal-level model will feed it later.

Baseline: the person is in energy balance at ``EI0 = PAL * RMR`` (Mifflin-St Jeor RMR, computed
once from the baseline covariates). If ``EI_base`` > 0 is given, it replaces EI0 as the intake
reference (TEF, AT, CIb), while K still balances ``PAL * RMR``, as in bw (spec section 5,
"Given EI0 != PAL*RMR").
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from ..model import Array, Component, Derived, Output, Quantity, sym
from ..schedule import Schedule

MIN_PER_DAY = 1440.0

#: Primary parameters of this component (constants, then covariates).
CONSTANTS = (
    Quantity("rho_F", "kcal/kg", "energy density of fat mass"),
    Quantity("rho_L", "kcal/kg", "energy density of lean mass"),
    Quantity("rho_G", "kcal/kg", "energy density of glycogen"),
    Quantity("gamma_F", "kcal/kg/day", "maintenance cost of fat mass"),
    Quantity("gamma_L", "kcal/kg/day", "maintenance cost of lean mass"),
    Quantity("eta_F", "kcal/kg", "cost of fat deposition/turnover"),
    Quantity("eta_L", "kcal/kg", "cost of lean deposition/turnover"),
    Quantity("beta_TEF", "1", "thermic effect of feeding per unit intake change"),
    Quantity("beta_AT", "1", "adaptive thermogenesis per unit intake change"),
    Quantity("tau_AT", "day", "time constant of adaptive thermogenesis"),
    Quantity("forbes_const", "kg", "Forbes constant (dL/dF = forbes_const/F)"),
    Quantity("Gly0", "kg", "baseline glycogen"),
    Quantity("gly_hydration", "kg/kg", "mass of glycogen + water per kg glycogen"),
    Quantity("Na_conc", "mg/L", "extracellular sodium concentration"),
    Quantity("zeta_Na", "mg/L/day", "renal sodium-excretion response to ECF change"),
    Quantity("zeta_CI", "mg/day", "sodium-excretion response to carbohydrate change"),
    Quantity("mifflin_bw", "kcal/day/kg", "Mifflin-St Jeor weight coefficient"),
    Quantity("mifflin_ht", "kcal/day/cm", "Mifflin-St Jeor height coefficient"),
    Quantity("mifflin_age", "kcal/day/yr", "Mifflin-St Jeor age coefficient (subtracted)"),
    Quantity("mifflin_male", "kcal/day", "Mifflin-St Jeor constant, men"),
    Quantity("mifflin_female", "kcal/day", "Mifflin-St Jeor constant, women"),
    Quantity("bf_age", "%/yr", "body-fat equation: age coefficient"),
    Quantity("bf_lnbmi_male", "%", "body-fat equation: ln(BMI) coefficient, men"),
    Quantity("bf_int_male", "%", "body-fat equation: intercept, men"),
    Quantity("bf_lnbmi_female", "%", "body-fat equation: ln(BMI) coefficient, women"),
    Quantity("bf_int_female", "%", "body-fat equation: intercept, women"),
    Quantity("ecf_age_male", "kg/yr", "ECF equation (men): age coefficient"),
    Quantity("ecf_ht_male", "kg/m", "ECF equation (men): height coefficient"),
    Quantity("ecf_bw_male", "kg/kg", "ECF equation (men): weight coefficient"),
    Quantity("ecf_int_male", "kg", "ECF equation (men): intercept"),
    Quantity("ecf_ht_female", "kg/m", "ECF equation (women): height coefficient"),
    Quantity("ecf_bw_female", "kg/kg", "ECF equation (women): weight coefficient"),
    Quantity("ecf_int_female", "kg", "ECF equation (women): intercept"),
)
COVARIATES = (
    Quantity("BW", "kg", "baseline body weight"),
    Quantity("height_cm", "cm", "height"),
    Quantity("age_yr", "yr", "age at baseline"),
    Quantity("is_male", "1", "sex: 1 = male, 0 = female"),
    Quantity("body_fat_pct", "%", "measured baseline body fat; 0 = estimate from BMI, age, sex"),
    Quantity("PAL", "1", "physical activity level (baseline EE / RMR)"),
    Quantity("carb_frac0", "1", "carbohydrate fraction of baseline energy intake"),
    Quantity("EI_base", "kcal/day", "baseline energy intake; 0 = energy balance PAL*RMR"),
)
DERIVED_PARAMETERS = (
    Quantity("RMR", "kcal/day", "baseline resting metabolic rate (Mifflin-St Jeor)"),
    Quantity("EI0", "kcal/day", "baseline energy intake (reference of TEF, AT and CIb)"),
    Quantity("F0", "kg", "baseline fat mass"),
    Quantity("ECF0", "kg", "baseline extracellular fluid"),
    Quantity("L0", "kg", "baseline lean mass (BW - ECF0 - F0 - hydration*Gly0)"),
    Quantity("delta_PA", "kcal/kg/day", "physical-activity cost per kg body weight"),
    Quantity("K_EE", "kcal/day", "constant of the expenditure equation (EE(0) = PAL*RMR)"),
    Quantity("CIb", "kcal/day", "baseline carbohydrate intake"),
    Quantity("kG", "kcal/day/kg^2", "glycogen utilisation constant (CIb/Gly0^2)"),
    Quantity("C_forbes", "kg", "forbes_const * rho_L/rho_F"),
)


def _check(field: str, v: Array, lo: float, hi: float, unit: str) -> None:
    bad = ~np.isfinite(v) | (v < lo) | (v > hi)
    if np.any(bad):
        raise InputError(field, float(v[np.argmax(bad)]), f"[{lo:g}, {hi:g}] {unit}")


def _derive(p: dict[str, Array]) -> dict[str, Array]:
    """Baseline state and energy constants from the covariates (vectorised over people)."""
    bw, ht_cm, age = p["BW"], p["height_cm"], p["age_yr"]
    male = p["is_male"]
    _check("BW", bw, 25.0, 350.0, "kg")
    _check("height_cm", ht_cm, 100.0, 250.0, "cm")
    _check("age_yr", age, 18.0, 110.0, "years (the adult model)")
    if np.any((male != 0.0) & (male != 1.0)):
        bad = male[(male != 0.0) & (male != 1.0)][0]
        raise InputError("is_male", float(bad), "0 (female) or 1 (male)")
    _check("PAL", p["PAL"], 1.0, 3.0, "(baseline EE / RMR)")
    _check("carb_frac0", p["carb_frac0"], 0.01, 1.0, "(fraction of energy)")
    bf_given = np.nan_to_num(p["body_fat_pct"], nan=0.0)
    _check("body_fat_pct", bf_given, 0.0, 70.0, "% (0 = estimate from BMI, age and sex)")
    ei_given = np.nan_to_num(p["EI_base"], nan=0.0)
    _check("EI_base", ei_given, 0.0, 10000.0, "kcal/day (0 = energy balance PAL*RMR)")
    ht_m = ht_cm / 100.0
    is_m = male == 1.0
    rmr = (
        p["mifflin_bw"] * bw
        + p["mifflin_ht"] * ht_cm
        - p["mifflin_age"] * age
        + np.where(is_m, p["mifflin_male"], p["mifflin_female"])
    )
    bmi = bw / ht_m**2
    bf_eq = (
        p["bf_age"] * age
        + np.where(is_m, p["bf_lnbmi_male"], p["bf_lnbmi_female"]) * np.log(bmi)
        + np.where(is_m, p["bf_int_male"], p["bf_int_female"])
    )
    bf = np.where(bf_given > 0.0, bf_given, bf_eq)
    if np.any(bf <= 0.0):
        i = int(np.argmax(bf <= 0.0))
        raise InputError(
            "body_fat_pct",
            float(np.broadcast_to(bf, bw.shape)[i] if bf.ndim else bf),
            "a positive body-fat percentage",
            "The body-fat equation (age, BMI, sex) gives no fat for this person; "
            "give a measured body_fat_pct.",
        )
    f0 = bw * bf / 100.0
    ecf0 = np.where(
        is_m,
        p["ecf_age_male"] * age
        + p["ecf_ht_male"] * ht_m
        + p["ecf_bw_male"] * bw
        + p["ecf_int_male"],
        p["ecf_ht_female"] * ht_m + p["ecf_bw_female"] * bw + p["ecf_int_female"],
    )
    l0 = bw - ecf0 - f0 - p["gly_hydration"] * p["Gly0"]
    if np.any(l0 <= 0.0):
        raise InputError(
            "body_fat_pct",
            float(np.broadcast_to(bf, l0.shape)[int(np.argmax(l0 <= 0.0))]),
            "a body fat that leaves positive lean mass (BW - ECF - fat - glycogen > 0)",
        )
    pal_rmr = p["PAL"] * rmr
    ei0 = np.where(ei_given > 0.0, ei_given, pal_rmr)
    delta = ((1.0 - p["beta_TEF"]) * p["PAL"] - 1.0) * rmr / bw
    k = pal_rmr - p["gamma_L"] * l0 - p["gamma_F"] * f0 - delta * bw
    cib = p["carb_frac0"] * ei0
    return {
        "RMR": rmr,
        "EI0": ei0,
        "F0": f0,
        "ECF0": ecf0,
        "L0": l0,
        "delta_PA": delta,
        "K_EE": k,
        "CIb": cib,
        "kG": cib / p["Gly0"] ** 2,
        "C_forbes": p["forbes_const"] * p["rho_L"] / p["rho_F"],
    }


def body_composition() -> Component:
    """The Hall et al. 2011 adult body-composition component (rates per minute)."""
    # states
    Fat, Lean, Gly, ECF, AT = (sym(n) for n in ("Fat", "Lean", "Gly", "ECF", "AT"))
    # inputs
    EI, CI, dNa, act = (
        sym(n) for n in ("energy_intake", "carb_intake", "sodium_intake_change", "activity_ee")
    )
    loss, gly_use, q_lean = (sym(n) for n in ("energy_loss", "glycogen_use", "lean_repartition"))
    # constants
    (rho_F, rho_L, rho_G, gamma_F, gamma_L, eta_F, eta_L) = (
        sym(n) for n in ("rho_F", "rho_L", "rho_G", "gamma_F", "gamma_L", "eta_F", "eta_L")
    )
    beta_TEF, beta_AT, tau_AT, hyd = (
        sym(n) for n in ("beta_TEF", "beta_AT", "tau_AT", "gly_hydration")
    )
    Na_conc, zeta_Na, zeta_CI = sym("Na_conc"), sym("zeta_Na"), sym("zeta_CI")
    # derived parameters
    EI0, K_EE, delta_PA, CIb, kG, C_forbes, ECF0, F0, L0, Gly0 = (
        sym(n)
        for n in ("EI0", "K_EE", "delta_PA", "CIb", "kG", "C_forbes", "ECF0", "F0", "L0", "Gly0")
    )
    BWt, EE, TEF, dG_day, net = (sym(n) for n in ("BW_t", "EE", "TEF", "dGly_day", "net_energy"))
    dL_day, dF_day = sym("dLean_day"), sym("dFat_day")
    d = MIN_PER_DAY
    dEI = EI - EI0
    derived = (
        Derived("BW_t", Fat + Lean + ECF + hyd * Gly, "kg", "body weight"),
        Derived("TEF", beta_TEF * dEI, "kcal/day", "thermic effect of the intake change"),
        Derived("dGly_day", (CI - gly_use - kG * Gly**2) / rho_G, "kg/day", "glycogen rate"),
        Derived(
            "net_energy",
            EI
            - loss
            - K_EE
            - gamma_F * Fat
            - gamma_L * Lean
            - delta_PA * BWt
            - TEF
            - AT
            - act
            - rho_G * dG_day,
            "kcal/day",
            "energy available for fat and lean change (incl. deposition costs)",
        ),
        Derived(
            "dLean_forbes",
            C_forbes / rho_L * net / (C_forbes * (1 + eta_L / rho_L) + Fat * (1 + eta_F / rho_F)),
            "kg/day",
            "lean-mass rate from the Forbes partition of the net energy",
        ),
        Derived("dLean_day", sym("dLean_forbes") + q_lean, "kg/day", "lean-mass rate"),
        Derived(
            "dFat_day",
            Fat * rho_L / (rho_F * C_forbes) * sym("dLean_forbes")
            - (rho_L + eta_L) / (rho_F + eta_F) * q_lean,
            "kg/day",
            "fat rate (Forbes partition; a lean repartition is paid for by fat)",
        ),
        Derived("AT_drive", beta_AT * dEI, "kcal/day", "target of adaptive thermogenesis"),
        Derived(
            "EE",
            K_EE
            + gamma_F * Fat
            + gamma_L * Lean
            + delta_PA * BWt
            + TEF
            + AT
            + eta_F * dF_day
            + eta_L * dL_day
            + act,
            "kcal/day",
            "total energy expenditure",
        ),
    )
    stored = rho_F * (Fat - F0) + rho_L * (Lean - L0) + rho_G * (Gly - Gly0)
    return Component(
        name="body composition",
        description="adult body weight and composition (fat, lean, glycogen, ECF, adaptive "
        "thermogenesis) from energy balance",
        citations=("Hall2011", "ChowHall2008", "MifflinStJeor1990", "Forbes1987"),
        states=(
            Quantity("Fat", "kg", "fat mass"),
            Quantity("Lean", "kg", "lean mass excluding ECF and glycogen with its water"),
            Quantity("Gly", "kg", "glycogen (water stored with it counted in body weight)"),
            Quantity("ECF", "kg", "extracellular fluid"),
            Quantity("AT", "kcal/day", "adaptive thermogenesis relative to baseline"),
            Quantity("EI_cum", "kcal", "cumulative energy intake"),
            Quantity("EE_cum", "kcal", "cumulative energy expenditure"),
            Quantity("Loss_cum", "kcal", "cumulative energy lost unused (urinary glucose)"),
        ),
        parameters=CONSTANTS + COVARIATES,
        derived_parameters=DERIVED_PARAMETERS,
        inputs=(
            Quantity("energy_intake", "kcal/day", "total energy intake"),
            Quantity("carb_intake", "kcal/day", "total carbohydrate intake (energy units)"),
            Quantity("sodium_intake_change", "mg/day", "change of sodium intake from habitual"),
            Quantity("activity_ee", "kcal/day", "extra physical-activity energy expenditure"),
            Quantity("energy_loss", "kcal/day", "energy lost unused (urinary glucose)"),
            Quantity("glycogen_use", "kcal/day", "glycogen oxidised by exercise"),
            Quantity("lean_repartition", "kg/day", "lean gain paid for by fat (training)"),
        ),
        derived=derived,
        rhs={
            "Fat": dF_day / d,
            "Lean": dL_day / d,
            "Gly": dG_day / d,
            "ECF": (dNa - zeta_Na * (ECF - ECF0) - zeta_CI * (1 - CI / CIb)) / Na_conc / d,
            "AT": (sym("AT_drive") - AT) / tau_AT / d,
            "EI_cum": EI / d,
            "EE_cum": EE / d,
            "Loss_cum": loss / d,
        },
        initial={
            "Fat": F0,
            "Lean": L0,
            "Gly": Gly0,
            "ECF": ECF0,
            "AT": 0.0,
            "EI_cum": 0.0,
            "EE_cum": 0.0,
            "Loss_cum": 0.0,
        },
        outputs=(
            Output("Body weight [kg]", BWt, "Fat + Lean + ECF + 3.7*Glycogen"),
            Output("Fat mass [kg]", Fat, "fat mass"),
            Output("Lean mass [kg]", Lean, "lean mass excluding ECF and glycogen with water"),
            Output("Glycogen [kg]", Gly, "glycogen"),
            Output("Extracellular fluid [kg]", ECF, "extracellular fluid"),
            Output("Adaptive thermogenesis [kcal/day]", AT, "relative to baseline"),
            Output("Energy expenditure [kcal/day]", EE, "total energy expenditure"),
            Output(
                "Stored energy [kcal]", stored, "rho_F*F + rho_L*L + rho_G*G relative to baseline"
            ),
            Output("Energy intake [kcal]", sym("EI_cum"), "cumulative energy intake"),
            Output("Energy expended [kcal]", sym("EE_cum"), "cumulative energy expenditure"),
            Output("Energy lost [kcal]", sym("Loss_cum"), "cumulative urinary energy loss"),
        ),
        derive=_derive,
    )


def baseline_intake(model, parameter_values) -> np.ndarray:
    """The baseline (maintenance) energy intake EI0 [kcal/day] of each person."""
    return model.derive_parameters(parameter_values)["EI0"]


def intake_schedule(
    energy_intake: float | list[tuple[float, float]],
    carb_fraction: float = 0.5,
    sodium_change: float | list[tuple[float, float]] = 0.0,
    activity_ee: float | list[tuple[float, float]] = 0.0,
) -> Schedule:
    """A schedule of daily intake for the body-composition model.

    Each argument is a constant or change points ``[(day, value), ...]`` (time in **days**;
    converted to minutes). Carbohydrate intake is ``carb_fraction * energy_intake`` [kcal/day].
    """

    def pts(v: float | list[tuple[float, float]], scale: float = 1.0) -> list[tuple[float, float]]:
        if isinstance(v, int | float):
            return [(0.0, float(v) * scale)]
        return [(float(t) * MIN_PER_DAY, float(x) * scale) for t, x in v]

    if not (0.0 <= carb_fraction <= 1.0):
        raise InputError("carb_fraction", carb_fraction, "[0, 1]")
    return Schedule(
        signals={
            "energy_intake": pts(energy_intake),
            "carb_intake": pts(energy_intake, carb_fraction),
            "sodium_intake_change": pts(sodium_change),
            "activity_ee": pts(activity_ee),
        }
    )


__all__ = ["baseline_intake", "body_composition", "intake_schedule"]
