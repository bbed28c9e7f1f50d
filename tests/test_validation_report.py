"""The HTML validation report and its figures, on a hand-built ValidationRun."""

from __future__ import annotations

import base64
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape
from matplotlib.figure import Figure

from endotwin.solution import DISCLAIMER
from endotwin.validation.plots import (
    figure_png,
    normalised_error,
    outcome_figure,
    outcome_matches_variable,
    summary_figure,
    trajectory_figure,
)
from endotwin.validation.report import (
    format_interval,
    format_number,
    render_validation_report,
    write_validation_report,
)
from endotwin.validation.results import (
    OutcomeResult,
    StudyResult,
    Trajectory,
    ValidationRun,
)

TRICKY_TITLE = "Leptin <fall> & \"rebound\" in 'dieters'"
IF_FAILS = "Hypothalamic leptin resistance that adapts over months is missing."


def _outcome(**kw: object) -> OutcomeResult:
    base: dict[str, object] = {
        "study": "X",
        "name": "Body weight",
        "arm": "diet",
        "unit": "kg",
        "time_weeks": 12.0,
        "comparison": "level",
        "published_mean": 85.2,
        "published_low": 83.1,
        "published_high": 87.3,
        "spread_kind": "95CI",
        "criterion": "model mean inside the published 95% CI",
        "model_mean": 85.9,
        "model_low": 85.43,
        "model_high": 86.37,
        "model_sd": 9.812,
        "scored": True,
        "passed": True,
        "note": "",
    }
    base.update(kw)
    return OutcomeResult(**base)  # type: ignore[arg-type]


def _traj(arm: str, variable: str, start: float, slope: float) -> Trajectory:
    t = tuple(float(w) for w in range(0, 13, 2))
    mean = tuple(start + slope * w for w in t)
    return Trajectory(
        arm=arm,
        variable=variable,
        time_weeks=t,
        mean=mean,
        low=tuple(m - 4.0 for m in mean),
        high=tuple(m + 4.0 for m in mean),
    )


def _study(**kw: object) -> StudyResult:
    base: dict[str, object] = {
        "name": "X",
        "title": "t",
        "citation": "c",
        "design": "RCT",
        "protocol": None,
        "control": None,
        "calibration": False,
        "calibration_note": "",
        "n_virtual": 200,
        "seed": 7,
        "runtime_s": 12.5,
        "outcomes": (),
    }
    base.update(kw)
    return StudyResult(**base)  # type: ignore[arg-type]


