#!/usr/bin/env python
"""Engine benchmark: endotwin (numba, jax) against scipy, libroadrunner and simglucose, in one run.

Usage (from the repository root, in the project's virtual environment)::

    python benchmarks/bench_engine.py            # full run (several minutes)
    python benchmarks/bench_engine.py --quick    # reduced smoke run (< 2 minutes)

What is measured (wall-clock, person-days per second and microseconds per person-day):

1. endotwin ``numba`` on the Dalla Man 2007 meal model: one simulated day of three meals
   (``standard_day``), rtol = atol = 1e-6, output every 5 min, only ``Gp`` saved; batches of 1,
   1,000 and 10,000 people (Vmx and BW drawn uniformly within +-30 %). Warm: compilation is
   measured separately in fresh subprocesses with an empty ``ENDOTWIN_CACHE_DIR`` (cold compile),
   then again (cached load). Both ``simulate.run`` (what a user calls) and the bare backend
   kernel are timed, plus the largest-but-one batch on a single thread.
2. endotwin ``jax`` (diffrax), batches 1 and 1,000 (10,000 when estimated under 60 s); first
   call (trace + XLA compile) reported separately. Skipped if the backend cannot be imported.
3. scipy ``solve_ivp`` (LSODA, rtol = atol = 1e-6) on the same equations: the model's sympy
   right-hand sides (derived quantities substituted) lambdified to Python ``math`` code,
   integrated segment by segment between input changes, for a few people.
4. libroadrunner (CVODE) on the same equations: SBML generated from the endotwin model by
   ``benchmarks/_sbml.py``; inputs set at each segment boundary; validated against endotwin's
   glucose (must agree within 0.05 mg/dL) before it is timed over ~20 people.
5. simglucose 0.2.11 ``T1DPatient`` stepped minute by minute through the reference day of
   ``tests/data/simglucose`` (as ``scripts/make_simglucose_reference.py`` does), against
   endotwin's ``t1d_model`` on the same day and subject (single, and a batch of copies).

Small timings are the best of 3 repetitions (the machine may be shared; the load average is
printed). Results go to ``benchmarks/results-latest.json`` (``--out`` to change).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SIMGLUCOSE_DATA = ROOT / "tests" / "data" / "simglucose"
DAY_MIN = 1440.0
RTOL = ATOL = 1e-6
OUT_DT = 5.0
VALIDATION_LIMIT = 0.05  # mg/dL, roadrunner vs endotwin
SEED = 20240607


@dataclass(frozen=True)
class Config:
    quick: bool
    numba_batches: tuple[int, ...]
    jax_batches: tuple[int, ...]
    jax_try_10k: bool
    scipy_people: int
    rr_people: int
    sg_patients: int
    t1d_batch: int
    reps: int = 3

    @staticmethod
    def make(quick: bool) -> Config:
        if quick:
            return Config(True, (1, 1000), (1,), False, 2, 5, 1, 100)
        return Config(False, (1, 1000, 10000), (1, 1000), True, 5, 20, 3, 1000)


# -- helpers --------------------------------------------------------------------------------------
def best_of(fn: Callable[[], Any], reps: int) -> tuple[float, list[float], Any]:
    """Best wall time of ``reps`` calls, all times, and the last result."""
    times, out = [], None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), times, out


def row(
    engine: str,
    model: str,
    batch: int,
    seconds: float,
    *,
    person_days: float | None = None,
    times: list[float] | None = None,
    note: str = "",
    **extra: Any,
) -> dict[str, Any]:
    pd_ = float(batch if person_days is None else person_days)
    return {
        "engine": engine,
        "model": model,
        "batch": batch,
        "person_days": pd_,
        "seconds": seconds,
        "all_seconds": times or [seconds],
        "person_days_per_s": pd_ / seconds,
        "us_per_person_day": seconds / pd_ * 1e6,
        "note": note,
        **extra,
    }


def say(msg: str = "") -> None:
    print(msg, flush=True)


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in (
        "endotwin",
        "numpy",
        "scipy",
        "sympy",
        "numba",
        "llvmlite",
        "jax",
        "jaxlib",
        "diffrax",
        "equinox",
        "libroadrunner",
        "simglucose",
        "pandas",
        "xarray",
    ):
        try:
            out[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def machine_info() -> dict[str, Any]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        mem_gib = float("nan")
    commit = "unknown"
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        commit += " (+ uncommitted changes)" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        pass
    return {
        "nproc": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_model": cpu,
        "memory_gib": round(mem_gib, 1),
        "platform": platform.platform(),
        "git_commit": commit,
        "versions": versions(),
    }


class People:
    """The benchmark cohort: the Dalla Man 2007 normal subject with Vmx and BW varied +-30 %."""

    def __init__(self, n_max: int) -> None:
        from endotwin import Person

        self.base = Person(weight_kg=78.0, parameter_set="dallaman2007_normal").parameter_values()
        rng = np.random.default_rng(SEED)
        self.f_vmx = rng.uniform(0.7, 1.3, n_max)
        self.f_bw = rng.uniform(0.7, 1.3, n_max)

    def take(self, n: int) -> dict[str, np.ndarray]:
        v = {k: np.full(n, float(x)) for k, x in self.base.items()}
        v["Vmx"] = self.base["Vmx"] * self.f_vmx[:n]
        v["BW"] = self.base["BW"] * self.f_bw[:n]
        return v


def _run_meal(model, values, schedule, backend: str = "numba", save_states=("Gp",)):
    from endotwin.simulate import run

    return run(
        model,
        values,
        schedule,
        duration_min=DAY_MIN,
        output_interval_min=OUT_DT,
        save_states=list(save_states) if save_states else None,
        rtol=RTOL,
        atol=ATOL,
        backend=backend,
    )


# -- 1. compile / cache-load probes (fresh subprocesses) ------------------------------------------
def child_compile() -> None:
    """Run in a fresh process: time import, code generation, first call and a warm call."""
    t0 = time.perf_counter()
    from endotwin.backends import get_backend
    from endotwin.models import meal_model
    from endotwin.simulate import standard_day

    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    model = meal_model()
    get_backend("numba", model)  # generate + import the module (machine code is made lazily)
    t_codegen = time.perf_counter() - t0
    people = People(1).take(1)
    t0 = time.perf_counter()
    _run_meal(model, people, standard_day())
    t_first = time.perf_counter() - t0
    t_warm, _, _ = best_of(lambda: _run_meal(model, people, standard_day()), 3)
    print(
        json.dumps(
            {
                "import_s": t_import,
                "model_and_codegen_s": t_codegen,
                "first_call_s": t_first,
                "warm_call_s": t_warm,
                "compile_or_load_s": t_first - t_warm,
            }
        )
    )


def probe_compile(cache: Path) -> dict[str, Any]:
    out = {}
    env = {**os.environ, "ENDOTWIN_CACHE_DIR": str(cache)}
    for label in ("cold", "cached"):
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child-compile"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            out[label] = {"error": proc.stderr.strip()[-2000:]}
            continue
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        res["process_wall_s"] = wall
        out[label] = res
        say(
            f"  {label:6s}: import {res['import_s']:.2f} s, model+codegen "
            f"{res['model_and_codegen_s']:.2f} s, first call {res['first_call_s']:.2f} s "
            f"(warm call {res['warm_call_s'] * 1e3:.1f} ms -> compile/load "
            f"{res['compile_or_load_s']:.2f} s), whole process {wall:.2f} s"
        )
    return out


# -- 1b. numba warm -------------------------------------------------------------------------------
def bench_numba(cfg: Config, people: People) -> tuple[list[dict], dict]:
    import numba

    from endotwin.backends import get_backend
    from endotwin.backends.base import SolverOptions
    from endotwin.models import meal_model
    from endotwin.schedule import stack_segments
    from endotwin.simulate import standard_day

    model = meal_model()
    day = standard_day()
    rows, info = [], {"threads": numba.get_num_threads()}
    t0 = time.perf_counter()
    _run_meal(model, people.take(1), day)
    info["first_call_in_process_s"] = time.perf_counter() - t0
    solve = get_backend("numba", model)
    t_out = np.arange(0.0, DAY_MIN + 1e-9, OUT_DT)
    save_idx = np.array([model.state_names.index("Gp")], dtype=np.int64)
    opts = SolverOptions(rtol=RTOL, atol=ATOL)
    seg = day.segments(model.input_names, DAY_MIN)

    def kernel_args(n: int):
        p = model.derive_parameters(people.take(n))
        seg_t, seg_u = stack_segments([seg] * n)
        return (
            model.initial_state(p),
            model.parameter_matrix(p),
            seg_t,
            seg_u,
            t_out,
            save_idx,
            opts,
        )

    for n in cfg.numba_batches:
        vals = people.take(n)
        best, times, sol = best_of(lambda vals=vals: _run_meal(model, vals, day), cfg.reps)
        args = kernel_args(n)
        kbest, _, res = best_of(lambda args=args: solve(*args), cfg.reps)
        steps = float(np.mean(res.steps))
        rows.append(
            row(
                "endotwin numba",
                "meal (DM2007)",
                n,
                best,
                times=times,
                kernel_s=kbest,
                kernel_us_per_person_day=kbest / n * 1e6,
                mean_steps=steps,
                note=f"{info['threads']} threads",
            )
        )
        say(
            f"  batch {n:6d}: run() best {best:8.4f} s {n / best:10.1f} person-days/s "
            f"{best / n * 1e6:9.1f} us/person-day | kernel {kbest:8.4f} s "
            f"({kbest / best:5.1%} of run) | {steps:.0f} steps/person "
            f"({kbest / n / steps * 1e9:.0f} ns per step per person, wall)"
        )
        del sol
    # cohort tolerance: the same batch at rtol = atol = 1e-4, with its accuracy measured in this
    # run against an rtol = atol = 1e-10 reference on a subset (max |glucose error|, mg/dL)
    from endotwin.simulate import run as _run

    n_big = max(cfg.numba_batches)
    sub = people.take(50)
    vg = float(np.asarray(sub["VG"]).ravel()[0])

    def glucose(vals, tol):
        s = _run(
            model,
            vals,
            day,
            duration_min=DAY_MIN,
            output_interval_min=OUT_DT,
            save_states=["Gp"],
            rtol=tol,
            atol=tol,
        )
        return s["Gp [mg/kg]"].values / vg

    g_ref = glucose(sub, 1e-10)
    info["max_glucose_error_mgdl"] = {
        f"{tol:g}": float(np.abs(glucose(sub, tol) - g_ref).max()) for tol in (RTOL, 1e-4)
    }
    vals = people.take(n_big)

    def loose(vals=vals):
        return _run(
            model,
            vals,
            day,
            duration_min=DAY_MIN,
            output_interval_min=OUT_DT,
            save_states=["Gp"],
            rtol=1e-4,
            atol=1e-4,
        )

    loose()
    best, times, _ = best_of(loose, cfg.reps)
    err4 = info["max_glucose_error_mgdl"]["0.0001"]
    rows.append(
        row(
            "endotwin numba",
            "meal (DM2007)",
            n_big,
            best,
            times=times,
            note=f"{info['threads']} threads, rtol=atol=1e-4 (max glucose error {err4:.1e} mg/dL)",
        )
    )
    say(
        f"  batch {n_big:6d} at rtol=atol=1e-4: {n_big / best:10.1f} person-days/s "
        f"{best / n_big * 1e6:9.1f} us/person-day; max glucose error vs rtol 1e-10: "
        f"{err4:.1e} mg/dL (at rtol {RTOL:g}: {info['max_glucose_error_mgdl'][f'{RTOL:g}']:.1e})"
    )
    # one thread: a per-core comparison with the single-threaded peers, and no thread wake-up
    # latency (which dominates a batch of 1 on a loaded machine)
    numba.set_num_threads(1)
    try:
        for n1 in sorted({1, min(1000, max(cfg.numba_batches))}):
            vals = people.take(n1)
            best, times, _ = best_of(lambda vals=vals: _run_meal(model, vals, day), cfg.reps)
            args = kernel_args(n1)
            kbest, _, _ = best_of(lambda args=args: solve(*args), cfg.reps)
            rows.append(
                row(
                    "endotwin numba",
                    "meal (DM2007)",
                    n1,
                    best,
                    times=times,
                    kernel_s=kbest,
                    kernel_us_per_person_day=kbest / n1 * 1e6,
                    note="1 thread",
                )
            )
            say(
                f"  batch {n1:6d} on 1 thread: run() best {best:8.4f} s "
                f"{best / n1 * 1e6:9.1f} us/person-day | kernel {kbest:8.4f} s "
                f"({kbest / n1 * 1e6:.1f} us/person-day)"
            )
    finally:
        numba.set_num_threads(info["threads"])
    return rows, info


# -- 2. jax ---------------------------------------------------------------------------------------
def bench_jax(cfg: Config, people: People) -> tuple[list[dict], dict]:
    from endotwin.models import meal_model
    from endotwin.simulate import standard_day

    info: dict[str, Any] = {}
    try:
        from endotwin.backends import jax_backend  # noqa: F401
    except Exception as exc:
        info["skipped"] = f"import failed: {type(exc).__name__}: {exc}"
        say(f"  skipped ({info['skipped']})")
        return [], info
    model = meal_model()
    day = standard_day()
    rows = []
    batches = list(cfg.jax_batches)
    done: dict[int, tuple[float, float]] = {}
    i = 0
    while i < len(batches):
        n = batches[i]
        vals = people.take(n)
        try:
            t0 = time.perf_counter()
            sol = _run_meal(model, vals, day, backend="jax")
            first = time.perf_counter() - t0
            reps = cfg.reps if n <= 1000 else 1
            best, times, sol = best_of(
                lambda vals=vals: _run_meal(model, vals, day, backend="jax"), reps
            )
        except Exception as exc:
            info[f"batch_{n}_error"] = f"{type(exc).__name__}: {exc}"
            say(f"  batch {n}: failed ({info[f'batch_{n}_error'][:300]})")
            i += 1
            continue
        ref = _run_meal(model, vals, day)
        diff = float(np.max(np.abs(sol["Gp [mg/kg]"].values - ref["Gp [mg/kg]"].values)))
        diff_g = diff / float(people.base["VG"])
        done[n] = (first, best)
        rows.append(
            row(
                "endotwin jax",
                "meal (DM2007)",
                n,
                best,
                times=times,
                first_call_s=first,
                max_abs_diff_vs_numba_mgdl=diff_g,
                note="CPU, diffrax Tsit5",
            )
        )
        say(
            f"  batch {n:6d}: first call (trace+compile+run) {first:7.2f} s | warm best "
            f"{best:8.4f} s {n / best:9.1f} person-days/s {best / n * 1e6:9.1f} us/person-day"
            f" | max |G_jax - G_numba| {diff_g:.1e} mg/dL"
        )
        if cfg.jax_try_10k and n == 1000 and 10000 not in batches:
            est = (first - best) + 2 * 10 * best  # compile + first run + one warm run
            info["estimated_10k_s"] = est
            if est < 60.0:
                batches.append(10000)
            else:
                say(f"  batch  10000: skipped (estimated {est:.0f} s >= 60 s)")
        i += 1
    return rows, info


# -- 3. scipy -------------------------------------------------------------------------------------
def scipy_rhs(model):
    """``f(t, *states, *params, *inputs) -> list`` lambdified (math module) from the sympy rhs."""
    import sympy as sp

    from endotwin.model import sym

    subs: dict = {}
    for d in model.derived:
        subs[sym(d.name)] = d.expr.xreplace(subs)
    exprs = [model.rhs[s].xreplace(subs) for s in model.state_names]
    args = [sym("t")] + [
        sym(n) for n in model.state_names + model.parameter_names + model.input_names
    ]
    return sp.lambdify(args, exprs, modules="math")


def solve_scipy(model, f, pvals, x0, seg_t, seg_u, t_out, method="LSODA"):
    from scipy.integrate import solve_ivp

    out = np.empty((len(t_out), len(x0)))
    out[0] = x0
    x = np.array(x0, dtype=float)
    nfev = 0
    for k in range(len(seg_t) - 1):
        t0, t1 = float(seg_t[k]), float(seg_t[k + 1])
        extra = (*pvals, *(float(v) for v in seg_u[k]))

        def rhs(t, y, extra=extra):
            return f(t, *y, *extra)

        sel = (t_out > t0) & (t_out <= t1)
        times = np.union1d(t_out[sel], [t1])
        sol = solve_ivp(rhs, (t0, t1), x, method=method, rtol=RTOL, atol=ATOL, t_eval=times)
        if not sol.success:
            raise RuntimeError(sol.message)
        nfev += sol.nfev
        out[sel] = sol.y.T[np.isin(times, t_out[sel])]
        x = sol.y[:, -1].copy()
    return out, nfev


def bench_scipy(cfg: Config, people: People) -> tuple[list[dict], dict]:
    from endotwin.models import meal_model
    from endotwin.simulate import standard_day

    model = meal_model()
    n = cfg.scipy_people
    t0 = time.perf_counter()
    f = scipy_rhs(model)
    info: dict[str, Any] = {"lambdify_s": time.perf_counter() - t0}
    p = model.derive_parameters(people.take(n))
    X0 = model.initial_state(p)
    seg_t, seg_u = standard_day().segments(model.input_names, DAY_MIN)
    t_out = np.arange(0.0, DAY_MIN + 1e-9, OUT_DT)
    pv = [[float(p[k][i]) for k in model.parameter_names] for i in range(n)]
    ig = model.state_names.index("Gp")

    def all_people():
        return [solve_scipy(model, f, pv[i], X0[i], seg_t, seg_u, t_out) for i in range(n)]

    best, times, res = best_of(all_people, cfg.reps)
    ref = _run_meal(model, people.take(n), standard_day())["Gp [mg/kg]"].values
    diff = max(
        float(np.max(np.abs(res[i][0][:, ig] - ref[i]))) / float(p["VG"][i]) for i in range(n)
    )
    nfev = float(np.mean([r[1] for r in res]))
    info.update(mean_nfev=nfev, max_abs_diff_vs_numba_mgdl=diff)
    say(
        f"  {n} people: best {best:.3f} s -> {best / n * 1e3:.1f} ms/person-day | "
        f"{nfev:.0f} rhs calls/person ({best / n / nfev * 1e6:.1f} us each) | "
        f"max |G_scipy - G_numba| {diff:.1e} mg/dL (lambdify {info['lambdify_s']:.2f} s)"
    )
    r = row(
        "scipy solve_ivp LSODA",
        "meal (DM2007)",
        n,
        best,
        times=times,
        mean_nfev=nfev,
        max_abs_diff_vs_numba_mgdl=diff,
        note="lambdified sympy rhs, 1 thread",
    )
    return [r], info


# -- 4. libroadrunner -----------------------------------------------------------------------------
def bench_roadrunner(cfg: Config, people: People) -> tuple[list[dict], dict]:
    info: dict[str, Any] = {}
    try:
        import roadrunner
    except Exception as exc:
        info["skipped"] = f"import failed: {exc}"
        say(f"  skipped ({info['skipped']})")
        return [], info
    sys.path.insert(0, str(HERE))
    from _sbml import model_to_sbml

    from endotwin.models import meal_model
    from endotwin.simulate import standard_day

    model = meal_model()
    n = cfg.rr_people
    vals = people.take(n)
    p = model.derive_parameters(vals)
    X0 = model.initial_state(p)
    t0 = time.perf_counter()
    sbml = model_to_sbml(model, {k: v[0] for k, v in p.items()})
    info["sbml_generation_s"] = time.perf_counter() - t0
    info["sbml_chars"] = len(sbml)
    t0 = time.perf_counter()
    rr = roadrunner.RoadRunner(sbml)
    info["load_and_jit_s"] = time.perf_counter() - t0
    rr.integrator.relative_tolerance = RTOL
    rr.integrator.absolute_tolerance = ATOL
    info["integrator"] = f"{rr.integrator.getName()} (stiff={rr.integrator.stiff})"
    rr.timeCourseSelections = ["time", "G"]
    seg_t, seg_u = standard_day().segments(model.input_names, DAY_MIN)
    pnames, snames, unames = model.parameter_names, model.state_names, model.input_names
    pv = [[float(p[k][i]) for k in pnames] for i in range(n)]
    xv = [[float(v) for v in X0[i]] for i in range(n)]
    segs = [
        (float(seg_t[k]), float(seg_t[k + 1]), [float(u) for u in seg_u[k]])
        for k in range(len(seg_t) - 1)
    ]
    for a, b, _ in segs:
        if abs((b - a) / OUT_DT - round((b - a) / OUT_DT)) > 1e-9:
            raise ValueError("segment boundaries must lie on the output grid")
    acc = {"set": 0.0, "simulate": 0.0}

    def one(i: int, timed: bool = False) -> np.ndarray:
        ta = time.perf_counter()
        rr.resetAll()
        rr.setValues(pnames, pv[i])
        rr.setValues(snames, xv[i])
        tb = time.perf_counter()
        parts = []
        for k, (a, b, u) in enumerate(segs):
            rr.setValues(unames, u)
            res = rr.simulate(a, b, round((b - a) / OUT_DT) + 1)
            parts.append(res[:, 1] if k == 0 else res[1:, 1])
        if timed:
            acc["set"] += tb - ta
            acc["simulate"] += time.perf_counter() - tb
        return np.concatenate(parts)

    # validation first
    g_rr = np.array([one(i) for i in range(n)])
    ref = _run_meal(model, vals, standard_day(), save_states=None)
    g_ref = ref["Plasma glucose [mg/dL]"].values
    diff = float(np.max(np.abs(g_rr - g_ref)))
    info["max_abs_diff_vs_numba_mgdl"] = diff
    info["validated"] = diff < VALIDATION_LIMIT
    say(
        f"  SBML {info['sbml_chars']} chars, generated in {info['sbml_generation_s'] * 1e3:.0f} ms,"
        f" loaded + JIT-compiled by roadrunner in {info['load_and_jit_s']:.2f} s "
        f"({info['integrator']})"
    )
    say(
        f"  validation over {n} people: max |G_roadrunner - G_endotwin| = {diff:.2e} mg/dL "
        f"({'OK' if info['validated'] else 'FAILED'}: limit {VALIDATION_LIMIT} mg/dL)"
    )
    best, times, _ = best_of(lambda: [one(i) for i in range(n)], cfg.reps)
    for i in range(n):
        one(i, timed=True)
    tot = acc["set"] + acc["simulate"]
    info["share_reset_and_set_parameters"] = acc["set"] / tot
    say(
        f"  {n} people: best {best:.3f} s -> {best / n * 1e3:.2f} ms/person-day "
        f"({len(segs)} simulate() calls each; reset+set parameters {acc['set'] / tot:.0%}, "
        f"simulate {acc['simulate'] / tot:.0%})"
    )
    r = row(
        "libroadrunner CVODE",
        "meal (DM2007)",
        n,
        best,
        times=times,
        max_abs_diff_vs_numba_mgdl=diff,
        note=("validated" if info["validated"] else "NOT validated") + ", 1 thread",
    )
    return [r], info


# -- 5. simglucose vs endotwin t1d ----------------------------------------------------------------
def _t1d_schedule(ref: dict[str, np.ndarray], bw: float):
    """The reference day's per-minute inputs (row t holds the input over [t-1, t))."""
    from endotwin.schedule import Schedule

    def changes(values: np.ndarray) -> list[tuple[float, float]]:
        keep = np.r_[True, values[1:] != values[:-1]]
        return [(float(k), float(values[k])) for k in np.flatnonzero(keep)]

    return Schedule(
        signals={
            "carb_rate": changes(1000.0 * ref["CHO_gpermin"][1:]),
            "insulin_infusion": changes(ref["insulin_Upermin"][1:] * 6000.0 / bw),
            "meal_size": changes(ref["Dbar_mg"][1:]),
        }
    )


