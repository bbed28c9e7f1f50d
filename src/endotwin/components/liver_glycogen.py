"""Liver glycogen: glucose production falls as the store empties in a fast.

The Dalla Man 2007 production law ``EGP = kp1 - kp2*Gp - kp3*Id - kp4*Ipo`` was identified after
an overnight fast, when about half of the glucose the liver releases comes from glycogen and
half from gluconeogenesis. It holds that rate for as long as glucose and insulin stay put, so a
fast of any length leaves fasting glucose where it was (the model held 90 mg/dL from 12 to 52 h
of fasting; people fall from 88 to 63 mg/dL, Boden 1996). In people glucose production falls as
glycogenolysis wanes: gluconeogenesis is 47 % of it at 14 h, 67 % at 22 h and 93 % at 42 h of
fasting (Landau 1996), 64 % over the first 22 h (Rothman 1991).

This component splits the Dalla Man rate (the hormonal *drive*) into a gluconeogenic share and a
glycogenolytic share that is first order in the store::

    x       = LivGly / LivGly_ref                       liver glycogen relative to its content
                                                        at 07:00 of the habitual day
    d       = max(0, 1 - x)                             the store's deficit
    dA/dt   = (d - A) / tau_A                           adapted gluconeogenic capacity
    phi     = g*(1 + c*d + c_A*A) + (1 - g)*x           supply factor, 1 at the reference
    EGP     = phi * max(0, kp1 - kp2*Gp - kp3*Id - kp4*Ipo)     (replaces Dalla Man eq. 10)
    glycogenolysis = (1 - g)*x * max(0, ...)            [mg/kg/min]
    synthesis      = f_syn * Ra                         [mg/kg/min] a share of the meal glucose
                                                        appearing in plasma
    dLivGly/dt     = synthesis - glycogenolysis
    LivGly_ref     = tau*(1 - g)*EGPb                   the store that glycogenolysis at the
                                                        basal rate empties with time constant tau

- ``g`` (``liver_gng_share``), ``tau`` (``tau_liver_glycogen``) and ``c``
  (``liver_gng_autoregulation``: gluconeogenesis rises as the store empties, the liver's
  autoregulation; without it the drive cannot hold glucose once the glycogen is gone) are
  calibrated to Landau 1996's three gluconeogenic fractions and Boden 1996's fall of fasting
  glucose from 88 to 63 mg/dL between 12 and 52 h, together with ``c_A`` below
  (:mod:`endotwin.components.liver_glycogen_calibration`,
  ``scripts/calibrate_liver_glycogen.py``).
- ``c_A`` (``liver_gng_adaptation``) and ``A`` are the liver's slow adaptation to a store that
  stays low: on a diet without carbohydrate the store is empty for weeks, yet fasting glucose
  falls only from 4.7 to 4.4 mmol/L after 3 weeks of 3 % carbohydrate (Valsdottir 2019), where
  the fast-calibrated store alone gave 89 -> 63 mg/dL (Boden's 52-h value). Gluconeogenic
  capacity rises over days (enzyme induction under glucagon; gluconeogenic carbon refilling
  glycogen by the indirect pathway, Taylor 1996), which ``A`` lumps. ``c_A`` is calibrated with
  the three parameters above to Valsdottir's fasting glucose; its time constant ``tau_A``
  (``tau_liver_gng_adaptation``, two weeks) is a MODEL CHOICE: the data fix only a range
  (Boden's 52-h glucose needs more than about 200 h; Valsdottir measured only at 3 weeks, and
  any longer value is matched by a larger ``c_A``).
- ``f_syn`` (``liver_glycogen_synthesis``) and the store at time 0 (``liver_glycogen_start``,
  relative to the reference) are computed per person from their habitual day
  (:func:`endotwin.physiology.baseline_normalisers`) so that the store is periodic on that day
  and ``phi`` = 1 at 07:00: the meal layer is unchanged for the state it was identified in,
  the overnight-fasted morning. Their values are checks, not inputs: ``f_syn``*f is the share of
  meal carbohydrate stored in the liver (Taylor 1996: about 19 %, 28.3 g net after a mixed meal)
  and LivGly_ref*BW is the overnight-fasted store (Taylor 1996: 207 mmol/L of liver, about
  54 g in their 1.6 L livers).
- The synthesis does not take glucose from plasma: the meal model's identified Ra (90 % of the
  absorbed glucose, Dalla Man 2006) and suppressed EGP already contain the liver's share of
  each meal, so meal responses stay the identified ones; the store is the account of where that
  glucose went, drawn down later as the glycogenolytic part of EGP.

Only the coupled model (:func:`endotwin.models.physiology_model`) has it; the meal model keeps
Dalla Man's EGP, and the simglucose and scipy cross-checks are unaffected.
Not modelled: insulin and glucagon acting on synthesis and breakdown beyond the Dalla Man drive
(Taylor 1996 saw glucose output track the glucagon/insulin ratio) other than through the lumped
adaptation ``A``, exercise drawing on the liver
store, the brain's switch to ketones after two to three days of fasting, and the higher
gluconeogenic share of type-2 diabetes (Magnusson 1992).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..model import Component, Derived, Output, Quantity, sym

Array = np.ndarray

kp1, kp2, kp3, kp4 = sym("kp1"), sym("kp2"), sym("kp3"), sym("kp4")
Gp, Id, Ipo, Ra = sym("Gp"), sym("Id"), sym("Ipo"), sym("Ra")
L, g, x = sym("LivGly"), sym("liver_gng_share"), sym("liver_glycogen_rel")
c = sym("liver_gng_autoregulation")
A, c_a = sym("LivGngA"), sym("liver_gng_adaptation")
deficit = sym("liver_glycogen_deficit")
drive = sym("EGP_drive")
gng, gly = sym("gluconeogenesis_liver"), sym("glycogenolysis_liver")

#: minutes per hour (tau is given in hours)
_H = 60.0


def _derive(p: dict[str, Array]) -> dict[str, Array]:
    ref = p["tau_liver_glycogen"] * _H * (1.0 - p["liver_gng_share"]) * p["EGPb"]
    return {"LivGly_ref": ref}


def liver_glycogen() -> Component:
    """Liver glycogen store and the glycogen-limited glucose production.

    Must come after :func:`~endotwin.components.glucose.glucose_kinetics` and the fasting steady
    state (it replaces ``EGP`` and reads ``EGPb``).
    """
    return Component(
        name="liver glycogen",
        description="liver glycogen store; glucose production falls as it empties in a fast",
        citations=("Landau1996", "Rothman1991", "Taylor1996", "Valsdottir2019", "DallaMan2007"),
        states=(
            Quantity("LivGly", "mg/kg", "liver glycogen (glucose equivalents)"),
            Quantity("LivGngA", "1", "adapted gluconeogenic capacity (the store deficit, slowed)"),
        ),
        parameters=(
            Quantity("liver_gng_share", "1", "gluconeogenic share of EGP at the reference store"),
            Quantity("tau_liver_glycogen", "h", "emptying time constant of the reference store"),
            Quantity(
                "liver_gng_autoregulation", "1", "rise of gluconeogenesis as the store empties"
            ),
            Quantity(
                "liver_gng_adaptation", "1", "rise of gluconeogenesis with the adapted deficit"
            ),
            Quantity("tau_liver_gng_adaptation", "h", "time constant of that adaptation"),
            Quantity("liver_glycogen_synthesis", "1", "share of Ra stored as liver glycogen"),
            Quantity("liver_glycogen_start", "1", "store at time 0 relative to the reference"),
            Quantity("BW", "kg", "body weight"),
        ),
        derived_parameters=(
            Quantity("LivGly_ref", "mg/kg", "liver glycogen at 07:00 of the habitual day"),
        ),
        derived=(
            Derived(
                "EGP_drive",
                sp.Max(0, kp1 - kp2 * Gp - kp3 * Id - kp4 * Ipo),
                "mg/kg/min",
                "hormonal drive of glucose production (Dalla Man 2007 eq. 10)",
            ),
            Derived("liver_glycogen_rel", L / sym("LivGly_ref"), "1", "store vs reference"),
            Derived("liver_glycogen_deficit", sp.Max(0, 1 - x), "1", "store below reference"),
            Derived(
                "liver_gng_factor", g * (1 + c * deficit + c_a * A), "1", "gluconeogenic factor"
            ),
            Derived(
                "gluconeogenesis_liver",
                sym("liver_gng_factor") * drive,
                "mg/kg/min",
                "gluconeogenesis (rises as the store empties)",
            ),
            Derived(
                "glycogenolysis_liver", (1 - g) * x * drive, "mg/kg/min", "liver glycogenolysis"
            ),
            Derived("EGP", gng + gly, "mg/kg/min", "endogenous glucose production"),
        ),
        replaces=("EGP",),
        rhs={
            "LivGly": sym("liver_glycogen_synthesis") * Ra - gly,
            "LivGngA": (deficit - A) / (sym("tau_liver_gng_adaptation") * _H),
        },
        initial={"LivGly": sym("liver_glycogen_start") * sym("LivGly_ref"), "LivGngA": 0},
        derive=_derive,
        outputs=(
            Output("Liver glycogen [g]", L * sym("BW") / 1000, "LivGly*BW"),
            Output("Liver glycogen [x reference]", x, "relative to 07:00 of the habitual day"),
            Output(
                "Gluconeogenic share of glucose production [1]",
                sym("liver_gng_factor") / (sym("liver_gng_factor") + (1 - g) * x),
                "GNG/EGP (defined also when EGP is suppressed to 0)",
            ),
            Output("Gluconeogenesis [mg/kg/min]", gng, "g*(1 + c*d + c_A*A)*EGP drive"),
            Output("Liver glycogenolysis [mg/kg/min]", gly, "(1 - g)*x*EGP drive"),
            Output(
                "Adapted gluconeogenic capacity [1]",
                A,
                "the store deficit max(0, 1 - x), followed with time constant tau_A",
            ),
        ),
    )
