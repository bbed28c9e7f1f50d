"""Figures of the validation report: per-study outcomes and trajectories, and a suite summary.

Only :class:`matplotlib.figure.Figure` objects are used (no ``pyplot`` and no global backend
switch), so importing this module never changes the state of other plotting code. PNG output
goes through the Agg canvas that :meth:`Figure.savefig` picks for the ``png`` format.

Every value drawn comes from the :mod:`endotwin.validation.results` objects passed in.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .results import OutcomeResult, StudyResult, Trajectory, ValidationRun

__all__ = [
    "COLOURS",
    "figure_png",
    "normalised_error",
    "outcome_figure",
    "outcome_label",
    "outcome_matches_variable",
    "summary_figure",
    "trajectory_figure",
]

COLOURS = {
    "published": "#1f4e79",  # dark blue: the published mean and interval
    "model": "#e08214",  # orange: the model mean and bootstrap interval
    "pass": "#1a9641",
    "fail": "#d7191c",
    "unscored": "#8c8c8c",
}

_ARM_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf")
_CLIP = 5.0  # summary plot: normalised errors beyond +/- this are drawn at the edge


def _num(x: float | None) -> float | None:
    """``x`` as a float, or None when it is missing or not finite."""
    if x is None:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _status_colour(o: OutcomeResult) -> str:
    if not o.scored or o.passed is None:
        return COLOURS["unscored"]
    return COLOURS["pass"] if o.passed else COLOURS["fail"]


def _status_word(o: OutcomeResult) -> str:
    if not o.scored or o.passed is None:
        return "not scored"
    return "PASS" if o.passed else "FAIL"


def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def _fmt_time(t: float | None) -> str:
    v = _num(t)
    if v is None:
        return ""
    return f"{v:g} wk"


def outcome_label(o: OutcomeResult, *, with_unit: bool = True) -> str:
    """``name (arm, t = 12 wk) [unit]``: the label of an outcome in the figures."""
    extra = [s for s in (o.arm or "", _fmt_time(o.time_weeks)) if s]
    label = o.name + (f" ({', '.join(extra)})" if extra else "")
    if with_unit and o.unit:
        label += f" [{o.unit}]"
    return label


def figure_png(fig: Figure, dpi: int = 110) -> bytes:
    """Render ``fig`` to PNG bytes (Agg canvas, tight bounding box)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    return buf.getvalue()


def _errorbar(
    ax: Axes,
    y: float,
    mean: float | None,
    low: float | None,
    high: float | None,
    *,
    colour: str,
    face: str,
    marker: str,
) -> bool:
    """Draw a mean and its (possibly one-sided) interval at ``y``; False if nothing is drawn."""
    m, lo, hi = _num(mean), _num(low), _num(high)
    if m is None:
        if lo is not None and hi is not None:  # interval without a mean: draw the bar only
            ax.plot([lo, hi], [y, y], color=colour, lw=2)
            return True
        return False
    xerr = None
    if lo is not None or hi is not None:
        xerr = [
            [max(m - lo, 0.0) if lo is not None else 0.0],
            [max(hi - m, 0.0) if hi is not None else 0.0],
        ]
    ax.errorbar(
        [m],
        [y],
        xerr=xerr,
        fmt=marker,
        color=colour,
        ecolor=colour,
        elinewidth=2,
        capsize=5,
        markersize=9,
        markerfacecolor=face,
        markeredgecolor=colour,
        markeredgewidth=1.5,
    )
    return True


def _note(ax: Axes, x: float, y: float, text: str, ha: str = "left") -> None:
    """Grey text at axes coordinates (x, y): says what is missing in a panel."""
    ax.text(
        x,
        y,
        text,
        transform=ax.transAxes,
        fontsize=8,
        color=COLOURS["unscored"],
        va="center",
        ha=ha,
    )


