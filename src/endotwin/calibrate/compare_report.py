"""The protocol-comparison report: one self-contained HTML file from a :class:`Comparison`.

Built like the validation report (:mod:`endotwin.validation.report`): numbers formatted here,
text escaped by jinja2's autoescape, figures (matplotlib :class:`Figure` objects, no ``pyplot``)
embedded as base64 PNG data URIs, so the file needs no external resource. Sections: the
not-medical-advice statement, the ranking and its rule, the outcome table, a forest plot per
outcome, per protocol the weight and fasting-glucose trajectories and the mechanism attribution,
the calibration summary (when a posterior is given) and the methods.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from jinja2 import Environment
from matplotlib.figure import Figure

from .. import __version__
from ..attribution import Attribution
from ..report_html import format_value, report_environment
from ..validation.plots import figure_png
from ..validation.report import format_interval, format_number
from .compare import (
    ATTRIBUTION_RULE,
    BURN_IN_DAYS,
    CGM_INTERVAL_MIN,
    NOT_MEDICAL_ADVICE,
    OGTT_PROTOCOL,
    ArmTrajectory,
    Comparison,
)

if TYPE_CHECKING:
    from .posterior import Posterior

__all__ = [
    "attribution_figure",
    "forest_figure",
    "render_compare_report",
    "trajectory_figure",
    "write_compare_report",
]

TEMPLATE = "compare_report.html"
_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf")
_HABITUAL = "#7f7f7f"


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def _colour(c: Comparison, protocol: str) -> str:
    return _COLOURS[c.protocols.index(protocol) % len(_COLOURS)]


def forest_figure(c: Comparison) -> Figure:
    """One panel per outcome: each protocol's MAP change (dot) and 90 % interval (bar)."""
    outcomes = c.outcomes
    ncols = 2
    nrows = math.ceil(len(outcomes) / ncols)
    ranked = list(c.ranking)
    fig = Figure(figsize=(10, 1.0 + nrows * (0.5 + 0.35 * len(ranked))))
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for k, o in enumerate(outcomes):
        ax = axes[k // ncols][k % ncols]
        for y, p in enumerate(reversed(ranked)):
            point = c.point(p, o.key)
            lo, hi = c.interval(p, o.key)
            col = _colour(c, p)
            if math.isfinite(lo) and math.isfinite(hi):
                ax.plot([lo, hi], [y, y], color=col, lw=2.5, alpha=0.6, solid_capstyle="butt")
            ax.plot([point], [y], "o", color=col, ms=6)
        ax.axvline(0.0, color="#444", lw=0.8, ls="--")
        ax.set_yticks(range(len(ranked)))
        ax.set_yticklabels([_short(p, 30) for p in reversed(ranked)], fontsize=8)
        ax.set_ylim(-0.6, len(ranked) - 0.4)
        ax.set_title(f"change in {o.label} [{o.unit}]", fontsize=9)
        ax.tick_params(axis="x", labelsize=8)
    for k in range(len(outcomes), nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    fig.suptitle(
        f"Change at {format_number(c.horizon_weeks)} weeks vs habitual: MAP (dot)"
        + ("" if c.n_draws == 0 else ", 90% interval across draws (bar)"),
        fontsize=10,
    )
    fig.tight_layout()
    return fig


def _band(ax: Any, weeks: np.ndarray, values: np.ndarray, colour: str, label: str, ls: str) -> None:
    ax.plot(weeks, values[0], color=colour, lw=1.8, ls=ls, label=label)
    if values.shape[0] > 1:
        lo, hi = np.percentile(values[1:], (5.0, 95.0), axis=0)
        ax.fill_between(weeks, lo, hi, color=colour, alpha=0.2, lw=0)


def trajectory_figure(c: Comparison, protocol: str) -> Figure:
    """Fasting (07:00) weight and glucose over time: the protocol and the habitual arm, MAP
    lines and 5th-95th percentile bands across draws."""
    tr: ArmTrajectory = c.trajectories[protocol]
    hab = c.habitual_trajectory
    weeks = tr.day / 7.0
    fig = Figure(figsize=(10, 3.4))
    axes = fig.subplots(1, 2)
    for ax, attr, title in (
        (axes[0], "weight_kg", "body weight [kg]"),
        (axes[1], "fasting_glucose_mgdl", "fasting glucose at 07:00 [mg/dL]"),
    ):
        _band(ax, weeks, getattr(hab, attr), _HABITUAL, "habitual", "--")
        _band(ax, weeks, getattr(tr, attr), _colour(c, protocol), _short(protocol, 40), "-")
        ax.set_xlabel("week")
        ax.set_title(title, fontsize=9)
        ax.tick_params(labelsize=8)
        ax.legend(fontsize=8, loc="best")
    fig.suptitle(_short(protocol, 90), fontsize=10)
    fig.tight_layout()
    return fig


def attribution_figure(a: Attribution, protocol: str) -> Figure:
    """Shapley contributions of the mechanisms to the HOMA-IR change, the rest and the total."""
    rows = a.table()
    labels = [r[0] for r in rows]
    values = [r[1] for r in rows]
    colours = ["#4c72b0"] * (len(rows) - 2) + ["#8c8c8c", "#222222"]
    fig = Figure(figsize=(8, 0.8 + 0.35 * len(rows)))
    ax = fig.subplots()
    y = np.arange(len(rows))[::-1]
    ax.barh(y, values, color=colours)
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=8)
    ax.axvline(0.0, color="#444", lw=0.8)
    ax.set_xlabel("contribution to the HOMA-IR change vs habitual", fontsize=8)
    ax.tick_params(axis="x", labelsize=8)
    ax.set_title(f"Mechanism attribution (Shapley): {_short(protocol, 60)}", fontsize=9)
    fig.tight_layout()
    return fig


def _png_uri(fig: Figure) -> str:
    return "data:image/png;base64," + base64.b64encode(figure_png(fig)).decode("ascii")


def _calibration(posterior: Posterior | None) -> dict[str, Any] | None:
    if posterior is None:
        return None
    intervals = posterior.interval(0.9)
    rows = []
    for name, m in zip(posterior.names, posterior.mean, strict=True):
        lo, hi = intervals[name]
        rows.append(
            {
                "name": name,
                "map": format_number(math.exp(float(m))),
                "interval": format_interval(lo, hi),
            }
        )
    report = posterior.report if isinstance(posterior.report, Mapping) else {}
    return {
        "person": posterior.person.label,
        "parameters": rows,
        "report": [{"key": str(k), "value": format_value(v)} for k, v in report.items()],
    }


def _context(c: Comparison, posterior: Posterior | None) -> dict[str, Any]:
    best = c.probability_best()
    ranking = []
    for p in c.ranking:
        lo, hi = c.interval(p, "homa_ir")
        ranking.append(
            {
                "rank": c.rank(p),
                "protocol": p,
                "anchor": f"protocol-{c.protocols.index(p) + 1}",
                "point": format_number(c.point(p, "homa_ir")),
                "interval": format_interval(lo, hi) if c.n_draws else "\u2014",
                "p_best": "\u2014" if best is None else f"{100 * best[p]:.0f}%",
            }
        )
    outcomes = [
        {"label": o.label, "unit": o.unit, "description": o.description, "key": o.key}
        for o in c.outcomes
    ]
    rows = []
    for p in c.ranking:
        cells = []
        for o in c.outcomes:
            lo, hi = c.interval(p, o.key)
            cells.append(
                {
                    "point": format_number(c.point(p, o.key)),
                    "interval": format_interval(lo, hi) if c.n_draws else "",
                }
            )
        rows.append({"protocol": p, "rank": c.rank(p), "cells": cells})
    habitual = [format_number(float(c.habitual[o.key][0])) for o in c.outcomes]
    sections = []
    for k, p in enumerate(c.protocols):
        a = c.attributions.get(p)
        sections.append(
            {
                "anchor": f"protocol-{k + 1}",
                "protocol": p,
                "rank": c.rank(p),
                "trajectory_png": _png_uri(trajectory_figure(c, p)),
                "attribution_png": None if a is None else _png_uri(attribution_figure(a, p)),
                "attribution": None
                if a is None
                else [{"name": n, "value": format_number(v)} for n, v in a.table()],
                "attribution_habitual": None if a is None else format_number(a.baseline),
            }
        )
    return {
        "title": f"endotwin protocol comparison: {c.person}",
        "version": __version__,
        "person": c.person,
        "horizon_weeks": format_number(c.horizon_weeks),
        "horizon_days": c.horizon_days,
        "n_draws": c.n_draws,
        "uncertainty": c.uncertainty,
        "runtime": format_number(c.runtime_s) + " s",
        "disclaimer": NOT_MEDICAL_ADVICE,
        "rank_rule": c.rank_rule,
        "ranking": ranking,
        "outcomes": outcomes,
        "rows": rows,
        "habitual": habitual,
        "forest_png": _png_uri(forest_figure(c)),
        "sections": sections,
        "calibration": _calibration(posterior),
        "notes": list(c.notes),
        "burn_in_days": BURN_IN_DAYS,
        "cgm_days": c.cgm_days,
        "cgm_interval": format_number(CGM_INTERVAL_MIN),
        "ogtt": OGTT_PROTOCOL,
        "attribution_rule": ATTRIBUTION_RULE,
    }


def _environment() -> Environment:
    return report_environment("endotwin.calibrate")


def render_compare_report(comparison: Comparison, posterior: Posterior | None = None) -> str:
    """The report as an HTML string (see :func:`write_compare_report`)."""
    return _environment().get_template(TEMPLATE).render(**_context(comparison, posterior))


def write_compare_report(
    comparison: Comparison, path: str | Path, posterior: Posterior | None = None
) -> Path:
    """Write the self-contained HTML report of ``comparison`` to ``path``; return the path.

    posterior: the calibration the draws came from; adds its fit summary (``report``) and the
    90 % posterior interval of each fitted parameter.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_compare_report(comparison, posterior), encoding="utf-8")
    return path
