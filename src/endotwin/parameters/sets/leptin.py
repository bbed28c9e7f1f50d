"""Leptin-appetite component (:mod:`endotwin.components.leptin`): parameter set ``leptin_appetite``.

Values from ``docs/research/leptin-appetite.md`` section 4.3, each with the source read there
(table or abstract) or, for a value to calibrate, the section-5 target it was checked or fitted
against (``tests/test_leptin.py`` prints the measured values). Person covariates (sex, age, body
weight, fat) come from the ``hall2011`` set; this set has no sex parameter (``is_male`` 0/1 picks
the set level). Adaptive thermogenesis uses Hall's ``tau_AT`` (14 d, spec 4.3), which is not
repeated here.

Bounds: the calibration range named in the spec where there is one; otherwise a documented rule,
[0.5x, 2x] of the value (time constants [0.25x, 4x]), fractions kept in [0, 1].
"""

from __future__ import annotations

from ..parameter_set import Parameter, ParameterSet, register_parameter_set

_SPEC = "docs/research/leptin-appetite.md"
_RULE = "[0.5x, 2x] of the value (leptin set module docstring)"
_RULE_T = "[0.25x, 4x] of the time constant (leptin set module docstring)"

CITATIONS: tuple[str, ...] = (
    "Hickey1996",
    "Kennedy1997",
    "BarKarin2023",
    "NagyDavies1998",
    "VanRossum2000",
    "Ostlund1996",
    "Klein1996",
    "Boden1996",
    "Weigle1997",
    "Kolaczynski1996",
    "Grinspoon1997",
    "Dubuc1998",
    "Polidori2016",
    "Leibel1995",
    "Fothergill2016",
    "Dirlewanger2000",
)


