"""Acute exercise: Breton 2008 / Dalla Man, Breton & Cobelli 2009 effects, plus muscle glycogen.

What is modelled
----------------
An exercise bout (``ExerciseBout``) is the piecewise-constant input ``exercise_intensity`` I, the
fraction of the oxygen-uptake reserve (0 = rest, 1 = VO2max). It acts through heart rate above
rest, the exercise signal of Breton 2008 (JDST 2(1):169) that Dalla Man, Breton & Cobelli 2009
(JDST 3(1):56) built into the Dalla Man 2007 meal model (their selected "model C"):

* a rapid-on/rapid-off rise of insulin-independent glucose uptake during activity (Y, beta);
* a rise of insulin action that builds with the exercise dose and outlasts the bout by hours
  (E, alpha; and a small fall of the Michaelis constant, gamma);
* and, added here, an explicit whole-body muscle-glycogen pool that is oxidised during exercise
  and refilled from insulin-dependent glucose uptake afterwards.

Equations (t in min; units in brackets)
---------------------------------------
Paper symbols -> parameter names: T_HR -> ``T_HR``, T_ex -> ``T_ex``, a -> ``ex_a``,
n -> ``ex_n``, alpha -> ``ex_alpha``, beta -> ``ex_beta``, gamma -> ``ex_gamma``, HRb ->
``HRrest`` (values, units, bounds and sources: :mod:`endotwin.parameters.sets.exercise`).

Heart rate from intensity, heart-rate-reserve relation (Swain & Leutholtz 1997: %HRR ~ %VO2R),
age-predicted maximum (Tanaka, Monahan & Seals 2001)::

    HRmax = 208 - 0.7*age_yr                                     [bpm]   (Tanaka 2001)
    dHR   = I*(HRmax - HRrest),   HR = HRrest + dHR              [bpm]   (Swain 1997)

``HR`` is the steady-state heart rate at the current intensity (no on/off kinetics of its own);
``HRrest`` is Breton's basal heart rate HRb.

Exercise signal and switch, Breton 2008 / Dalla Man 2009::

    dY/dt = -(Y - dHR)/T_HR                                      [bpm]
    f(Y)  = u^n/(1 + u^n),  u = max(Y, 0)/(a*HRrest)             [1]

(The switch is (Y/(a*HRb))^n/(1 + (Y/(a*HRb))^n). LoopInsighT1's transcription writes
``Y/a*HRb``, i.e. (Y/a)*HRb, an operator-precedence slip; the threshold is a fraction ``a`` of
the resting heart rate, so the division is by a*HRb.)

Glucose uptake: the Dalla Man 2007 ``Uid = (Vm0 + Vmx*X)*Gt/(Km0 + Gt)`` (eqs. 15-17) is replaced
by Dalla Man 2009's form, with E = Z*W (below)::

    Km    = Km0*max(0, 1 - gamma*E*(X + Ib))                     [mg/kg]
    Uii_x = beta*Y*Vm0*Gt/(Km + Gt)                              [mg/kg/min]  insulin-independent
    Uid_i = (Vm0 + Vmx*X + alpha*E*Vmx*(X + Ib))*Gt/(Km + Gt)     [mg/kg/min]  insulin-dependent
    Uid   = Uii_x + Uid_i  = (Vm0*(1 + beta*Y) + Vmx*(1 + alpha*E)*(X + Ib) - Vmx*Ib)*Gt/(Km+Gt)

``X + Ib`` is the total remote insulin (X is insulin above basal): exercise multiplies the whole
insulin action, so the effect is present even at fasting insulin. The ``max(0, .)`` only keeps Km
non-negative (it is inactive for gamma*E*(X + Ib) < 1, i.e. everywhere in normal use).

Post-exercise memory: a continuous form of Breton's Z and W
-----------------------------------------------------------
Dalla Man 2009 (model C) uses Breton's ``dZ/dt = -(f(Y)/T_in + 1/T_ex)*Z + f(Y)`` (T_in = 1 min,
T_ex = 600 min) and the exercise dose ``dW/dt = HR - HRb``, with W *reset to 0 when Z returns to
0*, and insulin action scaled by (1 + alpha*Z*W). Only the product P = Z*W enters Uid. Exactly,

    dP/dt = Z*dHR - P/T_ex + f(Y)*W*(1 - Z)/T_in

(reading Z's equation dimensionally as f*(1 - Z)/T_in - Z/T_ex, numerically identical for the
published T_in = 1 min). During a bout Z reaches its plateau Z* = f/(f + T_in/T_ex) within about
T_in/f = 1 min; there the last term equals W*f/(f*T_ex + T_in) = P/T_ex and cancels the leak, and
Z*dHR = dHR. After the bout Y and f fall to 0, the last term vanishes and P decays with T_ex.
endotwin therefore integrates E := P directly,

    dE/dt = dHR - (1 - f(Y))*E/T_ex                              [bpm*min]

which has no reset and no threshold: E returns to 0 continuously, which is what the reset does
for W. Equivalence (checked numerically with both systems, 45 min at 60%: E/(Z*W) - 1 stays within
0.2% from the end of the bout to 24 h): the residual is O(T_in/duration) at the onset and
O(T_HR/T_ex) while f switches off. The two forms differ for bouts closer together than the reset
(Z not yet ~0): Breton's W then restores the earlier dose in full when Z is recharged, whereas E
carries only its decayed remainder, E = sum_k W_k*exp(-(t - t_k)/T_ex). T_in does not appear.

Muscle glycogen (explicit pool, whole body)
-------------------------------------------
::

    MGb   = MG_per_kg*BW                                         [g]     (Jensen 2011: ~500 g)
    D     = 1 - MG/MGb                                           [1]     relative deficit
    R_ox  = BW*k_gly*max(0, I - I_gly0)*(MG/MGb)/1000            [g/min] oxidation in exercise
    Ux_i  = alpha*E*Vmx*(X + Ib)*Gt/(Km + Gt)                    [mg/kg/min] exercise-raised
                                                                         insulin-dependent uptake
    R_syn = BW*(Uid_i*D + phi_gly*Ux_i*(1 - D))/1000             [g/min] net storage from uptake
    dMG/dt = R_syn - R_ox

* Oxidation is negligible below about 25% VO2max and rises with intensity (Romijn 1993); the
  linear law above ``I_gly0`` has one calibrated coefficient ``k_gly`` (target ~1 g/min at 60%,
  see the parameter's ``calibrated`` field: Watt 2002). Scaling by MG/MGb (glycogenolysis grows
  with the glycogen content, Hargreaves et al. 1995) keeps the pool positive.
* Storage has two parts. (i) The post-exercise rise of insulin-stimulated uptake serves glycogen
  repletion (Jensen 2011): a fraction ``phi_gly`` of it, 70-90% of insulin-stimulated glucose
  disposal being stored as muscle glycogen (Jensen 2011, clamp data), is stored. (ii) Autoregulation
  of glycogen synthase by the glycogen content (Danforth 1965; Jensen 2011: feedback inhibition
  prevents accumulation): the deficit fraction D of the insulin-dependent uptake is stored, and
  when the pool is above MGb (supercompensation) the same term returns it at that rate. Written as
  Uid_i*D + phi_gly*Ux_i*(1 - D), storage never exceeds the uptake that feeds it (phi_gly <= 1).
  Meals speed both parts (through X); without exercise E = 0 and D = 0, so nothing is stored: in a
  weight-stable resting person net muscle-glycogen storage is taken as zero (storage after meals
  and use between them are not resolved by this pool).
* The pool is downstream of the glucose equations (glycogenolysis is intramuscular, storage is
  part of Uid), so it does not alter glucose or insulin; it is a tracked store with outputs.

Reduction at rest
-----------------
With no exercise (I = 0 from t = 0): dHR = 0, Y = E = 0 and MG = MGb stay at their initial values
(every derivative is exactly 0), Km = Km0*max(0, 1) = Km0, Uii_x = 0 and
Uid = (Vm0 + Vmx*X)*Gt/(Km0 + Gt): the Dalla Man 2007 equations exactly, so the basal steady state
and every no-exercise simulation are unchanged.

Scope and limitations
---------------------
* Dalla Man 2009 fitted alpha, beta, gamma to type-1 diabetic data (insulin infused, not secreted);
  they are used unchanged for the normal and type-2 sets (an extrapolation). A consistency check
  for healthy people: beta*Y = +60-70% of Vm0 at 60% intensity, inside the +67-97% rise of
  insulin-independent uptake that Romeres et al. 2021 estimated in healthy subjects at 65% VO2max.
* The insulin-action effect is linear in the dose (1 + alpha*E, as 1 + alpha*Z*W in model C) and
  unbounded: 45 min at 60% gives a factor of ~1.8, but 10 h at VO2max would give ~19. The model
  was identified on moderate bouts; long or maximal exercise is an extrapolation.
* Light exercise below ``I_gly0`` oxidises no glycogen but still raises insulin action, so a
  little glycogen is stored above MGb (e.g. +6 g after 60 min at 20% and a meal), which the
  autoregulation term returns slowly (time constant MGb/(BW*Uid_i), about 1.5-4 days).
* No exercise-driven rise of hepatic glucose output (Roy & Parker 2007 model it); in healthy people
  EGP rises to match uptake during moderate exercise, so glucose falls more here than in vivo.
* The glycogen pool is whole-body (no separate exercising/resting muscle, no liver glycogen).
  Compare its refilling rate with local measurements in exercised muscle: ~4.5 (untrained) to
  10.5 (trained) mmol/kg wet muscle/h over 6 h after depleting exercise (Greiwe et al. 1999),
  ~5-7 with carbohydrate right after exercise (Ivy 1988), i.e. roughly 8-20 g/h over ~12 kg of
  leg muscle.
  Here (normal set, 78 kg, 45 min at 60%: -42 g) storage peaks at ~6 g/h after a meal and three
  meals refill ~94% of the deficit within 24 h (~36% without food): the lower end of those rates.
* The paper's table was not readable here; alpha, beta, gamma and T_ex agree between two
  independent transcriptions, T_HR, a, n come from one (LoopInsighT1). See the parameter sources.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..errors import InputError
from ..model import Component, Derived, Output, Quantity, sym

Array = np.ndarray

Y, E, MG = sym("Y_ex"), sym("E_ex"), sym("MG")
I_ex = sym("exercise_intensity")
T_HR, T_ex, a, n = sym("T_HR"), sym("T_ex"), sym("ex_a"), sym("ex_n")
alpha, beta, gamma = sym("ex_alpha"), sym("ex_beta"), sym("ex_gamma")
HRrest, HRmax, MGb = sym("HRrest"), sym("HRmax"), sym("MGb")
k_gly, I_gly0, BW, phi = sym("k_gly"), sym("I_gly0"), sym("BW"), sym("phi_gly")
Vm0, Vmx, Km0, Gt, X, Ib = (sym(s) for s in ("Vm0", "Vmx", "Km0", "Gt", "X", "Ib"))
d_hr, HR, f_y, Km = sym("dHR"), sym("HR"), sym("f_Y"), sym("Km_ex")
Uii_x, Uid_i, Uid, R_ox, R_syn = (sym(s) for s in ("Uii_x", "Uid_i", "Uid", "R_ox", "R_syn"))
Ux_i, D = sym("Ux_i"), sym("D_gly")


def _derive(p: dict[str, Array]) -> dict[str, Array]:
    hrmax = 208.0 - 0.7 * p["age_yr"]
    bad = hrmax <= p["HRrest"]
    if np.any(bad):
        i = int(np.argmax(np.broadcast_to(bad, np.shape(hrmax))))
        raise InputError(
            "HRrest",
            float(np.broadcast_to(p["HRrest"], np.shape(hrmax))[i]),
            f"below the age-predicted maximum {float(np.ravel(hrmax)[i]):.0f} bpm "
            "(208 - 0.7*age, Tanaka 2001)",
        )
    return {"HRmax": hrmax, "MGb": p["MG_per_kg"] * p["BW"], "Vm0_ex": p["Vm0"]}


def exercise_effects() -> Component:
    """Acute exercise on glucose uptake and insulin action (Dalla Man 2009) + muscle glycogen.

    Must come after :func:`~endotwin.components.glucose.glucose_kinetics` (it replaces ``Uid``).
    """
    u = sp.Max(0, Y) / (a * HRrest)
    sat = Gt / (Km + Gt)
    return Component(
        name="acute exercise",
        description=(
            "heart-rate driven insulin-independent uptake and post-exercise insulin action "
            "(Breton 2008 / Dalla Man 2009 model C, continuous form) and muscle glycogen"
        ),
        citations=(
            "DallaMan2009",
            "Breton2008",
            "Swain1997",
            "Tanaka2001",
            "Jensen2011",
            "Romijn1993",
            "Watt2002",
            "Danforth1965",
            "Hargreaves1995",
        ),
        states=(
            Quantity("Y_ex", "bpm", "exercise heart-rate signal Y (Breton 2008)"),
            Quantity("E_ex", "bpm*min", "post-exercise insulin-action memory E = Z*W"),
            Quantity("MG", "g", "whole-body muscle glycogen"),
        ),
        parameters=(
            Quantity("T_HR", "min", "time constant of the heart-rate signal Y"),
            Quantity("T_ex", "min", "decay time of the post-exercise insulin action"),
            Quantity("ex_a", "1", "switch threshold of f(Y) as a fraction of HRrest"),
            Quantity("ex_n", "1", "Hill exponent of f(Y)"),
            Quantity("ex_beta", "1/bpm", "insulin-independent uptake rise per bpm of Y"),
            Quantity("ex_alpha", "1/(bpm*min)", "insulin-action rise per unit of E"),
            Quantity("ex_gamma", "1/(bpm*min*pmol/L)", "Km fall per unit of E*(X + Ib)"),
            Quantity("age_yr", "yr", "age (sets the age-predicted maximal heart rate)"),
            Quantity("HRrest", "bpm", "resting heart rate"),
            Quantity("MG_per_kg", "g/kg", "resting muscle glycogen per kg body weight"),
            Quantity("I_gly0", "1", "intensity below which glycogen is not oxidised"),
            Quantity("k_gly", "mg/kg/min", "glycogen oxidation per unit intensity above I_gly0"),
            Quantity("phi_gly", "1", "stored fraction of exercise-raised insulin-driven uptake"),
            Quantity("BW", "kg", "body weight"),
        ),
        derived_parameters=(
            Quantity("HRmax", "bpm", "age-predicted maximal heart rate (Tanaka 2001)"),
            Quantity("MGb", "g", "resting whole-body muscle glycogen"),
            Quantity(
                "Vm0_ex",
                "mg/kg/min",
                "scale of contraction-stimulated uptake (= Vm0 of the parameter set; a separate "
                "name so that insulin resistance does not lower it: contraction-stimulated "
                "uptake is preserved in insulin-resistant muscle)",
            ),
        ),
        inputs=(
            Quantity("exercise_intensity", "1", "fraction of the VO2 reserve (0 rest, 1 max)"),
        ),
        derived=(
            Derived("dHR", I_ex * (HRmax - HRrest), "bpm", "heart rate above rest (Swain 1997)"),
            Derived("HR", HRrest + d_hr, "bpm", "heart rate at the current intensity"),
            Derived("f_Y", u**n / (1 + u**n), "1", "exercise switch f(Y) (Breton 2008)"),
            Derived(
                "Km_ex",
                Km0 * sp.Max(0, 1 - gamma * E * (X + Ib)),
                "mg/kg",
                "Michaelis constant of uptake with exercise (Dalla Man 2009)",
            ),
            Derived(
                "Uii_x",
                beta * Y * sym("Vm0_ex") * sat,
                "mg/kg/min",
                "insulin-independent exercise uptake (Dalla Man 2009, beta*Y)",
            ),
            Derived(
                "Ux_i",
                alpha * E * Vmx * (X + Ib) * sat,
                "mg/kg/min",
                "insulin-dependent uptake added by the post-exercise insulin action",
            ),
            Derived(
                "Uid_i",
                (Vm0 + Vmx * X) * sat + Ux_i,
                "mg/kg/min",
                "insulin-dependent uptake with post-exercise insulin action",
            ),
            Derived("Uid", Uii_x + Uid_i, "mg/kg/min", "glucose utilisation with exercise"),
            Derived(
                "R_ox",
                BW * k_gly * sp.Max(0, I_ex - I_gly0) * (MG / MGb) / 1000,
                "g/min",
                "muscle glycogen oxidation",
            ),
            Derived("D_gly", 1 - MG / MGb, "1", "relative muscle-glycogen deficit"),
            Derived(
                "R_syn",
                BW * (Uid_i * D + phi * Ux_i * (1 - D)) / 1000,
                "g/min",
                "net muscle glycogen storage from insulin-dependent uptake",
            ),
        ),
        replaces=("Uid",),
        rhs={
            "Y_ex": -(Y - d_hr) / T_HR,
            "E_ex": d_hr - (1 - f_y) * E / T_ex,
            "MG": R_syn - R_ox,
        },
        initial={"Y_ex": 0.0, "E_ex": 0.0, "MG": MGb},
        outputs=(
            Output("Exercise intensity [1]", I_ex, "fraction of the VO2 reserve"),
            Output("Heart rate [bpm]", HR, "HRrest + I*(HRmax - HRrest), steady state"),
            Output("Exercise heart-rate signal [bpm]", Y, "Breton's Y"),
            Output("Exercise insulin-action memory [bpm*min]", E, "E = Z*W"),
            Output(
                "Exercise insulin-action factor [1]",
                1 + alpha * E,
                "multiplier of total insulin action on uptake, 1 + alpha*E",
            ),
            Output(
                "Exercise glucose uptake [mg/kg/min]",
                Uid - (Vm0 + Vmx * X) * Gt / (Km0 + Gt),
                "uptake above what the resting equations give at the same Gt and X",
            ),
            Output(
                "Insulin-independent exercise uptake [mg/kg/min]",
                Uii_x,
                "beta*Y*Vm0*Gt/(Km + Gt)",
            ),
            Output("Muscle glycogen [g]", MG, "whole-body muscle glycogen"),
            Output("Muscle glycogen oxidation [g/min]", R_ox, "R_ox"),
            Output("Muscle glycogen storage [g/min]", R_syn, "R_syn (net; < 0 above MGb)"),
        ),
        derive=_derive,
    )
