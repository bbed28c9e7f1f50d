"""Hall et al. 2011 adult body-weight model (Lancet 378:826, appendix): constants, covariates.

Sources. The paper and its appendix give the energy constants in kJ/MJ; the values here are the
kcal versions used by the ``bw`` R package (INSP-RH/bw, ``src/adult_weight.cpp`` @ 7467fab,
``getParameters``, lines 235-256; the paper values x 0.23900573614 kcal/kJ), as collected in
``docs/research/hall2011-body-composition.md`` (section 2.7; sources table section 0). The
baseline regressions (Mifflin-St Jeor RMR, the body-fat equation, the ECF equation) are the ones
``bw`` uses (spec section 1).

Covariates. ``BW`` (baseline weight [kg], the same name as the meal model's body weight so that a
:class:`~endotwin.person.Person` sets it), ``height_cm``, ``age_yr`` (same name as the exercise
model's age), ``is_male`` (1 = male, 0 = female; note ``bw`` codes female as 1), optional
``body_fat_pct`` (0 = not measured: estimate it from age, BMI and sex), ``PAL`` (1.5 as in ``bw``),
``carb_frac0`` (0.5) and optional ``EI_base`` (0 = baseline intake in energy balance, PAL*RMR).
They are ordinary parameters, so they are overridden per person with ``with_values`` or passed as
arrays to :func:`endotwin.simulate.run`. The defaults describe the spec's reference man
(90 kg, 1.80 m, 40 y).

Bounds (a documented rule, not a physiological claim): for every published constant,
[0.5x, 2x] of the value (for a negative coefficient, [2x, 0.5x]); fractions are also kept in
[0, 1]. Covariates have plausibility ranges for adults.
"""

from __future__ import annotations

from ..parameter_set import Parameter, ParameterSet, register_parameter_set

_BW = "bw: INSP-RH/bw src/adult_weight.cpp @ 7467fab, getParameters"
_L11 = "Hall et al. 2011 Lancet 378:826, web appendix"
_RULE = "[0.5x, 2x] of the published value (hall2011 module docstring)"
_COV = "adult plausibility range (hall2011 module docstring)"