def outcome_figure(study: StudyResult) -> Figure:
    """One panel per outcome: published mean and interval vs model mean and 95% interval.

    Each panel has its own x axis (outcomes differ in units), titled with name, arm and time and
    labelled with the unit. The model marker is filled green (pass), red (fail) or grey (not
    scored). Missing numbers are written in the panel instead of drawn.
    """
    outcomes = study.outcomes
    n = max(len(outcomes), 1)
    fig = Figure(figsize=(7.5, 0.4 + 1.25 * n), layout="constrained")
    if not outcomes:
        ax = fig.add_subplot()
        ax.text(0.5, 0.5, "no outcomes", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    axes = fig.subplots(n, 1, squeeze=False)[:, 0]
    for ax, o in zip(axes, outcomes, strict=True):
        status = _status_colour(o)
        has_pub = _errorbar(
            ax,
            1.0,
            o.published_mean,
            o.published_low,
            o.published_high,
            colour=COLOURS["published"],
            face=COLOURS["published"],
            marker="s",
        )
        has_mod = _errorbar(
            ax,
            0.0,
            o.model_mean,
            o.model_low,
            o.model_high,
            colour=COLOURS["model"],
            face=status,
            marker="o",
        )
        if has_pub and _num(o.published_low) is None and _num(o.published_high) is None:
            _note(ax, 0.98, 0.75, "no published interval", ha="right")
        if not has_pub:
            _note(ax, 0.02, 0.75, "no published number")
        if not has_mod:
            _note(ax, 0.02, 0.25, "no model value")
        ax.set_ylim(-0.7, 1.7)
        ax.set_yticks([0.0, 1.0], ["model", "published"], fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(axis="x", alpha=0.3)
        ax.set_xlabel(o.unit or "", fontsize=8, labelpad=1)
        ax.set_title(
            f"{_short(outcome_label(o, with_unit=False), 90)} \u2014 {_status_word(o)}",
            fontsize=9,
            loc="left",
            color=status if o.scored else "black",
        )
        if not (has_pub or has_mod):
            ax.set_xticks([])
    fig.suptitle(
        f"{_short(study.name, 60)}: published (blue squares) vs model (circles; green = pass, "
        "red = fail, grey = not scored)",
        fontsize=9,
    )
    return fig


def _variable_base(variable: str) -> tuple[str, str | None]:
    """``"Body weight [kg]"`` -> ``("body weight", "kg")``."""
    m = re.match(r"^\s*(.*?)\s*(?:\[(.*)\])?\s*$", variable)
    base = (m.group(1) if m else variable).strip().lower()
    unit = m.group(2).strip() if m and m.group(2) else None
    return base, unit


def outcome_matches_variable(o: OutcomeResult, variable: str) -> bool:
    """Whether the published point of ``o`` can be drawn on the trajectory of ``variable``.

    Kept simple: the outcome name must mention the variable (without its ``[unit]``), the units
    must agree where the variable has one, the outcome must have a published mean and a time,
    and it must be a level (not a change, difference or correlation).
    """
    if _num(o.published_mean) is None or _num(o.time_weeks) is None:
        return False
    if o.comparison in ("between", "correlation"):
        return False
    base, unit = _variable_base(variable)
    name = o.name.lower()
    if not base or base not in name:
        return False
    if any(w in name for w in ("change", "difference", "delta", "loss", "gain")):
        return False
    return unit is None or unit.strip().lower() == o.unit.strip().lower()


def trajectory_figure(study: StudyResult) -> Figure | None:
    """Mean line and 5th-95th percentile band per arm vs weeks, one panel per variable.

    Published outcome points (mean and interval at their week) are overlaid on the panel whose
    variable the outcome name mentions (see :func:`outcome_matches_variable`). None when the
    study has no trajectories.
    """
    trajs: Sequence[Trajectory] = study.trajectories
    if not trajs:
        return None
    variables: list[str] = []
    for t in trajs:
        if t.variable not in variables:
            variables.append(t.variable)
    arms: list[str] = []
    for t in trajs:
        if t.arm not in arms:
            arms.append(t.arm)
    colour = {a: _ARM_COLOURS[i % len(_ARM_COLOURS)] for i, a in enumerate(arms)}

    n = len(variables)
    fig = Figure(figsize=(7.5, 0.6 + 2.3 * n), layout="constrained")
    axes = fig.subplots(n, 1, squeeze=False, sharex=True)[:, 0]
    for ax, var in zip(axes, variables, strict=True):
        for t in (t for t in trajs if t.variable == var):
            x = [float(v) for v in t.time_weeks]
            c = colour[t.arm]
            if len(t.low) == len(x) and len(t.high) == len(x):
                ax.fill_between(
                    x,
                    [float(v) for v in t.low],
                    [float(v) for v in t.high],
                    color=c,
                    alpha=0.18,
                    lw=0,
                )
            if len(t.mean) == len(x):
                ax.plot(x, [float(v) for v in t.mean], color=c, lw=1.8, label=t.arm)
        first = True
        for o in study.outcomes:
            if not outcome_matches_variable(o, var):
                continue
            m = _num(o.published_mean)
            lo, hi = _num(o.published_low), _num(o.published_high)
            assert m is not None and o.time_weeks is not None
            yerr = None
            if lo is not None or hi is not None:
                yerr = [
                    [max(m - lo, 0.0) if lo is not None else 0.0],
                    [max(hi - m, 0.0) if hi is not None else 0.0],
                ]
            c = colour.get(o.arm or "", "black")
            ax.errorbar(
                [float(o.time_weeks)],
                [m],
                yerr=yerr,
                fmt="s",
                color=c,
                markeredgecolor="black",
                ecolor="black",
                capsize=4,
                markersize=6,
                zorder=5,
                label="published" if first else None,
            )
            first = False
        ax.set_ylabel(var.replace(" [", "\n["), fontsize=8)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="best")
    axes[-1].set_xlabel("time [weeks]", fontsize=8)
    fig.suptitle(
        f"{_short(study.name, 60)}: model mean and 5th\u201395th percentile band per arm",
        fontsize=9,
    )
    return fig


def normalised_error(outcome: OutcomeResult) -> float | None:
    """``(model_mean - published_mean) / half-width`` of the published interval.

    The half-width is taken on the side of the model mean (``high - mean`` above, ``mean - low``
    below), so the pass band is exactly [-1, 1] even for an asymmetric interval; for a symmetric
    interval it is the ordinary half-width ``(high - low) / 2``. If that side has zero width the
    full half-width is used. None when a number is missing or the interval has no width.
    """
    m, p = _num(outcome.model_mean), _num(outcome.published_mean)
    lo, hi = _num(outcome.published_low), _num(outcome.published_high)
    if m is None or p is None or lo is None or hi is None:
        return None
    half = (hi - p) if m >= p else (p - lo)
    if half <= 0:
        half = (hi - lo) / 2.0
    if half <= 0:
        return None
    return (m - p) / half


def _forest_panel(ax: Axes, rows: list[tuple[str, OutcomeResult]], *, hollow: bool) -> None:
    ax.axvspan(-1.0, 1.0, color=COLOURS["pass"], alpha=0.10, lw=0)
    ax.axvline(0.0, color="0.4", lw=0.8)
    for v in (-1.0, 1.0):
        ax.axvline(v, color=COLOURS["pass"], lw=0.8, ls="--")
    for i, (_, o) in enumerate(rows):
        y = len(rows) - 1 - i
        c = _status_colour(o)
        z = normalised_error(o)
        if z is None:
            ax.text(
                0.0,
                y,
                f"no numeric interval: {_status_word(o)}",
                ha="center",
                va="center",
                fontsize=7,
                color=c,
            )
            continue
        marker = "o"
        x = z
        if z > _CLIP:
            x, marker = _CLIP, ">"
        elif z < -_CLIP:
            x, marker = -_CLIP, "<"
        ax.plot(
            [x],
            [y],
            marker=marker,
            markersize=8,
            linestyle="none",
            markerfacecolor="white" if hollow else c,
            markeredgecolor=c,
            markeredgewidth=1.8,
        )
        if marker != "o":
            ax.annotate(
                f"{z:.3g}",
                (x, y),
                xytext=(-6 if z > 0 else 6, 6),
                textcoords="offset points",
                ha="right" if z > 0 else "left",
                fontsize=7,
                color=c,
            )
    labels = [_short(f"{s}: {outcome_label(o, with_unit=False)}", 75) for s, o in rows]
    ax.set_yticks(range(len(rows)), labels[::-1], fontsize=7)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlim(-_CLIP - 0.6, _CLIP + 0.6)
    ax.grid(axis="x", alpha=0.3)
    ax.tick_params(axis="x", labelsize=8)


def summary_figure(run: ValidationRun) -> Figure:
    """Forest plot of every scored outcome as :func:`normalised_error` (pass band [-1, 1]).

    Prediction-only studies on top (filled markers), calibration studies in a separate panel
    below (hollow markers). Green = pass, red = fail; values beyond +/-5 are drawn as arrows at
    the edge with their value written next to them.
    """
    pred = [(s.name, o) for s in run.prediction_studies for o in s.scored]
    cal = [(s.name, o) for s in run.calibration_studies for o in s.scored]
    panels = [
        (p, t, h)
        for p, t, h in (
            (pred, "Prediction-only studies (counted)", False),
            (cal, "Calibration studies (not counted; hollow markers)", True),
        )
        if p
    ]
    if not panels:
        fig = Figure(figsize=(7.5, 1.5), layout="constrained")
        ax = fig.add_subplot()
        ax.text(0.5, 0.5, "no scored outcomes", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    heights = [len(p) + 1.5 for p, _, _ in panels]
    fig = Figure(figsize=(8.5, 0.8 + 0.28 * sum(heights)), layout="constrained")
    axes = fig.subplots(
        len(panels), 1, squeeze=False, sharex=True, gridspec_kw={"height_ratios": heights}
    )[:, 0]
    for ax, (rows, title, hollow) in zip(axes, panels, strict=True):
        _forest_panel(ax, rows, hollow=hollow)
        ax.set_title(title, fontsize=9, loc="left")
    axes[-1].set_xlabel(
        "(model mean \u2212 published mean) / half-width of the published interval "
        "(pass band [\u22121, 1])",
        fontsize=8,
    )
    return fig
