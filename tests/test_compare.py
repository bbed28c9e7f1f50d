"""Protocol comparison for a personal twin (issue 6, deliverable 3)."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import endotwin as et
from endotwin.calibrate.compare import (
    NO_UNCERTAINTY,
    NOT_MEDICAL_ADVICE,
    OUTCOMES,
    Comparison,
    compare_protocols,
)
from endotwin.calibrate.compare_report import write_compare_report
from endotwin.calibrate.posterior import Posterior
from endotwin.errors import InputError, ProtocolError

DEFICIT = "25% deficit for 2 weeks"
HIIT = "HIIT 3x/week for 10 days"


@pytest.fixture(scope="module")
def person() -> et.Person:
    return et.demo_person()


@pytest.fixture(scope="module")
def comparison(person: et.Person) -> Comparison:
    lo = replace(person, parameters={"Vmx": 0.040})
    hi = replace(person, parameters={"Vmx": 0.056})
    # the MAP twin is also two of the four draws (simulated once: identical people are shared)
    people = [person, person, lo, person, hi]
    return compare_protocols(people, [DEFICIT, HIIT], attribution=False)


def test_deficit_loses_weight_and_the_habitual_arm_does_not(comparison: Comparison) -> None:
    assert comparison.point(DEFICIT, "weight_kg") < -0.5
    assert comparison.point(DEFICIT, "fat_mass_kg") < 0.0
    deficit = comparison.trajectories[DEFICIT].weight_kg[0]
    habitual = comparison.habitual_trajectory.weight_kg[0]
    assert deficit[-1] - deficit[0] < 0.0
    # the habitual arm is the burnt-in periodic state: weight-stable
    assert abs(habitual[-1] - habitual[0]) < 0.05
    assert abs(deficit[-1] - deficit[0]) > 10 * abs(habitual[-1] - habitual[0])
    # less fat, less leptin (Considine 1996 direction)
    assert comparison.point(DEFICIT, "leptin_ngml") < 0.0


def test_horizon_defaults_to_the_longest_protocol(comparison: Comparison) -> None:
    assert comparison.horizon_days == 14
    assert comparison.horizon_weeks == pytest.approx(2.0)
    assert comparison.trajectories[HIIT].day[-1] == 14
    assert any("HIIT" in n and "habitual day follows" in n for n in comparison.notes)
    assert comparison.cgm_days == 14


def test_interval_contains_the_point_when_the_map_is_a_draw(comparison: Comparison) -> None:
    assert comparison.n_draws == 4
    assert "4 draws" in comparison.uncertainty
    for p in comparison.protocols:
        for o in OUTCOMES:
            ch = comparison.change(p, o.key)
            # draws identical to the MAP twin give exactly its change
            assert ch[1] == ch[0] and ch[3] == ch[0]
            lo, hi = comparison.interval(p, o.key)
            assert lo <= comparison.point(p, o.key) <= hi, (p, o.key)
    # the perturbed draws differ: the interval is not a point
    lo, hi = comparison.interval(DEFICIT, "matsuda")
    assert hi > lo


def test_ranking_follows_the_stated_rule(comparison: Comparison) -> None:
    rule = comparison.rank_rule
    assert "HOMA-IR" in rule and "most negative" in rule
    points = {p: comparison.point(p, "homa_ir") for p in comparison.protocols}
    assert list(comparison.ranking) == sorted(points, key=points.get)
    table = comparison.table()
    assert list(table.columns) == ["protocol", "outcome", "unit", "point", "lo", "hi", "rank"]
    assert len(table) == len(comparison.protocols) * len(OUTCOMES)
    homa = table[table["outcome"] == "HOMA-IR"].sort_values("rank")
    assert list(homa["protocol"]) == list(comparison.ranking)
    assert homa["point"].is_monotonic_increasing
    best = comparison.probability_best()
    assert best is not None and sum(best.values()) == pytest.approx(1.0)


def test_outcomes_are_plausible_and_serialisable(comparison: Comparison) -> None:
    hab = comparison.habitual
    assert 0.2 < hab["homa_ir"][0] < 10.0
    assert 1.0 < hab["matsuda"][0] < 30.0
    assert 70.0 < hab["cgm_mean_mgdl"][0] < 140.0
    assert 0.0 <= hab["cgm_tir_pct"][0] <= 100.0
    # HIIT lowers HOMA-IR against the habitual arm
    assert comparison.point(HIIT, "homa_ir") < 0.0
    d = json.loads(json.dumps(comparison.to_dict()))
    assert d["disclaimer"] == NOT_MEDICAL_ADVICE
    assert d["ranking"] == list(comparison.ranking)
    assert len(d["table"]) == len(comparison.table())
    with pytest.raises(InputError, match="protocol"):
        comparison.change("walk the dog", "homa_ir")


def test_report_has_the_statement_and_one_plot_per_protocol(
    comparison: Comparison, person: et.Person, tmp_path: Path
) -> None:
    post = Posterior(
        person=person,
        names=("Vmx",),
        mean=np.log([0.047]),
        cov=np.array([[0.04]]),
        prior_sd=np.array([0.5]),
        to_overrides=lambda x: {"Vmx": float(np.exp(x[0]))},
        report={"glucose RMSE [mg/dL]": 6.1, "data": ["OGTT"]},
    )
    path = write_compare_report(comparison, tmp_path / "r" / "compare.html", posterior=post)
    html = path.read_text(encoding="utf-8")
    assert NOT_MEDICAL_ADVICE in html
    assert len(re.findall(r'<img class="trajectory"[^>]*src="data:image/png;base64,', html)) == 2
    assert html.count('<img class="forest"') == 1
    assert "Mechanism attribution not computed" in html
    assert "90% posterior interval" in html and "glucose RMSE" in html
    for p in comparison.protocols:
        assert p in html


def test_single_person_with_attribution(person: et.Person, tmp_path: Path) -> None:
    protocols = ["25% deficit for 1 week", "HIIT 3x/week for 1 week"]
    c = compare_protocols([person], protocols, horizon_weeks=1)
    assert c.n_draws == 0 and c.uncertainty == NO_UNCERTAINTY
    assert NO_UNCERTAINTY in c.notes
    assert math.isnan(c.interval(protocols[0], "homa_ir")[0])
    assert c.probability_best() is None
    assert any("CGM metrics use the last 7 days" in n for n in c.notes)
    for p in protocols:
        a = c.attributions[p]
        assert a is not None
        # efficiency: the parts add up to the total, which is the reported MAP change
        assert a.unattributed + sum(a.contributions.values()) == pytest.approx(a.total, abs=1e-9)
        assert a.total == pytest.approx(c.point(p, "homa_ir"), abs=1e-6)
        assert a.baseline == pytest.approx(float(c.habitual["homa_ir"][0]))
        assert 1 <= len(a.contributions) <= 4
    html = write_compare_report(c, tmp_path / "one.html").read_text(encoding="utf-8")
    assert html.count('<img class="attribution"') == 2
    assert NO_UNCERTAINTY in html and NOT_MEDICAL_ADVICE in html


@pytest.mark.parametrize(
    ("people", "protocols", "horizon", "error", "match"),
    [
        ("p", [], None, InputError, "protocols"),
        ("p", ["fly to the moon"], None, ProtocolError, "fly"),
        ("p", [DEFICIT, DEFICIT], None, InputError, "each protocol once"),
        ("p", [DEFICIT], 0, InputError, "horizon_weeks"),
        ("p", [DEFICIT], -2.0, InputError, "horizon_weeks"),
        ("p", [DEFICIT], float("nan"), InputError, "horizon_weeks"),
        ([], [DEFICIT], None, InputError, "people"),
    ],
)
def test_bad_inputs_are_refused_before_simulating(
    person: et.Person, people, protocols, horizon, error, match
) -> None:
    who = [person] if people == "p" else people
    with pytest.raises(error, match=match):
        compare_protocols(who, protocols, horizon, attribution=False)
