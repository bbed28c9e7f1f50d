"""UVA/Padova 2008 (academic) type-1 virtual subjects, from simglucose's parameter table.

Source: simglucose v0.2.11 vpatient_params.csv (UVA/Padova 2008 academic virtual patients);
Xie 2018, implementing Kovatchev et al. 2009 and Dalla Man et al. 2007/2014. endotwin does not
ship that table: :func:`parameters_from_simglucose_row` maps one of its rows (a dict keyed by the
CSV's column names, e.g. the ``params`` of ``tests/data/simglucose/meta.json``) to the parameter
names of :func:`endotwin.models.t1d_model`.

Mapping (endotwin name <- simglucose column, unit):

- meal: kmax, kmin, kabs, b, d, f, BW; ``kgri <- kmax`` (the 2008 model grinds at the maximal
  emptying rate);
- glucose: ``VG <- Vg``, k1, k2, kp1, kp2, kp3, ``Fcns <- Fsnc``, Vm0, Vmx, Km0, ke1, ke2;
  ``kp4 = 0`` (no portal insulin without secretion, see :mod:`endotwin.components.insulin_t1d`);
- insulin: ``VI <- Vi``, m1, m2, m4, m30, ki, ``p2U <- p2u``;
- subcutaneous insulin: ka1, ka2, kd; CGM: ksc;
- basal state: Gpb, Gtb, Ib, Ipb, Ilb, ``Isc1b <- isc1ss``, ``Isc2b <- isc2ss``.

simglucose starts its subjects from the ``x0_ 1`` ... ``x0_13`` columns; for the 2008 academic
subjects these equal the named basal columns (Gpb, Gtb, Ipb, Ib, Ilb, isc1ss, isc2ss, Gpb for the
sensor, zero gut and remote insulin). The mapping checks this, so the model's initial state is the
simglucose initial state. Columns the model does not use (CL, HEb, EGPb, Rdb, PCRb, u2ss, Gb,
dosekempt, ...) are ignored; the basal insulin rate is an input: ``u2ss`` [pmol/kg/min] (which is
``basal [U/min] * 6000 / BW``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from ...errors import InputError
from ..parameter_set import Parameter, ParameterSet

SOURCE = "simglucose v0.2.11 vpatient_params.csv (UVA/Padova 2008 academic virtual patients)"

# endotwin name: (simglucose column or a constant, unit, description)
_COLUMNS: dict[str, tuple[str | float, str, str]] = {
    "kmax": ("kmax", "1/min", "maximal gastric emptying rate"),
    "kmin": ("kmin", "1/min", "minimal gastric emptying rate"),
    "kabs": ("kabs", "1/min", "intestinal absorption rate"),
    "kgri": ("kmax", "1/min", "grinding rate (= kmax in the 2008 model)"),
    "f": ("f", "1", "fraction of absorbed glucose reaching plasma"),
    "b": ("b", "1", "emptying shape parameter b"),
    "d": ("d", "1", "emptying shape parameter d"),
    "BW": ("BW", "kg", "body weight"),
    "VI": ("Vi", "L/kg", "insulin distribution volume"),
    "m1": ("m1", "1/min", "rate liver -> plasma insulin"),
    "m2": ("m2", "1/min", "rate plasma -> liver insulin"),
    "m4": ("m4", "1/min", "peripheral insulin degradation"),
    "m30": ("m30", "1/min", "hepatic insulin clearance rate"),
    "ki": ("ki", "1/min", "delay of insulin action on EGP"),
    "p2U": ("p2u", "1/min", "rate of insulin action on uptake"),
    "ka1": ("ka1", "1/min", "absorption rate of non-monomeric sc insulin"),
    "ka2": ("ka2", "1/min", "absorption rate of monomeric sc insulin"),
    "kd": ("kd", "1/min", "dissociation rate of sc insulin"),
    "Isc1b": ("isc1ss", "pmol/kg", "basal non-monomeric sc insulin"),
    "Isc2b": ("isc2ss", "pmol/kg", "basal monomeric sc insulin"),
    "Gpb": ("Gpb", "mg/kg", "basal plasma glucose mass"),
    "Gtb": ("Gtb", "mg/kg", "basal tissue glucose mass"),
    "Ib": ("Ib", "pmol/L", "basal plasma insulin"),
    "Ipb": ("Ipb", "pmol/kg", "basal plasma insulin mass"),
    "Ilb": ("Ilb", "pmol/kg", "basal liver insulin mass"),
    "VG": ("Vg", "dL/kg", "glucose distribution volume"),
    "k1": ("k1", "1/min", "rate Gp -> Gt"),
    "k2": ("k2", "1/min", "rate Gt -> Gp"),
    "kp1": ("kp1", "mg/kg/min", "EGP at zero glucose and insulin"),
    "kp2": ("kp2", "1/min", "liver glucose effectiveness"),
    "kp3": ("kp3", "mg/kg/min per pmol/L", "delayed insulin action on EGP"),
    "kp4": (0.0, "mg/kg/min per pmol/kg", "portal insulin action on EGP (none in type 1)"),
    "Fcns": ("Fsnc", "mg/kg/min", "insulin-independent uptake"),
    "Vm0": ("Vm0", "mg/kg/min", "basal Vmax of insulin-dependent uptake"),
    "Vmx": ("Vmx", "mg/kg/min per pmol/L", "insulin sensitivity of uptake"),
    "Km0": ("Km0", "mg/kg", "Michaelis constant of uptake"),
    "ke1": ("ke1", "1/min", "glomerular filtration rate"),
    "ke2": ("ke2", "mg/kg", "renal threshold"),
    "ksc": ("ksc", "1/min", "rate constant plasma -> subcutaneous glucose"),
}

# simglucose initial-state column -> the basal column it must equal (zero: empty/at rest)
_INITIAL: dict[str, str | float] = {
    "x0_ 1": 0.0,
    "x0_ 2": 0.0,
    "x0_ 3": 0.0,  # Qsto1, Qsto2, Qgut
    "x0_ 4": "Gpb",
    "x0_ 5": "Gtb",
    "x0_ 6": "Ipb",
    "x0_ 7": 0.0,  # Gp, Gt, Ip, X
    "x0_ 8": "Ib",
    "x0_ 9": "Ib",
    "x0_10": "Ilb",  # I1, Id, Il
    "x0_11": "isc1ss",
    "x0_12": "isc2ss",
    "x0_13": "Gpb",  # Isc1, Isc2, Gs
}

#: Units of the mapped parameters (endotwin name -> unit).
UNITS: dict[str, str] = {k: v[1] for k, v in _COLUMNS.items()}


def _number(row: Mapping[str, object], column: str) -> float:
    if column not in row:
        raise InputError(f"simglucose column {column!r}", "missing", "a value in the row")
    value = row[column]
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"simglucose column {column!r}", value, "a number") from None
    if not math.isfinite(v):
        raise InputError(f"simglucose column {column!r}", value, "a finite number")
    return v


def parameters_from_simglucose_row(row: Mapping[str, object]) -> dict[str, float]:
    """Parameter values of :func:`endotwin.models.t1d_model` from a simglucose subject row.

    ``row`` maps simglucose's ``vpatient_params.csv`` column names to values. Returns
    ``{endotwin name: value}`` in the units of :data:`UNITS`. Raises :class:`InputError` if a
    column is missing or the ``x0_`` initial state is not the basal state of the row.
    """
    out = {
        name: float(col) if isinstance(col, float) else _number(row, col)
        for name, (col, _, _) in _COLUMNS.items()
    }
    for col, basal in _INITIAL.items():
        if col not in row:
            continue
        x0 = _number(row, col)
        ref = basal if isinstance(basal, float) else _number(row, basal)
        if abs(x0 - ref) > 1e-9 * max(1.0, abs(ref)):
            raise InputError(
                f"simglucose column {col!r}",
                x0,
                f"the basal value {ref!r} ({basal})",
                "The T1D model starts from the basal state of the subject.",
            )
    return out


def parameter_set_from_simglucose_row(row: Mapping[str, object]) -> ParameterSet:
    """The same values as a :class:`ParameterSet` (units, source; bounds: non-negative)."""
    values = parameters_from_simglucose_row(row)
    name = str(row.get("Name", "simglucose subject"))
    params = {
        k: Parameter(
            name=k,
            value=v,
            unit=_COLUMNS[k][1],
            lower=0.0,
            upper=math.inf,
            source=(
                f"{SOURCE}, subject {name}, column {_COLUMNS[k][0]!r}"
                if isinstance(_COLUMNS[k][0], str)
                else "type 1: no portal insulin (Kovatchev 2009; Dalla Man 2014)"
            ),
            description=_COLUMNS[k][2],
            citation="simglucose",
            bounds_source="non-negative; no published ranges for individual virtual subjects",
        )
        for k, v in values.items()
    }
    return ParameterSet(
        name=f"uvapadova_t1d:{name}",
        description=f"UVA/Padova 2008 academic virtual subject {name} (via simglucose)",
        parameters=params,
        citations=("Kovatchev2009", "simglucose"),
    )
