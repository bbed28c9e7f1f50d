"""The calibration report: one self-contained HTML file from a fit (``endotwin calibrate``).

Built like the comparison report (:mod:`endotwin.calibrate.compare_report`): numbers formatted
here, text escaped by jinja2's autoescape, matplotlib :class:`Figure` objects (no ``pyplot``)
embedded as base64 PNG data URIs. Sections:

- the not-medical-advice statement and the fit's facts (person, data, prior set, time, RMSE);
- **data used**: the person record (covariates and labs), each data file and what its reader
  dropped, and notes on the data (e.g. a record's fasting glucose far from the OGTT's);
- **fit to the data**, specific to the kind of data: for an OGTT the observed glucose (and
  insulin) against the MAP twin's simulated curve and a 90 % band from posterior draws; for a
  CGM trace (:mod:`endotwin.calibrate.cgm_fit`) the readings against the MAP twin's sensor
  glucose in each fitted window with the meals (logged or detected), the fitted meals' table,
  the insulin-sensitivity index SI with its interval, RMSE/MARD and the limits of glucose-only
  data;
- **parameters**, generic over a :class:`~endotwin.calibrate.posterior.Posterior`: MAP, 90 %
  interval, prior, posterior/prior SD ratio and the identifiability verdict in plain words;
- **the twin's indices**: HOMA-IR, HOMA-%B, Matsuda and 2-h glucose of the twin with their 90 %
  interval across the same draws;
- the fit summary (``posterior.report``) and the **methods**, written from the fit module's
  constants.

Adding a kind of fit (a result with ``.posterior``, whose ``report["calibration"]`` names the
kind, ``.seconds`` and its own diagnostics): write a :class:`ReportKind` (its parameter labels,
prior centres, method notes, data sections, facts and notes) and register it in
:data:`REPORT_KINDS`; pass the data to :func:`write_calibration_report` through ``data=``. The
parameter table, the twin's indices, the header and the not-medical-advice statement need
nothing new. The ``"cgm"`` kind (:mod:`endotwin.calibrate.cgm_report`) reads
``data={"cgm": CGMRead, "cgm_file": path, "cgm_trace": the fitted CGMTrace, "meals": the meal
log's Meal list, "meal_log": path, "warnings": the fit's warning messages}`` (every key optional)
and the fit's :class:`~endotwin.calibrate.cgm_fit.CGMFit`.

Research and education tool; not medical advice (:data:`NOT_MEDICAL_ADVICE`).
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from jinja2 import Environment
from matplotlib.figure import Figure

from .. import __version__
from ..errors import EndotwinError
from ..person import Person
from ..report_html import format_value, report_environment
from ..units import INSULIN_PMOLL_PER_UUML
from ..validation.plots import figure_png
from ..validation.report import format_interval, format_number
from .compare import NOT_MEDICAL_ADVICE
from .posterior import IDENTIFIED_RATIO, WEAK_RATIO, Posterior, identifiability

if TYPE_CHECKING:
    from ..io.ogtt_file import OGTT
    from ..io.person_record import PersonRecord

__all__ = [
    "BAND_DRAWS",
    "BAND_LEVEL",
    "NOT_MEDICAL_ADVICE",
    "REPORT_KINDS",
    "VERDICT_WORDS",
    "DataSection",
    "ReportKind",
    "TwinDraws",
    "data_notes",
    "ogtt_figure",
    "parameter_rows",
    "render_calibration_report",
    "twin_indices",
    "write_calibration_report",
]

TEMPLATE = "calibration_report.html"
#: posterior draws behind the bands and the indices' intervals (MODEL CHOICE: 100 draws put the
#: 5th/95th percentiles within a few percentiles of their value; about 2 s on 2 cores)
BAND_DRAWS = 100
BAND_SEED = 20260601
#: level of every interval in the report (5th-95th percentile)
BAND_LEVEL = 0.9
#: step of the simulated time grid of the curves [min]
GRID_STEP_MIN = 1.0
#: fasting glucose in the person record and at 0 min of the OGTT differing by more than this
#: fraction are flagged (different days or a unit slip; day-to-day CV of fasting glucose is
#: about 5-8 %, so 15 % is beyond ordinary variation)
FASTING_MISMATCH = 0.15

#: the verdicts of :func:`endotwin.calibrate.posterior.identifiability` in plain words
VERDICT_WORDS: dict[str, str] = {
    "identified": (
        f"identified: the data pin it down (posterior SD below {IDENTIFIED_RATIO:g} x the prior SD)"
    ),
    "weakly identified": (
        "weakly identified: the data narrow it only somewhat (posterior SD "
        f"{IDENTIFIED_RATIO:g}-{WEAK_RATIO:g} x the prior SD); read it with caution"
    ),
    "not identified": "not identified: the data say nothing beyond the prior",
}

_PCT = (100.0 * (1.0 - BAND_LEVEL) / 2.0, 100.0 * (1.0 + BAND_LEVEL) / 2.0)
_MAP_COLOUR = "#1f4e79"
_DATA_COLOUR = "#c0161a"


# --------------------------------------------------------------------------------------------
# posterior draws and their simulated OGTT curves (generic)
# --------------------------------------------------------------------------------------------


@dataclass(eq=False)
class TwinDraws:
    """The MAP twin and draws from the posterior, with their simulated curves (cached).

    people[0] is the MAP twin (``posterior.person``); log_draws are the log-parameters of
    ``people[1:]``. Draws whose parameters leave the simulator's bounds were replaced by further
    draws (:meth:`Posterior.draw`); ``skipped`` counts them.
    """

    posterior: Posterior
    people: list[Person]
    log_draws: np.ndarray
    requested: int
    seed: int
    skipped: int = 0
    _curves: dict[float, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)

    @classmethod
    def draw(cls, posterior: Posterior, n: int = BAND_DRAWS, seed: int = BAND_SEED) -> TwinDraws:
        """The MAP twin and ``n`` draws (:meth:`Posterior.draw`: truncated to the bounds)."""
        d = posterior.draw(n, seed)
        return cls(posterior, [posterior.person, *d.people], d.log, n, seed, d.rejected)

    @property
    def n(self) -> int:
        """Draws kept (the MAP twin not counted)."""
        return len(self.people) - 1

    def ogtt_curves(
        self, dose_g: float = 75.0, t_end_min: float = 180.0
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(t, glucose [mg/dL], insulin [pmol/L])`` of an OGTT of ``dose_g`` for every person
        (rows; row 0 the MAP twin) on a :data:`GRID_STEP_MIN` grid from 0 to ``t_end_min``."""
        key = (float(dose_g), float(t_end_min))
        if key not in self._curves:
            self._curves[key] = _simulate_ogtt_curves(self.people, dose_g, t_end_min)
        return self._curves[key]


