"""The twin file: Posterior.save / load_posterior round trip, validation, truncated draws."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import endotwin as et
from endotwin.calibrate.ogtt_fit import FIT_PARAMETERS, PRIOR_SD, override_map
from endotwin.calibrate.posterior import (
    TWIN_FORMAT,
    TWIN_FORMAT_VERSION,
    Posterior,
    load_posterior,
    posterior_from_dict,
)
from endotwin.errors import CalibrationError, InputError

#: a plausible MAP: Gb [mg/dL], Ib [pmol/L], Vmx, kp3, beta, K, kabs (Dalla Man 2007 normal)
MAP = {"Gb": 92.0, "Ib": 27.0, "Vmx": 0.04, "kp3": 0.008, "beta": 0.12, "K": 2.0, "kabs": 0.06}
PRIOR_SET = "dallaman2007_normal"


def _posterior(scale: float = 0.3) -> Posterior:
    """A posterior as the OGTT fit makes one, without fitting (no JAX compilation)."""
    person = et.Person(weight_kg=80, sex="male", age=45, height_cm=178, label="Bob")
    to_overrides = override_map(person, PRIOR_SET)
    mean = np.log([MAP[n] for n in FIT_PARAMETERS])
    sd0 = np.array([PRIOR_SD[n] for n in FIT_PARAMETERS])
    sd = scale * sd0
    corr = np.eye(len(sd))
    corr[2, 3] = corr[3, 2] = -0.6  # Vmx and kp3 trade off
    cov = corr * np.outer(sd, sd)
    fitted = replace(person, parameter_set=PRIOR_SET, parameters=to_overrides(mean))
    return Posterior(
        person=fitted,
        names=FIT_PARAMETERS,
        mean=mean,
        cov=cov,
        prior_sd=sd0,
        to_overrides=to_overrides,
        report={"calibration": "ogtt", "prior set": PRIOR_SET, "RMSE insulin [pmol/L]": None},
    )


@pytest.fixture(scope="module")
def post() -> Posterior:
    return _posterior()


def _saved(post: Posterior, tmp_path: Path) -> dict[str, Any]:
    path = post.save(tmp_path / "twin.json")
    return json.loads(path.read_text())


def test_round_trip_reproduces_the_draws(post: Posterior, tmp_path: Path) -> None:
    path = post.save(tmp_path / "sub" / "twin.json")
    data = json.loads(path.read_text())
    assert data["format"] == TWIN_FORMAT and data["format_version"] == TWIN_FORMAT_VERSION
    assert data["endotwin_version"] == et.__version__
    back = load_posterior(path)
    assert back.names == post.names and back.person == post.person
    np.testing.assert_array_equal(back.mean, post.mean)
    np.testing.assert_array_equal(back.cov, post.cov)
    np.testing.assert_array_equal(back.prior_sd, post.prior_sd)
    assert back.report == dict(post.report)
    assert back.interval(0.9) == post.interval(0.9)
    a, b = post.sample_people(6, seed=11), back.sample_people(6, seed=11)
    assert a == b and len({p.parameters["Vmx"] for p in a}) == 6
    assert Posterior.load(path).sample_people(2, seed=3) == post.sample_people(2, seed=3)
    # saving the loaded twin writes the same file
    assert back.save(tmp_path / "again.json").read_text() == path.read_text()


def test_prior_mean_is_kept_and_a_file_without_format_keys_still_loads(
    post: Posterior, tmp_path: Path
) -> None:
    with_prior = replace(post, prior_mean=post.mean + 0.1)
    back = load_posterior(with_prior.save(tmp_path / "p.json"))
    np.testing.assert_array_equal(back.prior_mean, with_prior.prior_mean)
    data = _saved(post, tmp_path)
    for k in ("format", "format_version", "endotwin_version"):
        del data[k]
    assert posterior_from_dict(data).sample_people(2, seed=1) == post.sample_people(2, seed=1)


def _break(data: dict[str, Any], how: str) -> None:
    n = len(data["names"])
    if how == "missing key":
        del data["cov_log"]
    elif how == "mean shape":
        data["mean_log"] = data["mean_log"][:-1]
    elif how == "mean not numbers":
        data["mean_log"] = ["a"] * n
    elif how == "non-finite mean":
        data["mean_log"][0] = math.nan
    elif how == "cov shape":
        data["cov_log"] = data["cov_log"][:-1]
    elif how == "non-finite cov":
        data["cov_log"][1][1] = math.inf
    elif how == "asymmetric cov":
        data["cov_log"][0][1] = data["cov_log"][1][0] + 0.01
    elif how == "indefinite cov":
        data["cov_log"][2][3] = data["cov_log"][3][2] = 10.0
    elif how == "prior sd":
        data["prior_sd_log"][0] = 0.0
    elif how == "names":
        data["names"] = ["Gb"] * n
    elif how == "unknown kind":
        data["report"]["calibration"] = "ivgtt"
    elif how == "no kind":
        del data["report"]["calibration"]
    elif how == "wrong names for the kind":
        data["names"] = list(reversed(data["names"]))
    elif how == "prior set":
        data["report"]["prior set"] = "no_such_set"
    elif how == "format":
        data["format"] = "something else"
    elif how == "newer version":
        data["format_version"] = TWIN_FORMAT_VERSION + 1
    elif how == "person edited":
        data["person"]["parameters"]["Vmx"] *= 1.5
    elif how == "person covariate":
        data["person"]["age"] = 7
    elif how == "person key":
        data["person"]["shoe_size"] = 44
    elif how == "person parameters":
        data["person"]["parameters"] = {"Vmx": "high"}
    elif how == "not an object":
        data.clear()
        data["x"] = None
    else:  # pragma: no cover
        raise AssertionError(how)


@pytest.mark.parametrize(
    ("how", "field"),
    [
        ("missing key", "keys"),
        ("mean shape", "mean_log"),
        ("mean not numbers", "mean_log"),
        ("non-finite mean", "mean_log"),
        ("cov shape", "cov_log"),
        ("non-finite cov", "cov_log"),
        ("asymmetric cov", "cov_log"),
        ("indefinite cov", "cov_log"),
        ("prior sd", "prior_sd_log"),
        ("names", "names"),
        ("unknown kind", "calibration"),
        ("no kind", "calibration"),
        ("wrong names for the kind", "names"),
        ("prior set", "prior set"),
        ("format", "format"),
        ("newer version", "format_version"),
        ("person edited", "person.parameters"),
        ("person covariate", "person.age"),
        ("person key", "person"),
        ("person parameters", "person.parameters"),
        ("not an object", "keys"),
    ],
)
def test_invalid_twin_files_are_refused_clearly(
    post: Posterior, tmp_path: Path, how: str, field: str
) -> None:
    data = _saved(post, tmp_path)
    _break(data, how)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(InputError) as e:
        load_posterior(path)
    assert field in e.value.field, (how, str(e.value))
    assert str(path) in e.value.field


def test_unreadable_or_missing_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="an existing JSON file"):
        load_posterior(tmp_path / "nope.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(InputError, match="valid JSON"):
        load_posterior(bad)
    bad.write_text("[1, 2]")
    with pytest.raises(InputError, match="JSON object"):
        load_posterior(bad)


def test_draws_are_truncated_to_the_bounds_deterministically() -> None:
    narrow = _posterior(0.3)
    d = narrow.draw(5, seed=2)
    assert d.rejected == 0
    np.testing.assert_array_equal(d.log, narrow.sample_log(5, seed=2))
    wide = _posterior(1.5)  # 1.5 prior SDs: some draws leave the parameters' bounds
    d = wide.draw(10, seed=4)
    assert d.rejected > 0 and len(d.people) == 10 and d.log.shape == (10, 7)
    assert [p.label for p in d.people] == [f"Bob draw {i}" for i in range(10)]
    for p, x in zip(d.people, d.log, strict=True):
        assert p.parameters == {**wide.person.parameters, **wide.to_overrides(x)}
    assert wide.sample_people(10, seed=4) == d.people
    assert narrow.draw(0).people == []
    with pytest.raises(InputError):
        narrow.draw(-1)


def test_a_posterior_outside_the_bounds_is_refused() -> None:
    p = _posterior(0.01)
    far = replace(p, mean=p.mean + np.log([1, 1, 100, 1, 1, 1, 1]))  # Vmx x100: out of bounds
    with pytest.raises(CalibrationError, match="parameter bounds"):
        far.draw(3, seed=0)


def test_a_cgm_twin_with_meal_carbohydrates_round_trips(tmp_path: Path) -> None:
    ogtt_like = _posterior()
    k = len(FIT_PARAMETERS)
    names = (*FIT_PARAMETERS, "carbs 1", "carbs 2")
    mean = np.concatenate([ogtt_like.mean, np.log([50.0, 70.0])])
    cov = np.diag(np.concatenate([np.diag(ogtt_like.cov), [0.04, 0.09]]))
    cgm = replace(
        ogtt_like,
        names=names,
        mean=mean,
        cov=cov,
        prior_sd=np.concatenate([ogtt_like.prior_sd, [math.log(2.0)] * 2]),
        to_overrides=lambda th: ogtt_like.to_overrides(np.asarray(th)[:k]),
        report={"calibration": "cgm", "prior set": PRIOR_SET},
    )
    back = load_posterior(cgm.save(tmp_path / "cgm.json"))
    assert back.names == names
    assert back.sample_people(3, seed=2) == cgm.sample_people(3, seed=2)
    data = json.loads((tmp_path / "cgm.json").read_text())
    data["names"] = ["carbs 0", *data["names"][1:]]
    with pytest.raises(InputError, match="CGM calibration"):
        posterior_from_dict(data)
