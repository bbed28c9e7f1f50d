"""The whole-person appetite feedback survives the leptin-resistance layer (Polidori 2016).

Polidori et al. 2016 measured ~100 kcal/day of extra intake per kg of weight lost (``g_P``):
a whole-person number that includes any change of hypothalamic leptin sensitivity. The check
evaluates the coupled model's own hunger expression at a weight-reduced steady state (fat lost,
lean lost by Forbes' rule, SOCS3 and CRP at their steady-state targets, ER stress and the leptin
fast factor back at baseline) and requires the hunger per kg lost to equal ``g_P``, for a lean
and an obese person. Before ``leptin_feedback_gain`` the resistance layer cancelled most of it.
"""

from __future__ import annotations

import pytest
import sympy as sp

import endotwin as et
from endotwin.model import sym
from endotwin.models import physiology_model


def _inlined(model, name: str) -> sp.Expr:
    subs: dict[sp.Symbol, sp.Expr] = {}
    for d in model.derived:
        subs[sym(d.name)] = d.expr.xreplace(subs)
    return subs[sym(name)]


@pytest.mark.parametrize("weight_kg", [62.0, 120.0])
def test_hunger_per_kg_lost_is_polidori_with_resistance_acting(weight_kg: float) -> None:
    m = physiology_model()
    person = et.Person(
        weight_kg=weight_kg, sex="female", age=50, height_cm=165, parameters={"G_mean0": 100.0}
    )
    vals = {
        k: float(v[0])
        for k, v in m.derive_parameters(person.parameter_values(m.parameter_names)).items()
    }
    hunger = _inlined(m, "hunger_drive")
    socs3_target = _inlined(m, "SOCS3_target")
    crp_target = _inlined(m, "CRP_target")
    bw_t = _inlined(m, "BW_t")
    f0, l0, forbes = vals["F0"], vals["L0"], vals["forbes_const"]
    lost_fat = 1.5
    state = {
        "Fat": f0 - lost_fat,
        "Lean": l0 - forbes * sp.log(f0 / (f0 - lost_fat)),  # Forbes: dL/dF = 10.4/F
        "Gly": vals["Gly0"],
        "ECF": vals["ECF0"],
        "ER_stress": 1.0,
        "lep_E": vals["leptin_E_habitual"],
    }
    inputs = {n: 0.0 for n in m.input_names}
    base = {**vals, **inputs, **state}
    base = {sym(k): v for k, v in base.items()}
    crp = float(crp_target.xreplace(base | {sym("CRP"): vals["CRP0"], sym("Mito"): 1.0}))
    base[sym("CRP")] = crp
    base[sym("Mito")] = 1.0
    base[sym("SOCS3")] = float(socs3_target.xreplace(base))
    free = hunger.xreplace(base).free_symbols
    assert not free, free
    kg_lost = weight_kg - float(bw_t.xreplace(base))
    per_kg = float(hunger.xreplace(base)) / kg_lost
    assert per_kg == pytest.approx(vals["g_P"], rel=0.05)
    assert vals["leptin_feedback_gain"] > 1.5  # the resistance layer does offset the leptin fall