def make_run() -> ValidationRun:
    """Two prediction studies (one passes, one fails) and a failing calibration study."""
    passing = _study(
        name="Smith2019-diet",
        title="Twelve weeks of energy restriction",
        citation="Smith A et al. Obesity 2019;27:100-110.",
        design="parallel RCT, 12 weeks",
        protocol="week 0..12: intake -600 kcal/day",
        control="week 0..12: usual diet",
        runtime_s=42.25,
        outcomes=(
            _outcome(study="Smith2019-diet"),
            _outcome(
                study="Smith2019-diet",
                name="Fasting insulin change",
                unit="pmol/L",
                comparison="within",
                published_mean=-12.5,
                published_low=None,
                published_high=None,
                spread_kind=None,
                model_mean=-10.75,
                model_low=-11.6,
                model_high=-9.93,
                model_sd=6.125,
                scored=False,
                passed=None,
                note="no interval reported",
            ),
        ),
        trajectories=(
            _traj("diet", "Body weight [kg]", 92.0, -0.55),
            _traj("control", "Body weight [kg]", 92.0, 0.02),
            _traj("diet", "Fat mass [kg]", 35.0, -0.4),
        ),
        notes=("Adherence assumed complete.",),
    )
    failing = _study(
        name="Jones2021-leptin",
        title=TRICKY_TITLE,
        citation="Jones B, Lee C. J Clin Endocrinol Metab 2021;106:e1-e9.",
        design="single-arm, 24 weeks",
        protocol="week 0..24: intake -800 kcal/day",
        calibration_note="Not used for calibration.",
        runtime_s=125.0,
        outcomes=(
            _outcome(
                study="Jones2021-leptin",
                name="Leptin change",
                arm="VLCD",
                unit="ng/mL",
                time_weeks=24.0,
                comparison="within",
                published_mean=-8.3,
                published_low=-10.1,
                published_high=-6.5,
                model_mean=-3.215,
                model_low=-3.62,
                model_high=-2.81,
                model_sd=2.718,
                passed=False,
            ),
            _outcome(
                study="Jones2021-leptin",
                name="Fat mass change",
                arm="VLCD",
                time_weeks=24.0,
                comparison="within",
                published_mean=-4.1,
                published_low=-5.02,
                published_high=-3.18,
                model_mean=-4.44,
                model_low=-4.71,
                model_high=-4.17,
                model_sd=1234.5678,
            ),
            _outcome(
                study="Jones2021-leptin",
                name="Energy intake",
                arm="VLCD",
                unit="kcal/day",
                time_weeks=None,
                published_mean=1203.0,
                published_low=1150.5,
                published_high=1255.5,
                model_mean=None,
                model_low=None,
                model_high=None,
                model_sd=None,
                scored=False,
                passed=None,
                note="input of the simulation",
            ),
        ),
        if_fails=IF_FAILS,
    )
    calibration = _study(
        name="Cal2015-clamp",
        title="Clamp-derived insulin sensitivity",
        citation="Doe D. Diabetes 2015;64:1-2.",
        design="cross-sectional",
        calibration=True,
        calibration_note="Insulin sensitivity parameters were fitted to this cohort.",
        runtime_s=3.5,
        outcomes=(
            _outcome(
                study="Cal2015-clamp",
                name="Calibrated glucose disposal",
                arm=None,
                unit="mg/kg/min",
                time_weeks=0.0,
                published_mean=6.71,
                published_low=4.52,
                published_high=8.9,
                spread_kind="SD",
                criterion="within 1 SD",
                model_mean=9.95,
                model_low=9.61,
                model_high=10.29,
                model_sd=2.33,
                passed=False,
            ),
            _outcome(
                study="Cal2015-clamp",
                name="Insulin lowers glucose",
                arm=None,
                unit="",
                time_weeks=None,
                comparison="qualitative",
                published_mean=None,
                published_low=None,
                published_high=None,
                spread_kind=None,
                criterion="direction and significance",
                model_mean=None,
                model_low=None,
                model_high=None,
                model_sd=None,
                passed=True,
            ),
        ),
    )
    return ValidationRun(
        studies=(passing, failing, calibration),
        endotwin_version="0.1.0",
        n_virtual=200,
        seed=20240601,
        runtime_s=171.25,
        started="2024-06-01T12:34:56",
        notes=("Synthetic run for the report test.",),
    )


@pytest.fixture(scope="module")
def run() -> ValidationRun:
    return make_run()


