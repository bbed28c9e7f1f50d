"""The validation report: one self-contained HTML file from a :class:`ValidationRun`.

Every number in the report is formatted here from the run's objects (:func:`format_number`), the
text is escaped by jinja2's autoescape, and the figures of :mod:`endotwin.validation.plots` are
embedded as base64 PNG data URIs, so the file needs no external resource.
"""

from __future__ import annotations

import base64
import math
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment
from matplotlib.figure import Figure

from ..report_html import report_environment
from ..solution import DISCLAIMER
from .plots import figure_png, outcome_figure, summary_figure, trajectory_figure
from .results import BOOTSTRAP, OutcomeResult, StudyResult, ValidationRun

__all__ = [
    "PASS_RULE",
    "PASS_SHARE",
    "format_duration",
    "format_interval",
    "format_number",
    "on_the_edge",
    "outcome_verdict",
    "render_validation_report",
    "spread_label",
    "study_verdict",
    "write_validation_report",
]

TEMPLATE = "validation_report.html"

PASS_RULE = (
    "An outcome passes when the model mean lies inside the published 95% confidence interval; "
    "where the paper gives only a standard deviation, within 1 SD of the published mean (an SE "
    "is converted to a 95% CI as mean \u00b1 1.96 SE); for qualitative results, when the model "
    "reproduces the published direction and significance. A study passes when every scored "
    "outcome passes."
)
MODEL_INTERVALS = (
    "Model intervals are 95% bootstrap intervals of the virtual-population mean (the sampling "
    "uncertainty of the virtual population, not the spread between people); the model SD is the "
    "spread across virtual people; trajectory bands are the 5th\u201395th percentiles across "
    "virtual people."
)
PASS_SHARE = (
    f"Pass share: the share of the {BOOTSTRAP} bootstrap resamples of the virtual people whose "
    "model value passes the same rule. It says how firmly a verdict stands against the draw of the "
    "people, not how likely the model is to be right: near 1 or 0 the verdict does not depend "
    "on which people were drawn; near 0.5 the model mean sits on the edge of the published "
    "interval and another draw of the same size could reverse it. Qualitative outcomes, judged "
    "by a test on all the people, have none."
)
#: pass shares between these bounds mark a verdict that at least one resample in five reverses
EDGE_SHARES = (0.2, 0.8)


def on_the_edge(o: OutcomeResult) -> bool:
    """True when ``o``'s verdict is reversed by at least one resample in five (pass share inside
    :data:`EDGE_SHARES`)."""
    return o.pass_share is not None and EDGE_SHARES[0] <= o.pass_share <= EDGE_SHARES[1]


NOT_SCORED = (
    "Outcomes that are inputs of the simulation (e.g. the measured intake), have no published "
    "number, or are unverified are shown but not scored."
)

_SPREAD = {
    "95CI": "95% CI",
    "SD": "mean \u00b1 1 SD",
    "SE": "mean \u00b1 1.96 SE (95% CI)",
}


def format_number(x: float | None) -> str:
    """A number as the report shows it: 4 significant digits, no trailing zeros.

    ``None`` -> ``"\u2014"``, not finite -> ``"n/a"``; plain notation for 1e-3 <= |x| < 1e6,
    otherwise scientific with 4 significant digits. The minus sign is ASCII ``-``.
    """
    if x is None:
        return "\u2014"
    v = float(x)
    if not math.isfinite(v):
        return "n/a"
    if v == 0:
        return "0"
    a = abs(v)
    if 1e-3 <= a < 1e6:
        decimals = max(0, 3 - math.floor(math.log10(a)))
        s = f"{v:.{decimals}f}"
        if "." in s:
            s = s.rstrip("0").rstrip(".")
    else:
        s = f"{v:.3e}"
    return "0" if s in ("-0", "0") else s


def format_interval(low: float | None, high: float | None) -> str:
    """``"[low, high]"`` with :func:`format_number`; ``""`` when both ends are missing."""
    if low is None and high is None:
        return ""
    return f"[{format_number(low)}, {format_number(high)}]"


def format_duration(seconds: float | None) -> str:
    """Seconds as ``"12.3 s"``, ``"4 min 05 s"`` or ``"1 h 02 min"``."""
    if seconds is None or not math.isfinite(float(seconds)):
        return "\u2014"
    s = float(seconds)
    if s < 60:
        return f"{s:.1f} s"
    if s < 3600:
        m, r = divmod(round(s), 60)
        return f"{m} min {r:02d} s"
    h, r = divmod(round(s), 3600)
    return f"{h} h {r // 60:02d} min"


def spread_label(kind: str | None) -> str:
    """What the published interval is (``"95% CI"``, ``"mean \u00b1 1 SD"``...); ``""`` if None."""
    if not kind:
        return ""
    return _SPREAD.get(kind, kind)


def outcome_verdict(o: OutcomeResult) -> str:
    """``"PASS"``, ``"FAIL"`` or ``"not scored"``."""
    if not o.scored or o.passed is None:
        return "not scored"
    return "PASS" if o.passed else "FAIL"


