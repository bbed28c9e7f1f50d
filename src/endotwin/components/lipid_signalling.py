"""Diacylglycerol -> PKC -> IRS-1 serine phosphorylation (muscle and liver), with JNK/IKK.

The article: excess nutrients, particularly saturated fat, accumulate diacylglycerol (DAG) in
muscle and liver; DAG activates PKC, which, like JNK/IKK, phosphorylates IRS-1 on serine and
blocks insulin signalling. Relative to the person's baseline (1 at t = 0)::

    DAG* = exp(k_EB*energy_balance + k_sfa*sat_fat_change - k_switch*switch)
           * Mito^(-e_DAG_mito*a_mit) * (Fat/F0)^e_DAG_fat
    switch = softplus(1 - Gly/Gly0 - d12; width 0.02)      metabolic switch: glycogen deficit
                                                           beyond that of a 12-h fast
    dDAG/dt = (DAG* - DAG)/tau_DAG
    PKC = DAG                                  (DAG and PKC rose together ~4-fold, Itani 2002)
    IRS1_serP  = w_JNK*JNK_IKK^a_inf + (1 - w_JNK)*PKC^a_lip      [x baseline]
    IRS1_signal = IRS1_serP^(-e_IRS)           insulin signal through IRS-1 (muscle)
    hepatic_IRS_signal = (PKC^a_lip)^(-e_IRS)  liver: lipid (PKC-epsilon) path only; TNF-alpha
                                               infusion caused muscle, not hepatic, insulin
                                               resistance (Plomgaard 2005)

- energy surplus raises and deficit lowers the lipid load (``energy_balance``, daily filtered);
- ``sat_fat_change`` (input): change of saturated fat from habitual [% of energy];
- metabolic switching: beyond ~12 h without food (Anton 2018) glycogen depletion shifts fuel use
  to fat oxidation and lowers DAG. d12 is the glycogen deficit of Hall's glycogen equation after
  12 h of fasting from baseline, 1 - 1/(1 + 0.5 d * CIb/(Gly0*rho_G)) (the closed-form solution
  of rho_G*G' = -kG*G^2 with kG = CIb/Gly0^2), so the habitual overnight fast barely switches
  and the 16-h fast of 16:8 eating does;
- oxidative capacity clears DAG (moderate training lowered DAG 29%, Dube 2008). This is the
  model's only path from oxidative capacity to insulin action: the direct term on uptake
  (:mod:`~endotwin.components.insulin_sensitivity`, ``e_mito``) is 0, because mitochondrial
  content itself does not set insulin action (Holloszy 2009), and with both paths the 12-week
  training of Houmard 1996 raised peripheral sensitivity 2.97-fold against its measured 1.9-fold
  S_I (``e_mito``'s source);
- ectopic lipid follows adiposity: liver and muscle lipid (and their DAG) are larger the larger
  the fat mass, and hepatic DAG is the best predictor of insulin resistance in people (Kumashiro
  2011). ``e_DAG_fat`` is calibrated so that, once weight is stable again, the model's fasting
  HOMA-IR changes with fat mass as HOMA-IR differs across body-fat quintiles in NHANES
  (Martinez 2017, Table 5; ``scripts/calibrate_fat_dag.py``);
- a_inf, a_lip, a_mit are the attribution switches ``attr_inflammation``, ``attr_lipid``,
  ``attr_mitochondria`` (1 normally).
"""

from __future__ import annotations

import sympy as sp

from ..model import Array, Component, Derived, Output, Quantity, sym

_D = 1440.0


def _derive(p: dict[str, Array]) -> dict[str, Array]:
    rate = p["CIb"] / (p["Gly0"] * p["rho_G"])  # 1/day
    return {"switch_d12": 1.0 - 1.0 / (1.0 + 0.5 * rate)}


