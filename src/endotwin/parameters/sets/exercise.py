"""Parameters of the acute-exercise extension (:mod:`endotwin.components.exercise`).

Three groups, each value with its unit, plausibility bounds and source:

1. **Heart-rate driven exercise effects** - Breton 2008 (JDST 2:169) as incorporated into the
   Dalla Man 2007 meal model by Dalla Man, Breton & Cobelli 2009 (JDST 3:56), their selected
   variant ("model C"). Values as transcribed, independently, by two secondary sources (the MIT
   LoopInsighT1 simulator, ``UvaPadova_Breton2008.js``, and a published model-assessment note);
   the paper's own table could not be read in this project (see the component docstring).
   The paper fitted them to type-1 diabetic data; they are used unchanged for the normal and the
   type-2 sets (an extrapolation, stated in the component docstring).
2. **Person covariates** (age, resting heart rate) that map exercise intensity to heart rate
   (Swain & Leutholtz 1997; Tanaka 2001). They are defaults until the person layer supplies them.
3. **Muscle glycogen** - store size and stored fraction of insulin-stimulated uptake (Jensen
   2011), the intensity below which muscle glycogen is hardly oxidised (Romijn 1993) and one
   calibrated oxidation coefficient (target stated).

Bounds: published point values have no ranges; the envelope is a documented rule - 0 (effect
switched off) to about 5-10x the published value for gains, 0.2x-5x for time constants - except
where a physiological range is cited.
"""

from __future__ import annotations

from ..parameter_set import Parameter

DM2009 = (
    "Dalla Man, Breton & Cobelli 2009, JDST 3(1):56, exercise model C (Breton 2008 states); "
    "value as transcribed by LoopInsighT1 UvaPadova_Breton2008.js and a second secondary source"
)
DM2009_ONE = (
    "Dalla Man, Breton & Cobelli 2009, JDST 3(1):56 / Breton 2008, JDST 2(1):169; value as "
    "transcribed by LoopInsighT1 UvaPadova_Breton2008.js (single secondary source)"
)
RULE = "0 (effect off) to ~5-10x the published value (module docstring rule)"
RULE_T = "0.2x-5x the published time constant (module docstring rule)"

#: Citation keys behind these parameters (registered in :mod:`endotwin.citations`).
CITATIONS: tuple[str, ...] = (
    "DallaMan2009",
    "Breton2008",
    "Swain1997",
    "Tanaka2001",
    "Jensen2011",
    "Romijn1993",
    "Watt2002",
    "VanLoon2001",
)


