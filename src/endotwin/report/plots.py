"""Static plots (matplotlib, headless backend)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from ..schedule import Schedule
from ..solution import Solution


def plot_day(sol: Solution, path: str | Path, schedule: Schedule | None = None) -> Path:
    """Plasma glucose, insulin and glucose appearance over time for every person in ``sol``."""
    path = Path(path)
    t_h = sol.time_min / 60.0
    panels = [
        ("Plasma glucose [mg/dL]", (70, 180)),
        ("Plasma insulin [pmol/L]", None),
        ("Glucose rate of appearance [mg/kg/min]", None),
    ]
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 7.5), sharex=True)
    for ax, (var, band) in zip(axes, panels, strict=True):
        if band:
            ax.axhspan(*band, color="tab:green", alpha=0.08, label="70-180 mg/dL")
        for i, who in enumerate(sol.dataset["person"].values):
            ax.plot(t_h, sol[var].values[i], lw=1.4, label=str(who))
        ax.set_ylabel(var.replace(" [", "\n["), fontsize=9)
        ax.grid(alpha=0.3)
        if schedule is not None:
            for m in schedule.meals:
                ax.axvline(m.time_min / 60.0, color="0.6", lw=0.6, ls=":")
            for e in schedule.exercise:
                ax.axvspan(
                    e.start_min / 60,
                    (e.start_min + e.duration_min) / 60,
                    color="tab:orange",
                    alpha=0.15,
                )
    axes[0].legend(fontsize=8, loc="upper right")
    axes[-1].set_xlabel("time [h]")
    axes[-1].set_xticks(np.arange(0, t_h[-1] + 1e-9, 3 if t_h[-1] <= 48 else 24))
    fig.suptitle("endotwin simulation (model prediction - not medical advice)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