def _simglucose_day(name: str, patient_meta: dict, meals: list[dict]) -> tuple[float, np.ndarray]:
    from simglucose.patient.t1dpatient import Action, T1DPatient

    patient = T1DPatient.withName(name)
    basal = float(patient._params.u2ss) * float(patient._params.BW) / 6000.0  # U/min
    vg = float(patient._params.Vg)
    cr = float(patient_meta["CR_g_per_U"])
    meal_at = {int(m["t_min"]): m for m in meals}
    actions = []
    for k in range(int(DAY_MIN)):
        m = meal_at.get(k)
        cho = float(m["carbs_g"]) if m else 0.0
        ins = basal + (cho / cr if m and m["bolus"] else 0.0)
        actions.append(Action(CHO=cho, insulin=ins))
    bg = np.empty(len(actions) + 1)
    bg[0] = patient.state[3] / vg
    t0 = time.perf_counter()
    for k, a in enumerate(actions):
        patient.step(a)
        bg[k + 1] = patient.state[3] / vg
    return time.perf_counter() - t0, bg


def bench_t1d(cfg: Config) -> tuple[list[dict], dict]:
    info: dict[str, Any] = {}
    try:
        from endotwin.models import t1d_model
        from endotwin.parameters.sets.uvapadova_t1d import parameters_from_simglucose_row
        from endotwin.simulate import run
    except Exception as exc:
        info["pending"] = f"endotwin t1d_model not available: {exc}"
        say(f"  pending ({info['pending']})")
        return [], info
    meta = json.loads((SIMGLUCOSE_DATA / "meta.json").read_text())
    meals = meta["schedule"]["meals"]
    model = t1d_model()
    rows = []
    sg_ok = True
    try:
        warnings.filterwarnings("ignore")
        logging.getLogger("simglucose").setLevel(logging.WARNING)
        import simglucose  # noqa: F401
    except Exception as exc:
        info["simglucose_skipped"] = f"import failed: {exc}"
        sg_ok = False
    sg_times, et_single, et_batch = [], [], []
    for k, pm in enumerate(meta["patients"][: cfg.sg_patients]):
        name = pm["name"]
        data = np.genfromtxt(SIMGLUCOSE_DATA / pm["file"], delimiter=",", names=True)
        ref = {c: np.asarray(data[c], dtype=float) for c in data.dtype.names}
        values = parameters_from_simglucose_row(pm["params"])
        sched = _t1d_schedule(ref, values["BW"])

        def single(values=values, sched=sched):
            return run(
                model,
                values,
                sched,
                duration_min=DAY_MIN,
                output_interval_min=1.0,
                save_states=["Gp"],
                rtol=RTOL,
                atol=ATOL,
            )

        t0 = time.perf_counter()
        single()
        first = time.perf_counter() - t0
        if k == 0:
            info["endotwin_t1d_first_call_s"] = first
            say(f"  endotwin t1d_model first call (cold numba compile): {first:.1f} s")
        best1, _, sol = best_of(single, cfg.reps)
        g = sol["Gp [mg/kg]"].values[0] / values["VG"]
        diff_ref = float(np.max(np.abs(g - ref["BG_mgdL"])))
        nb = cfg.t1d_batch
        bvals = {key: np.full(nb, v) for key, v in values.items()}
        bestb, _, _ = best_of(
            lambda bvals=bvals, sched=sched: run(
                model,
                bvals,
                sched,
                duration_min=DAY_MIN,
                output_interval_min=1.0,
                save_states=["Gp"],
                rtol=RTOL,
                atol=ATOL,
            ),
            cfg.reps,
        )
        et_single.append(best1)
        et_batch.append(bestb / nb)
        line = (
            f"  {name:15s} endotwin t1d: single {best1 * 1e3:7.2f} ms, batch {nb} "
            f"{bestb:.3f} s ({bestb / nb * 1e6:.0f} us/person-day); max |G - simglucose ref| "
            f"{diff_ref:.1e} mg/dL"
        )
        info.setdefault("max_abs_diff_endotwin_vs_reference_mgdl", 0.0)
        info["max_abs_diff_endotwin_vs_reference_mgdl"] = max(
            info["max_abs_diff_endotwin_vs_reference_mgdl"], diff_ref
        )
        if sg_ok:
            t_sg, bg = _simglucose_day(name, pm, meals)
            d_sg = float(np.max(np.abs(bg - ref["BG_mgdL"])))
            sg_times.append(t_sg)
            line += f" | simglucose {t_sg:.2f} s/day (|BG - stored ref| {d_sg:.1e})"
            info.setdefault("simglucose_vs_stored_reference_mgdl", 0.0)
            info["simglucose_vs_stored_reference_mgdl"] = max(
                info["simglucose_vs_stored_reference_mgdl"], d_sg
            )
        say(line)
    np_ = len(et_single)
    rows.append(
        row(
            "endotwin numba",
            "T1D (UVA/Padova)",
            1,
            min(et_single),
            times=et_single,
            note=f"single person, best over {np_} subjects, 1-min output",
        )
    )
    rows.append(
        row(
            "endotwin numba",
            "T1D (UVA/Padova)",
            cfg.t1d_batch,
            min(et_batch) * cfg.t1d_batch,
            times=[t * cfg.t1d_batch for t in et_batch],
            note=f"{cfg.t1d_batch} copies of one subject, 1-min output",
        )
    )
    if sg_times:
        rows.append(
            row(
                "simglucose T1DPatient",
                "T1D (UVA/Padova)",
                1,
                min(sg_times),
                times=sg_times,
                note=f"1440 step() calls, best of {len(sg_times)} subjects, 1 thread",
            )
        )
    return rows, info