@pytest.fixture(scope="module")
def html_text(run: ValidationRun, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = write_validation_report(run, tmp_path_factory.mktemp("report") / "sub" / "v.html")
    assert isinstance(path, Path)
    assert path.is_file()
    return path.read_text(encoding="utf-8")


class _TagChecker(HTMLParser):
    """Checks that non-void elements are properly nested and closed."""

    VOID = frozenset(
        [
            "area",
            "base",
            "br",
            "col",
            "embed",
            "hr",
            "img",
            "input",
            "link",
            "meta",
            "param",
            "source",
            "track",
            "wbr",
        ]
    )

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "a" and a.get("href"):
            self.hrefs.append(str(a["href"]))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
            return
        self.stack.pop()


def _section(html: str, start: str, end: str) -> str:
    i = html.index(start)
    return html[i : html.index(end, i)]


def test_html_is_well_formed_and_self_contained(html_text: str) -> None:
    assert html_text.lstrip().lower().startswith("<!doctype html>")
    assert html_text.rstrip().endswith("</html>")
    checker = _TagChecker()
    checker.feed(html_text)
    checker.close()
    assert checker.errors == []
    assert checker.stack == []
    assert len(checker.ids) == len(set(checker.ids))
    # every internal link points at a section that exists
    for href in checker.hrefs:
        assert href.startswith("#")
        assert href[1:] in checker.ids
    # no external resources
    assert "http://" not in html_text and "https://" not in html_text
    assert "<script" not in html_text and "<link" not in html_text


def test_study_names_and_numbers_appear(run: ValidationRun, html_text: str) -> None:
    for s in run.studies:
        assert s.name in html_text
        assert str(escape(s.citation)) in html_text
        # numbers are checked inside the study's own section
        anchor = f'id="study-{s.name}"'
        section = _section(html_text, anchor, "</section>")
        for o in s.outcomes:
            assert str(escape(o.name)) in section
            for x in (o.published_mean, o.model_mean, o.model_sd):
                if x is not None:
                    assert format_number(x) in section, (o.name, x)
            for lo, hi in ((o.published_low, o.published_high), (o.model_low, o.model_high)):
                if lo is not None or hi is not None:
                    assert format_interval(lo, hi) in section, (o.name, lo, hi)
    # the run facts
    for text in ("0.1.0", "2024-06-01T12:34:56", "20240601", "200"):
        assert text in html_text


def test_number_formatting() -> None:
    assert format_number(None) == "\u2014"
    assert format_number(float("nan")) == "n/a"
    assert format_number(85.2) == "85.2"
    assert format_number(-3.215) == "-3.215"
    assert format_number(1234.5678) == "1235"
    assert format_number(0.012345) == "0.01235"
    assert format_number(0.0) == "0"
    assert format_number(2.5e7) == "2.500e+07"
    assert format_interval(-10.1, -6.5) == "[-10.1, -6.5]"
    assert format_interval(None, None) == ""


def test_failures_section(html_text: str) -> None:
    failures = _section(html_text, '<section class="failures">', "</section>")
    assert "Leptin change" in failures
    assert format_number(-3.215) in failures
    assert format_interval(-10.1, -6.5) in failures
    assert str(escape(IF_FAILS)) in failures
    assert "Fat mass change" not in failures  # passed, in the failing study
    assert "Body weight" not in failures  # passing study
    assert "Calibrated glucose disposal" not in failures  # calibration: not a prediction failure


def test_headline_counts_match_summary(run: ValidationRun, html_text: str) -> None:
    summary = run.summary()
    assert summary["prediction_scored"] == 2 and summary["prediction_passed"] == 1
    m = re.search(r'data-prediction-passed="(\d+)" data-prediction-scored="(\d+)"', html_text)
    assert m is not None
    assert int(m.group(1)) == summary["prediction_passed"]
    assert int(m.group(2)) == summary["prediction_scored"]
    headline = _section(html_text, 'class="headline"', "</p>")
    assert f"{summary['prediction_passed']} of {summary['prediction_scored']}" in headline
    assert f"{100 * float(summary['prediction_pass_rate']):.0f}%" in headline
    assert (
        f"{summary['outcomes_passed']} of {summary['outcomes_scored']} scored passed" in html_text
    )


def test_calibration_marked_and_not_counted(run: ValidationRun, html_text: str) -> None:
    cal = _section(html_text, 'id="calibration-headline"', "</div>")
    assert "Cal2015-clamp" in cal
    assert "not counted" in cal
    headline = _section(html_text, 'class="headline"', "</p>")
    assert "Cal2015-clamp" not in headline
    row = _section(html_text, 'href="#study-Cal2015-clamp">Cal2015-clamp', "</tr>")
    assert "calibration" in row and "not counted" in row
    section = _section(html_text, 'id="study-Cal2015-clamp"', "</section>")
    assert "Calibration study, not counted" in section
    assert str(escape(run.studies[2].calibration_note)) in section
    # the failing calibration study does not change the pass rate of the predictions
    assert run.summary() == replace(run, studies=run.studies[:2]).summary() | {
        "studies": 3,
        "calibration_studies": 1,
        "outcomes_scored": 5,
        "outcomes_passed": 3,
    }


def test_images_embedded_as_png(run: ValidationRun, html_text: str) -> None:
    uris = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html_text)
    # summary + one outcome figure per study + one trajectory figure (first study only)
    assert len(uris) == 1 + len(run.studies) + 1
    for b64 in uris:
        assert base64.b64decode(b64, validate=True).startswith(b"\x89PNG")


def test_text_is_escaped(html_text: str) -> None:
    assert "<fall>" not in html_text
    assert "&lt;fall&gt;" in html_text
    assert str(escape(TRICKY_TITLE)) in html_text


def test_disclaimer_present(html_text: str) -> None:
    assert str(escape(DISCLAIMER)) in html_text
    assert html_text.index(str(escape(DISCLAIMER))) < html_text.index('id="summary"')


def test_render_is_deterministic(run: ValidationRun) -> None:
    assert render_validation_report(run) == render_validation_report(run)


