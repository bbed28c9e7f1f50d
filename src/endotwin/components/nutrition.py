"""Nutrition and energy coupling: the meal layer feeds the body-composition layer.

Connects (by the Model's connection rule) the inputs of the Hall 2011 component
(:mod:`endotwin.components.body_composition`) to what the meal-level model simulates:

    A            = 1 + ad_libitum*(appetite_factor/appetite_habitual - 1)    [1]
    energy_intake = A*(ce*carb_rate + fe*fat_rate + pe*protein_rate)*1440/1000  [kcal/day]
    carb_intake   = ce*kabs_eff*Qgut*1440/1000                                  [kcal/day]
    energy_loss   = ce*E*BW*1440/1000                                        [kcal/day]
    activity_ee   = I*(VO2max - VO2rest)*BW/1000*kcal_per_L_O2*1440          [kcal/day]
    glycogen_use  = R_ox/1000*rho_G*1440                                     [kcal/day]

- Energy intake is what is eaten (Atwater factors ce, fe, pe; Atwater & Bryant), when it is
  eaten. Carbohydrate enters Hall's glycogen balance as it is *absorbed* (kabs_eff*Qgut, the gut
  lumen's outflow in Dalla Man 2006), so glycogen follows the simulated glucose appearance.
- Urinary glucose (renal excretion E of Dalla Man 2007 eq. 27) leaves as an energy loss.
- Exercise bouts cost their net oxygen uptake above rest: intensity I is the fraction of the
  VO2 reserve (Swain 1997), 1 MET = 3.5 mL/kg/min (Jette 1990), 4.94 kcal per litre O2 at RQ 0.9
  (Weir 1949). Muscle glycogen oxidised in exercise (R_ox of the exercise component) is drawn
  from Hall's glycogen store, so that part of the exercise energy is not taken from fat and lean.
- ``ad_libitum`` (input, >= 0): when 1, the person eats the planned meals scaled by the
  leptin-driven appetite factor (:mod:`endotwin.components.leptin`); the scaling modulates the
  meal inputs, so the glucose model absorbs what is actually eaten. ``appetite_habitual`` (the
  intake-weighted appetite factor of the habitual day, computed per person) makes ad-libitum
  eating of an unchanged lifestyle weight-stable: appetite peaks at meal times, so without it
  the meal-weighted scaling would exceed 1.
- A **free-living prescription** (``"1500 kcal/day, free-living"``) sets ``ad_libitum`` to
  EI0/plan, so intake = plan*A = plan + EI0*(appetite_factor/appetite_habitual - 1): the
  prescription plus the appetite change from habitual, in kcal. As weight is lost the appetite
  rises by about g_P = 100 kcal/day per kg (Polidori 2016), the drift that makes people on a
  self-followed diet lose less than its energy gap implies.
"""

from __future__ import annotations

from ..model import Component, Derived, Output, Quantity, sym

_D = 1440.0


def nutrition_coupling() -> Component:
    """Energy intake, absorbed carbohydrate, urinary loss and exercise cost for the Hall layer."""
    carb, fat, prot = sym("carb_rate"), sym("fat_rate"), sym("protein_rate")
    ce, fe, pe = sym("carb_energy"), sym("fat_energy"), sym("protein_energy")
    A = sym("appetite_scale")
    BW = sym("BW")
    return Component(
        name="nutrition coupling",
        description="energy intake, absorbed carbohydrate, urinary energy loss and exercise "
        "energy from the meal layer to the body-composition layer",
        citations=("Atwater1910", "Weir1949", "Jette1990", "Swain1997", "DallaMan2006"),
        parameters=(
            Quantity("carb_energy", "kcal/g", "energy of available carbohydrate"),
            Quantity("fat_energy", "kcal/g", "energy of fat"),
            Quantity("protein_energy", "kcal/g", "energy of protein"),
            Quantity("VO2max", "mL/kg/min", "maximal oxygen uptake"),
            Quantity("VO2rest", "mL/kg/min", "resting oxygen uptake (1 MET)"),
            Quantity("kcal_per_L_O2", "kcal/L", "energy per litre of oxygen"),
            Quantity("appetite_habitual", "1", "intake-weighted appetite on habitual eating"),
        ),
        inputs=(
            Quantity("carb_rate", "mg/min", "carbohydrate ingestion rate"),
            Quantity("meal_size", "mg", "carbohydrate amount D of the meal in progress"),
            Quantity("fat_rate", "mg/min", "fat ingestion rate"),
            Quantity("protein_rate", "mg/min", "protein ingestion rate"),
            Quantity("ad_libitum", "1", "appetite gain on the planned meals (0 plan, 1 appetite)"),
            Quantity("exercise_intensity", "1", "fraction of the VO2 reserve"),
        ),
        derived=(
            Derived(
                "appetite_scale",
                1 + sym("ad_libitum") * (sym("appetite_factor") / sym("appetite_habitual") - 1),
                "1",
                "factor on the planned meals (1 unless eating ad libitum)",
            ),
            Derived(
                "energy_intake",
                A * (ce * carb + fe * fat + pe * prot) * _D / 1000,
                "kcal/day",
                "energy intake rate of the meals being eaten",
            ),
            Derived(
                "carb_intake",
                ce * sym("kabs_eff") * sym("Qgut") * _D / 1000,
                "kcal/day",
                "carbohydrate absorbed from the gut",
            ),
            Derived(
                "energy_loss", ce * sym("E") * BW * _D / 1000, "kcal/day", "urinary glucose energy"
            ),
            Derived(
                "activity_ee",
                sym("exercise_intensity")
                * (sym("VO2max") - sym("VO2rest"))
                * BW
                / 1000
                * sym("kcal_per_L_O2")
                * _D,
                "kcal/day",
                "exercise energy expenditure above rest",
            ),
            Derived(
                "glycogen_use",
                sym("R_ox") / 1000 * sym("rho_G") * _D,
                "kcal/day",
                "glycogen oxidised in exercise",
            ),
        ),
        modulates={"carb_rate": carb * A, "meal_size": sym("meal_size") * A},
        outputs=(
            Output("Energy intake rate [kcal/day]", sym("energy_intake"), "eating rate"),
            Output("Exercise energy expenditure [kcal/day]", sym("activity_ee"), "above rest"),
            Output("Urinary energy loss [kcal/day]", sym("energy_loss"), "glucose in urine"),
        ),
    )
