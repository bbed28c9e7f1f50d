"""Subcutaneous (interstitial) glucose seen by a CGM sensor: the UVA/Padova T1D simulator
(Kovatchev et al. 2009; Dalla Man et al. 2014).

A first-order lag from plasma glucose, written on masses (mg/kg) like ``Gp``:

    dGs/dt = -ksc*Gs + ksc*Gp,      subcutaneous glucose = Gs/VG  (mg/dL)

``1/ksc`` is the plasma-to-interstitium delay (minutes). The sensor starts at equilibrium,
Gs(0) = Gpb. Sensor noise and calibration error are not modelled here.
"""

from __future__ import annotations

from ..model import Component, Output, Quantity, sym

Gs, Gp, ksc, VG = sym("Gs"), sym("Gp"), sym("ksc"), sym("VG")


def cgm_sensor() -> Component:
    """Interstitial glucose compartment (noise-free CGM signal)."""
    return Component(
        name="CGM sensor",
        description="subcutaneous glucose, a first-order lag of plasma glucose",
        citations=("Kovatchev2009", "DallaMan2014"),
        states=(Quantity("Gs", "mg/kg", "subcutaneous glucose mass"),),
        parameters=(Quantity("ksc", "1/min", "rate constant of plasma -> interstitial glucose"),),
        rhs={"Gs": -ksc * Gs + ksc * Gp},
        initial={"Gs": sym("Gpb")},
        outputs=(Output("Subcutaneous glucose [mg/dL]", Gs / VG, "Gs/VG"),),
    )
