"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache

import numpy as np
import pytest
import sympy as sp

from endotwin.model import Model, sym


@cache
def _scipy_rhs(model: Model) -> Callable[..., list[float]]:
    """``f(t, *states, *parameters, *inputs) -> [dx/dt]`` lambdified from ``model.rhs``.

    Derived quantities are substituted into the symbolic right-hand sides and the result is
    lambdified with the ``math`` module: independent of the code generator of the backends.
    """
    subs: dict[sp.Symbol, sp.Expr] = {}
    for d in model.derived:
        subs[sym(d.name)] = d.expr.xreplace(subs)
    exprs = [model.rhs[s].xreplace(subs) for s in model.state_names]
    args = [sym("t")] + [
        sym(n) for n in model.state_names + model.parameter_names + model.input_names
    ]
    return sp.lambdify(args, exprs, modules="math")  # no cse: it would hoist Piecewise branches


def _solve_ivp_segments(
    model: Model,
    p: Mapping[str, np.ndarray],
    person: int,
    seg_t: np.ndarray,
    seg_u: np.ndarray,
    t_eval: np.ndarray,
    *,
    method: str = "DOP853",
    rtol: float = 1e-10,
    atol: float = 1e-10,
) -> np.ndarray:
    """Integrate one person with scipy ``solve_ivp``, restarting at every input change.

    ``p`` are the derived parameter arrays (people,), ``seg_t``/``seg_u`` the compiled schedule
    of that person. Returns the states at ``t_eval`` (times, states).
    """
    from scipy.integrate import solve_ivp

    f = _scipy_rhs(model)
    pv = [float(p[n][person]) for n in model.parameter_names]
    x = model.initial_state(p)[person].copy()
    out = np.full((len(t_eval), len(x)), np.nan)
    out[t_eval <= seg_t[0]] = x
    for k in range(len(seg_t) - 1):
        t0, t1 = float(seg_t[k]), float(seg_t[k + 1])
        if t1 <= t0:
            continue
        args = tuple(pv) + tuple(float(v) for v in seg_u[k])

        def rhs(t: float, y: np.ndarray, args: tuple[float, ...] = args) -> np.ndarray:
            return np.array(f(t, *y, *args))

        sel = (t_eval > t0) & (t_eval <= t1)
        times = np.union1d(t_eval[sel], [t1])  # always end on t1 to continue from there
        sol = solve_ivp(rhs, (t0, t1), x, method=method, rtol=rtol, atol=atol, t_eval=times)
        assert sol.success, sol.message
        out[sel] = sol.y.T[np.isin(times, t_eval[sel])]
        x = sol.y[:, -1].copy()
    return out


@pytest.fixture(scope="session")
def scipy_rhs() -> Callable[[Model], Callable[..., list[float]]]:
    """Factory: the lambdified (math-module) right-hand side of a model."""
    return _scipy_rhs


@pytest.fixture(scope="session")
def solve_ivp_segments() -> Callable[..., np.ndarray]:
    """Factory: a scipy ``solve_ivp`` reference solution integrated segment by segment."""
    return _solve_ivp_segments
