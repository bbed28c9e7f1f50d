"""JAX backend: generated ``jnp`` right-hand side + diffrax Tsit5, vmapped over people.

The same symbolic model as the Numba backend is printed as JAX source
(:func:`~endotwin.backends.codegen.generate_rhs` with ``"jax"``) and integrated with diffrax
[Kidger2021] using the Tsitouras 5(4) Runge-Kutta pair [Tsitouras2011] and an adaptive
step-size controller (integral controller on the RMS error norm, with the Numba DP45 kernel's
safety factor 0.9 and step-factor bounds [0.2, 10]; the step sequences still differ).

Piecewise-constant inputs: the vector field looks the input up with
``searchsorted(seg_t, t, side="right") - 1`` (right-continuous), and every interior segment
boundary is a *jump time* of :class:`diffrax.ClipStepSizeController` (the non-deprecated home of
``jump_ts`` in diffrax 0.7; ``PIDController(jump_ts=...)`` is a backwards-compatibility alias
that builds the same thing), so a step never straddles an input discontinuity and the FSAL stage
is re-evaluated after it. The jump times are per person (a traced array under ``vmap``).

Status codes (see :data:`~endotwin.backends.base.STATUS_TEXT`): diffrax does not stop on a
non-finite step; it rejects it and shrinks the step, so such a solve stalls until
``max_steps``. A failed solve is therefore reported as non-finite (3) when the last accepted
state, its derivative, or an Euler probe of 1e-10 min from it is non-finite, as maximum steps
(1) otherwise when diffrax says so, and as step underflow (2) for any other diffrax failure.
``fail_time`` is the last time the solver reached (the end time when successful), like Numba.

Global side effects of importing this module (JAX configuration is process-wide):

- ``jax_enable_x64`` is switched on: every JAX computation in the process defaults to float64.
- JAX's persistent compilation cache is enabled in ``$ENDOTWIN_CACHE_DIR/jax`` (or
  ``~/.cache/endotwin/jax``) with a minimum compile time of 0.1 s, unless a cache directory was
  already configured; a second process then loads the compiled XLA executable instead of
  compiling again (tracing still happens).

JAX never writes an executable that contains a host callback to that cache, and diffrax's
run-time argument checks (``SaveAt(ts)`` ordering and range, sign of ``dt0``) are Equinox
``error_if`` host callbacks. Those conditions are checked here on the host before the call, so
the batched solve is *traced* with Equinox's ``on_error`` mode set to ``"nan"`` (the documented
``EQX_ON_ERROR=nan`` behaviour) for the checks made during that trace only -- through private
Equinox names (``equinox._errors``), skipped if they ever disappear, in which case the solve is
still correct but not cached on disk. (The swap is not thread-safe: do not trace other Equinox
code in another thread while the first call of a shape compiles.)
:func:`make_differentiable_solve` is traced by the caller and keeps the default Equinox
behaviour.

In process, compiled executables are cached per (model fingerprint, ``max_steps``, saved states,
array shapes); tolerances and step limits are runtime arguments and never trigger a recompile.

:func:`make_differentiable_solve` returns a pure single-person function for ``jax.grad`` /
``jax.jacrev`` (``RecursiveCheckpointAdjoint``) or, with ``adjoint=diffrax.ForwardMode()``,
``jax.jacfwd``.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import diffrax
import jax
import jax.numpy as jnp
import numpy as np

from ..model import Model
from .base import BackendResult, SolverOptions, register_backend
from .codegen import generate_rhs

jax.config.update("jax_enable_x64", True)

CITATIONS = ("Tsitouras2011", "Kidger2021")
DEFAULT_OPTIONS = SolverOptions()

Rhs = Callable[[jax.Array, jax.Array, jax.Array, jax.Array], jax.Array]


def cache_dir() -> Path:
    """Where JAX's persistent compilation cache lives for endotwin."""
    root = os.environ.get("ENDOTWIN_CACHE_DIR") or os.path.join(
        os.path.expanduser("~"), ".cache", "endotwin"
    )
    return Path(root) / "jax"


def _enable_persistent_cache() -> None:
    if getattr(jax.config, "jax_compilation_cache_dir", None):  # user's own: keep it
        return
    try:
        path = cache_dir()
        path.mkdir(parents=True, exist_ok=True)
    except OSError:  # read-only home etc.: run without the on-disk cache
        return
    jax.config.update("jax_compilation_cache_dir", str(path))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.1)


_enable_persistent_cache()


