"""A published study as data: population, arms (protocols), outcomes and their provenance.

One YAML file per study in ``src/endotwin/validation/studies/`` (shipped with the package).
The schema is strict (pydantic v2, unknown keys refused) so that a typo in a study file is an
error naming the field, not a silently ignored number.

Conventions
-----------
- ``arms``: every arm is simulated on the *same* virtual people (an in-silico counterfactual:
  the comparison is not blurred by randomisation noise). ``protocol: null`` is the person's
  habitual day (an unchanged lifestyle).
- An arm's ``deficit_kcal`` is an absolute intake reduction the study *measured* (e.g. Gabel
  2018's -341 kcal/day); it becomes a per-person ``% deficit`` of that person's maintenance
  intake, substituted into ``{deficit_pct}`` in the protocol text. Outcomes that are inputs in
  this way are marked ``input: true`` and are not scored.
- ``{maintenance_kcal}`` in a protocol is replaced by each person's maintenance intake (Hall 2011
  EI0): controlled feeding that holds weight (e.g. Sutton 2018's isocaloric arms).
- ``outcomes[].comparison``: ``within`` (change from baseline in ``arm``), ``between`` (change in
  ``arm`` minus change in ``versus``), ``level`` (value at ``time_weeks``; 0 = baseline),
  ``correlation`` (across people at baseline) or ``qualitative`` (``direction``).
- ``spread`` is a number for SD/SE or ``[low, high]`` for a 95% CI, exactly as published.
- ``calibration: true`` marks a study some parameter was fitted to or checked against; it is
  shown but never counted as a pass.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import InputError
from ..population import Baseline
from ..protocols.steps import Protocol
from .metrics import METRICS

SpreadKind = Literal["95CI", "SD", "SE"]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Arm(_Strict):
    """One arm: a protocol in endotwin's language (None = habitual day)."""

    name: str
    protocol: str | None = None
    deficit_kcal: float | None = Field(default=None, gt=0, le=2000)
    note: str = ""

    @model_validator(mode="after")
    def _check(self) -> Arm:
        if self.deficit_kcal is not None and (
            self.protocol is None or "{deficit_pct}" not in self.protocol
        ):
            raise ValueError("deficit_kcal needs a protocol containing '{deficit_pct}'")
        if self.protocol is not None:
            text = self.protocol.replace("{deficit_pct}", "10")
            Protocol(text.replace("{maintenance_kcal}", "2000"))  # points at a bad word
        return self


class Outcome(_Strict):
    """A published outcome and how the model's matching quantity is computed."""

    name: str
    metric: str
    comparison: Literal["within", "between", "level", "correlation", "qualitative"]
    arm: str | None = None
    versus: str | None = None
    time_weeks: float = Field(ge=0, le=520)
    unit: str
    mean: float | None = None
    spread: float | tuple[float, float] | None = None
    spread_kind: SpreadKind | None = None
    n: int | None = Field(default=None, ge=2)  # people behind the published number
    # people in the comparison arm ``versus`` when it is a separate group (parallel or
    # historical control); None when ``versus`` is the same people (crossover) or absent
    n_versus: int | None = Field(default=None, ge=2)
    direction: Literal["increase", "decrease", "no change"] | None = None
    input: bool = False  # the value was given to the model (not a prediction)
    unverified: bool = False
    source: str
    note: str = ""

    @model_validator(mode="after")
    def _check(self) -> Outcome:
        if self.metric not in METRICS:
            raise ValueError(f"unknown metric {self.metric!r}; known: {', '.join(sorted(METRICS))}")
        if self.comparison == "between" and self.versus is None:
            raise ValueError("a 'between' outcome needs 'versus' (the control arm)")
        if self.comparison == "qualitative" and self.direction is None:
            raise ValueError("a 'qualitative' outcome needs 'direction'")
        if self.spread is not None and self.spread_kind is None:
            raise ValueError("'spread' needs 'spread_kind' (95CI, SD or SE)")
        if self.spread_kind == "95CI" and not isinstance(self.spread, tuple):
            raise ValueError("a 95CI spread is [low, high]")
        if self.spread_kind in ("SD", "SE") and not isinstance(self.spread, float | int):
            raise ValueError(f"an {self.spread_kind} spread is one positive number")
        if self.direction == "no change" and self.n is None:
            raise ValueError("a 'no change' outcome needs the study's 'n'")
        if self.n_versus is not None and (self.versus is None or self.n is None):
            raise ValueError(
                "'n_versus' (size of a separate comparison group) needs 'versus' and 'n'"
            )
        return self

    def interval(self) -> tuple[float, float] | None:
        """The interval the pass rule uses (95% CI; mean +/- SD; mean +/- 1.96 SE)."""
        if self.mean is None or self.spread is None:
            return None
        if isinstance(self.spread, tuple):
            return (float(self.spread[0]), float(self.spread[1]))
        k = 1.0 if self.spread_kind == "SD" else 1.959964
        return (self.mean - k * float(self.spread), self.mean + k * float(self.spread))