# name: (value, unit, source, description, citation, fraction?)
_CONSTANTS: dict[str, tuple[float, str, str, str, str, bool]] = {
    "rho_F": (
        9440.727,
        "kcal/kg",
        f"{_L11} (39.5 MJ/kg); {_BW} line 239",
        "fat energy density",
        "Hall2011",
        False,
    ),
    "rho_L": (
        1816.444,
        "kcal/kg",
        f"{_L11} (7.6 MJ/kg); {_BW} line 240",
        "lean energy density",
        "Hall2011",
        False,
    ),
    "rho_G": (
        4206.501,
        "kcal/kg",
        f"{_L11} (17.6 MJ/kg, glycogen model); {_BW} line 235",
        "glycogen energy density",
        "Hall2011",
        False,
    ),
    "gamma_F": (
        3.107075,
        "kcal/kg/day",
        f"{_L11} (13 kJ/kg/d); {_BW} line 241",
        "fat maintenance cost",
        "Hall2011",
        False,
    ),
    "gamma_L": (
        21.98853,
        "kcal/kg/day",
        f"{_L11} (92 kJ/kg/d); {_BW} line 242",
        "lean maintenance cost",
        "Hall2011",
        False,
    ),
    "eta_F": (
        179.2543,
        "kcal/kg",
        f"{_L11} (750 kJ/kg); {_BW} line 243",
        "fat deposition cost",
        "Hall2011",
        False,
    ),
    "eta_L": (
        229.4455,
        "kcal/kg",
        f"{_L11} (960 kJ/kg); {_BW} line 244",
        "lean deposition cost",
        "Hall2011",
        False,
    ),
    "beta_TEF": (
        0.1,
        "1",
        f"{_L11}; {_BW} line 245",
        "thermic effect of feeding",
        "Hall2011",
        True,
    ),
    "beta_AT": (
        0.14,
        "1",
        f"{_L11}; {_BW} line 246",
        "adaptive thermogenesis gain",
        "Hall2011",
        True,
    ),
    "tau_AT": (
        14.0,
        "day",
        f"{_L11}; {_BW} line 247",
        "adaptive thermogenesis time constant",
        "Hall2011",
        False,
    ),
    "forbes_const": (
        10.4,
        "kg",
        f"Forbes curve as used in Chow & Hall 2008 and {_L11}; {_BW} line 248",
        "Forbes constant",
        "ChowHall2008",
        False,
    ),
    "Gly0": (
        0.5,
        "kg",
        f"{_L11} (~500 g baseline glycogen); {_BW} line 256",
        "baseline glycogen",
        "Hall2011",
        False,
    ),
    "gly_hydration": (
        3.7,
        "kg/kg",
        f"{_L11} (2.7 g water per g glycogen); bw lines 306, 373",
        "glycogen + water mass per kg glycogen",
        "Hall2011",
        False,
    ),
    "Na_conc": (
        3220.0,
        "mg/L",
        f"{_L11} (3.22 g/L); {_BW} line 236",
        "extracellular sodium concentration",
        "Hall2011",
        False,
    ),
    "zeta_Na": (
        3000.0,
        "mg/L/day",
        f"{_L11}; {_BW} line 237",
        "sodium excretion per ECF change",
        "Hall2011",
        False,
    ),
    "zeta_CI": (
        4000.0,
        "mg/day",
        f"{_L11}; {_BW} line 238",
        "sodium excretion per relative carbohydrate change",
        "Hall2011",
        False,
    ),
    "mifflin_bw": (
        9.99,
        "kcal/day/kg",
        f"Mifflin et al. 1990; {_BW} lines 251-255",
        "RMR weight coefficient",
        "MifflinStJeor1990",
        False,
    ),
    "mifflin_ht": (
        6.25,
        "kcal/day/cm",
        f"Mifflin et al. 1990 (bw: 625 per m); {_BW} lines 251-255",
        "RMR height coefficient",
        "MifflinStJeor1990",
        False,
    ),
    "mifflin_age": (
        4.92,
        "kcal/day/yr",
        f"Mifflin et al. 1990; {_BW} lines 251-255",
        "RMR age coefficient",
        "MifflinStJeor1990",
        False,
    ),
    "mifflin_male": (
        5.0,
        "kcal/day",
        f"Mifflin et al. 1990; {_BW} lines 251-255",
        "RMR constant, men",
        "MifflinStJeor1990",
        False,
    ),
    "mifflin_female": (
        -161.0,
        "kcal/day",
        f"Mifflin et al. 1990; {_BW} lines 251-255",
        "RMR constant, women",
        "MifflinStJeor1990",
        False,
    ),
    "bf_age": (
        0.14,
        "%/yr",
        "bw getBaselineMass (~lines 296-307); attributed to Jackson et "
        "al. 2002 (UNVERIFIED, spec section 6)",
        "body-fat age coefficient",
        "Hall2011",
        False,
    ),
    "bf_lnbmi_male": (
        37.31,
        "%",
        "bw getBaselineMass (~lines 296-307)",
        "body-fat ln(BMI) coefficient, men",
        "Hall2011",
        False,
    ),
    "bf_int_male": (
        -103.94,
        "%",
        "bw getBaselineMass (~lines 296-307)",
        "body-fat intercept, men",
        "Hall2011",
        False,
    ),
    "bf_lnbmi_female": (
        39.96,
        "%",
        "bw getBaselineMass (~lines 296-307)",
        "body-fat ln(BMI) coefficient, women",
        "Hall2011",
        False,
    ),
    "bf_int_female": (
        -102.01,
        "%",
        "bw getBaselineMass (~lines 296-307)",
        "body-fat intercept, women",
        "Hall2011",
        False,
    ),
    "ecf_age_male": (
        0.025,
        "kg/yr",
        "bw getECFinit (~lines 290-293, 'Silva's equation')",
        "ECF age coefficient, men",
        "Hall2011",
        False,
    ),
    "ecf_ht_male": (
        9.57,
        "kg/m",
        "bw getECFinit (~lines 290-293)",
        "ECF height coefficient, men",
        "Hall2011",
        False,
    ),
    "ecf_bw_male": (
        0.191,
        "kg/kg",
        "bw getECFinit (~lines 290-293)",
        "ECF weight coefficient, men",
        "Hall2011",
        False,
    ),
    "ecf_int_male": (
        -12.4,
        "kg",
        "bw getECFinit (~lines 290-293)",
        "ECF intercept, men",
        "Hall2011",
        False,
    ),
    "ecf_ht_female": (
        5.98,
        "kg/m",
        "bw getECFinit (~lines 290-293)",
        "ECF height coefficient, women",
        "Hall2011",
        False,
    ),
    "ecf_bw_female": (
        0.167,
        "kg/kg",
        "bw getECFinit (~lines 290-293)",
        "ECF weight coefficient, women",
        "Hall2011",
        False,
    ),
    "ecf_int_female": (
        -4.0,
        "kg",
        "bw getECFinit (~lines 290-293)",
        "ECF intercept, women",
        "Hall2011",
        False,
    ),
}