def _simulate_ogtt_curves(
    people: Sequence[Person], dose_g: float, t_end_min: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The OGTT of :func:`endotwin.challenges.ogtt` (the same drink as
    :func:`endotwin.calibrate.ogtt_fit.simulate_ogtt`) for a batch of people (Numba)."""
    from ..challenges import OGTT_DRINK_MIN
    from ..schedule import Meal, Schedule
    from ..simulate import simulate

    sched = Schedule(meals=[Meal(0.0, dose_g, duration_min=OGTT_DRINK_MIN, label="OGTT drink")])
    sol = simulate(list(people), sched, duration_min=t_end_min, output_interval_min=GRID_STEP_MIN)
    g = np.asarray(sol["Plasma glucose [mg/dL]"].values, dtype=float)
    i = np.asarray(sol["Plasma insulin [pmol/L]"].values, dtype=float)
    return np.asarray(sol.time_min, dtype=float), g, i


def _band(values: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """5th/95th percentiles across the draws (rows 1:), or None without draws."""
    if values.shape[0] < 3:
        return None
    lo, hi = np.percentile(values[1:], _PCT, axis=0)
    return lo, hi


# --------------------------------------------------------------------------------------------
# generic parts: the parameter table and the twin's indices
# --------------------------------------------------------------------------------------------


def verdicts(posterior: Posterior) -> dict[str, str]:
    """Identifiability verdict per fitted parameter: the fit's own (``report``) when it gives
    them, else :func:`identifiability` of the posterior and prior SDs."""
    given = posterior.report.get("identifiability") if posterior.report else None
    if isinstance(given, Mapping) and set(given) == set(posterior.names):
        return {n: str(given[n]) for n in posterior.names}
    return dict(
        zip(posterior.names, identifiability(posterior.prior_sd, posterior.sd), strict=True)
    )


def parameter_rows(
    posterior: Posterior,
    meaning: Mapping[str, str] | None = None,
    prior_centre: Sequence[float | None] | None = None,
    level: float = BAND_LEVEL,
) -> list[dict[str, Any]]:
    """One row per fitted parameter (natural scale): name, meaning, MAP, ``level`` posterior
    interval, prior (centre and ``level`` interval, or its width when the centre is unknown),
    posterior/prior SD ratio of the log-parameter, verdict and its plain-words reading."""
    from scipy.stats import norm

    z = float(norm.ppf(0.5 + level / 2.0))
    iv = posterior.interval(level)
    ratio = posterior.sd / posterior.prior_sd
    verdict = verdicts(posterior)
    rows = []
    for k, name in enumerate(posterior.names):
        sd0 = float(posterior.prior_sd[k])
        centre = None if prior_centre is None else prior_centre[k]
        if centre is not None and math.isfinite(centre) and centre > 0:
            prior = (
                f"{format_number(centre)} "
                f"{format_interval(centre * math.exp(-z * sd0), centre * math.exp(z * sd0))}"
            )
        else:
            prior = f"x/\u00f7 {format_number(math.exp(sd0))} at one SD"
        lo, hi = iv[name]
        rows.append(
            {
                "name": name,
                "meaning": (meaning or {}).get(name, name),
                "map": format_number(math.exp(float(posterior.mean[k]))),
                "interval": format_interval(lo, hi),
                "prior": prior,
                "ratio": f"{ratio[k]:.2f}",
                "verdict": verdict[name],
                "verdict_words": VERDICT_WORDS.get(verdict[name], verdict[name]),
                "css": verdict[name].replace(" ", "-"),
            }
        )
    return rows


def _summary(values: np.ndarray) -> tuple[float, float, float]:
    """MAP (index 0) and the 5th/95th percentiles over the draws (NaN without draws)."""
    finite = values[1:][np.isfinite(values[1:])]
    if finite.size < 2:
        return float(values[0]), math.nan, math.nan
    lo, hi = np.percentile(finite, _PCT)
    return float(values[0]), float(lo), float(hi)


def _safe(f: Callable[[], float]) -> float:
    try:
        return float(f())
    except EndotwinError:
        return math.nan


def twin_indices(draws: TwinDraws) -> list[dict[str, Any]]:
    """Readable indices of the twin: MAP and the :data:`BAND_LEVEL` interval across the draws.

    HOMA-IR and HOMA-%B (Matthews 1985) from the twin's basal glucose and insulin (``Gb``,
    ``Ib`` when fitted, else the simulated fasting values); Matsuda (Matsuda & DeFronzo 1999) and
    the 2-h glucose from the twin's simulated 75 g OGTT sampled at 0/30/60/90/120 min.
    """
    from ..challenges import OGTT_TIMES_MIN
    from ..indices import homa_beta, homa_ir, matsuda

    t, g, i = draws.ogtt_curves(75.0, 180.0)
    names = draws.posterior.names
    if "Gb" in names and "Ib" in names:
        kg, ki = names.index("Gb"), names.index("Ib")
        logs = np.vstack([draws.posterior.mean[None, :], draws.log_draws])
        gb, ib = np.exp(logs[:, kg]), np.exp(logs[:, ki]) / INSULIN_PMOLL_PER_UUML
        basal = "from the twin's basal glucose and insulin (Gb, Ib)"
    else:
        gb, ib = g[:, 0], i[:, 0] / INSULIN_PMOLL_PER_UUML
        basal = "from the twin's simulated fasting glucose and insulin"
    idx = [int(np.argmin(np.abs(t - s))) for s in OGTT_TIMES_MIN]
    gs, iu = g[:, idx], i[:, idx] / INSULIN_PMOLL_PER_UUML
    rows = [
        (
            "HOMA-IR",
            "",
            np.array([_safe(lambda a=a, b=b: homa_ir(a, b)) for a, b in zip(gb, ib, strict=True)]),
            f"fasting glucose x insulin / 22.5 (Matthews 1985), {basal}",
        ),
        (
            "HOMA-%B",
            "%",
            np.array(
                [_safe(lambda a=a, b=b: homa_beta(a, b)) for a, b in zip(gb, ib, strict=True)]
            ),
            f"beta-cell function, 20 x insulin / (glucose - 3.5 mmol/L) (Matthews 1985), {basal}",
        ),
        (
            "Matsuda index",
            "",
            np.array(
                [
                    _safe(lambda a=a, b=b: matsuda(OGTT_TIMES_MIN, a, b))
                    for a, b in zip(gs, iu, strict=True)
                ]
            ),
            "whole-body insulin sensitivity from the twin's simulated 75 g OGTT, samples "
            "0/30/60/90/120 min (Matsuda & DeFronzo 1999)",
        ),
        (
            "2-h glucose",
            "mg/dL",
            gs[:, -1],
            "the twin's simulated plasma glucose 120 min into a 75 g OGTT",
        ),
    ]
    out = []
    for name, unit, values, how in rows:
        point, lo, hi = _summary(values)
        out.append(
            {
                "name": name,
                "unit": unit,
                "map": format_number(point),
                "interval": format_interval(lo, hi) if math.isfinite(lo) else "\u2014",
                "how": how,
            }
        )
    return out


# --------------------------------------------------------------------------------------------
# data: the person record, notes, and the per-kind data sections
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataSection:
    """One block of the "fit to the data" part: a title, paragraphs, figures (data URIs and
    alt texts), a small table (header and rows of strings) and notes."""

    title: str
    paragraphs: tuple[str, ...] = ()
    figures: tuple[tuple[str, str], ...] = ()
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    notes: tuple[str, ...] = ()


def data_notes(person_record: PersonRecord | None = None, ogtt: OGTT | None = None) -> list[str]:
    """What a reader of the fit should know about the data (printed by the CLI, listed in the
    report): where the fasting insulin came from, and a record's fasting glucose far from the
    OGTT's 0-min sample."""
    notes = []
    labs = person_record.labs if person_record is not None else None
    if ogtt is not None:
        has_insulin = ogtt.insulin_uuml is not None and bool(np.any(np.isfinite(ogtt.insulin_uuml)))
        if not has_insulin:
            if labs is not None and labs.fasting_insulin_uuml is not None:
                notes.append(
                    f"The OGTT has no insulin: the person record's fasting insulin "
                    f"({format_number(labs.fasting_insulin_uuml)} uU/mL) centres the prior of "
                    "the basal insulin Ib. Without insulin samples, insulin secretion (beta, "
                    "K) is inferred from the glucose curve alone: see the verdicts."
                )
            else:
                notes.append(
                    "The OGTT has no insulin and the person record no fasting insulin: the "
                    "basal insulin Ib keeps the prior of the Dalla Man mean subject, and insulin "
                    "secretion (beta, K) is inferred from the glucose curve alone: see the "
                    "verdicts. An OGTT with insulin samples (or a fasting insulin) would help."
                )
        elif labs is not None and labs.fasting_insulin_uuml is not None:
            notes.append(
                "The OGTT's own 0-min insulin is used; the person record's fasting insulin "
                f"({format_number(labs.fasting_insulin_uuml)} uU/mL) is not."
            )
        if labs is not None and labs.fasting_glucose_mgdl is not None:
            g0 = float(ogtt.glucose_mgdl[0])
            rec = labs.fasting_glucose_mgdl
            if abs(g0 - rec) > FASTING_MISMATCH * rec:
                notes.append(
                    f"The person record's fasting glucose ({format_number(rec)} mg/dL) differs "
                    f"by more than {100 * FASTING_MISMATCH:.0f} % from the OGTT's 0-min sample "
                    f"({format_number(g0)} mg/dL): different days, or a unit slip? The fit uses "
                    "the OGTT."
                )
    return notes