def study_verdict(s: StudyResult) -> str:
    """``"PASS"`` (every scored outcome passes), ``"FAIL"`` or ``"not scored"``."""
    p = s.passed
    if p is None:
        return "not scored"
    return "PASS" if p else "FAIL"


def _css(verdict: str) -> str:
    return {"PASS": "pass", "FAIL": "fail"}.get(verdict, "ns")


def _png_uri(fig: Figure | None) -> str | None:
    if fig is None:
        return None
    return "data:image/png;base64," + base64.b64encode(figure_png(fig)).decode("ascii")


def _anchors(studies: tuple[StudyResult, ...]) -> list[str]:
    seen: set[str] = set()
    out = []
    for i, s in enumerate(studies):
        a = "study-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", s.name).strip("-") or str(i))
        if a in seen:
            a = f"{a}-{i}"
        seen.add(a)
        out.append(a)
    return out


def _time(t: float | None) -> str:
    return "\u2014" if t is None else f"{format_number(t)} wk"


def _outcome_row(o: OutcomeResult) -> dict[str, str]:
    v = outcome_verdict(o)
    return {
        "name": o.name,
        "arm": o.arm or "\u2014",
        "time": _time(o.time_weeks),
        "unit": o.unit,
        "comparison": o.comparison,
        "pub_mean": format_number(o.published_mean),
        "pub_interval": format_interval(o.published_low, o.published_high),
        "pub_kind": spread_label(o.spread_kind),
        "model_mean": format_number(o.model_mean),
        "model_interval": format_interval(o.model_low, o.model_high),
        "model_sd": format_number(o.model_sd),
        "pass_share": "\u2014" if o.pass_share is None else f"{o.pass_share:.2f}",
        "criterion": o.criterion,
        "verdict": v,
        "css": _css(v),
        "note": o.note,
    }


def _study_context(s: StudyResult, anchor: str) -> dict[str, Any]:
    v = study_verdict(s)
    return {
        "anchor": anchor,
        "name": s.name,
        "title": s.title,
        "citation": s.citation,
        "design": s.design,
        "protocol": s.protocol,
        "control": s.control,
        "calibration": s.calibration,
        "calibration_note": s.calibration_note,
        "n_virtual": s.n_virtual,
        "seed": s.seed,
        "runtime": format_duration(s.runtime_s),
        "n_scored": len(s.scored),
        "n_passed": sum(1 for o in s.scored if o.passed),
        "n_outcomes": len(s.outcomes),
        "verdict": v,
        "css": _css(v),
        "if_fails": s.if_fails,
        "notes": list(s.notes),
        "outcomes": [_outcome_row(o) for o in s.outcomes],
        "outcome_png": _png_uri(outcome_figure(s)),
        "trajectory_png": _png_uri(trajectory_figure(s)),
    }


def _context(run: ValidationRun) -> dict[str, Any]:
    summary = run.summary()
    anchors = _anchors(run.studies)
    studies = [_study_context(s, a) for s, a in zip(run.studies, anchors, strict=True)]
    by_id = dict(zip([id(s) for s in run.studies], studies, strict=True))
    failures = []
    for s in run.prediction_studies:
        failed = [o for o in s.scored if o.passed is False]
        if failed:
            ctx = by_id[id(s)]
            failures.append(
                {
                    "name": s.name,
                    "title": s.title,
                    "anchor": ctx["anchor"],
                    "if_fails": s.if_fails,
                    "outcomes": [_outcome_row(o) for o in failed],
                }
            )
    rate = float(summary["prediction_pass_rate"])
    return {
        "title": f"endotwin validation report (v{run.endotwin_version})",
        "version": run.endotwin_version,
        "started": run.started,
        "seed": run.seed,
        "n_virtual": run.n_virtual,
        "n_raised": ", ".join(
            f"{st.name}: {st.n_virtual}" for st in run.studies if st.n_virtual != run.n_virtual
        ),
        "runtime": format_duration(run.runtime_s),
        "disclaimer": DISCLAIMER,
        "summary": summary,
        "pass_rate": "n/a" if math.isnan(rate) else f"{100 * rate:.0f}%",
        "pass_rule": PASS_RULE,
        "model_intervals": MODEL_INTERVALS,
        "pass_share_text": PASS_SHARE,
        "not_scored": NOT_SCORED,
        "studies": studies,
        "prediction": [c for c in studies if not c["calibration"]],
        "calibration": [c for c in studies if c["calibration"]],
        "failures": failures,
        "summary_png": _png_uri(summary_figure(run)),
        "notes": list(run.notes),
    }


def _environment() -> Environment:
    return report_environment("endotwin.validation")


def render_validation_report(run: ValidationRun) -> str:
    """The report as an HTML string (see :func:`write_validation_report`)."""
    return _environment().get_template(TEMPLATE).render(**_context(run))


def write_validation_report(run: ValidationRun, path: str | Path) -> Path:
    """Write the self-contained HTML validation report of ``run`` to ``path``; return the path.

    Sections: run facts and disclaimer, headline (prediction-only studies; calibration studies
    listed and not counted), pass rule, summary table and forest plot, failures with what the
    model lacks, one section per study (outcome table and figures), run notes.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_validation_report(run), encoding="utf-8")
    return path
