"""Error classes. Every message says what was given, what is accepted and how to fix it."""

from __future__ import annotations


class EndotwinError(Exception):
    """Base class of every error endotwin raises on purpose."""


class InputError(EndotwinError, ValueError):
    """Bad or implausible input at a boundary (person, meal, parameter, file).

    Carries the offending ``field``, the ``value`` given and the ``accepted`` range or form.
    """

    def __init__(self, field: str, value: object, accepted: str, hint: str = "") -> None:
        self.field = field
        self.value = value
        self.accepted = accepted
        self.hint = hint
        msg = f"{field}: got {value!r}; accepted: {accepted}"
        if hint:
            msg += f". {hint}"
        super().__init__(msg)


class ProtocolError(EndotwinError, ValueError):
    """A lifestyle protocol that cannot be parsed or is impossible."""


class SolverError(EndotwinError, RuntimeError):
    """The ODE solver failed (non-finite state, step size underflow or too many steps).

    Names the ``person`` (index and label) and the simulated ``time`` [min] of the failure.
    """

    def __init__(self, person: int | str, time_min: float, reason: str) -> None:
        self.person = person
        self.time_min = time_min
        self.reason = reason
        super().__init__(
            f"solver failed for person {person} at t = {time_min:.3f} min ({reason}). "
            "Check the person's parameters against their bounds, or tighten the tolerances."
        )


class CalibrationError(EndotwinError, RuntimeError):
    """Fitting a twin to data failed or the data cannot identify what was asked."""