def _record_facts(rec: PersonRecord | None, person: Person) -> list[tuple[str, str]]:
    p = rec.person if rec is not None else person
    facts = [
        ("label", p.label),
        ("sex", str(p.sex)),
        ("age", "\u2014" if p.age is None else f"{format_number(p.age)} years"),
        ("height", "\u2014" if p.height_cm is None else f"{format_number(p.height_cm)} cm"),
        ("weight", f"{format_number(p.weight_kg)} kg"),
    ]
    if p.body_fat_pct is not None:
        facts.append(("body fat", f"{format_number(p.body_fat_pct)} %"))
    if rec is not None:
        from ..io.labs import LAB_RANGES

        for k, v in rec.labs.given().items():
            if k == "body_fat_pct":
                continue
            facts.append(
                (k.rsplit("_", 1)[0].replace("_", " "), f"{format_number(v)} {LAB_RANGES[k][2]}")
            )
    return facts


def _png_uri(fig: Figure) -> str:
    return "data:image/png;base64," + base64.b64encode(figure_png(fig)).decode("ascii")


def ogtt_figure(
    draws: TwinDraws,
    ogtt: OGTT | None,
    *,
    dose_g: float = 75.0,
    fasting_insulin_uuml: float | None = None,
) -> Figure:
    """Observed OGTT glucose and insulin (dots) against the MAP twin's simulated curve (line)
    and the :data:`BAND_LEVEL` band across posterior draws (shaded); insulin in uU/mL."""
    dose = ogtt.dose_g if ogtt is not None else dose_g
    t_end = max(180.0, float(ogtt.times_min[-1])) if ogtt is not None else 180.0
    t, g, i = draws.ogtt_curves(dose, t_end)
    iu = i / INSULIN_PMOLL_PER_UUML
    fig = Figure(figsize=(10, 3.6))
    axes = fig.subplots(1, 2)
    band_label = f"{100 * BAND_LEVEL:.0f}% band, {draws.n} posterior draws"
    measured_insulin = (
        ogtt is not None
        and ogtt.insulin_uuml is not None
        and bool(np.any(np.isfinite(ogtt.insulin_uuml)))
    )
    for ax, values, title, obs in (
        (axes[0], g, "plasma glucose [mg/dL]", None if ogtt is None else ogtt.glucose_mgdl),
        (
            axes[1],
            iu,
            "plasma insulin [uU/mL]" + ("" if measured_insulin else " (not measured)"),
            ogtt.insulin_uuml if measured_insulin else None,
        ),
    ):
        band = _band(values)
        if band is not None:
            ax.fill_between(
                t, band[0], band[1], color=_MAP_COLOUR, alpha=0.18, lw=0, label=band_label
            )
        ax.plot(t, values[0], color=_MAP_COLOUR, lw=1.8, label="twin (MAP)")
        if obs is not None and ogtt is not None:
            ok = np.isfinite(obs)
            ax.plot(ogtt.times_min[ok], obs[ok], "o", color=_DATA_COLOUR, ms=6, label="measured")
        ax.set_xlabel("minutes after the drink")
        ax.set_title(title, fontsize=9)
        ax.tick_params(labelsize=8)
        ax.legend(fontsize=8, loc="best")
    if not measured_insulin and fasting_insulin_uuml is not None:
        axes[1].plot(
            [0.0],
            [fasting_insulin_uuml],
            "o",
            mfc="none",
            color=_DATA_COLOUR,
            ms=7,
            label="fasting insulin (person record)",
        )
        axes[1].legend(fontsize=8, loc="best")
    fig.suptitle(f"OGTT {format_number(dose)} g: data and calibrated twin", fontsize=10)
    fig.tight_layout()
    return fig


