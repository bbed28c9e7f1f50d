"""``Parameter`` and ``ParameterSet``: values with units, bounds and provenance.

A parameter set is data, not code: each entry records where its value comes from (paper and
table/equation) or, for a calibrated value, the target it was fitted to. Overriding a value
checks the name and the bounds and keeps the provenance trail ("overridden by user").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace

from ..errors import InputError


@dataclass(frozen=True)
class Parameter:
    """One model parameter.

    ``lower``/``upper`` are plausibility bounds: values outside are refused with an
    :class:`InputError`. ``source`` cites paper + table/equation; ``calibrated`` names the data
    a calibrated value was fitted to (empty when the value is published).
    """

    name: str
    value: float
    unit: str
    lower: float
    upper: float
    source: str
    description: str
    citation: str = ""
    calibrated: str = ""
    bounds_source: str = ""

    def __post_init__(self) -> None:
        if not self.unit:
            raise InputError(f"parameter {self.name}.unit", self.unit, "a unit string")
        if not self.source:
            raise InputError(f"parameter {self.name}.source", self.source, "a citation")
        if not (self.lower <= self.upper):
            raise InputError(
                f"parameter {self.name} bounds", (self.lower, self.upper), "lower <= upper"
            )
        check_value(self.name, self.value, self.lower, self.upper, self.unit)


def check_value(name: str, value: float, lower: float, upper: float, unit: str) -> None:
    """Raise :class:`InputError` unless ``lower <= value <= upper`` and finite."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(name, value, f"a number in [{lower:g}, {upper:g}] {unit}")
    if not math.isfinite(value) or not (lower <= value <= upper):
        raise InputError(name, value, f"[{lower:g}, {upper:g}] {unit}")


@dataclass(frozen=True)
class ParameterSet(Mapping[str, Parameter]):
    """An immutable, named collection of :class:`Parameter`.

    >>> ps = get_parameter_set("dallaman2007_normal")
    >>> ps["Vmx"].value, ps["Vmx"].unit
    (0.047, 'mg/kg/min per pmol/L')
    >>> ps2 = ps.with_values(Vmx=0.03)
    """

    name: str
    description: str
    parameters: dict[str, Parameter]
    citations: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __getitem__(self, key: str) -> Parameter:
        try:
            return self.parameters[key]
        except KeyError:
            raise InputError(
                "parameter name", key, f"one of {sorted(self.parameters)}", self._near(key)
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.parameters)

    def __len__(self) -> int:
        return len(self.parameters)

    def _near(self, key: str) -> str:
        import difflib

        close = difflib.get_close_matches(key, list(self.parameters), n=1)
        return f"Did you mean {close[0]!r}?" if close else ""

    def values(self) -> dict[str, float]:  # type: ignore[override]
        """Plain ``{name: value}`` in each parameter's own unit."""
        return {k: p.value for k, p in self.parameters.items()}

    def with_values(self, _source: str = "overridden by user", **overrides: float) -> ParameterSet:
        """Return a copy with some values replaced; unknown names and out-of-bounds values raise."""
        new = dict(self.parameters)
        for k, v in overrides.items():
            p = self[k]
            check_value(k, v, p.lower, p.upper, p.unit)
            new[k] = replace(p, value=float(v), source=f"{_source} (was {p.value:g}: {p.source})")
        return replace(self, parameters=new)

    def table(self) -> list[dict[str, object]]:
        """Rows for documentation and reports."""
        return [
            {
                "name": p.name,
                "value": p.value,
                "unit": p.unit,
                "lower": p.lower,
                "upper": p.upper,
                "source": p.source,
                "calibrated": p.calibrated,
                "description": p.description,
            }
            for p in self.parameters.values()
        ]


def merge_parameter_sets(name: str, *sets: ParameterSet, description: str = "") -> ParameterSet:
    """One set holding the parameters of several (e.g. the meal layer + the slow layers).

    A name present in more than one set keeps the first set's entry (shared covariates such as
    ``age_yr``); the citations are the union.
    """
    params: dict[str, Parameter] = {}
    citations: list[str] = []
    notes: list[str] = []
    for ps in sets:
        for k, prm in ps.parameters.items():
            params.setdefault(k, prm)
        citations += [c for c in ps.citations if c not in citations]
        notes += list(ps.notes)
    desc = description or " + ".join(ps.name for ps in sets)
    return ParameterSet(name, desc, params, tuple(citations), tuple(notes))


_REGISTRY: dict[str, Callable[[], ParameterSet]] = {}


def register_parameter_set(
    name: str,
) -> Callable[[Callable[[], ParameterSet]], Callable[[], ParameterSet]]:
    """Decorator registering a parameter-set factory under ``name``."""

    def deco(fn: Callable[[], ParameterSet]) -> Callable[[], ParameterSet]:
        _REGISTRY[name] = fn
        return fn

    return deco


def list_parameter_sets() -> list[str]:
    """Names of the built-in parameter sets."""
    _load_builtin()
    return sorted(_REGISTRY)


def get_parameter_set(name: str | ParameterSet) -> ParameterSet:
    """Return the built-in parameter set ``name`` (or ``name`` itself if already a set)."""
    if isinstance(name, ParameterSet):
        return name
    _load_builtin()
    if name not in _REGISTRY:
        raise InputError("parameter set", name, f"one of {sorted(_REGISTRY)}")
    return _REGISTRY[name]()


def _load_builtin() -> None:
    from . import sets  # noqa: F401  (registers on import)
