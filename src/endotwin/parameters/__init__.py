"""Parameter sets: every value with its unit, plausible bounds and source."""

from .parameter_set import (
    Parameter,
    ParameterSet,
    get_parameter_set,
    list_parameter_sets,
    merge_parameter_sets,
)

__all__ = [
    "Parameter",
    "ParameterSet",
    "get_parameter_set",
    "list_parameter_sets",
    "merge_parameter_sets",
]
