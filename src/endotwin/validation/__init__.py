"""Validation: published human studies as data, run on virtual populations, with a report.

``endotwin validate`` (CLI) or :func:`run_validation` runs the studies in
``endotwin/validation/studies/*.yaml``; :func:`write_validation_report` writes the evidence.
The submodules load lazily, so reading results does not import the simulator.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .results import OutcomeResult, StudyResult, Trajectory, ValidationRun

_LAZY = {
    "run_study": "runner",
    "run_validation": "runner",
    "Study": "study",
    "all_studies": "study",
    "get_study": "study",
    "load_study": "study",
    "write_validation_report": "report",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)


__all__ = [
    "OutcomeResult",
    "Study",
    "StudyResult",
    "Trajectory",
    "ValidationRun",
    "all_studies",
    "get_study",
    "load_study",
    "run_study",
    "run_validation",
    "write_validation_report",
]