def _ogtt_sections(fit: Any, data: Mapping[str, Any], draws: TwinDraws) -> list[DataSection]:
    from ..indices import homa_ir, matsuda

    ogtt = data.get("ogtt")
    rec = data.get("person_record")
    fasting_ins = None if rec is None else rec.labs.fasting_insulin_uuml
    fig = ogtt_figure(draws, ogtt, fasting_insulin_uuml=fasting_ins)
    paragraphs = [
        "Dots: the measured samples. Line: the calibrated (MAP) twin, simulated. Shaded: the "
        f"{100 * BAND_LEVEL:.0f}% band ({_PCT[0]:g}th-{_PCT[1]:g}th percentile) of "
        f"{draws.n} twins drawn from the posterior: the uncertainty of the parameters only, "
        "not measurement noise nor day-to-day variation."
    ]
    header: tuple[str, ...] = ()
    rows: list[tuple[str, ...]] = []
    if ogtt is None:
        paragraphs.append("The OGTT file was not passed to the report: the data are not shown.")
    else:
        g_fit = np.asarray(getattr(fit, "glucose_fit_mgdl", np.full(len(ogtt.times_min), np.nan)))
        i_fit = getattr(fit, "insulin_fit_pmoll", None)
        has_i = ogtt.insulin_uuml is not None
        header = ("time [min]", "glucose measured [mg/dL]", "glucose fitted [mg/dL]")
        if has_i:
            header += ("insulin measured [uU/mL]", "insulin fitted [uU/mL]")
        for k, tm in enumerate(ogtt.times_min):
            row = [
                format_number(tm),
                format_number(ogtt.glucose_mgdl[k]),
                format_number(g_fit[k]) if k < g_fit.size else "\u2014",
            ]
            if has_i:
                v = ogtt.insulin_uuml[k]
                row.append(format_number(v) if math.isfinite(v) else "\u2014")
                row.append(
                    "\u2014" if i_fit is None else format_number(i_fit[k] / INSULIN_PMOLL_PER_UUML)
                )
            rows.append(tuple(row))
        measured = []
        if has_i and math.isfinite(ogtt.insulin_uuml[0]):
            hir = _safe(lambda: homa_ir(ogtt.glucose_mgdl[0], ogtt.insulin_uuml[0]))
            measured.append(f"HOMA-IR {format_number(hir)}")
            std = [tm for tm in (0.0, 30.0, 60.0, 90.0, 120.0) if tm in set(ogtt.times_min)]
            sel = np.isin(ogtt.times_min, std)
            if len(std) == 5 and np.all(np.isfinite(ogtt.insulin_uuml[sel])):
                m = _safe(
                    lambda: matsuda(
                        ogtt.times_min[sel], ogtt.glucose_mgdl[sel], ogtt.insulin_uuml[sel]
                    )
                )
                measured.append(f"Matsuda index {format_number(m)}")
        if measured:
            paragraphs.append(
                "From the measured samples directly: " + ", ".join(measured) + " (compare with "
                "the twin's indices below)."
            )
    rmse = [f"glucose {format_number(getattr(fit, 'rmse_glucose_mgdl', None))} mg/dL"]
    ri = getattr(fit, "rmse_insulin_pmoll", None)
    if ri is not None:
        rmse.append(
            f"insulin {format_number(ri)} pmol/L ({format_number(ri / INSULIN_PMOLL_PER_UUML)} "
            "uU/mL)"
        )
    paragraphs.append("Root-mean-square error of the MAP fit at the samples: " + "; ".join(rmse))
    return [
        DataSection(
            title="OGTT: measured and fitted",
            paragraphs=tuple(paragraphs),
            figures=((_png_uri(fig), "OGTT glucose and insulin: measured, fitted, 90% band"),),
            header=header,
            rows=tuple(rows),
        )
    ]


