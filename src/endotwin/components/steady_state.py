"""Fasting steady state of the Dalla Man 2007 model, derived from its parameters.

Dalla Man, Rizza & Cobelli 2007 (IEEE TBME 54:1740), "basal steady state" relations:

- Basal secretion from the hepatic-extraction line at HE = HEb (eq. 4): ``Sb = (m6 - HEb)/m5``.
- Insulin kinetics at steady state with m3b = HEb*m1/(1 - HEb) (eqs. 3, 5):
  ``Ilb = (m2 + m4)/m1 * Ipb`` and ``Sb = m3b*Ilb + m4*Ipb``, hence Ipb; ``Ib = Ipb/VI``.
  (With the Table-1 values this reproduces the paper's m2 = (Sb/Ipb - m4/(1-HEb))(1-HEb)/HEb and
  m4 = 2/5*Sb/Ipb*(1-HEb) to the printed precision.)
- Portal insulin: ``Ipob = Sb/gamma`` (eq. 21).
- Glucose: Gpb, Gtb solve EGP(Gpb) = Fcns + E(Gpb) + Uid(Gtb) with
  k1*Gpb - k2*Gtb = Uid(Gtb) (eqs. 1, 10, 14-17, 27 at zero derivatives, X = 0, Id = Ib),
  found by bisection on Gpb (the residual is strictly decreasing in Gpb).

For the normal column this gives Gb = 91.8 mg/dL, Ib = 25.6 pmol/L, EGPb = 1.92 mg/kg/min.
A parameter combination without a physiological fasting state raises :class:`InputError`.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from ..model import Component, Quantity

Array = np.ndarray


def _fasting_glucose(p: dict[str, Array], Ib: Array, Ipob: Array) -> tuple[Array, Array, Array]:
    kp1, kp2, kp3, kp4 = p["kp1"], p["kp2"], p["kp3"], p["kp4"]
    k1, k2, Fcns = p["k1"], p["k2"], p["Fcns"]
    Vm0, Km0, ke1, ke2 = p["Vm0"], p["Km0"], p["ke1"], p["ke2"]

    def parts(Gp: Array) -> tuple[Array, Array, Array]:
        egp = np.maximum(0.0, kp1 - kp2 * Gp - kp3 * Ib - kp4 * Ipob)
        e = ke1 * np.maximum(0.0, Gp - ke2)
        Gt = np.maximum(0.0, (Fcns + e + k1 * Gp - egp) / k2)
        return egp, e, Gt

    def residual(Gp: Array) -> Array:
        egp, e, Gt = parts(Gp)
        return egp - Fcns - e - Vm0 * Gt / (Km0 + Gt)

    n = max(np.size(v) for v in (kp1, Vm0, Ib))
    lo = np.full(n, 1e-6)
    hi = np.full(n, 5000.0)
    r_lo = residual(lo)
    bad = r_lo <= 0
    if np.any(bad):
        i = int(np.argmax(bad))
        raise InputError(
            "parameters (kp1, kp3, kp4, Fcns)",
            {k: float(np.broadcast_to(p[k], (n,))[i]) for k in ("kp1", "kp3", "kp4", "Fcns")},
            "a set whose endogenous glucose production at zero glucose exceeds Fcns",
            f"person {i} has no physiological fasting steady state",
        )
    # 60 halvings shrink [1e-6, 5000] mg/kg below float64 resolution of the root
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        pos = residual(mid) > 0
        lo = np.where(pos, mid, lo)
        hi = np.where(pos, hi, mid)
    Gpb = 0.5 * (lo + hi)
    egp, _, Gtb = parts(Gpb)
    return Gpb, Gtb, egp


def fasting_state(p: dict[str, Array]) -> dict[str, Array]:
    """Derived basal quantities (vectorised over people)."""
    m1, m2, m4, m5, m6, HEb = p["m1"], p["m2"], p["m4"], p["m5"], p["m6"], p["HEb"]
    Sb = (m6 - HEb) / m5
    if np.any(Sb <= 0):
        i = int(np.argmax(np.broadcast_to(Sb, np.broadcast(m6, HEb, m5).shape) <= 0))
        raise InputError(
            "m6",
            float(np.broadcast_to(m6, Sb.shape)[i]),
            f"m6 > HEb = {float(np.broadcast_to(HEb, Sb.shape)[i]):g} "
            "(basal secretion Sb = (m6 - HEb)/m5 must be positive)",
            f"person {i}",
        )
    m3b = HEb * m1 / (1 - HEb)
    Ipb = Sb / (m3b * (m2 + m4) / m1 + m4)
    Ilb = (m2 + m4) / m1 * Ipb
    Ib = Ipb / p["VI"]
    Ipob = Sb / p["gamma"]
    Gpb, Gtb, EGPb = _fasting_glucose(p, Ib, Ipob)
    return {
        "Sb": Sb,
        "Ipb": Ipb,
        "Ilb": Ilb,
        "Ib": Ib,
        "Ipob": Ipob,
        "Gpb": Gpb,
        "Gtb": Gtb,
        "Gb": Gpb / p["VG"],
        "EGPb": EGPb,
    }


def fasting_steady_state() -> Component:
    """A component with no states: it computes the basal quantities other components use."""
    return Component(
        name="fasting steady state",
        description="basal glucose, insulin and secretion implied by the parameters",
        citations=("DallaMan2007",),
        derived_parameters=(
            Quantity("Sb", "pmol/kg/min", "basal insulin secretion"),
            Quantity("Ipb", "pmol/kg", "basal plasma insulin mass"),
            Quantity("Ilb", "pmol/kg", "basal liver insulin mass"),
            Quantity("Ib", "pmol/L", "basal plasma insulin"),
            Quantity("Ipob", "pmol/kg", "basal portal insulin mass"),
            Quantity("Gpb", "mg/kg", "basal plasma glucose mass"),
            Quantity("Gtb", "mg/kg", "basal tissue glucose mass"),
            Quantity("Gb", "mg/dL", "basal plasma glucose"),
            Quantity("EGPb", "mg/kg/min", "basal endogenous glucose production"),
        ),
        derive=fasting_state,
    )