class Diagnosis(_Strict):
    """How a study diagnosed incident diabetes: its visits and tests (``diabetes_incidence``).

    visit_weeks: visits with a fasting glucose (each also gets a 75 g OGTT day in the
        simulation, the true state that a confirmatory OGTT would measure);
    ogtt_weeks: the visits at which the 2-h OGTT glucose screens as well;
    confirm: a screen counts only when a repeat OGTT (same true state, new measurement
        variability) meets a criterion too.
    """

    visit_weeks: tuple[float, ...] = Field(min_length=1)
    ogtt_weeks: tuple[float, ...] = ()
    confirm: bool = True
    source: str

    @model_validator(mode="after")
    def _check(self) -> Diagnosis:
        if list(self.visit_weeks) != sorted(set(self.visit_weeks)) or self.visit_weeks[0] <= 0:
            raise ValueError("visit_weeks must be positive and strictly increasing")
        extra = set(self.ogtt_weeks) - set(self.visit_weeks)
        if extra:
            raise ValueError(f"ogtt_weeks {sorted(extra)} are not visits")
        return self


class Screening(_Strict):
    """Who a trial enrolled, by a test the virtual people take before randomisation.

    ogtt_2h_mgdl: the eligible [low, high) window of the 2-h glucose of a 75 g OGTT, taken at
        08:00 after the study's habitual burn-in days (e.g. the DPP's impaired glucose
        tolerance, [140, 200));
    candidates_per_person: how many candidates are drawn to the published baseline per person
        kept (the first eligible ones are kept, in draw order).
    """

    ogtt_2h_mgdl: tuple[float, float]
    candidates_per_person: float = Field(default=3.0, ge=1.0, le=20.0)
    source: str

    @model_validator(mode="after")
    def _check(self) -> Screening:
        lo, hi = self.ogtt_2h_mgdl
        if not 40.0 <= lo < hi <= 400.0:
            raise ValueError("ogtt_2h_mgdl must be [low, high) with 40 <= low < high <= 400")
        return self


class Study(_Strict):
    """A published study to reproduce."""

    name: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    citation: str
    citation_keys: tuple[str, ...] = ()
    design: str
    calibration: bool
    calibration_note: str = ""
    population: Baseline
    population_source: str
    arms: tuple[Arm, ...] = Field(min_length=1)
    duration_weeks: float = Field(gt=0, le=520)
    output_interval_min: float = Field(default=60.0, ge=1.0, le=1440.0)
    burn_in_days: int = Field(default=7, ge=0, le=60)  # habitual days before week 0
    outcomes: tuple[Outcome, ...] = Field(min_length=1)
    diagnosis: Diagnosis | None = None
    screening: Screening | None = None
    # at least this many virtual people per arm, whatever the run's n, with the reason
    min_n: int | None = Field(default=None, ge=2, le=2000)
    min_n_reason: str = ""
    if_fails: str = ""
    notes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Study:
        if self.min_n is not None and not self.min_n_reason.strip():
            raise ValueError("min_n needs min_n_reason: why this study needs more people")
        names = [a.name for a in self.arms]
        if len(set(names)) != len(names):
            raise ValueError(f"arm names repeat: {names}")
        for o in self.outcomes:
            for a in (o.arm, o.versus):
                if a is not None and a not in names:
                    raise ValueError(f"outcome {o.name!r} names arm {a!r}; arms are {names}")
            if o.time_weeks > self.duration_weeks:
                raise ValueError(f"outcome {o.name!r} at week {o.time_weeks} is after the end")
        if self.diagnosis and self.diagnosis.visit_weeks[-1] > self.duration_weeks:
            last = self.diagnosis.visit_weeks[-1]
            raise ValueError(f"diagnosis visit at week {last} is after the end")
        return self

    def arm(self, name: str) -> Arm:
        return next(a for a in self.arms if a.name == name)


def studies_dir() -> Path:
    """The folder of the shipped study files."""
    return Path(str(resources.files("endotwin.validation") / "studies"))


def load_study(path: str | Path) -> Study:
    """Read and validate one study file; errors name the file and the field."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Study.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        raise InputError(f"{path.name}: {loc}", err.get("input"), err["msg"]) from None
    except yaml.YAMLError as e:
        raise InputError(path.name, "YAML", "a valid YAML document", str(e)) from None


@cache
def all_studies(folder: str | None = None) -> tuple[Study, ...]:
    """Every study file in ``folder`` (default: the shipped ones), sorted by name."""
    base = Path(folder) if folder else studies_dir()
    return tuple(load_study(p) for p in sorted(base.glob("*.yaml")))


def get_study(name: str, folder: str | None = None) -> Study:
    """One study by name; an unknown name lists the known ones."""
    found = {s.name: s for s in all_studies(folder)}
    if name not in found:
        raise InputError("study", name, f"one of: {', '.join(sorted(found))}")
    return found[name]
