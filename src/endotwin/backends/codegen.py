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


def _fold(printer: PythonCodePrinter, fn: str, expr: sp.Expr) -> str:
    """Print an n-ary Max/Min as nested binary calls of ``fn``."""
    args = [printer._print(a) for a in expr.args]
    out = args[0]
    for a in args[1:]:
        out = f"{fn}({out}, {a})"
    return out


class _NumbaPrinter(PythonCodePrinter):
    """Scalar code for Numba: math.* functions, ternary Piecewise, builtin max/min."""

    def _print_Max(self, expr: sp.Max) -> str:
        return _fold(self, "max", expr)

    def _print_Min(self, expr: sp.Min) -> str:
        return _fold(self, "min", expr)

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        b, e = expr.as_base_exp()
        if not e.is_Number:
            # symbolic exponent (e.g. a Hill coefficient): skip libm pow when the base is 0
            return f"pow0({self._print(b)}, {self._print(e)})"
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
        return _fold(self, "jnp.maximum", expr)

    def _print_Min(self, expr: sp.Min) -> str:
        return _fold(self, "jnp.minimum", expr)

    _guarding = False

    def _print_Piecewise(self, expr: sp.Piecewise) -> str:
        """Nested ``jnp.where`` with the "double where" guard for reverse-mode gradients.

        ``jnp.where`` evaluates both branches; a branch that is not taken may divide by zero
        (e.g. the gastric-emptying law at meal size 0), and its NaN poisons gradients even though
        the value is discarded. Inside each later branch, every symbol of an earlier condition is
        replaced by ``where(condition, 1.0, symbol)``: identical where the branch is used, finite
        where it is not.
        """
        *head, (last_e, last_c) = expr.args
        if last_c != sp.true:
            raise ValueError("Piecewise without a default branch")
        out = self._print(self._guard(last_e, [c for _, c in head]))
        for k in range(len(head) - 1, -1, -1):
            e, c = head[k]
            out = (
                f"jnp.where({self._print(c)}, "
                f"{self._print(self._guard(e, [cc for _, cc in head[:k]]))}, {out})"
            )
        return out

    def _guard(self, e: sp.Expr, conditions: list) -> sp.Expr:
        if not conditions or self._guarding:
            return e
        subs = {}
        for c in conditions:
            for q in sorted(c.free_symbols, key=lambda z: z.name):
                subs[q] = sp.Piecewise((sp.Float(1.0), c), (q, True), evaluate=False)
        self._guarding = True
        try:
            return _Printed(self._print(e.xreplace(subs)))
        finally:
            self._guarding = False


class _Printed(sp.Symbol):
    """Already-printed code carried through the printer unchanged."""

    def __new__(cls, code: str) -> _Printed:
        return super().__new__(cls, f"({code})")


def _ident(name: str) -> str:
    """A Python identifier for a model name (model names are already identifiers)."""
    if not name.isidentifier():
        raise ValueError(f"model quantity name {name!r} is not a Python identifier")
    return f"v_{name}"


def _hoist(
    assignments: list[tuple[sp.Symbol, sp.Expr]], invariant: set[sp.Symbol]
) -> tuple[list[tuple[sp.Symbol, sp.Expr]], list[tuple[sp.Symbol, sp.Expr]]]:
    """Loop-invariant code motion for the solver: split into per-segment constants and the rest.

    Parameters and inputs are constant on a segment (inputs are piecewise constant), so every
    sub-expression built only from them (``1/VG``, the gastric-emptying coefficients
    ``5/(2*D*(1-b))``, ``f*kabs/BW``, ...) is evaluated once per segment instead of at every
    stage of every step. Boolean conditions are left in place (cheap, and their operands are
    simple symbols).
    """
    inv = set(invariant)
    consts: list[tuple[sp.Symbol, sp.Expr]] = []
    seen: dict[sp.Expr, sp.Symbol] = {}

    def const_for(e: sp.Expr) -> sp.Symbol:
        if e not in seen:
            c = sp.Symbol(f"c{len(seen)}", real=True)
            seen[e] = c
            consts.append((c, e))
            inv.add(c)
        return seen[e]

    def is_inv(e: sp.Basic) -> bool:
        return e.free_symbols <= inv

    def walk(e: sp.Basic) -> sp.Basic:
        if e.is_Atom or isinstance(e, sp.logic.boolalg.Boolean) or e.is_Relational:
            return e
        if is_inv(e) and isinstance(e, sp.Expr):
            return const_for(e)
        if isinstance(e, sp.Piecewise):
            return sp.Piecewise(*[(walk(a), c) for a, c in e.args], evaluate=False)
        if isinstance(e, sp.Add | sp.Mul):
            inv_args = [a for a in e.args if is_inv(a)]
            var_args = [walk(a) for a in e.args if not is_inv(a)]
            if len(inv_args) > 1 or any(not a.is_Atom for a in inv_args):
                inv_args = [const_for(e.func(*inv_args))]
            return e.func(*inv_args, *var_args, evaluate=False)
        return e.func(*[walk(a) for a in e.args], evaluate=False)

    rest: list[tuple[sp.Symbol, sp.Expr]] = []
    for name, e in assignments:
        if is_inv(e):
            consts.append((name, e))
            inv.add(name)
        else:
            rest.append((name, walk(e)))
    return consts, rest


