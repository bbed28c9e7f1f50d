"""One compiled evaluation per parameter point for :func:`scipy.optimize.least_squares`.

The fits compile a single JAX executable ``jac_aux(x, *data) -> (J, (r, *predictions))``
(:func:`jax.jacfwd` with ``has_aux``): one diffrax solve gives the Jacobian, the residuals and
the predictions, which keeps a cold process to one compilation. ``least_squares`` asks for the
residuals and the Jacobian separately at the same point; :class:`ResidualCache` evaluates once
and serves both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

#: residual put in place of a non-finite one (a failed solve), so the trust region shrinks
FAILED_RESIDUAL = 1e6


class ResidualCache:
    """``fun``/``jac`` for least_squares from one jitted ``jac_aux(x, *data)``.

    ``data`` may be replaced between solves (e.g. a re-weighted noise model); setting it
    forgets the cached point.
    """

    def __init__(self, jac_aux: Callable[..., Any], data: tuple) -> None:
        self._jac_aux = jac_aux
        self._data = data
        self._key: bytes | None = None
        self._J: np.ndarray | None = None
        self._aux: tuple[np.ndarray, ...] = ()

    @property
    def data(self) -> tuple:
        return self._data

    @data.setter
    def data(self, value: tuple) -> None:
        self._data, self._key = value, None

    def evaluate(self, x: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
        """(J, (residuals, *predictions)) at ``x``, computed once per point."""
        key = np.asarray(x, dtype=float).tobytes()
        if key != self._key:
            J, aux = self._jac_aux(x, *self._data)
            self._J, self._aux = np.asarray(J), tuple(np.asarray(a) for a in aux)
            self._key = key
        assert self._J is not None
        return self._J, self._aux

    def aux(self, x: np.ndarray) -> tuple[np.ndarray, ...]:
        return self.evaluate(x)[1]

    def fun(self, x: np.ndarray) -> np.ndarray:
        r = self.aux(x)[0]
        return np.where(np.isfinite(r), r, FAILED_RESIDUAL)

    def jac(self, x: np.ndarray) -> np.ndarray:
        J = self.evaluate(x)[0]
        return np.where(np.isfinite(J), J, 0.0)
