"""The CGM kind of the calibration report (:mod:`endotwin.calibrate.calibration_report`): the
readings against the fitted twin per window with logged and detected meals, the fitted meals,
SI, the method notes (from :mod:`endotwin.calibrate.cgm_fit`'s constants) and the limits."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.figure import Figure

from ..person import Person
from ..units import INSULIN_PMOLL_PER_UUML
from ..validation.report import format_interval, format_number
from .calibration_report import (
    _DATA_COLOUR,
    _MAP_COLOUR,
    BAND_LEVEL,
    FASTING_MISMATCH,
    VERDICT_WORDS,
    DataSection,
    ReportKind,
    TwinDraws,
    _png_uri,
    _safe,
    verdicts,
)
from .posterior import Posterior

if TYPE_CHECKING:
    from ..io.person_record import PersonRecord


_LOGGED_COLOUR = "#2e7d32"
_DETECTED_COLOUR = "#e07b00"
_CARB_NAME = re.compile(r"^carbs (?P<kind>.+?)(?: (?P<clock>\d{4}-\d{2}-\d{2} \d{2}:\d{2}))?$")
_LOGGED_KNOWN = "logged (carbs known)"


class _CGMMeaning(Mapping[str, str]):
    """Labels of a CGM fit's parameters: the OGTT fit's physiological ones, and the meal
    carbohydrates, whose names :func:`endotwin.calibrate.cgm_fit.fit_cgm` builds per fit
    (``carbs <label> <YYYY-MM-DD HH:MM>`` for one meal, ``carbs <kind>`` for every logged meal
    of a kind)."""

    def __getitem__(self, name: str) -> str:
        from .ogtt_fit import MEANING

        if name in MEANING:
            return MEANING[name]
        m = _CARB_NAME.match(str(name))
        if m is None:
            raise KeyError(name)
        kind, clock = m["kind"], m["clock"]
        if clock is None:
            return f"carbohydrate of each logged '{kind}' meal [g] (one amount per kind)"
        if kind == "detected":
            return f"carbohydrate of the meal detected at {clock} [g]"
        return f"carbohydrate of the logged meal '{kind}' at {clock} [g]"

    def __iter__(self):
        from .ogtt_fit import MEANING

        return iter(MEANING)

    def __len__(self) -> int:
        from .ogtt_fit import MEANING

        return len(MEANING)


#: labels of a CGM fit's parameters, meal carbohydrates included (any ``carbs ...`` name)
CGM_MEANING: Mapping[str, str] = _CGMMeaning()


def _set_values(person: Person, prior_set: str, names: Sequence[str]) -> dict[str, float]:
    """Values of ``names`` (parameters or derived quantities such as ``Gb``, ``Ib``) of the
    Dalla Man meal model for ``person`` on ``prior_set``."""
    from ..models import meal_model

    m = meal_model()
    base = replace(person, parameter_set=prior_set, parameters={})
    vals = m.derive_parameters(base.parameter_values(m.parameter_names))
    return {n: float(np.ravel(vals[n])[0]) for n in names if n in vals}


def _logged_carbs(fitted_meal: Any, meal_log: Sequence[Any] | None) -> float | None:
    """The logged carbohydrate of a fitted meal with known carbs (matched by time and label)."""
    for m in meal_log or ():
        if abs(float(m.time_min) - float(fitted_meal.time_min)) < 0.5 and (
            str(m.label) == str(fitted_meal.label)
        ):
            return float(m.carbs_g)
    return None


def _cgm_prior_centre(posterior: Posterior, data: Mapping[str, Any]) -> list[float | None]:
    """The prior centres :func:`endotwin.calibrate.cgm_fit.fit_cgm` used: the overnight CGM
    glucose for Gb, the record's fasting insulin (else the set's value) for Ib, the prior set's
    values for the rest, the logged amount for a meal with known carbohydrate and
    :data:`~endotwin.calibrate.cgm_fit.CARB_PRIOR_G` for the other meals."""
    from .cgm_fit import CARB_BOUNDS_G, CARB_PRIOR_G
    from .ogtt_fit import FIT_PARAMETERS

    report = posterior.report or {}
    prior_set = report.get("prior set")
    if not isinstance(prior_set, str):
        return [None] * len(posterior.names)
    centre: dict[str, float | None] = dict(_set_values(posterior.person, prior_set, FIT_PARAMETERS))
    fasting = report.get("fasting glucose (03-06 h median) [mg/dL]")
    centre["Gb"] = float(fasting) if isinstance(fasting, int | float) else None
    rec = data.get("person_record")
    if rec is not None and rec.labs.fasting_insulin_uuml is not None:
        centre["Ib"] = rec.labs.fasting_insulin_uuml * INSULIN_PMOLL_PER_UUML
    fit = data.get("fit")
    by_name = {m.parameter: m for m in getattr(fit, "meals", ())}
    lo, hi = CARB_BOUNDS_G
    for name in posterior.names:
        if name in centre or not name.startswith("carbs "):
            continue
        fm = by_name.get(name)
        if fm is None:
            centre[name] = None
        elif fm.source == _LOGGED_KNOWN:
            logged = _logged_carbs(fm, data.get("meals"))
            centre[name] = None if logged is None else min(max(logged, 1.01 * lo), 0.99 * hi)
        else:
            centre[name] = CARB_PRIOR_G
    return [centre.get(n) for n in posterior.names]


def _reference_si(person: Person, prior_set: str) -> float:
    """SI of the Dalla Man mean subject of ``prior_set`` (the index's scale, for reference)."""
    from .cgm_fit import si_index

    v = _set_values(person, prior_set, ("Gb", "Vmx", "kp3", "VG", "k1", "k2", "Vm0", "Km0"))
    return float(si_index(v["Gb"], v["Vmx"], v["kp3"], v))


def _window_clock(report: Mapping[str, Any], w: int) -> tuple[str, float]:
    """The clock time a fitted window starts at (``"YYYY-MM-DD HH:MM"``) and its hour of day."""
    from .cgm_fit import WINDOW_START_HOUR

    windows = report.get("windows") or []
    text = str(windows[w]) if w < len(windows) else ""
    m = re.search(r"(\d{1,2}):(\d{2})$", text)
    hour = int(m[1]) + int(m[2]) / 60.0 if m else WINDOW_START_HOUR
    return text or f"window {w + 1}", hour


def cgm_figure(fit: Any) -> Figure:
    """Observed CGM glucose (dots) against the MAP twin's sensor glucose (line) in each fitted
    window, with the meals of the fit: logged (solid) and detected (dashed) with their fitted
    carbohydrate. ``fit``: a :class:`~endotwin.calibrate.cgm_fit.CGMFit`."""
    from matplotlib.ticker import FuncFormatter

    report = fit.posterior.report or {}
    starts = list(fit.window_starts_min)
    length = float(fit.window_min)
    t = np.asarray(fit.times_min, dtype=float)
    obs = np.asarray(fit.glucose_mgdl, dtype=float)
    pred = np.asarray(fit.fitted_mgdl, dtype=float)
    n = max(1, len(starts))
    height = 2.6 * n + 0.9
    fig = Figure(figsize=(10, height))
    axes = fig.subplots(n, 1, squeeze=False)[:, 0]
    top = float(np.nanmax(np.concatenate([obs, pred]))) if obs.size else 200.0
    legend: dict[str, Any] = {}
    for w, (ax, s) in enumerate(zip(axes, starts, strict=False)):
        clock, h0 = _window_clock(report, w)
        sel = (t >= s) & (t < s + length)
        x = h0 + (t[sel] - s) / 60.0
        ax.plot(x, obs[sel], ".", color=_DATA_COLOUR, ms=3, label="CGM reading")
        ax.plot(x, pred[sel], color=_MAP_COLOUR, lw=1.6, label="twin (MAP), sensor glucose")
        shown: set[str] = set()
        for fm in fit.meals:
            if fm.window != w:
                continue
            logged = fm.source != "detected"
            kind = "logged meal" if logged else "detected meal"
            xm = h0 + (float(fm.time_min) - s) / 60.0
            ax.axvline(
                xm,
                color=_LOGGED_COLOUR if logged else _DETECTED_COLOUR,
                ls="-" if logged else "--",
                lw=1.1,
                label=None if kind in shown else kind,
            )
            shown.add(kind)
            ax.annotate(
                f"{fm.carbs_g:.0f} g",
                (xm, 0.97),
                xycoords=ax.get_xaxis_transform(),
                xytext=(2, 0),
                textcoords="offset points",
                fontsize=7,
                color=_LOGGED_COLOUR if logged else _DETECTED_COLOUR,
                va="top",
            )
        ax.set_ylim(top=top * 1.1)
        first = math.ceil(h0 / 3.0) * 3.0
        ax.set_xticks(np.arange(first, h0 + length / 60.0 + 1e-9, 3.0))
        ax.set_xlim(h0, h0 + length / 60.0)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{round(v) % 24:02d}:00"))
        ax.set_ylabel("glucose [mg/dL]", fontsize=8)
        ax.set_title(f"window from {clock}", fontsize=9)
        ax.tick_params(labelsize=8)
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            legend.setdefault(label, handle)
    axes[-1].set_xlabel("clock time (the CGM file's clock)", fontsize=8)
    fig.suptitle("CGM: readings and calibrated twin", fontsize=10)
    fig.legend(
        list(legend.values()),
        list(legend),
        loc="lower center",
        ncol=len(legend),
        fontsize=8,
        frameon=False,
    )
    fig.tight_layout(rect=(0.0, 0.35 / height, 1.0, 1.0))
    return fig


def _cgm_sections(fit: Any, data: Mapping[str, Any], draws: TwinDraws) -> list[DataSection]:
    from .cgm_fit import SIGMA_SENSOR_LN

    post: Posterior = fit.posterior
    report = post.report or {}
    sections: list[DataSection] = []
    has_trace = all(hasattr(fit, a) for a in ("times_min", "fitted_mgdl", "meals"))
    paragraphs = []
    figures: tuple[tuple[str, str], ...] = ()
    if has_trace:
        fig = cgm_figure(fit)
        figures = ((_png_uri(fig), "CGM glucose: readings, calibrated twin and meals"),)
        paragraphs.append(
            "Dots: the CGM readings used in the fit"
            + (
                f" ({report['censored readings left out']} readings flagged Low/High by the "
                "sensor were left out)"
                if report.get("censored readings left out")
                else ""
            )
            + ". Line: the calibrated (MAP) twin's sensor glucose (interstitial glucose, a lagged "
            "plasma glucose), simulated from its fasting steady state at the start of each "
            "window. Vertical lines: the meals of the fit, solid when logged, dashed when "
            "detected from a CGM rise, labelled with the fitted carbohydrate. The line is the "
            "MAP twin only: no band of posterior draws is drawn for the CGM."
        )
    else:
        paragraphs.append("The fitted trace was not passed to the report: it is not shown.")
    rmse, mard = report.get("RMSE [mg/dL]"), report.get("MARD [%]")
    paragraphs.append(
        f"Fit at the {report.get('readings fitted', '?')} readings of "
        f"{len(report.get('windows') or [])} window(s): RMSE {format_number(rmse)} mg/dL, "
        f"MARD {format_number(mard)} %. For scale, the sensor error assumed alone (log SD "
        f"{format_number(SIGMA_SENSOR_LN)}) is a MARD of about "
        f"{format_number(80.0 * SIGMA_SENSOR_LN)} %; the rest is model error (unlogged "
        "activity, snacks, day-to-day variation)."
    )
    noise = report.get("residual noise SD (log), correlation time [min]")
    used = report.get("noise used: SD (log), correlation time [min]")
    if noise is not None and used is not None:
        paragraphs.append(
            f"Residuals: SD of the log error {format_number(noise[0])}, correlation time "
            f"{format_number(noise[1])} min; the noise used for the intervals: SD "
            f"{format_number(used[0])}, correlation time {format_number(used[1])} min (never "
            "smaller than assumed; Methods)."
        )
    sections.append(
        DataSection(
            title="CGM: readings and fitted twin",
            paragraphs=tuple(paragraphs),
            figures=figures,
        )
    )

    # fitted meals
    if has_trace:
        verdict = verdicts(post)
        rows = []
        for fm in fit.meals:
            logged = _logged_carbs(fm, data.get("meals")) if fm.source == _LOGGED_KNOWN else None
            when = _meal_clock(data, report, fm)
            rows.append(
                (
                    when,
                    str(fm.window + 1),
                    fm.label,
                    fm.source,
                    "\u2014" if logged is None else format_number(logged),
                    format_number(fm.carbs_g),
                    format_interval(*fm.carbs_90),
                    verdict.get(fm.parameter, "\u2014"),
                )
            )
        sections.append(
            DataSection(
                title="Meals of the fit",
                paragraphs=(
                    "Every meal in the fitted windows: logged ones from the meal log (their "
                    "carbohydrate fitted around the logged amount, or per meal kind when the "
                    "log has no amount) and the ones detected from CGM rises. Fitted grams are "
                    f"for the record's body weight ({format_number(post.person.weight_kg)} kg): "
                    "glucose sees carbohydrate per kg of body weight.",
                ),
                header=(
                    "time",
                    "window",
                    "meal",
                    "source",
                    "logged carbs [g]",
                    "fitted carbs [g] (MAP)",
                    f"{100 * BAND_LEVEL:.0f}% interval",
                    "verdict",
                ),
                rows=tuple(rows),
                notes=() if rows else ("No meal in the fitted windows.",),
            )
        )

    # insulin sensitivity
    si, si90 = report.get("SI"), report.get("SI 90%") or (None, None)
    si_verdict = str(report.get("SI verdict", "\u2014"))
    unit = str(report.get("SI unit", ""))
    si_par = [
        f"SI = {format_number(si)} {unit}, {100 * BAND_LEVEL:.0f}% interval "
        f"{format_interval(*si90)}; {VERDICT_WORDS.get(si_verdict, si_verdict)}.",
    ]
    prior_set = report.get("prior set")
    refs = []
    for name, label in (
        ("dallaman2007_normal", "mean normal subject"),
        ("dallaman2007_t2d", "mean type 2 subject"),
    ):
        ref = _safe(lambda name=name: _reference_si(post.person, name))
        if math.isfinite(ref):
            refs.append(f"{format_number(ref)} for the Dalla Man 2007 {label}")
    if refs:
        si_par.append(
            "SI is the model's insulin sensitivity: the glucose uptake and suppression of "
            "production that one unit of insulin adds, per unit of glucose (the minimal-model "
            "definition evaluated on the twin at its basal state). On the same scale it is "
            + " and ".join(refs)
            + f". It depends on the prior column (here '{prior_set}'): compare SI between twins "
            "fitted on the same column, not with clamp or minimal-model values."
        )
    corr = report.get("max |corr(log SI, log carbs)|")
    if isinstance(corr, int | float):
        si_par.append(
            "Largest posterior correlation of log SI with a meal's log carbohydrate: "
            f"{format_number(corr)} (carbohydrate and insulin sensitivity trade off; with "
            "glucose alone a small correlation does not mean that the meal sizes are right: "
            "see the limits below)."
        )
    sections.append(DataSection(title="Insulin sensitivity (SI)", paragraphs=tuple(si_par)))
    sections.append(
        DataSection(
            title="What CGM glucose alone can and cannot tell",
            notes=tuple(_cgm_limits(post)),
        )
    )
    return sections


def _meal_clock(data: Mapping[str, Any], report: Mapping[str, Any], fm: Any) -> str:
    """Clock time of a fitted meal: from the trace's start when the trace was passed, else
    from its window's start."""
    from datetime import datetime, timedelta

    trace = data.get("cgm_trace")
    if trace is not None:
        when = trace.start + timedelta(minutes=float(fm.time_min))
        return when.strftime("%Y-%m-%d %H:%M")
    fit = data.get("fit")
    clock, _ = _window_clock(report, fm.window)
    try:
        start = datetime.strptime(clock, "%Y-%m-%d %H:%M")
        offset = float(fm.time_min) - float(fit.window_starts_min[fm.window])
        return (start + timedelta(minutes=offset)).strftime("%Y-%m-%d %H:%M")
    except (ValueError, AttributeError, IndexError, TypeError):
        return f"{format_number(fm.time_min)} min"


def _cgm_limits(posterior: Posterior) -> list[str]:
    """The limits of a glucose-only CGM fit, with this fit's numbers."""
    from .cgm_fit import DETECT_MIN_RISE_MGDL, DETECT_RATE_MGDL_PER_MIN

    report = posterior.report or {}
    verdict = verdicts(posterior)
    secretion = ", ".join(f"{n} {verdict[n]}" for n in ("Ib", "beta", "K") if n in verdict)
    corr = report.get("max |corr(log SI, log carbs)|")
    return [
        "Glucose only: no insulin is measured, so the basal insulin Ib rests on its prior and "
        "the beta-cell responses beta and K are inferred from the shape of the glucose curve "
        f"alone (here: {secretion}); read them as the model's explanation of the glucose "
        "curve, not as a measurement of insulin secretion. They are fitted with their "
        "uncertainty so that it widens the other intervals. An OGTT with insulin samples "
        "(--ogtt) identifies them.",
        "Carbohydrate and insulin sensitivity trade off: a larger meal in a more sensitive "
        "person gives a similar rise; only the shape of the curve separates them. Logged "
        "carbohydrate (a meal log with carbs_g) anchors the meal sizes; with unknown meals SI "
        "is only as good as the carbohydrate prior"
        + "."
        + (" The correlation of SI with the meal sizes is in the SI section." if corr else ""),
        "Unlogged meals are detected from rises of at least "
        f"{format_number(DETECT_MIN_RISE_MGDL)} mg/dL climbing at "
        f"{format_number(DETECT_RATE_MGDL_PER_MIN)} mg/dL/min or more: snacks are missed, and "
        "detected onsets can be off by tens of minutes. Exercise, stress, illness, the dawn "
        "rise, sensor artefacts (e.g. compression lows) and glucose-lowering drugs are not "
        "modelled: they are model error.",
        "Each window starts from the twin's fasting steady state at the window's start hour; "
        "only the fitted windows of the recording are used.",
        "Fits of real CGM recordings and what they identified: docs/cgm-real-data.md in the "
        "endotwin repository.",
    ]


def _cgm_method_notes(posterior: Posterior) -> list[str]:
    from . import cgm_fit as c
    from . import ogtt_fit

    report = posterior.report or {}
    first = (c.__doc__ or "").strip().splitlines()[0].rstrip(".")
    prior = ", ".join(f"{n} ln {format_number(math.exp(s))}" for n, s in ogtt_fit.PRIOR_SD.items())
    excl_lo, excl_hi = c.LOGGED_EXCLUSION_MIN
    used = report.get("noise used: SD (log), correlation time [min]")
    used_text = (
        f" (this fit: SD {format_number(used[0])}, correlation time {format_number(used[1])} min)"
        if isinstance(used, Sequence) and len(used) == 2
        else ""
    )
    jac = report.get("Jacobian check (relative error)")
    jac_text = (
        f" (relative error here {format_number(jac)}; above {format_number(c.JACOBIAN_WARN)} "
        "the fit warns that the intervals are rough)"
        if isinstance(jac, int | float)
        else ""
    )
    return [
        f"{first}. Fitted: the natural logarithms of {', '.join(ogtt_fit.FIT_PARAMETERS)} of "
        "the Dalla Man 2007 meal model, and the carbohydrate of the meals; the basal state "
        "follows from Gb and Ib in closed form.",
        "Sensor: the CGM reads interstitial glucose, a first-order lag of plasma glucose with "
        f"rate constant ksc = {format_number(c.KSC_PER_MIN)} /min (a "
        f"{format_number(1.0 / c.KSC_PER_MIN)}-min delay; UVA/Padova sensor model), starting "
        "at equilibrium with plasma.",
        f"Windows: {format_number(c.WINDOW_HOURS)}-h day windows from "
        f"{c.WINDOW_START_HOUR:02.0f}:00 on the CGM file's clock, each starting from the twin's "
        "fasting steady state (overnight fast); windows with fewer than "
        f"{100 * c.MIN_COVERAGE:.0f} % of the expected readings are not used; the days with a "
        f"logged meal first (at most {c.MAX_WINDOWS}), then the earliest other days up to "
        f"{c.MIN_WINDOWS}. All windows share the person's parameters.",
        "Meals: a logged meal with carbohydrate keeps its time, and its carbohydrate is fitted "
        "with a log-normal prior centred on the logged amount, SD ln "
        f"{format_number(math.exp(c.LOGGED_CARB_SD))} (carbohydrate counting errs); a logged "
        "meal without an amount (one amount per meal kind) and every detected meal get a weak "
        f"prior, median {format_number(c.CARB_PRIOR_G)} g, SD ln "
        f"{format_number(math.exp(c.CARB_PRIOR_SD))}; carbohydrate is bounded to "
        f"{format_interval(*c.CARB_BOUNDS_G)} g. Every meal is eaten over "
        f"{format_number(c.MEAL_DURATION_MIN)} min with the mixed-meal absorption of Dalla Man "
        "2006.",
        "Meal detection (meals not in the log): on the trace resampled to 5 min and smoothed "
        "by a 3-point mean, a run where glucose climbs at least "
        f"{format_number(c.DETECT_RATE_MGDL_PER_MIN)} mg/dL/min over the next 30 min is a meal "
        "when the peak within 60 min after it exceeds the nadir of the 30 min before it by "
        f"{format_number(c.DETECT_MIN_RISE_MGDL)} mg/dL; the onset is the time glucose leaves "
        f"the nadir minus {format_number(c.DETECT_ONSET_SHIFT_MIN)} min (absorption and "
        "sensor delay); onsets within "
        f"{format_number(c.DETECT_MIN_SEPARATION_MIN)} min of the previous one are merged, and "
        f"a rise from {format_number(-excl_lo)} min before to {format_number(excl_hi)} min "
        f"after a logged meal is that meal; at most {c.MAX_MEALS_PER_WINDOW} meals per window.",
        "Prior: independent normals on the log-parameters, centred on the Dalla Man 2007 mean "
        "subject (the type 2 column when the overnight CGM glucose, the median from "
        f"{c.FASTING_HOURS[0]:02.0f}:00 to {c.FASTING_HOURS[1]:02.0f}:00, is at least "
        f"{format_number(ogtt_fit.T2D_FPG_MGDL)} mg/dL; here "
        f"'{report.get('prior set', '?')}'), on that overnight glucose for Gb and on the "
        "person record's fasting insulin for Ib when it has one. Prior SD of each "
        f"log-parameter: {prior} (a factor at one SD). Parameters are bounded to the "
        "parameter set's bounds; one that ends on a bound is reported.",
        "Noise model: log-normal error, SD of the logarithm "
        f"{format_number(c.SIGMA_LN)} (CGM sensor {format_number(c.SIGMA_SENSOR_LN)} and model "
        f"error {format_number(c.SIGMA_MODEL_LN)} in quadrature), autocorrelated in time "
        f"(AR(1), correlation time {format_number(c.TAU_MIN)} min), the residuals whitened "
        "accordingly. After a first fit the SD and correlation time (at most "
        f"{format_number(c.TAU_MAX_MIN)} min) of the residuals are measured and, where larger, "
        f"used for a second fit{used_text}.",
        "Estimate: maximum a posteriori (MAP) by bounded trust-region least squares on the "
        "whitened residuals; the Jacobian by forward-mode differentiation through the ODE "
        f"solver (JAX, solver step at most {format_number(c.H_MAX_MIN)} min), checked against a "
        f"finite difference after the fit{jac_text}.",
        "Uncertainty: Laplace approximation, a multivariate normal in log-parameter space at "
        "the MAP with the Gauss-Newton covariance; intervals are multiplicative.",
        "SI: [Vmx Gtb/(Km0 + Gtb) + kp3] / Gb of the twin at its basal state (Gtb the basal "
        f"tissue glucose), in {c.SI_UNIT}; its {100 * BAND_LEVEL:.0f}% interval from draws of "
        "the posterior, its verdict from the posterior and prior SDs of log SI.",
    ]


def cgm_data_notes(
    person_record: PersonRecord | None,
    fit_report: Mapping[str, Any],
    meal_log: Sequence[Any] | None = None,
) -> list[str]:
    """What a reader of a CGM fit should know about the data (printed by the CLI, listed in
    the report): where the prior of Ib came from, a record's fasting glucose far from the
    overnight CGM glucose, and how the meals were found."""
    notes = []
    labs = person_record.labs if person_record is not None else None
    if labs is not None and labs.fasting_insulin_uuml is not None:
        notes.append(
            f"The person record's fasting insulin ({format_number(labs.fasting_insulin_uuml)} "
            "uU/mL) centres the prior of the basal insulin Ib; CGM glucose alone cannot "
            "identify Ib (see the verdicts)."
        )
    else:
        notes.append(
            "The person record has no fasting insulin: the basal insulin Ib keeps the prior of "
            "the Dalla Man mean subject; CGM glucose alone cannot identify it."
        )
    fasting = fit_report.get("fasting glucose (03-06 h median) [mg/dL]")
    if labs is not None and labs.fasting_glucose_mgdl is not None and fasting is not None:
        rec = labs.fasting_glucose_mgdl
        if abs(float(fasting) - rec) > FASTING_MISMATCH * rec:
            notes.append(
                f"The person record's fasting glucose ({format_number(rec)} mg/dL) differs by "
                f"more than {100 * FASTING_MISMATCH:.0f} % from the overnight CGM glucose "
                f"({format_number(fasting)} mg/dL): different days, a sensor bias, or a unit "
                "slip? The fit uses the CGM."
            )
    counts = fit_report.get("meals") or {}
    logged, detected = counts.get("logged", 0), counts.get("detected", 0)
    if not meal_log:
        notes.append(
            f"No meal log: all {detected} meals of the fit were detected from CGM rises and "
            "their carbohydrate fitted with a weak prior; it trades off with insulin "
            "sensitivity. A meal log with carbohydrate (--meals) anchors the meal sizes."
        )
    else:
        outside = max(0, len(meal_log) - logged)
        notes.append(
            f"Meal log: {len(meal_log)} meal(s), {logged} of them in the fitted windows"
            + (f" ({outside} outside them are not used)" if outside else "")
            + f"; {detected} further meal(s) detected from CGM rises."
        )
    return notes


def _cgm_report_notes(data: Mapping[str, Any]) -> list[str]:
    fit = data.get("fit")
    report = getattr(getattr(fit, "posterior", None), "report", None) or {}
    notes = cgm_data_notes(data.get("person_record"), report, data.get("meals"))
    notes += [f"Warning from the fit: {w}" for w in data.get("warnings") or ()]
    return notes


def _cgm_data_facts(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    facts: list[tuple[str, str]] = []
    read, trace = data.get("cgm"), data.get("cgm_trace")
    if data.get("cgm_file") is not None:
        facts.append(("CGM file", str(data["cgm_file"])))
    if trace is None and read is not None and len(read.traces) == 1:
        trace = read.traces[0]
    if trace is not None:
        of = f" (of {len(read.traces)} in the file)" if read is not None else ""
        facts.append(("CGM format, unit", f"{trace.source_format}, {trace.unit_read}"))
        facts.append(("CGM subject", f"{trace.subject}{of}"))
        minutes = np.asarray(trace.minutes, dtype=float)
        last = str(trace.times[-1]).replace("T", " ")[:16]
        facts.append(
            (
                "CGM readings",
                f"{len(trace)} from {trace.start.strftime('%Y-%m-%d %H:%M')} to {last} "
                f"({format_number(minutes[-1] / 1440.0)} day(s))",
            )
        )
    if read is not None:
        facts.append(("CGM reader", read.report.summary()))
    fit = data.get("fit")
    report = getattr(getattr(fit, "posterior", None), "report", None) or {}
    if report.get("windows"):
        facts.append(
            (
                "fitted windows",
                f"{', '.join(map(str, report['windows']))} "
                f"({format_number(report.get('window length [h]'))} h each); "
                f"{report.get('readings fitted', '?')} readings fitted",
            )
        )
    meals = data.get("meals")
    if data.get("meal_log") is not None:
        facts.append(("meal log", f"{data['meal_log']}: {len(meals or [])} meal(s)"))
    else:
        facts.append(("meal log", "none (every meal detected from the CGM)"))
    counts = report.get("meals")
    if isinstance(counts, Mapping):
        facts.append(
            (
                "meals of the fit",
                f"{counts.get('logged', 0)} logged, {counts.get('detected', 0)} detected",
            )
        )
    return facts


#: the report kind registered under "cgm" (``calibration_report.REPORT_KINDS``)
CGM_KIND = ReportKind(
    meaning=lambda: CGM_MEANING,
    prior_centre=_cgm_prior_centre,
    method_notes=_cgm_method_notes,
    data_sections=_cgm_sections,
    data_facts=_cgm_data_facts,
    data_notes=_cgm_report_notes,
)