def test_normalised_error() -> None:
    sym = {"published_mean": 10.0, "published_low": 8.0, "published_high": 12.0}
    assert normalised_error(_outcome(**sym, model_mean=11.0)) == pytest.approx(0.5)
    assert normalised_error(_outcome(**sym, model_mean=7.0)) == pytest.approx(-1.5)
    assert normalised_error(_outcome(**sym, model_mean=12.0)) == pytest.approx(1.0)
    assert normalised_error(_outcome(**sym, model_mean=10.0)) == 0.0
    # asymmetric interval: the side of the model mean, so the pass band stays [-1, 1]
    asym = {"published_mean": 10.0, "published_low": 9.0, "published_high": 14.0}
    assert normalised_error(_outcome(**asym, model_mean=12.0)) == pytest.approx(0.5)
    assert normalised_error(_outcome(**asym, model_mean=9.0)) == pytest.approx(-1.0)
    # one side of zero width: the overall half-width
    edge = {"published_mean": 10.0, "published_low": 10.0, "published_high": 12.0}
    assert normalised_error(_outcome(**edge, model_mean=9.0)) == pytest.approx(-1.0)
    # missing numbers or no width: None
    assert normalised_error(_outcome(published_low=None, published_high=None)) is None
    assert normalised_error(_outcome(model_mean=None)) is None
    assert normalised_error(_outcome(published_mean=None)) is None
    assert normalised_error(_outcome(published_low=5.0, published_high=5.0)) is None
    assert normalised_error(_outcome(model_mean=float("nan"))) is None


def test_figures(run: ValidationRun) -> None:
    s0, s1, _ = run.studies
    fig = outcome_figure(s1)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == len(s1.outcomes)  # one panel (own x axis) per outcome
    assert fig.axes[0].get_shared_x_axes().get_siblings(fig.axes[0]) == [fig.axes[0]]
    assert figure_png(fig).startswith(b"\x89PNG")
    assert trajectory_figure(s1) is None
    traj = trajectory_figure(s0)
    assert traj is not None and len(traj.axes) == 2  # body weight, fat mass
    summ = summary_figure(run)
    assert len(summ.axes) == 2  # prediction panel and a separate calibration panel
    assert len(summary_figure(replace(run, studies=(s0, s1))).axes) == 1
    assert figure_png(summary_figure(replace(run, studies=()))).startswith(b"\x89PNG")
    assert figure_png(outcome_figure(replace(s0, outcomes=()))).startswith(b"\x89PNG")


def test_outcome_matches_variable() -> None:
    weight = _outcome()
    assert outcome_matches_variable(weight, "Body weight [kg]")
    assert not outcome_matches_variable(weight, "Fat mass [kg]")
    assert not outcome_matches_variable(replace(weight, unit="lb"), "Body weight [kg]")
    assert not outcome_matches_variable(
        replace(weight, name="Body weight change"), "Body weight [kg]"
    )
    assert not outcome_matches_variable(replace(weight, time_weeks=None), "Body weight [kg]")
    assert not outcome_matches_variable(replace(weight, comparison="between"), "Body weight [kg]")


def test_study_with_nothing_scored(run: ValidationRun) -> None:
    s0 = run.studies[0]
    unscored = replace(
        s0,
        name="Nothing-scored",
        outcomes=tuple(replace(o, scored=False, passed=None) for o in s0.outcomes),
        trajectories=(),
    )
    extended = replace(run, studies=(*run.studies, unscored))
    html = render_validation_report(extended)
    row = _section(html, 'href="#study-Nothing-scored">Nothing-scored', "</tr>")
    assert "not scored" in row and "0/0" in row
    headline = _section(html, 'class="headline"', "</p>")
    summary = extended.summary()
    assert f"{summary['prediction_passed']} of {summary['prediction_scored']}" in headline
    assert "no scored outcome" in headline


def test_on_the_edge_marks_verdicts_that_resamples_reverse() -> None:
    from endotwin.validation.report import EDGE_SHARES, on_the_edge

    assert not on_the_edge(_outcome(pass_share=None))
    assert not on_the_edge(_outcome(pass_share=0.97))
    assert not on_the_edge(_outcome(pass_share=0.03, passed=False))
    assert on_the_edge(_outcome(pass_share=0.5))
    assert on_the_edge(_outcome(pass_share=EDGE_SHARES[0], passed=False))
