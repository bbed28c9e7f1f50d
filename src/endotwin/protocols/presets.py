"""Named diets (``presets.yaml``: composition and sources) and the activity words.

A preset is data: each number in ``presets.yaml`` names its source (``docs/research/
protocols.md``). The grammar's ``PRESET`` terminal is built from the aliases, so adding a diet
needs no grammar change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import yaml

from ..citations import Citation, register

for _c in (
    Citation(
        "Shan2019",
        "Shan Z, Rehm CD, Rogers G, et al. Trends in dietary carbohydrate, protein, and fat "
        "intake and diet quality among US adults, 1999-2016. JAMA 322(12):1178-1187, 2019.",
        "10.1001/jama.2019.13771",
    ),
    Citation(
        "Wambogo2023",
        "Wambogo EA, Ansai N, Terry A, Fryar C, Ogden C. Saturated fat intake in the US "
        "population, NHANES 2017-March 2020. J Nutr 153(9):2689-2698, 2023.",
    ),
    Citation(
        "HoyGoldman2014",
        "Hoy MK, Goldman JD. Fiber intake of the U.S. population: What We Eat in America, NHANES "
        "2009-2010. Food Surveys Research Group Dietary Data Brief No. 12, USDA, 2014.",
    ),
    Citation(
        "DellaCorte2024",
        "Della Corte KA, Della Corte D, Titensor S, Yang B, Liu S. Dietary glycemic index and "
        "glycemic load among US adults, NHANES 1999-2018. Am J Clin Nutr, 2024.",
        "10.1016/j.ajcnut.2024.06.001",
    ),
    Citation(
        "Juul2022",
        "Juul F, Parekh N, Martinez-Steele E, Monteiro CA, Chang VW. Ultra-processed food "
        "consumption among US adults from 2001 to 2018. Am J Clin Nutr 115(1):211-221, 2022.",
        "10.1093/ajcn/nqab305",
    ),
    Citation(
        "Hall2019",
        "Hall KD, Ayuketah A, Brychta R, et al. Ultra-processed diets cause excess calorie "
        "intake and weight gain: an inpatient randomized controlled trial of ad libitum food "
        "intake. Cell Metab 30(1):67-77, 2019.",
        "10.1016/j.cmet.2019.05.008",
    ),
    Citation(
        "King2007",
        "King DE, Egan BM, Woolson RF, Mainous AG, Al-Solaiman Y, Jesri A. Effect of a high-fiber "
        "diet vs a fiber-supplemented diet on C-reactive protein level. Arch Intern Med "
        "167(5):502-506, 2007.",
        "10.1001/archinte.167.5.502",
    ),
    Citation(
        "BowmanClemens2022",
        "Bowman SA, Clemens JC. Saturated fat intake of U.S. adults: What We Eat in America, "
        "NHANES 2017-2018. Food Surveys Research Group Dietary Data Brief No. 43, USDA, 2022.",
    ),
):
    register(_c)


@dataclass(frozen=True)
class Preset:
    """A named diet: energy shares [% of energy], fibre [g/day], GI [glucose = 100]."""

    key: str
    phrase: str
    aliases: tuple[str, ...]
    description: str
    carbs_pct: float
    fat_pct: float
    protein_pct: float
    sat_fat_pct: float
    fibre_g: float
    glycaemic_index: float
    ultra_processed_pct: float
    sources: tuple[str, ...]


def _norm(name: str) -> str:
    return re.sub(r"[\s\-]+", " ", name.strip().lower())


@lru_cache(maxsize=1)
def _load() -> dict[str, Preset]:
    raw = yaml.safe_load(files("endotwin.protocols").joinpath("presets.yaml").read_text())
    out = {}
    for key, d in raw.items():
        out[key] = Preset(
            key=key,
            phrase=d["phrase"],
            aliases=tuple(d["aliases"]),
            description=" ".join(str(d["description"]).split()),
            **{
                k: float(d[k])
                for k in (
                    "carbs_pct",
                    "fat_pct",
                    "protein_pct",
                    "sat_fat_pct",
                    "fibre_g",
                    "glycaemic_index",
                    "ultra_processed_pct",
                )
            },
            sources=tuple(d["sources"]),
        )
    return out


def presets() -> dict[str, Preset]:
    """The named diets, by key."""
    return _load()


HABITUAL = "standard-western"
WHOLE_FOOD = "whole-food"


def preset_key(name: str) -> str:
    """The preset key for a name, key or alias (``"Mediterranean diet"`` -> ``"whole-food"``)."""
    n = _norm(name)
    for key, p in _load().items():
        if n == _norm(key) or n in {_norm(a) for a in p.aliases} or n == _norm(p.phrase):
            return key
    known = sorted(p.phrase for p in _load().values())
    raise ValueError(f"unknown diet {name!r}; known diets: {known}")


def preset_regex() -> str:
    """The grammar's PRESET terminal: every alias, spaces and hyphens interchangeable."""
    names = sorted({a for p in _load().values() for a in (*p.aliases, p.phrase)}, key=len)[::-1]
    alts = [r"[\s\-]+".join(re.escape(w) for w in re.split(r"[\s\-]+", n)) for n in names]
    return "/(" + "|".join(alts) + r")\b/i"


#: activity words of the language -> Exercise.activity
_ACTIVITIES = (
    (r"(strength|resistance|weight)[\s-]?training|strength|weights", "strength"),
    (r"hiit|high[\s-]intensity\s+interval\s+training|interval\s+training", "hiit"),
    (r"(brisk\s+)?walk(ing|s)?", "walk"),
    (r"aerobic(\s+exercise)?|running|jogging|cycling|swimming|cardio", "aerobic"),
)


def activity_key(word: str) -> str:
    """``"resistance training"`` -> ``"strength"``, ``"brisk walking"`` -> ``"walk"``, ..."""
    for pattern, key in _ACTIVITIES:
        if re.fullmatch(pattern, word.strip(), flags=re.IGNORECASE):
            return key
    raise ValueError(f"unknown activity {word!r}")
