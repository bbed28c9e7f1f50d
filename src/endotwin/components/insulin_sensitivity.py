"""Coupling maps: slow mechanism states -> the meal layer's insulin action and secretion.

Every map is monotone, equals 1 at the person's baseline (the meal-level parameter set describes
the person as they are at t = 0) and is applied through the Model's modulation rule, so the
Dalla Man equations themselves are unchanged. With the attribution switches ``attr_*`` (1
normally; 0 removes a mechanism for counterfactual runs)::

    f_glut4  = GLUT4^(e_GLUT4*a_glut4)             insulin-stimulated uptake (e_GLUT4 calibrated
                                                   on Houmard 1996's S_I, given the IRS-1 relief)
    f_glut4_ex = GLUT4^a_glut4                    contraction uptake, in proportion to content
                                                   (ASSUMPTION; e_GLUT4's calibration is about
                                                   the insulin composite only)
    f_mito   = Mito^(e_mito*a_mito)                e_mito = 0 by default: oxidative capacity acts
                                                   through DAG clearance (lipid_signalling)
    f_muscle = (Lean/L0)^a_muscle                 Hall lean mass (strength training adds to it)
    SI_signal  = IRS1_signal * f_glut4            insulin signalling and GLUT4 translocation
    uptake_cap = f_muscle * f_mito                 muscle mass and oxidative capacity
    f_jak2     = (S*(1 + K)/(S + K))^a_lep         leptin -> JAK2 -> IRS-2 (S = the slow leptin
                                                   signal relative to baseline, fat mass and
                                                   sensitivity without the fast factor of a
                                                   fast (Chan 2003); K = K_JAK2)
    SI_hepatic = hepatic_IRS_signal * f_jak2
    beta_function = BetaMass^a_beta

Modulated meal-layer parameters (Dalla Man 2007 eqs. 10, 15-17, 22-23; Dalla Man 2009)::

    Vm0    -> uptake_cap*(Vm0 + (SI_signal - 1)*Vmx*Ib)   so that uptake is
    Vmx    -> uptake_cap*SI_signal*Vmx                    cap*[(Vm0 - Vmx*Ib) + SI*Vmx*(X + Ib)]:
                                                          the signal scales the *total* insulin
                                                          action Vmx*(X + Ib), as Dalla Man 2009's
                                                          exercise term does, so fasting glucose
                                                          and insulin respond (HOMA-IR emerges)
    Vm0_ex -> Vm0_ex*uptake_cap*f_glut4_ex                contraction uptake: GLUT4 and muscle,
                                                          not insulin signalling
    kp3, kp4 -> SI_hepatic*kp3, SI_hepatic*kp4            insulin suppression of EGP
    beta, Sb -> beta_function*age_second*(beta, Sb)       secretion scales with beta-cell
    K        -> beta_function*age_first*K                 mass, basal secretion included: in
                                                          Topp 2000 secretion is proportional
                                                          to mass, which closes the slow glucose
                                                          homeostat (more sensitivity -> lower
                                                          glucose -> less mass -> less insulin)

``age_first`` and ``age_second`` are the age-related decline of first- and second-phase insulin
release (Szoke 2008, :mod:`~endotwin.components.beta_cell_ageing`).
"""

from __future__ import annotations

from ..model import Component, Derived, Output, Quantity, sym

_SWITCHES = (
    "attr_mitochondria",
    "attr_glut4",
    "attr_muscle_mass",
    "attr_leptin_crosstalk",
    "attr_beta_cell",
)


def insulin_sensitivity_maps() -> Component:
    """Monotone maps from mechanism states to the meal layer's parameters."""
    s = sym("leptin_signal_slow")
    K = sym("K_JAK2")
    sig, cap, hep, bf, fg4 = (
        sym(n) for n in ("SI_signal", "uptake_capacity", "SI_hepatic", "beta_function", "f_glut4")
    )
    Vm0, Vmx, Ib = sym("Vm0"), sym("Vmx"), sym("Ib")
    return Component(
        name="insulin-sensitivity maps",
        description="slow mechanism states scale peripheral and hepatic insulin action and "
        "beta-cell responsivity",
        citations=("DallaMan2007", "DallaMan2009", "Oral2002", "Mittendorfer2011"),
        parameters=(
            Quantity("e_GLUT4", "1", "exponent of GLUT4 content"),
            Quantity("e_mito", "1", "exponent of oxidative capacity"),
            Quantity("K_JAK2", "1", "leptin signal of half-maximal crosstalk"),
            *(Quantity(n, "1", "attribution switch") for n in _SWITCHES),
        ),
        derived=(
            Derived(
                "f_glut4", sym("GLUT4") ** (sym("e_GLUT4") * sym("attr_glut4")), "1", "GLUT4 map"
            ),
            Derived(
                "f_glut4_ex",
                sym("GLUT4") ** sym("attr_glut4"),
                "1",
                "GLUT4 map of contraction uptake",
            ),
            Derived(
                "f_mito",
                sym("Mito") ** (sym("e_mito") * sym("attr_mitochondria")),
                "1",
                "oxidative-capacity map",
            ),
            Derived(
                "f_muscle",
                (sym("Lean") / sym("L0")) ** sym("attr_muscle_mass"),
                "1",
                "muscle-mass map",
            ),
            Derived("SI_signal", sym("IRS1_signal") * fg4, "1", "insulin signalling factor"),
            Derived("uptake_capacity", sym("f_muscle") * sym("f_mito"), "1", "uptake capacity"),
            Derived(
                "f_jak2",
                (s * (1 + K) / (s + K)) ** sym("attr_leptin_crosstalk"),
                "1",
                "leptin -> JAK2 -> IRS-2 crosstalk",
            ),
            Derived("SI_hepatic", sym("hepatic_IRS_signal") * sym("f_jak2"), "1", "hepatic"),
            Derived(
                "beta_function", sym("BetaMass") ** sym("attr_beta_cell"), "1", "beta-cell factor"
            ),
        ),
        modulates={
            "Vm0": cap * (Vm0 + (sig - 1) * Vmx * Ib),
            "Vmx": cap * sig * Vmx,
            "Vm0_ex": sym("Vm0_ex") * cap * sym("f_glut4_ex"),
            "kp3": hep * sym("kp3"),
            "kp4": hep * sym("kp4"),
            "beta": bf * sym("age_second") * sym("beta"),
            "K": bf * sym("age_first") * sym("K"),
            "Sb": bf * sym("age_second") * sym("Sb"),
        },
        outputs=(
            Output(
                "Peripheral insulin sensitivity [x baseline]",
                cap * sig,
                "uptake_capacity*SI_signal",
            ),
            Output("Hepatic insulin sensitivity [x baseline]", hep, "SI_hepatic"),
            Output("Beta-cell function [x baseline]", bf, "beta_function"),
            Output("Insulin signal through IRS-1 [x baseline]", sym("IRS1_signal"), "IRS1"),
            Output("Leptin-insulin crosstalk [x baseline]", sym("f_jak2"), "JAK2 -> IRS-2"),
        ),
    )
