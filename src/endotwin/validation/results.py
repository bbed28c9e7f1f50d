"""What a validation run produces: per outcome, per study and for the whole suite.

These are plain data (no simulation here). :mod:`endotwin.validation.runner` fills them and
:mod:`endotwin.validation.report` turns them into HTML; every number in the report comes from
these objects, which come from the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Comparison = Literal["within", "between", "level", "correlation", "qualitative"]

#: bootstrap resamples of the virtual people behind every model interval and pass share
BOOTSTRAP = 400


@dataclass(frozen=True)
class Trajectory:
    """Mean and 5th-95th percentile band across the virtual people of one arm, over time."""

    arm: str
    variable: str  # e.g. "Body weight [kg]"
    time_weeks: tuple[float, ...]
    mean: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]


@dataclass(frozen=True)
class OutcomeResult:
    """One published outcome against the model's prediction for the same quantity.

    published_low/high: the interval the pass rule uses: the published 95% CI, or mean +/- 1 SD
    where only an SD is given, or mean +/- 1.96 SE where an SE is given (converted to a 95% CI).
    model_mean: mean over the virtual people; model_low/high: 95% bootstrap interval of that mean
    (sampling uncertainty of the virtual population); model_sd: spread across virtual people.
    scored: False when the outcome is an input of the simulation (e.g. the measured intake), has
    no published number, or is UNVERIFIED; such outcomes are shown but do not count.
    passed: None when not scored.
    pass_share: the share of the bootstrap resamples of the virtual people whose model value
    passes the same rule, i.e. how firmly the verdict stands against the draw of the people
    (about 0.5 for a model mean on the interval's edge). None for qualitative outcomes, which
    are judged by a test on all the people, and for outcomes not scored.
    """

    study: str
    name: str
    arm: str | None
    unit: str
    time_weeks: float | None
    comparison: Comparison
    published_mean: float | None
    published_low: float | None
    published_high: float | None
    spread_kind: str | None  # "95CI", "SD", "SE", or None
    criterion: str  # the pass rule in words, e.g. "model mean inside the published 95% CI"
    model_mean: float | None
    model_low: float | None
    model_high: float | None
    model_sd: float | None
    scored: bool
    passed: bool | None
    note: str = ""  # why not scored, or what the comparison assumes
    pass_share: float | None = None


@dataclass(frozen=True)
class StudyResult:
    """All outcomes of one study, and whether the study counts as a prediction."""

    name: str
    title: str
    citation: str
    design: str
    protocol: str | None
    control: str | None
    calibration: bool  # True: some parameter was calibrated on (or checked against) this study
    calibration_note: str
    n_virtual: int  # virtual people per arm
    seed: int
    runtime_s: float
    outcomes: tuple[OutcomeResult, ...]
    trajectories: tuple[Trajectory, ...] = ()
    if_fails: str = ""  # what the model is thought to lack, shown when the study fails
    notes: tuple[str, ...] = ()

    @property
    def scored(self) -> tuple[OutcomeResult, ...]:
        return tuple(o for o in self.outcomes if o.scored)

    @property
    def passed(self) -> bool | None:
        """True when every scored outcome passes; None when nothing is scored."""
        s = self.scored
        if not s:
            return None
        return all(bool(o.passed) for o in s)


@dataclass(frozen=True)
class ValidationRun:
    """The suite: study results plus what the run was (version, seed, size, time)."""

    studies: tuple[StudyResult, ...]
    endotwin_version: str
    n_virtual: int
    seed: int
    runtime_s: float
    started: str  # ISO timestamp
    notes: tuple[str, ...] = field(default=())

    @property
    def prediction_studies(self) -> tuple[StudyResult, ...]:
        return tuple(s for s in self.studies if not s.calibration)

    @property
    def calibration_studies(self) -> tuple[StudyResult, ...]:
        return tuple(s for s in self.studies if s.calibration)

    def summary(self) -> dict[str, float | int]:
        """Counts for the headline: prediction-only studies, how many pass, the pass rate."""
        pred = [s for s in self.prediction_studies if s.passed is not None]
        n_pass = sum(1 for s in pred if s.passed)
        cal = [s for s in self.calibration_studies if s.passed is not None]
        return {
            "studies": len(self.studies),
            "prediction_studies": len(self.prediction_studies),
            "prediction_scored": len(pred),
            "prediction_passed": n_pass,
            "prediction_pass_rate": n_pass / len(pred) if pred else float("nan"),
            "calibration_studies": len(self.calibration_studies),
            "calibration_passed": sum(1 for s in cal if s.passed),
            "outcomes_scored": sum(len(s.scored) for s in self.studies),
            "outcomes_passed": sum(1 for s in self.studies for o in s.scored if o.passed),
        }