def _ogtt_prior_centre(posterior: Posterior, data: Mapping[str, Any]) -> list[float | None]:
    """The prior centres :func:`endotwin.calibrate.ogtt_fit.fit_ogtt` used: the OGTT's fasting
    glucose and insulin (or the record's fasting insulin, or the Dalla Man value), and the
    prior set's values for the rest."""
    from ..models import meal_model

    prior_set = posterior.report.get("prior set")
    if not isinstance(prior_set, str):
        return [None] * len(posterior.names)
    m = meal_model()
    base = replace(posterior.person, parameter_set=prior_set, parameters={})
    vals = m.derive_parameters(base.parameter_values(m.parameter_names))
    centre: dict[str, float | None] = {
        n: float(np.ravel(vals[n])[0]) for n in posterior.names if n in vals
    }
    ogtt = data.get("ogtt")
    rec = data.get("person_record")
    centre["Gb"] = None if ogtt is None else float(ogtt.glucose_mgdl[0])
    if ogtt is not None and ogtt.insulin_uuml is not None and math.isfinite(ogtt.insulin_uuml[0]):
        centre["Ib"] = float(ogtt.insulin_uuml[0]) * INSULIN_PMOLL_PER_UUML
    elif ogtt is None:
        centre["Ib"] = None
    elif rec is not None and rec.labs.fasting_insulin_uuml is not None:
        centre["Ib"] = rec.labs.fasting_insulin_uuml * INSULIN_PMOLL_PER_UUML
    return [centre.get(n) for n in posterior.names]


