"""Oral glucose absorption: Dalla Man, Camilleri & Cobelli 2006 (IEEE TBME 53:2472).

Three compartments (solid stomach ``Qsto1``, liquid stomach ``Qsto2``, gut ``Qgut``, all mg) with a
gastric emptying rate that falls and recovers with the stomach content relative to the meal size
``D`` (Dalla Man 2007, eqs. 13; 2006, eqs. 1-5):

    dQsto1/dt = -kgri*Qsto1 + ingestion rate
    dQsto2/dt = -kempt(Qsto)*Qsto2 + kgri*Qsto1
    dQgut/dt  = -r*kabs*Qgut + kempt(Qsto)*Qsto2
    kempt = r*(kmin + (kmax-kmin)/2*(tanh(a*(Qsto-b*D)) - tanh(c*(Qsto-d*D)) + 2))
    a = 5/(2*D*(1-b)),  c = 5/(2*D*d),  r = exp(gut_rate_log)  (r = 1: the fitted mixed meal)
    Ra = f*r*kabs*Qgut/BW

Food form (glycaemic index): ``gut_rate_log`` (input, held from the start of each meal) scales the
three rate constants kmax, kmin and kabs by ``exp(gut_rate_log)``; 0 is the mixed meal the model
was identified on. A low-GI meal slows emptying and absorption together, so the 2-h glucose area
falls while all of the carbohydrate is still absorbed; the factor for a given GI is calibrated in
:mod:`endotwin.protocols.glycaemic_index`.

Meals are inputs: ``carb_rate`` (mg/min, the ingestion rate, piecewise constant while eating)
and ``meal_size`` (mg, the amount D of the meal in progress, held until the next meal). Before
any meal (D = 0) the emptying rate is kmax, as in the UVA/Padova implementation (the stomach is
empty then, so the choice has no effect). ``Qabs`` accumulates what left the gut lumen
(r*kabs*Qgut), so that ingested = Qsto1 + Qsto2 + Qgut + Qabs holds exactly (mass balance).
"""

from __future__ import annotations

import sympy as sp

from ..model import Component, Derived, Output, Quantity, sym

Qsto1, Qsto2, Qgut, Qabs = sym("Qsto1"), sym("Qsto2"), sym("Qgut"), sym("Qabs")
kmax, kmin, kabs, kgri, f, b, d, BW = (
    sym(n) for n in ("kmax", "kmin", "kabs", "kgri", "f", "b", "d", "BW")
)
carb_rate, meal_size = sym("carb_rate"), sym("meal_size")
Qsto, kempt, Ra = sym("Qsto"), sym("kempt"), sym("Ra")


def meal_absorption() -> Component:
    """The Dalla Man 2006/2007 oral glucose absorption component."""
    D = meal_size
    rate = sp.exp(sym("gut_rate_log"))
    kmax_m, kmin_m, kabs_m = kmax * rate, kmin * rate, sym("kabs_eff")  # this meal's rates
    aa = 5 / (2 * D * (1 - b))
    cc = 5 / (2 * D * d)
    kempt_expr = sp.Piecewise(
        (kmax_m, D <= 0),
        (
            kmin_m
            + (kmax_m - kmin_m)
            / 2
            * (sp.tanh(aa * (Qsto - b * D)) - sp.tanh(cc * (Qsto - d * D)) + 2),
            True,
        ),
    )
    return Component(
        name="meal absorption",
        description="gastric emptying and intestinal absorption of carbohydrate",
        citations=("DallaMan2006", "DallaMan2007"),
        states=(
            Quantity("Qsto1", "mg", "carbohydrate in the stomach, solid phase"),
            Quantity("Qsto2", "mg", "carbohydrate in the stomach, liquid phase"),
            Quantity("Qgut", "mg", "glucose in the intestine"),
            Quantity("Qabs", "mg", "cumulative glucose absorbed from the gut lumen"),
        ),
        parameters=(
            Quantity("kmax", "1/min", "maximal gastric emptying rate"),
            Quantity("kmin", "1/min", "minimal gastric emptying rate"),
            Quantity("kabs", "1/min", "intestinal absorption rate"),
            Quantity("kgri", "1/min", "grinding rate"),
            Quantity("f", "1", "fraction of absorbed glucose appearing in plasma"),
            Quantity("b", "1", "emptying shape parameter b"),
            Quantity("d", "1", "emptying shape parameter d"),
            Quantity("BW", "kg", "body weight"),
        ),
        inputs=(
            Quantity("carb_rate", "mg/min", "carbohydrate ingestion rate"),
            Quantity("meal_size", "mg", "carbohydrate amount D of the meal in progress"),
            Quantity(
                "gut_rate_log", "1", "log gut-rate factor of the meal in progress (0 = fitted)"
            ),
        ),
        derived=(
            Derived("kabs_eff", kabs * rate, "1/min", "absorption rate of this meal"),
            Derived("Qsto", Qsto1 + Qsto2, "mg", "carbohydrate in the stomach"),
            Derived("kempt", kempt_expr, "1/min", "gastric emptying rate"),
            Derived("Ra", f * kabs_m * Qgut / BW, "mg/kg/min", "glucose rate of appearance"),
        ),
        rhs={
            "Qsto1": -kgri * Qsto1 + carb_rate,
            "Qsto2": -kempt * Qsto2 + kgri * Qsto1,
            "Qgut": -kabs_m * Qgut + kempt * Qsto2,
            "Qabs": kabs_m * Qgut,
        },
        initial={"Qsto1": 0.0, "Qsto2": 0.0, "Qgut": 0.0, "Qabs": 0.0},
        outputs=(
            Output(
                "Glucose rate of appearance [mg/kg/min]", Ra, "meal glucose appearing in plasma"
            ),
            Output("Stomach carbohydrate [g]", (Qsto1 + Qsto2) / 1000, "Qsto1 + Qsto2"),
            Output("Gut carbohydrate [g]", Qgut / 1000, "Qgut"),
            Output("Absorbed carbohydrate [g]", Qabs / 1000, "cumulative absorption from the gut"),
        ),
    )
