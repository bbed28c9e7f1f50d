"""Turn an endotwin :class:`~endotwin.model.Model` plus one person's values into SBML (L3V2).

Used by ``bench_engine.py`` to run endotwin's equations in libroadrunner. No libsbml or Antimony
is needed: the document is written directly, with a small sympy -> MathML printer for the
functions the models use.

Layout of the generated model (no species, no compartments, no reactions):

- every **state** is a non-constant global parameter with a ``rateRule`` (``d<state>/dt``);
- every **derived quantity** (``model.derived``, already in dependency order, including the
  ``ddt_<state>`` quantities used by the secretion law) is a non-constant parameter with an
  ``assignmentRule``;
- every **parameter** (primary and derived, as computed by ``model.derive_parameters``) is a
  constant parameter holding the person's value;
- every **input** is a non-constant parameter without a rule: the caller sets it at each segment
  boundary of the schedule (``rr[name] = value``) and integrates segment by segment;
- ``Piecewise`` -> ``<piecewise>``, ``Max``/``Min`` -> ``<max/>``/``<min/>`` (SBML L3V2), the
  model time ``t`` -> the SBML ``time`` csymbol.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from xml.sax.saxutils import escape

import numpy as np
import sympy as sp

from endotwin.model import Model

_MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_SBML_NS = "http://www.sbml.org/sbml/level3/version2/core"
_TIME = (
    '<csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/time">time</csymbol>'
)

# sympy function class name -> MathML element (unary functions)
_FUNCTIONS = {
    "exp": "exp",
    "log": "ln",
    "sin": "sin",
    "cos": "cos",
    "tan": "tan",
    "sinh": "sinh",
    "cosh": "cosh",
    "tanh": "tanh",
    "Abs": "abs",
    "floor": "floor",
    "ceiling": "ceiling",
}
_RELATIONS = {
    sp.LessThan: "leq",
    sp.StrictLessThan: "lt",
    sp.GreaterThan: "geq",
    sp.StrictGreaterThan: "gt",
    sp.Equality: "eq",
    sp.Unequality: "neq",
}


def _real(x: float) -> str:
    if not math.isfinite(x):
        raise ValueError(f"non-finite number {x!r} cannot be written to SBML")
    text = repr(float(x))
    if "e" in text or "E" in text:
        mant, exp = text.lower().split("e")
        return f'<cn type="e-notation"> {mant} <sep/> {int(exp)} </cn>'
    return f"<cn> {text} </cn>"


def _apply(op: str, args: list[str]) -> str:
    return f"<apply><{op}/>{''.join(args)}</apply>"


def mathml(e: sp.Basic) -> str:
    """Content MathML (without the enclosing ``<math>``) for a sympy expression."""
    if isinstance(e, sp.Symbol):
        return _TIME if e.name == "t" else f"<ci> {e.name} </ci>"
    if e is sp.true or isinstance(e, sp.logic.boolalg.BooleanTrue):
        return "<true/>"
    if e is sp.false or isinstance(e, sp.logic.boolalg.BooleanFalse):
        return "<false/>"
    if isinstance(e, sp.Integer):
        return f'<cn type="integer"> {int(e)} </cn>'
    if isinstance(e, sp.Rational):
        return _apply("divide", [mathml(sp.Integer(e.p)), mathml(sp.Integer(e.q))])
    if isinstance(e, sp.Number):
        return _real(float(e))
    if isinstance(e, sp.Add):
        return _apply("plus", [mathml(a) for a in e.args])
    if isinstance(e, sp.Mul):
        num, den = [], []
        for a in e.args:
            b, x = a.as_base_exp()
            if x.is_Number and x.is_negative:
                den.append(b if x == -1 else sp.Pow(b, -x, evaluate=False))
            else:
                num.append(a)
        top = (
            mathml(num[0])
            if len(num) == 1
            else _apply("times", [mathml(a) for a in num])
            if num
            else mathml(sp.Integer(1))
        )
        if not den:
            return top
        bottom = mathml(den[0]) if len(den) == 1 else _apply("times", [mathml(a) for a in den])
        return _apply("divide", [top, bottom])
    if isinstance(e, sp.Pow):
        b, x = e.args
        if x == -1:
            return _apply("divide", [mathml(sp.Integer(1)), mathml(b)])
        if x == sp.Rational(1, 2):
            return _apply("root", [mathml(b)])
        return _apply("power", [mathml(b), mathml(x)])
    if isinstance(e, sp.Max | sp.Min):
        return _apply("max" if isinstance(e, sp.Max) else "min", [mathml(a) for a in e.args])
    if isinstance(e, sp.Piecewise):
        pieces = []
        otherwise = ""
        for expr, cond in e.args:
            if cond is sp.true:
                otherwise = f"<otherwise>{mathml(expr)}</otherwise>"
                break
            pieces.append(f"<piece>{mathml(expr)}{mathml(cond)}</piece>")
        return f"<piecewise>{''.join(pieces)}{otherwise}</piecewise>"
    for cls, op in _RELATIONS.items():
        if isinstance(e, cls):
            return _apply(op, [mathml(e.lhs), mathml(e.rhs)])
    if isinstance(e, sp.And | sp.Or | sp.Not):
        op = {sp.And: "and", sp.Or: "or", sp.Not: "not"}[type(e)]
        return _apply(op, [mathml(a) for a in e.args])
    name = type(e).__name__
    if name in _FUNCTIONS:
        return _apply(_FUNCTIONS[name], [mathml(a) for a in e.args])
    raise NotImplementedError(f"no MathML for {name}: {e}")


def _math(e: sp.Basic) -> str:
    return f'<math xmlns="{_MATHML_NS}">{mathml(e)}</math>'


def _param(pid: str, value: float | None, constant: bool) -> str:
    val = "" if value is None else f' value="{float(value)!r}"'
    return f'      <parameter id="{pid}"{val} constant="{"true" if constant else "false"}"/>'


def model_to_sbml(
    model: Model,
    parameters: Mapping[str, float | np.ndarray],
    initial_state: Mapping[str, float] | None = None,
    inputs: Mapping[str, float] | None = None,
) -> str:
    """An SBML L3V2 document of ``model`` with one person's values.

    ``parameters``: every name of ``model.parameter_names`` (primary and derived, e.g. from
    ``model.derive_parameters``; arrays are read at index 0). ``initial_state``: state values
    (default: ``model.initial_state`` of these parameters). ``inputs``: initial input values
    (default 0).
    """

    def scalar(v: float | np.ndarray) -> float:
        return float(np.asarray(v, dtype=float).reshape(-1)[0])

    p = {k: scalar(parameters[k]) for k in model.parameter_names}
    if initial_state is None:
        x0 = model.initial_state({k: np.array([v]) for k, v in p.items()})[0]
        initial_state = dict(zip(model.state_names, x0, strict=True))
    inputs = dict(inputs or {})
    ids = model.state_names + model.parameter_names + model.input_names
    ids += [d.name for d in model.derived]
    bad = [i for i in ids if not i.isidentifier() or i == "t"]
    if bad:
        raise ValueError(f"not usable as SBML ids: {bad}")

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<sbml xmlns="{_SBML_NS}" level="3" version="2">',
        f'  <model id="{model.name}" name="{escape(model.name)} (generated by endotwin)">',
        "    <listOfParameters>",
    ]
    lines += [_param(s, initial_state[s], False) for s in model.state_names]
    lines += [_param(k, p[k], True) for k in model.parameter_names]
    lines += [_param(u, inputs.get(u, 0.0), False) for u in model.input_names]
    lines += [_param(d.name, None, False) for d in model.derived]
    lines += ["    </listOfParameters>", "    <listOfRules>"]
    have = {d.name for d in model.derived}
    for d in model.derived:
        lines.append(f'      <assignmentRule variable="{d.name}">{_math(d.expr)}</assignmentRule>')
    for s in model.state_names:
        rate = sp.Symbol(f"ddt_{s}", real=True) if f"ddt_{s}" in have else model.rhs[s]
        lines.append(f'      <rateRule variable="{s}">{_math(rate)}</rateRule>')
    lines += ["    </listOfRules>", "  </model>", "</sbml>", ""]
    return "\n".join(lines)
