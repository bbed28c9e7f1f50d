"""The JAX (diffrax Tsit5) backend against the Numba (DP45) backend, and JAX gradients.

Both backends are generated from the same symbolic model but integrate with different
Runge-Kutta pairs and step sequences, so at rtol = atol = 1e-8 they agree far below any
physiological resolution; the bounds below (0.01 mg/dL, 0.05 pmol/L) leave a wide margin.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("jax")
pytest.importorskip("diffrax")

import jax
import jax.numpy as jnp

import endotwin
from endotwin.backends import get_backend
from endotwin.backends.base import SolverOptions
from endotwin.backends.jax_backend import make_differentiable_solve
from endotwin.models import meal_model
from endotwin.schedule import Meal, Schedule

TOL = 1e-8
GLUCOSE = "Plasma glucose [mg/dL]"
INSULIN = "Plasma insulin [pmol/L]"


def _both(people, schedule):
    kw = dict(rtol=TOL, atol=TOL)
    a = endotwin.simulate(people, schedule, backend="numba", **kw)
    b = endotwin.simulate(people, schedule, backend="jax", **kw)
    return a.dataset, b.dataset


def _max_diff(a, b, name: str) -> float:
    x, y = a[name].values, b[name].values
    assert x.shape == y.shape
    assert np.all(np.isfinite(x)) and np.all(np.isfinite(y))
    return float(np.max(np.abs(x - y)))


@pytest.fixture(scope="module")
def one_day():
    """Normal and T2D person-day on both backends (one JAX compilation: same shapes)."""
    out = {}
    for pset in ("dallaman2007_normal", "dallaman2007_t2d"):
        person = endotwin.Person(weight_kg=78, parameter_set=pset)
        out[pset] = _both(person, endotwin.standard_day())
    return out


@pytest.mark.parametrize("pset", ["dallaman2007_normal", "dallaman2007_t2d"])
def test_person_day_agrees(one_day, pset):
    a, b = one_day[pset]
    assert b.attrs["backend"] == "jax"
    assert _max_diff(a, b, GLUCOSE) < 0.01
    assert _max_diff(a, b, INSULIN) < 0.05
    # the comparison is not vacuous: the day has meal excursions
    g = a[GLUCOSE].values[0]
    assert g.max() - g.min() > 20.0


def test_batch_with_per_person_parameters_and_schedules():
    """vmap over people whose parameters, meal times and segment counts all differ."""
    people = [
        endotwin.Person(weight_kg=60, label="a"),
        endotwin.Person(weight_kg=95, parameter_set="dallaman2007_t2d", label="b"),
        endotwin.Person(weight_kg=78, parameters={"Vmx": 0.03, "kabs": 0.1}, label="c"),
    ]
    schedules = [
        Schedule(meals=[Meal(6 * 60, 40.0), Meal(13 * 60, 90.0, duration_min=30.0)]),
        endotwin.standard_day(),
        Schedule(
            meals=[
                Meal(7 * 60 + 17, 30.0),
                Meal(10 * 60, 20.0, duration_min=5.0),
                Meal(15 * 60 + 30, 60.0),
                Meal(21 * 60, 80.0, duration_min=20.0),
            ]
        ),
    ]
    a, b = _both(people, schedules)
    assert _max_diff(a, b, GLUCOSE) < 0.01
    assert _max_diff(a, b, INSULIN) < 0.05
    # each person's glucose rises after *their own* first meal, not another person's
    g = b[GLUCOSE].values
    t = b["time"].values
    for i, first_meal in enumerate([360.0, 480.0, 437.0]):
        before = g[i, (t > first_meal - 60) & (t <= first_meal)]
        after = g[i, (t > first_meal + 20) & (t <= first_meal + 60)]
        assert np.ptp(before) < 0.5, i  # still fasting
        assert after.max() > before.max() + 5.0, i


def test_status_codes_max_steps_and_non_finite():
    """Failures are reported per person, like the Numba backend, and do not affect others."""
    model = meal_model()
    values = endotwin.Person().parameter_values()
    p = model.derive_parameters({k: np.full(3, v) for k, v in values.items()})
    P = model.parameter_matrix(p)
    X0 = model.initial_state(p)
    P[2, model.parameter_names.index("VG")] = np.nan  # person 2: non-finite right-hand side
    seg = [Schedule(meals=[Meal(60.0, 50.0)]).segments(model.input_names, 240.0)] * 3
    seg_t, seg_u = (np.stack(z) for z in zip(*seg, strict=True))
    seg_t[1, 1:] = 10.0  # person 1: a 10-minute fast, well within the step limit
    seg_t[1, -1] = 10.0
    t_out = np.linspace(0.0, 240.0, 25)
    res = get_backend("jax", model)(
        X0,
        P,
        seg_t,
        seg_u,
        t_out,
        np.arange(len(model.state_names)),
        SolverOptions(rtol=TOL, atol=TOL, max_steps=40),
    )
    assert res.status.tolist() == [1, 0, 3]
    assert 0.0 < res.fail_time[0] < 240.0
    assert res.fail_time[1] == pytest.approx(10.0)
    assert res.steps[0] == 40
    assert np.all(np.isnan(res.y[1, t_out > 10.0]))  # beyond the person's span: not integrated
    assert np.allclose(res.y[1, 0], X0[1])


@pytest.fixture(scope="module")
def vmx_case():
    model = meal_model()
    schedule = Schedule(meals=[Meal(0.0, 75.0)])  # glucose at 180 min still depends on Vmx
    person = endotwin.Person(weight_kg=78)
    return model, schedule, person


def _numba_glucose_180(schedule, person, vmx: float) -> float:
    p = endotwin.Person(weight_kg=person.weight_kg, parameters={"Vmx": vmx})
    sol = endotwin.simulate(p, schedule, duration_min=240.0, rtol=1e-11, atol=1e-11)
    ds = sol.dataset
    return float(ds[GLUCOSE].sel(time=180.0, method="nearest").values[0])


@pytest.mark.slow
def test_gradient_matches_numba_finite_difference(vmx_case):
    model, schedule, person = vmx_case
    p = model.derive_parameters(person.parameter_values())
    P0 = jnp.asarray(model.parameter_matrix(p)[0])
    X0 = model.initial_state(p)[0]
    seg_t, seg_u = schedule.segments(model.input_names, 240.0)
    i_gp = model.state_names.index("Gp")
    i_vmx = model.parameter_names.index("Vmx")
    VG = float(P0[model.parameter_names.index("VG")])
    solve = make_differentiable_solve(
        model, np.array([180.0]), [i_gp], SolverOptions(rtol=1e-10, atol=1e-10)
    )

    def glucose_180(vmx):
        return solve(X0, P0.at[i_vmx].set(vmx), seg_t, seg_u)[0, 0] / VG

    vmx = float(P0[i_vmx])
    grad = float(jax.grad(glucose_180)(vmx))
    h = 1e-3 * vmx
    fd = (
        _numba_glucose_180(schedule, person, vmx + h)
        - _numba_glucose_180(schedule, person, vmx - h)
    ) / (2 * h)
    assert grad < 0.0  # more insulin sensitivity -> lower glucose
    assert grad == pytest.approx(fd, rel=1e-3)
    # the value itself is the Numba backend's
    assert float(glucose_180(vmx)) == pytest.approx(
        _numba_glucose_180(schedule, person, vmx), abs=1e-4
    )


def test_jax_rhs_gradient_is_finite_before_the_first_meal() -> None:
    """The gastric-emptying branch not taken at meal size 0 must not poison gradients."""
    import jax
    import jax.numpy as jnp

    from endotwin.backends.codegen import generate_rhs
    from endotwin.models import meal_model

    m = meal_model()
    ns: dict = {"jnp": jnp, "jax": jax}
    exec(generate_rhs(m, "jax"), ns)
    p = m.derive_parameters(endotwin.Person(weight_kg=78).parameter_values())
    P = jnp.array(m.parameter_matrix(p)[0])
    x0 = jnp.array(m.initial_state(p)[0]).at[m.state_names.index("Qsto2")].set(1000.0)
    u0 = jnp.zeros(len(m.input_names))  # meal_size = 0
    g = jax.grad(lambda q: ns["rhs"](0.0, x0, q, u0).sum())(P)
    assert bool(jnp.all(jnp.isfinite(g)))