def _ogtt_method_notes(posterior: Posterior) -> list[str]:
    from . import ogtt_fit

    first = (ogtt_fit.__doc__ or "").strip().splitlines()[0].rstrip(".")
    prior = ", ".join(f"{n} ln {format_number(math.exp(s))}" for n, s in ogtt_fit.PRIOR_SD.items())
    noise = ", ".join(f"{k} {format_number(v)}" for k, v in ogtt_fit.SIGMA_LN.items())
    return [
        f"{first}. Fitted: the natural logarithms of {', '.join(ogtt_fit.FIT_PARAMETERS)} of the "
        "Dalla Man 2007 meal model; the basal state follows from Gb and Ib in closed form "
        "(hepatic insulin extraction m6, glucose production kp1).",
        f"Prior: independent normals on the log-parameters, centred on the Dalla Man 2007 mean "
        f"subject (the type 2 column when the fasting glucose is at least "
        f"{format_number(ogtt_fit.T2D_FPG_MGDL)} mg/dL, ADA; here "
        f"'{posterior.report.get('prior set', '?')}') and on the measured fasting values for "
        f"Gb and Ib. Prior SD of each log-parameter: {prior} (a factor at one SD).",
        f"Noise model: log-normal measurement error, SD of the logarithm {noise} (about the "
        "coefficient of variation; laboratory error plus model error).",
        "Estimate: maximum a posteriori (MAP) by trust-region least squares on whitened "
        "residuals, gradients by forward-mode differentiation through the ODE solver (JAX).",
        "Uncertainty: Laplace approximation, a multivariate normal in log-parameter space at "
        "the MAP with the Gauss-Newton covariance (J'J)^-1 of the whitened residuals; intervals "
        "are therefore multiplicative (log-symmetric).",
    ]


