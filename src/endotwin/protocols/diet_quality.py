"""Diet quality -> the model's diet signals (food-quality position, saturated fat, GI).

The person's habitual diet is the average US adult diet (preset ``standard western diet``). The
inflammation layer's ``whole_food_diet`` input is the position of the diet on the way from that
diet (0) to the whole-food diet of Esposito 2004 (1), on which its CRP effect was measured
(:mod:`endotwin.components.inflammation`). A diet names its quality by a preset, by its
ultra-processed share, by its fibre, or by several of these; each indicator x gives a position::

    position = (x - x_western) / (x_whole_food - x_western)

with the anchors of ``presets.yaml`` (ultra-processed 57% -> 0% of energy, Juul 2022 -> Hall
2019; fibre 16 -> 27.7 g/day, NHANES -> King 2007). The signal is the mean of the positions of
the indicators the diet gives (a preset supplies the ones not given), each held within [0, 1]:
beyond the anchors no data calibrate the effect, and the compiler reports every held value in
its notes. The equal weighting is an ASSUMPTION (docs/mechanisms.md, open assumptions).
"""

from __future__ import annotations

from dataclasses import dataclass

from .glycaemic_index import gi_habitual, gut_rate_for_gi
from .presets import HABITUAL, WHOLE_FOOD, presets
from .steps import Diet

QUALITY_INDICATORS = (("ultra_processed_pct", "% ultra-processed"), ("fibre_g", "g/day fibre"))


@dataclass(frozen=True)
class DietSignals:
    """What a diet step sets in the model (per adherent day)."""

    carbs_frac: float
    fat_frac: float
    protein_frac: float
    whole_food_diet: float
    sat_fat_change: float
    glycaemic_index: float
    gut_rate: float
    notes: tuple[str, ...] = ()


def _composition(diet: Diet | None, habitual: tuple[float, float, float]) -> tuple[float, ...]:
    """Energy fractions (carbs, fat, protein): given shares fixed, the rest split in proportion
    to the preset's (or else the person's habitual) shares."""
    base = habitual
    if diet is not None and diet.preset is not None:
        p = presets()[diet.preset]
        base = (p.carbs_pct / 100, p.fat_pct / 100, p.protein_pct / 100)
    given = (
        (None, None, None)
        if diet is None
        else tuple(
            None if v is None else v / 100 for v in (diet.carbs_pct, diet.fat_pct, diet.protein_pct)
        )
    )
    fixed = sum(g for g in given if g is not None)
    free = [b for g, b in zip(given, base, strict=True) if g is None]
    scale = (1.0 - fixed) / sum(free) if free and sum(free) > 0 else 0.0
    return tuple(g if g is not None else b * scale for g, b in zip(given, base, strict=True))


def diet_signals(
    diet: Diet | None,
    habitual: tuple[float, float, float],
    energy_kcal: float | None = None,
    carbs_g_per_day: float | None = None,
) -> DietSignals:
    """The model inputs for ``diet`` (None = the habitual diet).

    habitual: the person's habitual energy fractions (carbs, fat, protein).
    energy_kcal, carbs_g_per_day: energy and carbohydrate of a full day (carbohydrate defaults to
        the diet's share of the energy), to turn a glycaemic load into a GI.
    """
    comp = _composition(diet, habitual)
    west, whole = presets()[HABITUAL], presets()[WHOLE_FOOD]
    pre = presets()[diet.preset] if diet is not None and diet.preset is not None else None
    notes: list[str] = []
    positions = []
    for name, unit in QUALITY_INDICATORS:
        x = getattr(diet, name, None) if diet is not None else None
        if x is None and pre is not None:
            x = getattr(pre, name)
        if x is None:
            continue
        pos = (x - getattr(west, name)) / (getattr(whole, name) - getattr(west, name))
        if not 0.0 <= pos <= 1.0:
            held = min(max(pos, 0.0), 1.0)
            notes.append(
                f"{x:g} {unit} lies beyond the anchor diets ({getattr(west, name):g} -> "
                f"{getattr(whole, name):g}); its food-quality position is held at {held:g}"
            )
            pos = held
        positions.append(pos)
    quality = sum(positions) / len(positions) if positions else 0.0
    sat = diet.sat_fat_pct if diet is not None else None
    if sat is None and pre is not None:
        sat = pre.sat_fat_pct
    sat_change = 0.0 if sat is None else sat - west.sat_fat_pct
    gi = gi_habitual()
    if diet is not None and diet.glycaemic_load is not None:
        if carbs_g_per_day is None and energy_kcal is not None:
            carbs_g_per_day = energy_kcal * comp[0] / 4.0
        if not carbs_g_per_day:
            raise ValueError("a glycaemic load needs carbohydrate in the diet")
        gi = 100.0 * diet.glycaemic_load / carbs_g_per_day
    elif pre is not None:
        gi = pre.glycaemic_index
    return DietSignals(
        carbs_frac=comp[0],
        fat_frac=comp[1],
        protein_frac=comp[2],
        whole_food_diet=quality,
        sat_fat_change=sat_change,
        glycaemic_index=gi,
        gut_rate=gut_rate_for_gi(gi),
        notes=tuple(notes),
    )
