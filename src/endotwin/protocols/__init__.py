"""Lifestyle protocols: typed steps, the protocol language, and compilation to model inputs."""

from .parse import parse_protocol
from .steps import (
    Adherence,
    Diet,
    EatingWindow,
    Exercise,
    Meal,
    MealPattern,
    Omega3,
    OneMealADay,
    PeriodicFasting,
    Phase,
    ProlongedFast,
    Protocol,
)

__all__ = [
    "Adherence",
    "Diet",
    "EatingWindow",
    "Exercise",
    "Meal",
    "MealPattern",
    "Omega3",
    "OneMealADay",
    "PeriodicFasting",
    "Phase",
    "ProlongedFast",
    "Protocol",
    "parse_protocol",
]