def _topological(assignments: list[tuple[sp.Symbol, sp.Expr]]) -> list[tuple[sp.Symbol, sp.Expr]]:
    """Order assignments so each comes after those it uses (stable: earliest ready first)."""
    defined = {name for name, _ in assignments}
    pending = list(assignments)
    done: set[sp.Symbol] = set()
    out: list[tuple[sp.Symbol, sp.Expr]] = []
    while pending:
        for k, (name, e) in enumerate(pending):
            if (e.free_symbols & defined) <= done:
                out.append((name, e))
                done.add(name)
                del pending[k]
                break
        else:
            raise ValueError(f"cyclic assignments: {[str(n) for n, _ in pending]}")
    return out


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

    if dialect == "numba":
        return _generate_numba(model, printer, ren)
    lines = ["def rhs(t, x, p, u):"]
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


def _generate_numba(model: Model, printer: _NumbaPrinter, ren: dict) -> str:
    """Numba dialect: ``consts(p, u, c)`` once per segment, ``rhs(t, x, p, u, c, dx)`` per stage."""
    have = {d.name for d in model.derived}
    assigns: list[tuple[sp.Symbol, sp.Expr]] = [
        (sp.Symbol(_ident(d.name), real=True), d.expr.xreplace(ren)) for d in model.derived
    ]
    for n in model.state_names:
        if f"ddt_{n}" not in have:
            assigns.append((sp.Symbol(_ident(f"ddt_{n}"), real=True), model.rhs[n].xreplace(ren)))
    invariant = {sp.Symbol(_ident(n), real=True) for n in model.parameter_names + model.input_names}
    consts, rest = _hoist(assigns, invariant)
    # common subexpressions across the per-stage assignments (e.g. the Hill term of the exercise
    # switch appears twice). A temporary pulled out of a guarded Piecewise branch may evaluate to
    # inf/nan when its branch is not taken; with error_model='numpy' that is harmless.
    repl, reduced = sp.cse([e for _, e in rest], symbols=sp.numbered_symbols("w"), order="none")
    rest = _topological([*repl, *((name, e) for (name, _), e in zip(rest, reduced, strict=True))])
    ind = "    "
    flags = "fastmath={'contract', 'arcp'}, error_model='numpy', nogil=True"
    out = [f"N_CONST = {max(len(consts), 1)}", "", ""]
    out.append(f"@njit(cache=True, {flags})")
    out.append("def consts(p, u, c):")
    for i, n in enumerate(model.parameter_names):
        out.append(f"{ind}{_ident(n)} = p[{i}]")
    for i, n in enumerate(model.input_names):
        out.append(f"{ind}{_ident(n)} = u[{i}]")
    for name, e in consts:
        out.append(f"{ind}{name} = {printer.doprint(e)}")
    for k, (name, _) in enumerate(consts):
        out.append(f"{ind}c[{k}] = {name}")
    out += ["", "", f"@njit(cache=True, {flags})", "def rhs(t, x, p, u, c, dx):"]
    # names the rhs body needs: everything its expressions use, plus every state derivative
    # (a derivative that depends only on parameters and inputs was hoisted into the constants)
    used: set[str] = {_ident(f"ddt_{n}") for n in model.state_names}
    for _, e in rest:
        used |= {sym.name for sym in e.free_symbols}
    for i, n in enumerate(model.state_names):
        if _ident(n) in used:
            out.append(f"{ind}{_ident(n)} = x[{i}]")
    for k, (name, _) in enumerate(consts):
        if name.name in used:
            out.append(f"{ind}{name} = c[{k}]")
    for i, n in enumerate(model.parameter_names):
        if _ident(n) in used:
            out.append(f"{ind}{_ident(n)} = p[{i}]")
    for i, n in enumerate(model.input_names):
        if _ident(n) in used:
            out.append(f"{ind}{_ident(n)} = u[{i}]")
    for name, e in rest:
        out.append(f"{ind}{name} = {printer.doprint(e)}")
    for i, n in enumerate(model.state_names):
        out.append(f"{ind}dx[{i}] = {_ident('ddt_' + n)}")
    return "\n".join(out) + "\n"
