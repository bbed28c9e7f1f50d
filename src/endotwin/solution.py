"""Simulation results: an xarray Dataset (person x time) with units in attributes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from .citations import format_citations

DISCLAIMER = (
    "endotwin is a research and education tool. Its results are model predictions, not medical "
    "advice: do not change treatment, diet or exercise because of them without your clinician."
)


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_")


def read_solution(path: str | Path) -> Solution:
    """Read a Solution written by :meth:`Solution.to_netcdf`."""
    ds = xr.load_dataset(path, engine="h5netcdf")
    ds = ds.rename({v: ds[v].attrs.get("long_name", v) for v in ds.data_vars})
    keys = {k for k in str(ds.attrs.get("citation_keys", "")).split(",") if k}
    return Solution(ds, keys)


class Solution:
    """Results of :func:`endotwin.simulate`.

    ``sol["Plasma glucose [mg/dL]"]`` is an :class:`xarray.DataArray` with dimensions
    ``(person, time)``; ``time`` is in minutes from the start. Model states are also available as
    ``"<state> [<unit>]"``. ``sol.dataset`` is the underlying :class:`xarray.Dataset`.
    """

    def __init__(self, dataset: xr.Dataset, citations: set[str]) -> None:
        self.dataset = dataset
        self.citations = set(citations)

    def __getitem__(self, name: str) -> xr.DataArray:
        if name not in self.dataset:
            from .errors import InputError

            raise InputError("variable", name, f"one of {self.variables}")
        return self.dataset[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.dataset.data_vars)

    def __repr__(self) -> str:
        n = self.dataset.sizes
        return (
            f"<endotwin.Solution {n['person']} person(s) x {n['time']} times, "
            f"{len(self)} variables>"
        )

    def __len__(self) -> int:
        return len(self.dataset.data_vars)

    @property
    def variables(self) -> list[str]:
        return list(self.dataset.data_vars)

    @property
    def time_min(self) -> np.ndarray:
        return self.dataset["time"].values

    def to_dataarray(self) -> xr.DataArray:
        """One array (person x time x variable); units per variable in ``attrs['units']``."""
        da = self.dataset.to_dataarray("variable").transpose("person", "time", "variable")
        da.attrs["units"] = {v: self.dataset[v].attrs.get("units", "") for v in self.variables}
        return da

    def summary(self) -> pd.DataFrame:
        """Per person: fasting, mean, peak and nadir glucose and insulin, and CGM metrics."""
        from .indices import cgm_metrics

        g = self["Plasma glucose [mg/dL]"]
        ins = self["Plasma insulin [pmol/L]"]
        rows = []
        t = self.time_min
        for i, who in enumerate(self.dataset["person"].values):
            gi = g.values[i]
            ok = np.isfinite(gi)
            m = cgm_metrics(t[ok], gi[ok])
            rows.append(
                {
                    "person": who,
                    "glucose start [mg/dL]": gi[0],
                    "glucose mean [mg/dL]": m.mean_mgdl,
                    "glucose peak [mg/dL]": np.nanmax(gi),
                    "glucose nadir [mg/dL]": np.nanmin(gi),
                    "glucose CV [%]": m.cv_percent,
                    "time in 70-180 [%]": m.time_in_range_70_180_percent,
                    "insulin start [pmol/L]": ins.values[i][0],
                    "insulin peak [pmol/L]": np.nanmax(ins.values[i]),
                }
            )
        return pd.DataFrame(rows).set_index("person")

    def cite(self) -> list[str]:
        """The references behind what was simulated."""
        return format_citations(self.citations)

    def to_netcdf(self, path: str | Path) -> Path:
        """Write the dataset to netCDF-4 (h5netcdf engine).

        netCDF names may not contain ``/``: each variable is stored under a sanitised name with
        the public name (``"Plasma glucose [mg/dL]"``) in its ``long_name`` attribute;
        :func:`read_solution` restores it.
        """
        path = Path(path)
        ds = self.dataset.rename({v: _safe_name(v) for v in self.variables})
        for v in self.variables:
            ds[_safe_name(v)].attrs["long_name"] = v
        ds.attrs["citation_keys"] = ",".join(sorted(self.citations))
        ds.attrs["citations"] = "\n".join(self.cite())
        ds.to_netcdf(path, engine="h5netcdf")
        return path

    def to_csv(self, path: str | Path) -> Path:
        """Write a long-format CSV: person, time [min], one column per variable."""
        path = Path(path)
        df = self.dataset.to_dataframe().reset_index().rename(columns={"time": "time [min]"})
        df.to_csv(path, index=False)
        return path
