"""endotwin: a mechanistic, multi-scale simulator of the insulin-leptin axis.

Research and education tool; not medical advice.
"""

from .errors import CalibrationError, EndotwinError, InputError, ProtocolError, SolverError
from .parameters import ParameterSet, get_parameter_set, list_parameter_sets
from .person import Person, demo_person
from .protocols import Protocol, compile_protocol, parse_protocol
from .schedule import ExerciseBout, Infusion, Meal, Schedule
from .simulate import simulate, standard_day
from .solution import DISCLAIMER, Solution

__version__ = "0.1.0"


def cite(solution: Solution) -> list[str]:
    """The references behind what ``solution`` simulated (equations, parameters, solver)."""
    return solution.cite()


__all__ = [
    "DISCLAIMER",
    "CalibrationError",
    "EndotwinError",
    "ExerciseBout",
    "Infusion",
    "InputError",
    "Meal",
    "ParameterSet",
    "Person",
    "Protocol",
    "ProtocolError",
    "Schedule",
    "Solution",
    "SolverError",
    "cite",
    "compile_protocol",
    "demo_person",
    "get_parameter_set",
    "list_parameter_sets",
    "parse_protocol",
    "simulate",
    "standard_day",
]
