"""Assembled models (compositions of components) available to ``simulate``."""

from __future__ import annotations

from functools import cache

from .components.glucose import glucose_kinetics
from .components.insulin import insulin_kinetics
from .components.meal import meal_absorption
from .components.secretion import insulin_secretion
from .components.steady_state import fasting_steady_state
from .model import Model


@cache
def meal_model() -> Model:
    """Dalla Man 2007 meal model for non-diabetic and type-2 people (endogenous secretion)."""
    return Model(
        "dallaman2007",
        [
            meal_absorption(),
            insulin_kinetics(),
            insulin_secretion(),
            fasting_steady_state(),
            glucose_kinetics(),
        ],
    )