@contextlib.contextmanager
def _error_checks_as_nan() -> Iterator[None]:
    """Inside the block, trace Equinox ``error_if`` as ``on_error="nan"`` (no host callback).

    Equinox normally traces the check through a jitted helper whose trace cache does not know
    about the mode; the helper is swapped for the un-jitted implementation, so no trace made
    here is reused outside the block and no earlier (raising) trace is reused inside it.
    """
    try:
        import equinox._errors as eqx_errors

        impl = eqx_errors.branched_error_if_impl
        jitted = eqx_errors.branched_error_if_impl_jit
    except (ImportError, AttributeError):  # pragma: no cover - Equinox internals moved
        yield
        return

    def as_nan(x, pred, index, msgs, *, on_error="default"):
        return impl(x, pred, index, msgs, on_error="nan" if on_error == "default" else on_error)

    eqx_errors.branched_error_if_impl_jit = as_nan
    try:
        yield
    finally:
        eqx_errors.branched_error_if_impl_jit = jitted


@cache
def _fingerprint(model: Model) -> str:
    return model.fingerprint()


@cache
def make_rhs(model: Model) -> Rhs:
    """The model's right-hand side ``rhs(t, x, p, u) -> dx/dt`` as a traceable JAX function."""
    namespace: dict[str, object] = {"jnp": jnp, "jax": jax}
    source = generate_rhs(model, "jax")
    exec(compile(source, f"<endotwin rhs {model.name} {model.fingerprint()}>", "exec"), namespace)
    return namespace["rhs"]  # type: ignore[return-value]


def _solve_one(
    rhs: Rhs,
    save_idx: tuple[int, ...],
    max_steps: int,
    adjoint: diffrax.AbstractAdjoint,
    x0: jax.Array,
    p: jax.Array,
    seg_t: jax.Array,
    seg_u: jax.Array,
    t_out: jax.Array,
    rtol: jax.Array,
    atol: jax.Array,
    h_init: jax.Array,
    h_max: jax.Array,
) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array]:
    """One person: ``(y (times, saved), status, final time, steps)``."""
    t0, t1 = seg_t[0], seg_t[-1]
    # segments after the last real one are zero-length padding: t1 belongs to the last real one
    last = jnp.searchsorted(seg_t, t1, side="left") - 1
    idx = jnp.asarray(save_idx)

    def u_at(t: jax.Array) -> jax.Array:
        k = jnp.clip(jnp.searchsorted(seg_t, t, side="right") - 1, 0, jnp.maximum(last, 0))
        return seg_u[k]

    def field(t, x, args):
        return rhs(t, x, p, u_at(t))

    # interior boundaries are jumps; the end time and the padding are not (inf never clips)
    jumps = jnp.where(seg_t[1:] < t1, seg_t[1:], jnp.inf)
    controller = diffrax.ClipStepSizeController(
        diffrax.PIDController(rtol=rtol, atol=atol, dtmax=h_max), jump_ts=jumps
    )
    ts = jnp.clip(t_out, t0, t1)
    saveat = diffrax.SaveAt(
        subs=[
            diffrax.SubSaveAt(ts=ts, fn=lambda t, y, args: y[idx]),
            diffrax.SubSaveAt(t1=True),
        ]
    )
    sol = diffrax.diffeqsolve(
        diffrax.ODETerm(field),
        diffrax.Tsit5(),
        t0=t0,
        t1=t1,
        dt0=jnp.minimum(h_init, t1 - t0),
        y0=x0,
        saveat=saveat,
        stepsize_controller=controller,
        max_steps=max_steps,
        adjoint=adjoint,
        throw=False,
    )
    y_out, y_end = sol.ys
    y_out = jnp.where((t_out > t1)[:, None], jnp.nan, y_out)  # not integrated (as Numba)
    t_end, x_end = sol.ts[1][-1], y_end[-1]
    ok = sol.result == diffrax.RESULTS.successful
    max_steps_hit = sol.result == diffrax.RESULTS.max_steps_reached
    dx = rhs(t_end, x_end, p, u_at(t_end))
    probe = x_end + 1e-10 * dx
    finite = (
        jnp.all(jnp.isfinite(x_end))
        & jnp.all(jnp.isfinite(dx))
        & jnp.all(jnp.isfinite(rhs(t_end, probe, p, u_at(t_end))))
    )
    status = jnp.where(ok, 0, jnp.where(~finite, 3, jnp.where(max_steps_hit, 1, 2)))
    return y_out, status, t_end, sol.stats["num_steps"]


_COMPILED: dict[tuple, Callable] = {}