def exercise_parameters() -> dict[str, Parameter]:
    """The exercise parameters (the same for the normal and the type-2 set)."""
    p = [
        # -- Breton 2008 / Dalla Man 2009 heart-rate states -------------------------------------
        Parameter(
            "T_HR",
            5.0,
            "min",
            1.0,
            25.0,
            f"{DM2009_ONE}, eq. for Y (T_HR)",
            "time constant of the exercise heart-rate signal Y",
            "DallaMan2009",
            bounds_source=RULE_T,
        ),
        Parameter(
            "T_ex",
            600.0,
            "min",
            120.0,
            3000.0,
            f"{DM2009}, eq. for Z (T_ex)",
            "decay time of the post-exercise rise in insulin action",
            "DallaMan2009",
            bounds_source=RULE_T,
        ),
        Parameter(
            "ex_a",
            0.1,
            "1",
            0.02,
            0.5,
            f"{DM2009_ONE}, f(Y) (a)",
            "switch threshold of f(Y) as a fraction of resting heart rate",
            "DallaMan2009",
            bounds_source="0.2x-5x the published value",
        ),
        Parameter(
            "ex_n",
            4.0,
            "1",
            1.0,
            8.0,
            f"{DM2009_ONE}, f(Y) (n)",
            "Hill exponent of the switch f(Y)",
            "DallaMan2009",
            bounds_source="1 (no switch) to 2x the published value",
        ),
        Parameter(
            "ex_beta",
            0.01,
            "1/bpm",
            0.0,
            0.05,
            f"{DM2009}, Uid (beta)",
            "rise of insulin-independent uptake (Vm0) per bpm of Y",
            "DallaMan2009",
            bounds_source=RULE,
        ),
        Parameter(
            "ex_alpha",
            3e-4,
            "1/(bpm*min)",
            0.0,
            3e-3,
            f"{DM2009}, Uid (alpha)",
            "rise of insulin action per unit of exercise memory E (= Z*W)",
            "DallaMan2009",
            bounds_source=RULE,
        ),
        Parameter(
            "ex_gamma",
            1e-7,
            "1/(bpm*min*pmol/L)",
            0.0,
            1e-6,
            f"{DM2009}, Km (gamma)",
            "fall of the Michaelis constant of uptake per unit of E*(X + Ib)",
            "DallaMan2009",
            bounds_source=RULE,
        ),
        # -- person covariates (defaults until the person layer supplies them) -------------------
        Parameter(
            "age_yr",
            56.0,
            "yr",
            18.0,
            110.0,
            "default covariate: mean age of the Dalla Man 2007 normal meal database (recalled "
            "from the paper, not re-read); override with the person's age",
            "age (sets HRmax)",
            "DallaMan2007",
            bounds_source="adult model range (Person.age)",
        ),
        Parameter(
            "HRrest",
            72.0,
            "bpm",
            40.0,
            100.0,
            "default covariate: mean adult resting pulse, Ostchega et al. 2011, Natl Health Stat "
            "Report 41 (NHANES 1999-2008 reference data); override with the person's value",
            "resting heart rate HRb (Breton 2008 basal heart rate)",
            "Ostchega2011",
            bounds_source="40 bpm (trained) to 100 bpm (upper normal)",
        ),
        # -- muscle glycogen --------------------------------------------------------------------
        Parameter(
            "MG_per_kg",
            6.0,
            "g/kg",
            3.0,
            10.0,
            "Jensen et al. 2011, Front Physiol 2:112 (~500 g of glycogen in skeletal muscle of an "
            "adult; other reviews 300-500 g) divided by a 70-80 kg adult",
            "resting whole-body muscle glycogen per kg body weight",
            "Jensen2011",
            bounds_source="300-500 g per 70-80 kg, widened for depleted/loaded stores",
        ),
        Parameter(
            "I_gly0",
            0.25,
            "1",
            0.0,
            0.5,
            "Romijn et al. 1993, Am J Physiol 265:E380 (muscle glycogen oxidation negligible at "
            "25% VO2max; substantial at 65% and 85%)",
            "intensity below which muscle glycogen is not oxidised",
            "Romijn1993",
            bounds_source="0 to 2x the published threshold",
        ),
        Parameter(
            "k_gly",
            36.6,
            "mg/kg/min",
            10.0,
            100.0,
            "calibrated (see `calibrated`)",
            "whole-body muscle glycogen oxidation per unit intensity above I_gly0",
            "Watt2002",
            calibrated=(
                "target 1.0 g/min whole-body muscle glycogen oxidation at 60% intensity for the "
                "78-kg reference (k = 1000/(78*(0.60-0.25))): Watt 2002 (57% VO2max, vastus "
                "lateralis 468->217 mmol/kg dry mass in 120 min = 2.1 mmol/kg dm/min; x ~12 kg "
                "active leg muscle, wet/dry 4.3) gives ~0.95 g/min; Romijn 1993 / van Loon 2001 "
                "report ~1-1.5 g/min at 55-65% in trained cyclists"
            ),
            bounds_source="~0.3x-3x of the target (untrained to trained)",
        ),
        Parameter(
            "phi_gly",
            0.8,
            "1",
            0.0,
            1.0,
            "Jensen et al. 2011, Front Physiol 2:112 (abstract: during a hyperinsulinaemic "
            "euglycaemic clamp 70-90% of glucose disposal is stored as muscle glycogen in "
            "healthy subjects; mid-range value)",
            "stored fraction of the exercise-raised insulin-stimulated glucose uptake",
            "Jensen2011",
            bounds_source="a fraction; published range 0.7-0.9",
        ),
    ]
    return {q.name: q for q in p}
