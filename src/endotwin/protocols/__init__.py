"""Lifestyle protocols: typed steps, the protocol language, and compilation to model inputs."""

from .compile import CompiledProtocol, DayPlan, compile_protocol
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
    "CompiledProtocol",
    "DayPlan",
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
    "compile_protocol",
    "parse_protocol",
]
