"""Generate right-hand-side source code from a :class:`~endotwin.model.Model`.

One generator, two dialects:
- ``"numba"``: scalar Python with ``math`` functions and ``a if c else b`` branches, writing the
  derivative into a preallocated array (``rhs(t, x, p, u, dx)``) so the compiled kernel allocates
  nothing per call;
- ``"jax"``: ``jnp`` functions and ``jnp.where`` branches, returning a new array
  (``rhs(t, x, p, u) -> dx``), traceable, vmappable and differentiable.
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.numpy import JaxPrinter
from sympy.printing.pycode import PythonCodePrinter

from ..model import Model


class _NumbaPrinter(PythonCodePrinter):
    """Scalar code for Numba: math.* functions, ternary Piecewise, builtin max/min."""

    def _print_Max(self, expr: sp.Max) -> str:
        args = [self._print(a) for a in expr.args]
        out = args[0]
        for a in args[1:]:
            out = f"max({out}, {a})"
        return out

    def _print_Min(self, expr: sp.Min) -> str:
        args = [self._print(a) for a in expr.args]
        out = args[0]
        for a in args[1:]:
            out = f"min({out}, {a})"
        return out

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        b, e = expr.as_base_exp()
        if e == 2:
            s = self._print(b)
            return f"(({s})*({s}))"
        if e == -1:
            return f"(1.0/({self._print(b)}))"
        return super()._print_Pow(expr, rational=rational)


class _JaxPrinter(JaxPrinter):
    """JAX code with ``jnp`` as the module alias."""

    def __init__(self, settings: dict | None = None) -> None:
        super().__init__(settings)
        self._module = "jnp"

    def _print_Max(self, expr: sp.Max) -> str:
        args = [self._print(a) for a in expr.args]
        out = args[0]
        for a in args[1:]:
            out = f"jnp.maximum({out}, {a})"
        return out

    def _print_Min(self, expr: sp.Min) -> str:
        args = [self._print(a) for a in expr.args]
        out = args[0]
        for a in args[1:]:
            out = f"jnp.minimum({out}, {a})"
        return out

    def _print_Piecewise(self, expr: sp.Piecewise) -> str:
        # nested where; the last branch must be the unconditional one
        *head, (last_e, last_c) = expr.args
        if last_c != sp.true:
            raise ValueError("Piecewise without a default branch")
        out = self._print(last_e)
        for e, c in reversed(head):
            out = f"jnp.where({self._print(c)}, {self._print(e)}, {out})"
        return out


def _ident(name: str) -> str:
    """A Python identifier for a model name (model names are already identifiers)."""
    if not name.isidentifier():
        raise ValueError(f"model quantity name {name!r} is not a Python identifier")
    return f"v_{name}"


def generate_rhs(model: Model, dialect: str) -> str:
    """Source code of the right-hand side function ``rhs`` for ``dialect`` (numba | jax)."""
    printer = _NumbaPrinter() if dialect == "numba" else _JaxPrinter()
    # rename every symbol to a prefixed identifier so names never clash with Python builtins
    ren = {}
    for n in model.state_names + model.parameter_names + model.input_names:
        ren[sp.Symbol(n, real=True)] = sp.Symbol(_ident(n), real=True)
    for d in model.derived:
        ren[sp.Symbol(d.name, real=True)] = sp.Symbol(_ident(d.name), real=True)
    ren[sp.Symbol("t", real=True)] = sp.Symbol("t", real=True)

    lines = []
    if dialect == "numba":
        lines.append("@njit(cache=True, fastmath=False, nogil=True, inline='always')")
        lines.append("def rhs(t, x, p, u, dx):")
    else:
        lines.append("def rhs(t, x, p, u):")
    ind = "    "
    for i, n in enumerate(model.state_names):
        lines.append(f"{ind}{_ident(n)} = x[{i}]")
    for i, n in enumerate(model.parameter_names):
        lines.append(f"{ind}{_ident(n)} = p[{i}]")
    for i, n in enumerate(model.input_names):
        lines.append(f"{ind}{_ident(n)} = u[{i}]")
    for d in model.derived:
        lines.append(f"{ind}{_ident(d.name)} = {printer.doprint(d.expr.xreplace(ren))}")
    have = {d.name for d in model.derived}

    def deriv(n: str) -> str:
        if f"ddt_{n}" in have:
            return _ident(f"ddt_{n}")
        return printer.doprint(model.rhs[n].xreplace(ren))

    if dialect == "numba":
        for i, n in enumerate(model.state_names):
            lines.append(f"{ind}dx[{i}] = {deriv(n)}")
    else:
        outs = ", ".join(deriv(n) for n in model.state_names)
        lines.append(f"{ind}return jnp.stack([{outs}])")
    return "\n".join(lines) + "\n"
