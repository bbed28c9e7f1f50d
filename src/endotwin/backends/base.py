"""The backend interface: what every solver backend takes and returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..model import Model


@dataclass
class BackendResult:
    """Raw solver output.

    ``y``: (people, times, saved states); ``status``: 0 = ok, else a failure code;
    ``fail_time``: simulated minute of the failure; ``steps``: accepted+rejected steps per person.
    """

    y: np.ndarray
    status: np.ndarray
    fail_time: np.ndarray
    steps: np.ndarray


STATUS_TEXT = {
    0: "ok",
    1: "maximum number of steps exceeded",
    2: "step size underflow",
    3: "non-finite state (NaN or infinity)",
}


@dataclass(frozen=True)
class SolverOptions:
    """Tolerances and limits shared by the backends (time unit: minutes)."""

    rtol: float = 1e-6
    atol: float = 1e-6
    h_init: float = 1.0
    h_max: float = 60.0
    max_steps: int = 1_000_000


Solve = Callable[..., BackendResult]
BACKENDS: dict[str, Callable[[Model], Solve]] = {}


def register_backend(name: str) -> Callable[[Callable[[Model], Solve]], Callable[[Model], Solve]]:
    def deco(factory: Callable[[Model], Solve]) -> Callable[[Model], Solve]:
        BACKENDS[name] = factory
        return factory

    return deco


def get_backend(name: str, model: Model) -> Solve:
    """Return the solve function of backend ``name`` compiled for ``model``."""
    from ..errors import InputError

    if name == "jax":
        from . import jax_backend  # noqa: F401  (registers itself; optional dependency)
    else:
        from . import numba_backend  # noqa: F401
    if name not in BACKENDS:
        raise InputError("backend", name, f"one of {[*sorted(BACKENDS), 'jax']}")
    return BACKENDS[name](model)