# name: (default, unit, lower, upper, description)
_COVARIATES: dict[str, tuple[float, str, float, float, str]] = {
    "BW": (90.0, "kg", 25.0, 350.0, "baseline body weight"),
    "height_cm": (180.0, "cm", 100.0, 250.0, "height"),
    "age_yr": (40.0, "yr", 18.0, 110.0, "age at baseline (adult model)"),
    "is_male": (1.0, "1", 0.0, 1.0, "sex: 1 = male, 0 = female"),
    "body_fat_pct": (0.0, "%", 0.0, 70.0, "measured body fat; 0 = estimate (age, BMI, sex)"),
    "PAL": (1.5, "1", 1.0, 3.0, "physical activity level (bw default 1.5)"),
    "carb_frac0": (0.5, "1", 0.01, 1.0, "carbohydrate fraction of baseline intake (bw 0.5)"),
    "EI_base": (0.0, "kcal/day", 0.0, 10000.0, "baseline intake; 0 = balance (PAL*RMR)"),
}


def _bounds(v: float, fraction: bool) -> tuple[float, float]:
    lo, hi = sorted((0.5 * v, 2.0 * v))
    if fraction:
        lo, hi = max(lo, 0.0), min(hi, 1.0)
    return lo, hi


def hall2011_parameters() -> dict[str, Parameter]:
    """Every constant and covariate of the Hall 2011 body-composition component."""
    params: dict[str, Parameter] = {}
    for key, (value, unit, source, desc, cite, frac) in _CONSTANTS.items():
        lo, hi = _bounds(value, frac)
        params[key] = Parameter(
            name=key,
            value=value,
            unit=unit,
            lower=lo,
            upper=hi,
            source=source,
            description=desc,
            citation=cite,
            bounds_source=_RULE,
        )
    for key, (value, unit, lo, hi, desc) in _COVARIATES.items():
        params[key] = Parameter(
            name=key,
            value=value,
            unit=unit,
            lower=lo,
            upper=hi,
            source="covariate (person); default: spec reference man, bw R-level defaults",
            description=desc,
            citation="Hall2011",
            bounds_source=_COV,
        )
    return params


@register_parameter_set("hall2011")
def hall2011() -> ParameterSet:
    """Hall et al. 2011 adult body-weight model; covariates default to a 90 kg, 1.80 m, 40 y man."""
    return ParameterSet(
        name="hall2011",
        description="Hall et al. 2011 adult body-weight and body-composition model",
        parameters=hall2011_parameters(),
        citations=("Hall2011", "ChowHall2008", "MifflinStJeor1990", "Forbes1987"),
        notes=(
            "Energy constants in kcal (paper kJ x 0.23900573614), as in the bw R package.",
            "body_fat_pct = 0 and EI_base = 0 mean 'not given' (estimated / energy balance).",
        ),
    )