def leptin_parameters() -> dict[str, Parameter]:
    """Every parameter of the leptin-appetite component."""
    p = [
        Parameter(
            "leptin_a_male",
            6.9,
            "ng/mL",
            3.45,
            13.8,
            "Hickey et al. 1996 Biochem Mol Med (abstract): men 6.9 +/- 0.3 ng/mL at FM "
            "20.5 kg (spec table 1.1; 4.3)",
            "set leptin level of men at FM_ref",
            "Hickey1996",
            bounds_source=_RULE,
        ),
        Parameter(
            "leptin_a_female",
            15.2,
            "ng/mL",
            7.6,
            30.4,
            "Hickey et al. 1996 Biochem Mol Med (abstract): women 15.2 +/- 1.3 ng/mL at FM "
            "20.4 kg (spec table 1.1; 4.3)",
            "set leptin level of women at FM_ref",
            "Hickey1996",
            bounds_source=_RULE,
        ),
        Parameter(
            "leptin_FM_ref",
            20.5,
            "kg",
            10.25,
            41.0,
            "Hickey et al. 1996 (mean FM of the men, 20.5 kg; women 20.4 kg)",
            "reference fat mass of the set level",
            "Hickey1996",
            bounds_source=_RULE,
        ),
        Parameter(
            "leptin_b",
            2.0,
            "1",
            1.0,
            2.7,
            "Bar et al. 2023 iScience 26:106047 Fig. 5A (quadratic leptin-fat relation); checked "
            "against targets T3/T4 (Kennedy 1997 equations), T17 (van Rossum 2000), T18 (Nagy "
            "1998)",
            "exponent of fat mass in the set level",
            "BarKarin2023",
            bounds_source=f"{_SPEC} 1 and 4.3: 1.1 (van Rossum 2000) to 2.7 (Nagy 1998)",
        ),
        Parameter(
            "leptin_f_age60",
            1.0,
            "1",
            0.4,
            1.0,
            "spec 4.3: f_age = 1 by default; Ostlund et al. 1996 report -53 % over 60 y "
            "(adjustment for fat and sex UNVERIFIED), so the effect is off by default",
            "factor on the set level above 60 years",
            "Ostlund1996",
            bounds_source="1 (off) down to 0.4 (Ostlund 1996: -53 %, with margin)",
        ),
        Parameter(
            "leptin_measured",
            0.0,
            "ng/mL",
            0.0,
            150.0,
            "covariate (person): measured fasting leptin at baseline in energy balance; "
            "0 = not measured (spec 4.2 item 3)",
            "measured baseline leptin (scales the set level)",
            "Hickey1996",
            bounds_source="0 (not given) to 150 ng/mL (Ostlund 1996 range 1.2-97.9, with margin)",
        ),
        Parameter(
            "leptin_tau_r",
            5.0,
            "h",
            1.25,
            20.0,
            "calibrated: target T9 (Weigle 1997: L >= 0.9 L0 within 12-24 h of refeeding) "
            "together with T10 (Kolaczynski 1996: L(12 h) >= 0.85 L0, nadir 30-40 h); spec 4.3 "
            "default 6 h gives 21-24 h",
            "time constant of each stage of the energy-availability filter",
            "Kolaczynski1996",
            bounds_source=_RULE_T,
        ),
        Parameter(
            "leptin_tau_fall",
            12.0,
            "h",
            3.0,
            48.0,
            "spec 4.3 default; checked against targets T6-T11 (Boden 1996 52 h, Weigle 1997 72 h, "
            "Kolaczynski 1996 36 h, Grinspoon 1997 96 h)",
            "time constant of a fall of the fast factor",
            "Boden1996",
            bounds_source=_RULE_T,
        ),
        Parameter(
            "leptin_tau_rise",
            2.0,
            "h",
            0.5,
            8.0,
            "calibrated: target T9 (Weigle 1997: L >= 0.9 L0 within 12 h of refeeding, "
            "tolerance 24 h; Kolaczynski 1996: 24 h); spec 4.3 default 4 h",
            "time constant of a rise of the fast factor",
            "Weigle1997",
            bounds_source=_RULE_T,
        ),
        Parameter(
            "leptin_E_min",
            0.42,
            "1",
            0.2,
            0.6,
            "calibrated: target T11 (Grinspoon 1997, 4-d fast L/L0 0.46, range 0.38-0.55; the "
            "spec 4.3 default 0.33 gives 0.31), keeping T6-T8 (Boden 1996 0.28-0.36 at 52 h, "
            "Weigle 1997 0.38 at 72 h) and T13 (Mars) within tolerance",
            "fast factor at zero energy availability",
            "Boden1996",
            bounds_source="spread of the fasting nadirs in spec table 2.1, with margin",
        ),
        Parameter(
            "leptin_r_d",
            0.85,
            "1",
            0.5,
            1.0,
            "spec 4.3: a 15 % deficit gives no fast fall (van Rossum 2000, target T17); checked "
            "against T12, T13, T15",
            "energy availability below which the fast factor falls",
            "VanRossum2000",
            bounds_source="0.5 to 1 (fraction of needs)",
        ),
        Parameter(
            "leptin_k_over",
            1.0,
            "1",
            0.0,
            3.0,
            "spec 4.3 default, to calibrate against T22 (Dirlewanger 2000, overfeeding size "
            "UNVERIFIED); not calibrated",
            "rise of the fast factor per unit of overfeeding (r - 1)",
            "Dirlewanger2000",
            bounds_source="0 (off) to 3x the default",
        ),
        Parameter(
            "leptin_E_max",
            1.5,
            "1",
            1.0,
            3.0,
            "spec 4.3 default (T22: +28 % after 3 d carbohydrate overfeeding, Dirlewanger 2000); "
            "not calibrated",
            "maximal fast factor",
            "Dirlewanger2000",
            bounds_source="1 (no rise) to 2x the default",
        ),
        Parameter(
            "leptin_w",
            1.0,
            "1",
            0.0,
            2.0,
            "spec 4.3 default; no quantitative human target for the post-fast intake response "
            "(spec section 6 item 21, UNVERIFIED)",
            "exponent of the fast factor in the hypothalamic signal",
            "Polidori2016",
            bounds_source="0 (fast factor not sensed) to 2x the default",
        ),
        Parameter(
            "g_P",
            100.0,
            "kcal/day/kg",
            50.0,
            200.0,
            "Polidori et al. 2016 Obesity 24:2289 (abstract: ~100 kcal/day per kg lost); "
            "checked against target T28",
            "appetite gain: extra ad-libitum intake per kg of weight lost (steady state)",
            "Polidori2016",
            bounds_source=_RULE,
        ),
        Parameter(
            "a_P",
            25.0,
            "kcal/day/kg",
            0.0,
            50.0,
            "spec 4.3: <= g_P/3 (Polidori 2016), Fothergill 2016 ~29 kcal/d/kg; checked against "
            "targets T30 and T31 (Leibel 1995)",
            "adaptive thermogenesis per kg of weight lost (steady state)",
            "Leibel1995",
            bounds_source="0 (off) to 2x the default",
        ),
        Parameter(
            "appetite_max",
            1.8,
            "1",
            1.0,
            3.0,
            "spec 4.3 default: satiety ceiling of Bar et al. 2023; human value UNVERIFIED; "
            "not calibrated",
            "maximal ad-libitum intake / EI0",
            "BarKarin2023",
            bounds_source="1 (no extra intake) to 3",
        ),
        Parameter(
            "leptin_CL",
            1.50,
            "mL/kg/min",
            0.75,
            3.0,
            "Klein et al. 1996 Diabetes 45:984 (abstract): clearance 1.50 +/- 0.23 mL/kg/min "
            "(target T27)",
            "plasma leptin clearance (for the production output)",
            "Klein1996",
            bounds_source=_RULE,
        ),
        Parameter(
            "leptin_E_habitual",
            1.0,
            "1",
            0.5,
            2.0,
            "computed per person: the daily mean of the fast factor E on the person's habitual "
            "eating (1 for a constant intake; with meals the filtered availability ripples and "
            "E's kinked target and faster rise than fall lift its mean above 1). "
            "endotwin.physiology.simulate_physiology sets it from a baseline run so that "
            "plasma leptin and the leptin signal are at baseline on an unchanged lifestyle "
            "(Weigle 1997: single meals do not change leptin)",
            "daily mean fast factor on habitual eating (normaliser)",
            "Weigle1997",
            bounds_source="0.5-2 (normaliser)",
        ),
    ]
    return {q.name: q for q in p}


@register_parameter_set("leptin_appetite")
def leptin_appetite() -> ParameterSet:
    """Leptin set level, fast energy-balance factor, hunger and adaptive-thermogenesis gains."""
    return ParameterSet(
        name="leptin_appetite",
        description="leptin-appetite component (set level, fast factor, hunger, AT)",
        parameters=leptin_parameters(),
        citations=CITATIONS,
        notes=(
            "Use together with the hall2011 set (covariates is_male, age_yr, BW, body fat).",
            "leptin_measured = 0 means 'not measured' (the sex-specific set level is used).",
        ),
    )