# -- report ---------------------------------------------------------------------------------------
def table(rows: list[dict], ref: dict) -> str:
    head = (
        f"{'engine':24s} {'model':17s} {'batch':>6s} {'best wall [s]':>13s} "
        f"{'person-days/s':>14s} {'us/person-day':>14s} {'ref. is x faster':>16s}  note"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        ratio = r["us_per_person_day"] / ref["us_per_person_day"]
        lines.append(
            f"{r['engine']:24s} {r['model']:17s} {r['batch']:6d} {r['seconds']:13.4f} "
            f"{r['person_days_per_s']:14.1f} {r['us_per_person_day']:14.1f} {ratio:16.2f}  "
            f"{r['note']}"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="reduced smoke run (< 2 minutes)")
    ap.add_argument("--out", type=Path, default=HERE / "results-latest.json")
    ap.add_argument(
        "--no-compile-probe", action="store_true", help="skip the cold/cached compile subprocesses"
    )
    ap.add_argument("--child-compile", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_compile:
        child_compile()
        return
    cfg = Config.make(args.quick)
    started = dt.datetime.now(dt.UTC)
    t_start = time.perf_counter()
    load0 = os.getloadavg()
    info = machine_info()
    say(
        f"endotwin engine benchmark ({'quick' if cfg.quick else 'full'}), "
        f"{started:%Y-%m-%d %H:%M} UTC"
    )
    say(
        f"machine: {info['nproc']} CPUs ({info['cpu_model']}), {info['memory_gib']} GiB; "
        f"load average at start {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}"
    )
    say("versions: " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()))
    cache = Path(tempfile.mkdtemp(prefix="endotwin-bench-cache-"))
    results: dict[str, Any] = {"sections": {}}
    rows: list[dict] = []
    try:
        if not args.no_compile_probe:
            say("\n[1a] numba compile, fresh processes, empty ENDOTWIN_CACHE_DIR then cached")
            results["sections"]["numba_compile"] = probe_compile(cache)
        # the rest of this process uses that (now warm) numba cache and an empty jax cache
        os.environ["ENDOTWIN_CACHE_DIR"] = str(cache)
        people = People(max(cfg.numba_batches))
        say("\n[1b] endotwin numba, meal model, warm")
        r, i = bench_numba(cfg, people)
        rows += r
        results["sections"]["numba"] = i
        say("\n[2] endotwin jax (CPU)")
        r, i = bench_jax(cfg, people)
        rows += r
        results["sections"]["jax"] = i
        say("\n[3] scipy solve_ivp LSODA on the lambdified model")
        r, i = bench_scipy(cfg, people)
        rows += r
        results["sections"]["scipy"] = i
        say("\n[4] libroadrunner on generated SBML")
        r, i = bench_roadrunner(cfg, people)
        rows += r
        results["sections"]["roadrunner"] = i
        say("\n[5] simglucose T1DPatient vs endotwin t1d_model, reference day")
        r, i = bench_t1d(cfg)
        rows += r
        results["sections"]["t1d"] = i
    finally:
        shutil.rmtree(cache, ignore_errors=True)

    meal_numba = [
        r
        for r in rows
        if r["engine"] == "endotwin numba"
        and r["model"].startswith("meal")
        and "1 thread" not in r["note"]
        and "rtol" not in r["note"]
    ]
    ref = max(meal_numba, key=lambda r: r["batch"])
    load1 = os.getloadavg()
    say(
        f"\nRESULTS (reference: endotwin numba, meal model, batch {ref['batch']}: "
        f"{ref['us_per_person_day']:.1f} us/person-day; 'ref. is x faster' = peer time per "
        "person-day / reference time per person-day)"
    )
    say(table(rows, ref))
    ratios = {}
    say(f"\nendotwin numba {ref['batch']}-batch vs each peer (per person-day):")
    for r in rows:
        if r is ref:
            continue
        threads = ", 1 thread" if r["note"] == "1 thread" else ""
        key = f"{r['engine']} [{r['model']}, batch {r['batch']}{threads}]"
        ratios[key] = r["us_per_person_day"] / ref["us_per_person_day"]
        say(f"  {key:75s} {ratios[key]:10.1f} x")
    same_model = {}
    t1d = {(r["engine"], r["batch"]): r for r in rows if r["model"].startswith("T1D")}
    sg = t1d.get(("simglucose T1DPatient", 1))
    if sg:
        say("\nsame model and day (T1D): simglucose vs endotwin t1d_model, per person-day:")
        for (eng, b), r in t1d.items():
            if eng.startswith("endotwin"):
                key = f"endotwin t1d batch {b}"
                same_model[key] = sg["us_per_person_day"] / r["us_per_person_day"]
                say(f"  {key:30s} is {same_model[key]:8.1f} x faster than simglucose")
    elapsed = time.perf_counter() - t_start
    say(
        f"\nload average at start {load0[0]:.2f}, at end {load1[0]:.2f} (1-min); "
        f"total {elapsed:.0f} s"
    )
    results.update(
        date_utc=started.isoformat(timespec="seconds"),
        mode="quick" if cfg.quick else "full",
        machine=info,
        load_average_start=list(load0),
        load_average_end=list(load1),
        settings={
            "rtol": RTOL,
            "atol": ATOL,
            "output_interval_min": OUT_DT,
            "duration_min": DAY_MIN,
            "schedule": "endotwin.simulate.standard_day() (45/70/70 g at 08:00/12:00/19:00)",
            "cohort": "dallaman2007_normal at 78 kg, Vmx and BW x U(0.7, 1.3)",
            "repetitions": cfg.reps,
            "t1d_day": "tests/data/simglucose reference day (4 meals, 3 boluses, basal)",
        },
        reference=ref,
        rows=rows,
        ratios_reference_faster_by=ratios,
        t1d_same_model_endotwin_faster_by=same_model,
        total_s=elapsed,
    )
    args.out.write_text(json.dumps(results, indent=1, default=float) + "\n")
    say(f"written {args.out}")


if __name__ == "__main__":
    main()
