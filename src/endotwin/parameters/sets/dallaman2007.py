"""Dalla Man, Rizza & Cobelli 2007 (IEEE TBME 54:1740), Table 1: normal and type-2 columns.

Values are the published mean-subject parameters of the meal model (normal: fitted to the mean of
a large triple-tracer meal database; T2D: to a smaller T2D database). Column values were
cross-checked against two independent transcriptions of Table 1 (BioModels BIOMD0000000379 and
the GIM/UVA-Padova parameter listings).

Basal quantities (Gb, Ib, Sb, EGPb, ...) are *not* typed in: they are the fasting steady state of
these equations, computed by :mod:`endotwin.components.steady_state` (for the normal column this
gives Gb = 91.8 mg/dL and Ib = 25.6 pmol/L, matching the paper's mean subject).

Bounds: the paper gives point values without ranges. The plausibility envelope used here is a
documented rule, not a physiological claim: [0.2 x min(normal, T2D), 5 x max(normal, T2D)] for
rate constants and volumes, and the open unit interval (clipped to the same rule) for fractions.
The insulin-action parameters ``kp3``, ``kp4`` and ``Vmx`` reach down to 0.05 x min(normal, T2D)
(:data:`INSULIN_ACTION_LOWER`): at 0.2 x the normal set could not hold the insulin resistance of
ordinary adults. On NHANES-like virtual people the bound rejected 18 % of the HOMA-IR draws of
Martinez 2017's body-fat prior, all in its upper tail, and the top body-fat quintile's mean
HOMA-IR was 2.09 against the published 3.92 (docs/population.md); the drawn DPP population had a
fasting insulin of 5.1 uU/mL at BMI 34.6.

Both sets also carry the parameters of the acute-exercise extension of the meal model
(:mod:`endotwin.parameters.sets.exercise`: Dalla Man, Breton & Cobelli 2009 and muscle glycogen),
identical in the two columns.
"""

from __future__ import annotations

from ..parameter_set import Parameter, ParameterSet, register_parameter_set
from .exercise import CITATIONS as EXERCISE_CITATIONS
from .exercise import exercise_parameters

_SRC = "Dalla Man, Rizza & Cobelli 2007, IEEE TBME 54:1740, Table 1"
_BOUNDS = "0.2x/5x envelope of the published normal and T2D values (see module docstring)"
#: lower bound of the insulin-action parameters, x min(normal, T2D) (module docstring)
INSULIN_ACTION_LOWER = 0.05
_INSULIN_ACTION = ("kp3", "kp4", "Vmx")
_BOUNDS_ACTION = (
    "0.05x/5x envelope of the published normal and T2D values: the lower end holds the "
    "HOMA-IR of NHANES adults (Martinez 2017 Table 5; see module docstring)"
)

