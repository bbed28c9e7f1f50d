"""``simulate``: people + schedule -> Solution, on a chosen backend."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import xarray as xr

from .backends import get_backend
from .backends.base import STATUS_TEXT, SolverOptions
from .errors import InputError, SolverError
from .model import Model
from .models import meal_model
from .person import Person, demo_person
from .schedule import Meal, Schedule, stack_segments
from .solution import DISCLAIMER, Solution

if TYPE_CHECKING:
    from .protocols.steps import Protocol

MINUTES_PER_DAY = 1440.0


def standard_day(days: int = 1) -> Schedule:
    """A demo day of three meals (not a published protocol): 45 g at 08:00, 70 g at 12:00,
    70 g at 19:00, each eaten over 15 min; time 0 is midnight."""
    meals = []
    for d in range(days):
        base = d * MINUTES_PER_DAY
        meals += [
            Meal(base + 8 * 60, 45.0, label="breakfast"),
            Meal(base + 12 * 60, 70.0, label="lunch"),
            Meal(base + 19 * 60, 70.0, label="dinner"),
        ]
    return Schedule(meals=meals)


def simulate(
    person: Person | Sequence[Person] | None = None,
    schedule: Schedule | Sequence[Schedule] | Protocol | None = None,
    *,
    days: float | None = None,
    duration_min: float | None = None,
    backend: str = "numba",
    output_interval_min: float = 1.0,
    rtol: float = 1e-6,
    atol: float = 1e-6,
    model: Model | None = None,
    max_steps: int = 1_000_000,
) -> Solution:
    """Simulate one person or a batch of people on a meal/exercise schedule.

    Parameters
    ----------
    person: a :class:`Person`, a list of them (a batch), or None for the demo person.
    schedule: one :class:`Schedule` for everyone, one per person, or None for
        :func:`standard_day`.
    days / duration_min: simulated time (default 1 day).
    backend: ``"numba"`` (CPU batch) or ``"jax"`` (diffrax; gradients, GPU).
    output_interval_min: spacing of the saved time grid [min].
    rtol, atol: solver tolerances.

    A :class:`~endotwin.protocols.Protocol` as ``schedule`` runs the coupled minutes-to-months
    model instead (:func:`endotwin.physiology.simulate_physiology`; hourly output by default).
    """
    from .protocols.steps import Protocol as _Protocol

    if isinstance(schedule, _Protocol):
        from .physiology import simulate_physiology

        return simulate_physiology(
            person,
            schedule,
            days=days if duration_min is None else duration_min / MINUTES_PER_DAY,
            backend=backend,
            # the 1-min default of the meal model is hourly for the months-long model
            output_interval_min=60.0 if output_interval_min == 1.0 else output_interval_min,
            rtol=rtol,
            atol=atol,
        )
    people = as_people(person)
    if duration_min is None:
        duration_min = (1.0 if days is None else float(days)) * MINUTES_PER_DAY
    model = model or meal_model()
    values = [p.parameter_values(model.parameter_names) for p in people]
    stacked = {k: np.array([v[k] for v in values]) for k in values[0]}
    labels = _unique_labels([p.label for p in people])
    model = model or meal_model()
    sets = sorted({p.resolved_parameters().name for p in people})
    sol = run(
        model,
        stacked,
        schedule,
        duration_min=duration_min,
        backend=backend,
        output_interval_min=output_interval_min,
        rtol=rtol,
        atol=atol,
        labels=labels,
        max_steps=max_steps,
    )
    sol.dataset.attrs["parameter_sets"] = ", ".join(sets)
    for p in people:
        sol.citations |= set(p.resolved_parameters().citations)
    return sol


#: outputs that are masses or concentrations: a value <= 0 means the parameters took the model
#: outside its range (e.g. Dalla Man's brain uptake Fcns is constant, so with insulin-suppressed
#: EGP plasma glucose can be driven through zero), which must not pass silently
_MUST_BE_POSITIVE = ("Plasma glucose [mg/dL]", "Plasma insulin [pmol/L]")


def _check_physiological(ds: xr.Dataset, labels: Sequence[str]) -> None:
    for name in _MUST_BE_POSITIVE:
        if name not in ds:
            continue
        v = ds[name].values
        if np.any(v <= 0):
            i, j = (int(k) for k in np.argwhere(v <= 0)[0])
            raise SolverError(
                f"{i} ({labels[i]})",
                float(ds["time"].values[j]),
                f"{name} fell to {v[i, j]:.3g}: the parameters take the model outside its "
                "physiological range (a constant insulin-independent uptake Fcns with "
                "insulin-suppressed glucose production drives glucose through zero)",
            )


def as_people(person: Person | Sequence[Person] | None) -> list[Person]:
    """One person, a batch, or None (the demo person) as a non-empty list."""
    people = (
        [demo_person()]
        if person is None
        else [person]
        if isinstance(person, Person)
        else list(person)
    )
    if not people:
        raise InputError("person", person, "at least one Person")
    return people


def _unique_labels(labels: list[str]) -> list[str]:
    if len(set(labels)) == len(labels):
        return labels
    return [f"{lab}#{i}" for i, lab in enumerate(labels)]


def run(
    model: Model,
    parameter_values: Mapping[str, np.ndarray | float],
    schedule: Schedule | Sequence[Schedule] | None,
    *,
    duration_min: float,
    backend: str = "numba",
    output_interval_min: float = 1.0,
    rtol: float = 1e-6,
    atol: float = 1e-6,
    labels: Sequence[str] | None = None,
    save_states: Sequence[str] | None = None,
    max_steps: int = 1_000_000,
    outputs: Sequence[str] | None = None,
) -> Solution:
    """Low-level batch run on parameter arrays (cohorts, benchmarks, calibration).

    ``outputs``: the model outputs to compute (default: all). Evaluating outputs can cost far
    more than solving (the coupled model's energy expenditure inlines most of the model), so a
    caller that reads a few outputs should name them. Plasma glucose and insulin are always
    computed, for the physiological-range check.
    """
    if outputs is not None:
        unknown = sorted(set(outputs) - set(model.outputs))
        if unknown:
            raise InputError("outputs", unknown, f"names of {model.name}'s outputs")
        outputs = set(outputs) | (set(_MUST_BE_POSITIVE) & set(model.outputs))
    if not (np.isfinite(duration_min) and 1.0 <= duration_min <= 3650 * MINUTES_PER_DAY):
        raise InputError("duration_min", duration_min, "[1, 5256000] min (1 minute to 10 years)")
    if not (np.isfinite(output_interval_min) and 0.1 <= output_interval_min <= duration_min):
        raise InputError("output_interval_min", output_interval_min, f"[0.1, {duration_min:g}] min")
    for name, v, lo, hi in (("rtol", rtol, 1e-12, 1e-2), ("atol", atol, 1e-14, 1.0)):
        if not (lo <= v <= hi):
            raise InputError(name, v, f"[{lo:g}, {hi:g}]")
    p = model.derive_parameters(parameter_values)
    n = next(iter(p.values())).shape[0]
    P = model.parameter_matrix(p)
    X0 = model.initial_state(p)
    schedules = _schedules(schedule, n)
    # compile each distinct schedule once (a cohort usually shares one)
    cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for s in schedules:
        if id(s) not in cache:
            cache[id(s)] = s.segments(model.input_names, duration_min)
    if len(cache) == 1:
        t1, u1 = next(iter(cache.values()))
        seg_t = np.broadcast_to(t1, (n, t1.shape[0]))
        seg_u = np.broadcast_to(u1, (n, *u1.shape))
    else:
        seg_t, seg_u = stack_segments([cache[id(s)] for s in schedules])
    steps = round(duration_min / output_interval_min)
    t_out = np.linspace(0.0, steps * output_interval_min, steps + 1)
    t_out = t_out[t_out <= duration_min + 1e-9]
    names = save_states or model.state_names
    save_idx = np.array([model.state_names.index(s) for s in names], dtype=np.int64)
    solve = get_backend(backend, model)
    opts = SolverOptions(rtol=rtol, atol=atol, max_steps=int(max_steps))
    res = solve(X0, P, seg_t, seg_u, t_out, save_idx, opts)
    labels = list(labels) if labels is not None else [f"person {i}" for i in range(n)]
    bad = np.flatnonzero(res.status != 0)
    if bad.size:
        i = int(bad[0])
        raise SolverError(
            f"{i} ({labels[i]})",
            float(res.fail_time[i]),
            STATUS_TEXT.get(int(res.status[i]), "failure"),
        )
    if not np.all(np.isfinite(res.y)):
        i = int(np.argwhere(~np.isfinite(res.y))[0][0])
        j = int(np.argwhere(~np.isfinite(res.y[i]))[0][0])
        raise SolverError(f"{i} ({labels[i]})", float(t_out[j]), "non-finite value in the output")
    ds = _dataset(model, p, res.y, names, t_out, seg_t, seg_u, labels, outputs)
    _check_physiological(ds, labels)
    ds.attrs.update(
        model=model.name,
        backend=backend,
        rtol=rtol,
        atol=atol,
        disclaimer=DISCLAIMER,
        solver="Dormand-Prince 5(4)" if backend == "numba" else "Tsitouras 5(4) (diffrax)",
    )
    cites = set(model.citations) | (
        {"DormandPrince1980", "Shampine1986"}
        if backend == "numba"
        else {"Tsitouras2011", "Kidger2021"}
    )
    sol = Solution(ds, cites)
    sol.steps = res.steps  # type: ignore[attr-defined]
    return sol


def _schedules(schedule: Schedule | Sequence[Schedule] | None, n: int) -> list[Schedule]:
    if schedule is None:
        return [standard_day()] * n
    if isinstance(schedule, Schedule):
        return [schedule] * n
    s = list(schedule)
    if len(s) != n:
        raise InputError(
            "schedule", f"{len(s)} schedules", f"one schedule or exactly {n} (one per person)"
        )
    return s


def _dataset(model, p, y, names, t_out, seg_t, seg_u, labels, outputs=None) -> xr.Dataset:
    n, nt, _ = y.shape
    states = {s: y[:, :, k] for k, s in enumerate(names)}
    data = {}
    units = {q.name: q.unit for q in model.states}
    for s, arr in states.items():
        data[f"{s} [{units[s]}]"] = (("person", "time"), arr, {"units": units[s], "kind": "state"})
    if len(names) == len(model.state_names):
        idx = np.clip(np.searchsorted(seg_t[0], t_out, side="right") - 1, 0, seg_u.shape[1] - 1)
        # inputs at output times, per person (right-continuous)
        U = (
            np.stack(
                [
                    seg_u[i][
                        np.clip(
                            np.searchsorted(seg_t[i], t_out, side="right") - 1,
                            0,
                            seg_u.shape[1] - 1,
                        )
                    ]
                    for i in range(n)
                ]
            )
            if n > 1
            else seg_u[0][idx][None]
        )
        args = [states[s] for s in model.state_names]
        args += [p[k][:, None] for k in model.parameter_names]
        args += [U[:, :, j] for j in range(U.shape[2])]
        for name, fn in model.output_functions().items():
            if outputs is not None and name not in outputs:
                continue
            val = np.broadcast_to(np.asarray(fn(t_out[None, :], *args), dtype=float), (n, nt))
            data[name] = (
                ("person", "time"),
                val,
                {
                    "units": model.outputs[name].unit,
                    "kind": "output",
                    "description": model.outputs[name].description,
                },
            )
    ds = xr.Dataset(
        data, coords={"person": list(labels), "time": ("time", t_out, {"units": "min"})}
    )
    return ds
