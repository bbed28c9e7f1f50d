"""Symbolic model definition: components with named states, parameters, inputs and units.

The equations are written once, as sympy expressions over named symbols. A :class:`Model` composes
components (a name used by one component and defined by another connects them), orders the
algebraic (derived) quantities, and is the single source from which every solver backend, the
SBML export and the documentation are generated.

Conventions
- Every state, parameter, input and derived quantity has a unit string.
- ``rhs`` maps a state name to its time derivative (per minute).
- A derived quantity may be *replaced* by a later component only if that component declares it in
  ``replaces`` (e.g. the exercise extension replaces the insulin-dependent uptake ``Uid``).
- **Connection**: a name that one component declares as an *input* and another defines as a
  *derived* quantity is connected: the derived expression feeds it and it is no longer an input of
  the composed model (e.g. the body-composition model's ``energy_intake`` input is fed by the meals
  simulated in the coupled model, but stays an input when the component runs alone).
- **Modulation**: a component may list ``modulates = {name: expr}`` for parameters (or inputs) of
  *other* components: every equation of the other components then uses ``expr`` in place of the
  symbol (e.g. ``Vmx -> Vmx*SI_periph``: slow resistance states scale a meal-level parameter).
  ``expr`` may contain the symbol itself (the substitution is applied once). A symbol may be
  modulated by one component only.
- The symbol ``ddt_<state>`` is the time derivative of ``<state>`` and may be used in derived
  quantities (e.g. the beta-cell's response to the rate of change of glucose).
- ``derive`` functions compute derived parameters (basal steady state, ...) from the parameter
  values, vectorised over people, in component order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from .errors import InputError

Array = np.ndarray
DeriveFn = Callable[[dict[str, Array]], dict[str, Array]]


def sym(name: str) -> sp.Symbol:
    """The sympy symbol for a model quantity (all quantities are real)."""
    return sp.Symbol(name, real=True)


@dataclass(frozen=True)
class Quantity:
    """A named state, parameter, input or derived quantity with a unit."""

    name: str
    unit: str
    description: str


@dataclass(frozen=True)
class Derived:
    """An algebraic quantity ``name = expr``."""

    name: str
    expr: sp.Expr
    unit: str
    description: str


@dataclass(frozen=True)
class Output:
    """A public variable such as ``"Plasma glucose [mg/dL]"`` (the unit is in the name)."""

    name: str
    expr: sp.Expr
    description: str

    @property
    def unit(self) -> str:
        return self.name[self.name.rfind("[") + 1 : -1] if self.name.endswith("]") else "1"


@dataclass(frozen=True)
class Component:
    """One modelled concept (meal absorption, glucose kinetics, ...) and its citations."""

    name: str
    description: str
    citations: tuple[str, ...]
    states: tuple[Quantity, ...] = ()
    parameters: tuple[Quantity, ...] = ()
    derived_parameters: tuple[Quantity, ...] = ()
    inputs: tuple[Quantity, ...] = ()
    derived: tuple[Derived, ...] = ()
    rhs: Mapping[str, sp.Expr] = field(default_factory=dict)
    initial: Mapping[str, sp.Expr | float] = field(default_factory=dict)
    outputs: tuple[Output, ...] = ()
    replaces: tuple[str, ...] = ()
    derive: DeriveFn | None = None
    modulates: Mapping[str, sp.Expr] = field(default_factory=dict)


class Model:
    """A composition of :class:`Component` objects with a fixed ordering of all quantities."""

    def __init__(self, name: str, components: list[Component]) -> None:
        self.name = name
        self.components = list(components)
        self.states: list[Quantity] = []
        self.parameters: list[Quantity] = []
        self.derived_parameters: list[Quantity] = []
        self.inputs: list[Quantity] = []
        self.outputs: dict[str, Output] = {}
        derived: dict[str, Derived] = {}
        rhs: dict[str, sp.Expr] = {}
        initial: dict[str, sp.Expr | float] = {}
        seen: dict[str, str] = {}
        origin: dict[str, int] = {}  # derived name / "rhs:<state>" / "out:<name>" -> component
        modulation: dict[str, tuple[int, sp.Expr]] = {}

        def claim(q: Quantity, kind: str, comp: Component) -> None:
            connected = {seen.get(q.name), kind} == {"input", "derived"}
            if connected:
                seen[q.name] = "derived"
                return
            if q.name in seen and not (kind == "parameter" and seen[q.name] == "parameter"):
                raise ValueError(
                    f"{comp.name}: {kind} {q.name!r} already defined as {seen[q.name]}"
                )
            seen[q.name] = kind

        for ci, comp in enumerate(self.components):
            for name, e in comp.modulates.items():
                if name in modulation:
                    other = self.components[modulation[name][0]].name
                    raise ValueError(f"{comp.name}: {name!r} is already modulated by {other}")
                modulation[name] = (ci, sp.sympify(e))
            for q in comp.states:
                claim(q, "state", comp)
                self.states.append(q)
            for q in comp.parameters:
                if q.name not in {p.name for p in self.parameters}:
                    claim(q, "parameter", comp)
                    self.parameters.append(q)
            for q in comp.derived_parameters:
                claim(q, "derived parameter", comp)
                self.derived_parameters.append(q)
            for q in comp.inputs:
                if q.name not in {i.name for i in self.inputs}:
                    claim(q, "input", comp)
                    self.inputs.append(q)
            for d in comp.derived:
                if d.name in derived and d.name not in comp.replaces:
                    raise ValueError(f"{comp.name}: derived {d.name!r} defined twice")
                if d.name not in derived:
                    claim(Quantity(d.name, d.unit, d.description), "derived", comp)
                derived[d.name] = d
                origin[d.name] = ci
            for s, e in comp.rhs.items():
                rhs[s] = sp.sympify(e)
                origin[f"rhs:{s}"] = ci
            initial.update(comp.initial)
            for o in comp.outputs:
                self.outputs[o.name] = o
                origin[f"out:{o.name}"] = ci

        # connections: inputs fed by a derived quantity of another component
        self.inputs = [q for q in self.inputs if q.name not in derived]
        # modulation: substitute in every other component's equations
        self.modulation = {k: v[1] for k, v in modulation.items()}
        if modulation:

            def mod(expr: sp.Expr, ci: int) -> sp.Expr:
                subs = {sym(k): e for k, (cj, e) in modulation.items() if cj != ci}
                return expr.xreplace(subs) if subs else expr

            for name, d in list(derived.items()):
                derived[name] = Derived(d.name, mod(d.expr, origin[name]), d.unit, d.description)
            for st in list(rhs):
                rhs[st] = mod(rhs[st], origin[f"rhs:{st}"])
            for oname, o in list(self.outputs.items()):
                self.outputs[oname] = Output(
                    o.name, mod(o.expr, origin[f"out:{oname}"]), o.description
                )

        names = [s.name for s in self.states]
        missing = [s for s in names if s not in rhs]
        if missing:
            raise ValueError(f"states without an equation: {missing}")
        missing0 = [s for s in names if s not in initial]
        if missing0:
            raise ValueError(f"states without an initial value: {missing0}")
        self.rhs = rhs
        self.initial = initial
        # ddt_<state> is available as a derived quantity
        for s in self.states:
            derived.setdefault(
                f"ddt_{s.name}",
                Derived(f"ddt_{s.name}", rhs[s.name], f"({s.unit})/min", f"d{s.name}/dt"),
            )
        self.derived = self._order(derived)
        self._check_symbols()
        self._initial_fns: list[Callable[..., Array]] | None = None
        self._output_fns: dict[str, Callable[..., Array]] | None = None

    # -- structure -----------------------------------------------------------------------------
    @property
    def state_names(self) -> list[str]:
        return [s.name for s in self.states]

    @property
    def parameter_names(self) -> list[str]:
        """Primary parameters, then derived parameters: the layout of the parameter vector."""
        return [p.name for p in self.parameters] + [p.name for p in self.derived_parameters]

    @property
    def input_names(self) -> list[str]:
        return [i.name for i in self.inputs]

    @property
    def citations(self) -> set[str]:
        return {c for comp in self.components for c in comp.citations}

    def _order(self, derived: dict[str, Derived]) -> list[Derived]:
        """Topologically sort derived quantities so each is computed after what it uses."""
        order: list[Derived] = []
        state: dict[str, int] = {}

        def visit(name: str, path: tuple[str, ...]) -> None:
            if state.get(name) == 2:
                return
            if state.get(name) == 1:
                raise ValueError(f"cyclic derived quantities: {' -> '.join((*path, name))}")
            state[name] = 1
            # sorted: set order follows string hashing, which differs between processes, and
            # generated code (and its compile cache) must be identical in every process
            for s in sorted(derived[name].expr.free_symbols, key=lambda q: q.name):
                if s.name in derived:
                    visit(s.name, (*path, name))
            state[name] = 2
            order.append(derived[name])

        # only derived quantities that are reachable from rhs/outputs are kept
        roots: set[str] = set()
        for e in list(self.rhs.values()) + [o.expr for o in self.outputs.values()]:
            roots |= {s.name for s in e.free_symbols}
        for name in sorted(roots):
            if name in derived:
                visit(name, ())
        return order

    def _check_symbols(self) -> None:
        known = set(self.state_names) | set(self.parameter_names) | set(self.input_names)
        known |= {d.name for d in self.derived} | {"t"}
        used: set[str] = set()
        for e in (
            list(self.rhs.values())
            + [d.expr for d in self.derived]
            + [o.expr for o in self.outputs.values()]
        ):
            used |= {s.name for s in e.free_symbols}
        unknown = sorted(used - known)
        if unknown:
            raise ValueError(f"model {self.name}: symbols used but never defined: {unknown}")

    def fingerprint(self) -> str:
        """A hash of the equations: generated code and caches are keyed by it."""
        h = hashlib.sha256()
        h.update(self.name.encode())
        for s in self.state_names:
            h.update(f"{s}:{sp.srepr(self.rhs[s])}".encode())
        for d in self.derived:
            h.update(f"{d.name}:{sp.srepr(d.expr)}".encode())
        h.update(",".join(self.parameter_names + self.input_names).encode())
        return h.hexdigest()[:16]

    # -- numbers -------------------------------------------------------------------------------
    def derive_parameters(self, values: Mapping[str, Array | float]) -> dict[str, Array]:
        """Complete primary parameter values with the derived ones (vectorised over people)."""
        p = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in values.items()}
        missing = [n for n in (q.name for q in self.parameters) if n not in p]
        if missing:
            raise InputError("parameters", missing, "values for every model parameter")
        for comp in self.components:
            if comp.derive is not None:
                p.update(comp.derive(p))
        n = max(v.shape[0] for v in p.values())
        return {k: np.broadcast_to(v, (n,)).astype(float) for k, v in p.items()}

    def parameter_matrix(self, p: Mapping[str, Array]) -> Array:
        """Stack parameter values into the (people, parameters) matrix the backends use."""
        missing = [k for k in self.parameter_names if k not in p]
        if missing:
            raise ValueError(f"derived parameters not computed: {missing}")
        return np.ascontiguousarray(np.stack([p[k] for k in self.parameter_names], axis=1))

    def initial_state(self, p: Mapping[str, Array]) -> Array:
        """The (people, states) matrix of initial values, evaluated from parameters."""
        if self._initial_fns is None:
            args = [sym(n) for n in self.parameter_names]
            self._initial_fns = [
                sp.lambdify(args, sp.sympify(self.initial[s]), "numpy") for s in self.state_names
            ]
        n = next(iter(p.values())).shape
        vals = [p[k] for k in self.parameter_names]
        cols = [np.broadcast_to(np.asarray(f(*vals), dtype=float), n) for f in self._initial_fns]
        return np.ascontiguousarray(np.stack(cols, axis=1))

    def output_functions(self) -> dict[str, Callable[..., Array]]:
        """Vectorised numpy functions ``f(t, *states, *params, *inputs)`` for each output.

        Derived quantities are inlined. Built once per model (lambdify is slow) and cached.
        """
        if self._output_fns is None:
            self._output_fns = self._make_output_functions()
        return self._output_fns

    def _make_output_functions(self) -> dict[str, Callable[..., Array]]:
        subs = {}
        for d in self.derived:
            subs[sym(d.name)] = d.expr.xreplace(subs)
        args = [sym(n) for n in self.state_names + self.parameter_names + self.input_names]
        funcs = {}
        for name, o in self.outputs.items():
            e = o.expr.xreplace(subs)
            funcs[name] = sp.lambdify([sym("t"), *args], e, "numpy")
        return funcs

    def to_markdown(self) -> str:
        """The model as documentation: components with citations, then every equation, generated
        from the same symbolic source as the solvers."""
        lines = [f"# Model `{self.name}`", "", "Generated from the symbolic model; do not edit."]
        lines.append("")
        lines += ["## Components", ""]
        for comp in self.components:
            lines.append(f"- **{comp.name}**: {comp.description} ({', '.join(comp.citations)})")
        lines += ["", "## States", "", "| state | unit | description |", "|---|---|---|"]
        lines += [f"| `{s.name}` | {s.unit} | {s.description} |" for s in self.states]
        lines += ["", "## Inputs", "", "| input | unit | description |", "|---|---|---|"]
        lines += [f"| `{q.name}` | {q.unit} | {q.description} |" for q in self.inputs]
        if self.modulation:
            lines += ["", "## Modulated parameters", ""]
            lines += [
                "Every equation of the other components uses the right-hand side in place "
                "of the symbol:",
                "",
            ]
            lines += [f"- `{k}` → `{e}`" for k, e in sorted(self.modulation.items())]
        lines += ["", "## Algebraic quantities", ""]
        for d in self.derived:
            if not d.name.startswith("ddt_"):
                lines.append(f"- `{d.name}` [{d.unit}] = `{d.expr}`  ({d.description})")
        lines += ["", "## Differential equations (per minute)", ""]
        for s in self.states:
            lines.append(f"- d`{s.name}`/dt = `{self.rhs[s.name]}`")
        lines += ["", "## Outputs", ""]
        lines += [f"- `{o.name}` = `{o.expr}`" for o in self.outputs.values()]
        return "\n".join(lines) + "\n"

    def describe(self) -> str:
        """A human-readable listing of the equations, for documentation and debugging."""
        lines = [f"model {self.name}"]
        for comp in self.components:
            lines.append(f"  [{comp.name}] {comp.description} ({', '.join(comp.citations)})")
        for d in self.derived:
            if not d.name.startswith("ddt_"):
                lines.append(f"  {d.name} = {d.expr}    [{d.unit}]")
        for s in self.states:
            lines.append(f"  d{s.name}/dt = {self.rhs[s.name]}    [{s.unit}/min]")
        return "\n".join(lines)