@dataclass(frozen=True)
class ReportKind:
    """What the report needs to know about one kind of calibration (``report["calibration"]``).

    meaning: human label per fitted parameter. prior_centre(posterior, data): prior centre per
    parameter (None where unknown). method_notes(posterior): the method, from the fit module's
    constants. data_sections(fit, data, draws): the data-specific blocks (figures, tables).
    data_facts(data): rows of the "data file" table. data_notes(data): notes on the data, after
    the generic ones. ``data`` holds what was passed to :func:`write_calibration_report` plus
    ``"person_record"`` and ``"fit"``.
    """

    meaning: Callable[[], Mapping[str, str]]
    prior_centre: Callable[[Posterior, Mapping[str, Any]], Sequence[float | None]]
    method_notes: Callable[[Posterior], list[str]]
    data_sections: Callable[[Any, Mapping[str, Any], TwinDraws], list[DataSection]]
    data_facts: Callable[[Mapping[str, Any]], list[tuple[str, str]]] = lambda data: []
    data_notes: Callable[[Mapping[str, Any]], list[str]] = lambda data: []


def _ogtt_meaning() -> Mapping[str, str]:
    from .ogtt_fit import MEANING

    return MEANING


def _ogtt_data_facts(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    ogtt = data.get("ogtt")
    if ogtt is None:
        return []
    has_i = ogtt.insulin_uuml is not None and bool(np.any(np.isfinite(ogtt.insulin_uuml)))
    times = ", ".join(format_number(t) for t in ogtt.times_min)
    return [
        ("OGTT file", str(ogtt.source)),
        ("OGTT load", f"{format_number(ogtt.dose_g)} g glucose"),
        ("OGTT samples", f"{len(ogtt.times_min)} at {times} min"),
        ("OGTT measured", "glucose and insulin" if has_i else "glucose only"),
        ("OGTT rows dropped", "none (the OGTT reader refuses bad rows instead of dropping them)"),
    ]


#: kind of calibration -> how the report shows it (module docstring: adding a kind)
REPORT_KINDS: dict[str, ReportKind] = {
    "ogtt": ReportKind(
        meaning=_ogtt_meaning,
        prior_centre=_ogtt_prior_centre,
        method_notes=_ogtt_method_notes,
        data_sections=_ogtt_sections,
        data_facts=_ogtt_data_facts,
    ),
}


def _kinds() -> dict[str, ReportKind]:
    """The registry with the CGM kind (its module imports this one, so it registers late)."""
    if "cgm" not in REPORT_KINDS:
        from .cgm_report import CGM_KIND

        REPORT_KINDS["cgm"] = CGM_KIND
    return REPORT_KINDS


# --------------------------------------------------------------------------------------------
# the report
# --------------------------------------------------------------------------------------------


def _kind(posterior: Posterior) -> ReportKind | None:
    return _kinds().get(str(posterior.report.get("calibration")))


def calibration_context(
    fit: Any,
    *,
    person_record: PersonRecord | None = None,
    data: Mapping[str, Any] | None = None,
    draws: int = BAND_DRAWS,
    seed: int = BAND_SEED,
) -> dict[str, Any]:
    """Everything the template shows (see :func:`write_calibration_report`)."""
    posterior: Posterior = fit.posterior
    kind = _kind(posterior)
    data = {**(data or {}), "person_record": person_record, "fit": fit}
    twin = TwinDraws.draw(posterior, draws, seed)
    meaning = kind.meaning() if kind else {}
    centre = kind.prior_centre(posterior, data) if kind else None
    if posterior.prior_mean is not None:
        centre = [math.exp(float(m)) for m in posterior.prior_mean]
    rows = parameter_rows(posterior, meaning, centre)
    not_identified = [
        f"{r['name']} ({r['meaning']})" for r in rows if r["verdict"] == "not identified"
    ]
    weakly = [f"{r['name']} ({r['meaning']})" for r in rows if r["verdict"] == "weakly identified"]
    report = posterior.report or {}
    facts = [
        ("endotwin version", __version__),
        ("person", posterior.person.label),
        ("calibration", str(report.get("calibration", "\u2014"))),
        ("data", str(report.get("data", "\u2014"))),
        ("prior parameter set", str(report.get("prior set", "\u2014"))),
        *(
            [("ageing of insulin release", str(report["ageing of insulin release"]))]
            if "ageing of insulin release" in report
            else []
        ),
        ("fit time", f"{format_number(getattr(fit, 'seconds', math.nan))} s"),
    ]
    facts += [
        (str(k), format_value(v)) for k, v in report.items() if str(k).startswith(("RMSE", "MARD"))
    ]
    draw_note = f"{twin.n} posterior draws (seed {seed})" + (
        f"; {twin.skipped} further draws left the simulator's parameter bounds and were "
        "replaced (the posterior is truncated to the bounds)"
        if twin.skipped
        else ""
    )
    facts.append(("posterior draws for bands", draw_note))
    notes = data_notes(person_record, data.get("ogtt"))
    if kind is not None:
        notes += kind.data_notes(data)
    return {
        "title": f"endotwin calibration: {posterior.person.label}",
        "version": __version__,
        "disclaimer": NOT_MEDICAL_ADVICE,
        "facts": facts,
        "person_facts": _record_facts(person_record, posterior.person),
        "data_facts": kind.data_facts(data) if kind else [],
        "data_notes": notes,
        "sections": kind.data_sections(fit, data, twin) if kind else [],
        "parameters": rows,
        "not_identified": not_identified,
        "weakly_identified": weakly,
        "level": f"{100 * BAND_LEVEL:.0f}%",
        "indices": twin_indices(twin),
        "report": [
            {"key": str(k), "value": format_value(v)}
            for k, v in report.items()
            if str(k) != "identifiability"
        ],
        "methods": kind.method_notes(posterior) if kind else [],
        "identifiability_rule": (
            f"Verdicts compare the posterior SD of each log-parameter with its prior SD: ratio "
            f"below {IDENTIFIED_RATIO:g} identified (the data carry at least "
            f"{100 * (1 - IDENTIFIED_RATIO**2):.0f}% of the information), "
            f"{IDENTIFIED_RATIO:g}-{WEAK_RATIO:g} weakly identified, {WEAK_RATIO:g} or more not "
            "identified (the estimate is essentially the prior). The thresholds are a model "
            "choice."
        ),
        "draw_note": draw_note,
    }


def _environment() -> Environment:
    return report_environment("endotwin.calibrate")


def render_calibration_report(
    fit: Any,
    *,
    person_record: PersonRecord | None = None,
    ogtt: OGTT | None = None,
    data: Mapping[str, Any] | None = None,
    draws: int = BAND_DRAWS,
    seed: int = BAND_SEED,
) -> str:
    """The report as an HTML string (see :func:`write_calibration_report`)."""
    data = {**(data or {}), **({"ogtt": ogtt} if ogtt is not None else {})}
    ctx = calibration_context(fit, person_record=person_record, data=data, draws=draws, seed=seed)
    return _environment().get_template(TEMPLATE).render(**ctx)


def write_calibration_report(
    fit: Any,
    path: str | Path,
    *,
    person_record: PersonRecord | None = None,
    ogtt: OGTT | None = None,
    data: Mapping[str, Any] | None = None,
    draws: int = BAND_DRAWS,
    seed: int = BAND_SEED,
) -> Path:
    """Write the self-contained HTML calibration report of ``fit`` to ``path``; return the path.

    fit: a fit result with ``.posterior`` (:class:`Posterior`) and ``.seconds``, e.g.
        :class:`endotwin.calibrate.ogtt_fit.OGTTFit` (its RMSEs and fitted values are shown).
    person_record: the record the twin came from (covariates and labs shown, used in notes).
    ogtt: the OGTT that was fitted (its samples are plotted against the twin).
    data: other data by name for other kinds of fit (e.g. ``{"cgm": ..., "cgm_trace": ...,
        "meals": ...}`` for a :class:`~endotwin.calibrate.cgm_fit.CGMFit`; module docstring).
    draws, seed: posterior draws behind the bands and the indices' intervals.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    html = render_calibration_report(
        fit, person_record=person_record, ogtt=ogtt, data=data, draws=draws, seed=seed
    )
    path.write_text(html, encoding="utf-8")
    return path