def _batched(model: Model, save_idx: tuple[int, ...], max_steps: int, args: tuple) -> Callable:
    """The compiled batched solve for these shapes (compiled once per process and key)."""
    key = (_fingerprint(model), save_idx, max_steps, tuple((a.shape, a.dtype) for a in args))
    fn = _COMPILED.get(key)
    if fn is None:
        rhs = make_rhs(model)
        adjoint = diffrax.RecursiveCheckpointAdjoint()  # only run forward here

        one = functools.partial(_solve_one, rhs, save_idx, max_steps, adjoint)
        batched = jax.vmap(one, in_axes=(0, 0, 0, 0, None, None, None, None, None))
        with _error_checks_as_nan():
            lowered = jax.jit(batched).lower(*args)
        fn = lowered.compile()
        _COMPILED[key] = fn
    return fn


def _check_grid(seg_t: np.ndarray, t_out: np.ndarray, options: SolverOptions) -> None:
    """The conditions diffrax would check at run time (see the module docstring)."""
    if seg_t.ndim != 2 or seg_t.shape[1] < 2 or np.any(np.diff(seg_t, axis=1) < 0):
        raise ValueError("seg_t must be (people, nseg+1) non-decreasing segment boundaries")
    if np.any(seg_t[:, -1] <= seg_t[:, 0]):
        raise ValueError("every person needs a simulated time span of positive length")
    if t_out.ndim != 1 or t_out.size == 0 or np.any(np.diff(t_out) < 0):
        raise ValueError("t_out must be a non-empty, non-decreasing 1-D time grid")
    if not (options.h_init > 0 and options.h_max > 0 and options.max_steps >= 1):
        raise ValueError("h_init, h_max and max_steps must be positive")


@register_backend("jax")
def jax_solver(model: Model):
    """Return ``solve(x0, p, seg_t, seg_u, t_out, save_idx, options) -> BackendResult``."""
    make_rhs(model)

    def solve(
        x0: np.ndarray,
        p: np.ndarray,
        seg_t: np.ndarray,
        seg_u: np.ndarray,
        t_out: np.ndarray,
        save_idx: np.ndarray,
        options: SolverOptions = DEFAULT_OPTIONS,
    ) -> BackendResult:
        f64 = np.float64
        args = (
            np.ascontiguousarray(x0, dtype=f64),
            np.ascontiguousarray(p, dtype=f64),
            np.ascontiguousarray(seg_t, dtype=f64),
            np.ascontiguousarray(seg_u, dtype=f64),
            np.ascontiguousarray(t_out, dtype=f64),
            f64(options.rtol),
            f64(options.atol),
            f64(options.h_init),
            f64(options.h_max),
        )
        _check_grid(args[2], args[4], options)
        idx = tuple(int(i) for i in np.asarray(save_idx).ravel())
        fn = _batched(model, idx, int(options.max_steps), args)
        y, status, fail_t, steps = fn(*args)
        return BackendResult(
            y=np.asarray(y),
            status=np.asarray(status, dtype=np.int64),
            fail_time=np.asarray(fail_t, dtype=f64),
            steps=np.asarray(steps, dtype=np.int64),
        )

    return solve


def make_differentiable_solve(
    model: Model,
    t_out: np.ndarray,
    save_idx: np.ndarray | list[int],
    options: SolverOptions = DEFAULT_OPTIONS,
    adjoint: diffrax.AbstractAdjoint | None = None,
) -> Callable[[jax.Array, jax.Array, jax.Array, jax.Array], jax.Array]:
    """A pure single-person solve ``(x0, p, seg_t, seg_u) -> y`` of shape (times, saved).

    Differentiable in ``x0`` and ``p`` (and ``seg_u``) with ``jax.grad`` / ``jax.jacrev``
    (default ``diffrax.RecursiveCheckpointAdjoint``); pass ``adjoint=diffrax.ForwardMode()`` for
    ``jax.jacfwd``. Not jitted (wrap it in ``jax.jit`` yourself, after composing with a loss). A
    failed solve gives non-finite values rather than raising.
    """
    rhs = make_rhs(model)
    idx = tuple(int(i) for i in np.asarray(save_idx).ravel())
    t_grid = jnp.asarray(t_out, dtype=jnp.float64)
    adj = diffrax.RecursiveCheckpointAdjoint() if adjoint is None else adjoint
    o = options

    def solve(x0: jax.Array, p: jax.Array, seg_t: jax.Array, seg_u: jax.Array) -> jax.Array:
        y, status, _, _ = _solve_one(
            rhs,
            idx,
            int(o.max_steps),
            adj,
            jnp.asarray(x0, jnp.float64),
            jnp.asarray(p, jnp.float64),
            jnp.asarray(seg_t, jnp.float64),
            jnp.asarray(seg_u, jnp.float64),
            t_grid,
            jnp.float64(o.rtol),
            jnp.float64(o.atol),
            jnp.float64(o.h_init),
            jnp.float64(o.h_max),
        )
        return jnp.where(status == 0, y, jnp.nan)

    return solve