def lipid_signalling() -> Component:
    """DAG, PKC and IRS-1 serine phosphorylation."""
    DAG = sym("DAG")
    target = (
        sp.exp(
            sym("k_DAG_EB") * sym("energy_balance")
            + sym("k_DAG_sfa") * sym("sat_fat_change")
            - sym("k_switch") * sym("metabolic_switch")
        )
        * sym("Mito") ** (-sym("e_DAG_mito") * sym("attr_mitochondria"))
        * (sym("Fat") / sym("F0")) ** sym("e_DAG_fat")
    )
    pkc = sym("PKC")
    serp = sym("w_JNK") * sym("JNK_IKK") ** sym("attr_inflammation") + (1 - sym("w_JNK")) * (
        pkc ** sym("attr_lipid")
    )
    return Component(
        name="lipid signalling",
        description="diacylglycerol -> PKC and JNK/IKK -> IRS-1 serine phosphorylation",
        citations=("Itani2002", "Dube2008", "Anton2018", "Kumashiro2011", "Martinez2017"),
        states=(Quantity("DAG", "1", "muscle/liver diacylglycerol relative to baseline"),),
        parameters=tuple(
            Quantity(n, u, d)
            for n, u, d in [
                ("tau_DAG", "day", "time constant of DAG"),
                ("k_DAG_EB", "1", "log-DAG per unit energy balance"),
                ("k_DAG_sfa", "1/%E", "log-DAG per %energy saturated fat"),
                ("k_switch", "1", "log-DAG fall per unit glycogen deficit"),
                ("e_DAG_mito", "1", "exponent of oxidative capacity in DAG clearance"),
                ("e_DAG_fat", "1", "exponent of fat mass in ectopic lipid (DAG)"),
                ("w_JNK", "1", "JNK/IKK share of IRS-1 Ser-P"),
                ("e_IRS", "1", "insulin-signal exponent of IRS-1 Ser-P"),
                ("attr_inflammation", "1", "attribution switch: inflammation"),
                ("attr_lipid", "1", "attribution switch: lipids"),
                ("attr_mitochondria", "1", "attribution switch: oxidative capacity"),
            ]
        ),
        inputs=(Quantity("sat_fat_change", "%E", "saturated fat change from habitual (% energy)"),),
        derived_parameters=(
            Quantity("switch_d12", "1", "glycogen deficit after a 12-h fast from baseline"),
        ),
        derived=(
            Derived(
                "metabolic_switch",
                sp.Float(0.02)
                * sp.log(1 + sp.exp((1 - sym("Gly") / sym("Gly0") - sym("switch_d12")) / 0.02)),
                "1",
                "glycogen deficit beyond a 12-h fast (fat-oxidation switch)",
            ),
            Derived("DAG_target", target, "1", "steady-state DAG for the current drivers"),
            Derived("PKC", DAG, "1", "PKC activity relative to baseline"),
            Derived("IRS1_serP", serp, "1", "IRS-1 serine phosphorylation relative to baseline"),
            Derived(
                "IRS1_signal", sym("IRS1_serP") ** (-sym("e_IRS")), "1", "IRS-1 insulin signal"
            ),
            Derived(
                "hepatic_IRS_signal",
                (pkc ** sym("attr_lipid")) ** (-sym("e_IRS")),
                "1",
                "hepatic IRS insulin signal (PKC path)",
            ),
        ),
        rhs={"DAG": (sym("DAG_target") - DAG) / sym("tau_DAG") / _D},
        derive=_derive,
        initial={"DAG": 1.0},
        outputs=(
            Output("Diacylglycerol [x baseline]", DAG, "muscle/liver DAG"),
            Output("PKC activity [x baseline]", pkc, "= DAG"),
            Output("IRS-1 serine phosphorylation [x baseline]", sym("IRS1_serP"), "IRS1_serP"),
            Output("Metabolic switch [1]", sym("metabolic_switch"), "glycogen deficit beyond 12 h"),
        ),
    )