# name: (normal, t2d, unit, description, equation in the paper, is_fraction)
_TABLE: dict[str, tuple[float, float, str, str, str, bool]] = {
    # glucose kinetics
    "VG": (1.88, 1.49, "dL/kg", "glucose distribution volume", "eq. 1", False),
    "k1": (0.065, 0.042, "1/min", "rate Gp -> Gt", "eq. 1", False),
    "k2": (0.079, 0.071, "1/min", "rate Gt -> Gp", "eq. 1", False),
    # insulin kinetics
    "VI": (0.05, 0.04, "L/kg", "insulin distribution volume", "eq. 3", False),
    "m1": (0.190, 0.379, "1/min", "rate liver -> plasma insulin", "eq. 3", False),
    "m2": (0.484, 0.673, "1/min", "rate plasma -> liver insulin", "eq. 3", False),
    "m4": (0.194, 0.269, "1/min", "peripheral insulin degradation", "eq. 3", False),
    "m5": (
        0.0304,
        0.0526,
        "min*kg/pmol",
        "slope of hepatic extraction vs secretion",
        "eq. 4",
        False,
    ),
    "m6": (0.6471, 0.8118, "1", "offset of hepatic extraction", "eq. 4", True),
    "HEb": (0.6, 0.6, "1", "basal hepatic insulin extraction", "eq. 4", True),
    # rate of appearance (Dalla Man 2006 oral glucose model)
    "kmax": (0.0558, 0.0465, "1/min", "maximal gastric emptying rate", "eq. 13", False),
    "kmin": (0.0080, 0.0076, "1/min", "minimal gastric emptying rate", "eq. 13", False),
    "kabs": (0.057, 0.023, "1/min", "intestinal absorption rate", "eq. 13", False),
    "kgri": (0.0558, 0.0465, "1/min", "grinding rate (solid -> liquid stomach)", "eq. 13", False),
    "f": (0.90, 0.90, "1", "fraction of absorbed glucose reaching plasma", "eq. 13", True),
    "b": (0.82, 0.68, "1", "Qsto/D at which kempt falls to (kmax+kmin)/2", "eq. 13", True),
    "d": (0.010, 0.09, "1", "Qsto/D at which kempt recovers to (kmax+kmin)/2", "eq. 13", True),
    # endogenous glucose production
    "kp1": (
        2.70,
        3.09,
        "mg/kg/min",
        "EGP extrapolated at zero glucose and insulin",
        "eq. 10",
        False,
    ),
    "kp2": (0.0021, 0.0007, "1/min", "liver glucose effectiveness", "eq. 10", False),
    "kp3": (
        0.009,
        0.005,
        "mg/kg/min per pmol/L",
        "delayed-insulin action on the liver",
        "eq. 10",
        False,
    ),
    "kp4": (
        0.0618,
        0.0786,
        "mg/kg/min per pmol/kg",
        "portal-insulin action on the liver",
        "eq. 10",
        False,
    ),
    "ki": (
        0.0079,
        0.0066,
        "1/min",
        "delay between insulin signal and action on EGP",
        "eq. 11",
        False,
    ),
    # utilisation
    "Fcns": (
        1.0,
        1.0,
        "mg/kg/min",
        "insulin-independent (brain, erythrocytes) uptake",
        "eq. 14",
        False,
    ),
    "Vm0": (
        2.50,
        4.65,
        "mg/kg/min",
        "insulin-dependent uptake Vmax at basal insulin",
        "eq. 16",
        False,
    ),
    "Vmx": (
        0.047,
        0.034,
        "mg/kg/min per pmol/L",
        "peripheral insulin sensitivity (Vmax slope)",
        "eq. 16",
        False,
    ),
    "Km0": (225.59, 466.21, "mg/kg", "Michaelis constant of uptake", "eq. 17", False),
    "p2U": (
        0.0331,
        0.0840,
        "1/min",
        "rate of insulin action on peripheral uptake",
        "eq. 18",
        False,
    ),
    # secretion
    "K": (
        2.30,
        0.99,
        "pmol/kg per mg/dL",
        "beta-cell responsivity to glucose rate of change",
        "eq. 22",
        False,
    ),
    "alpha": (0.050, 0.013, "1/min", "delay between glucose signal and secretion", "eq. 23", False),
    "beta": (
        0.11,
        0.05,
        "pmol/kg/min per mg/dL",
        "beta-cell responsivity to glucose",
        "eq. 23",
        False,
    ),
    "gamma": (0.5, 0.5, "1/min", "transfer rate portal vein -> liver", "eq. 21", False),
    # renal excretion
    "ke1": (0.0005, 0.0007, "1/min", "glomerular filtration rate", "eq. 27", False),
    "ke2": (339.0, 269.0, "mg/kg", "renal glucose threshold", "eq. 27", False),
}


def _bounds(normal: float, t2d: float, fraction: bool, low: float = 0.2) -> tuple[float, float]:
    lo, hi = low * min(normal, t2d), 5.0 * max(normal, t2d)
    if fraction:
        hi = min(hi, 0.999)
    return lo, hi


def _make(column: int, name: str, description: str) -> ParameterSet:
    params = {}
    label = "normal" if column == 0 else "type 2 diabetes"
    for key, (normal, t2d, unit, desc, eq, frac) in _TABLE.items():
        value = (normal, t2d)[column]
        action = key in _INSULIN_ACTION
        lo, hi = _bounds(normal, t2d, frac, INSULIN_ACTION_LOWER if action else 0.2)
        params[key] = Parameter(
            name=key,
            value=value,
            unit=unit,
            lower=lo,
            upper=hi,
            source=f"{_SRC} ({label} column), {eq}",
            description=desc,
            citation="DallaMan2007",
            bounds_source=_BOUNDS_ACTION if action else _BOUNDS,
        )
    # the acute-exercise extension of the meal model (same values for both columns)
    params.update(exercise_parameters())
    return ParameterSet(
        name=name,
        description=description,
        parameters=params,
        citations=("DallaMan2007", "DallaMan2006", *EXERCISE_CITATIONS),
    )


@register_parameter_set("dallaman2007_normal")
def dallaman2007_normal() -> ParameterSet:
    """Mean normal subject of Dalla Man, Rizza & Cobelli 2007, Table 1."""
    return _make(0, "dallaman2007_normal", "Dalla Man 2007 mean normal (non-diabetic) subject")


@register_parameter_set("dallaman2007_t2d")
def dallaman2007_t2d() -> ParameterSet:
    """Mean type-2 diabetic subject of Dalla Man, Rizza & Cobelli 2007, Table 1."""
    return _make(1, "dallaman2007_t2d", "Dalla Man 2007 mean type-2 diabetic subject")
