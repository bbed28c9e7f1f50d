"""The calibrated twin: a person plus a Gaussian posterior over log-parameters.

A calibration (:mod:`endotwin.calibrate.ogtt_fit`) fits the natural logarithms of a few of the
person's meal-level parameters. Its result is summarised by a Laplace approximation: the
posterior is taken as multivariate normal in log-parameter space with mean ``mean`` (the MAP
estimate) and covariance ``cov``. Some fitted quantities are not simulator parameters themselves
(the basal glucose ``Gb`` and insulin ``Ib``); :attr:`Posterior.to_overrides` turns a point in
that space into the simulator's parameter overrides (``m6``, ``kp1``, ...), so every sampled twin
is an ordinary :class:`~endotwin.person.Person`.

The file format (``endotwin calibrate --out twin.json``) is JSON with the keys of
:meth:`Posterior.to_dict`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..person import Person

#: maps a vector of log-parameters (in ``Posterior.names`` order) to parameter overrides
OverrideMap = Callable[[np.ndarray], dict[str, float]]


@dataclass(frozen=True, eq=False)
class Posterior:
    """A person and the Gaussian (Laplace) posterior of their fitted log-parameters.

    person: the person with the MAP overrides applied (``Person.parameters``).
    names: fitted quantities, e.g. ``("Gb", "Ib", "Vmx", "kp3", "beta", "K", "kabs")``.
    mean, cov: posterior mean and covariance of their natural logarithms.
    prior_sd: prior standard deviation of each log-parameter (for the identifiability ratio).
    to_overrides: maps a log-parameter vector to the person's parameter overrides.
    report: free-form fit summary (residuals, data used, identifiability) for reports.
    """

    person: Person
    names: tuple[str, ...]
    mean: np.ndarray
    cov: np.ndarray
    prior_sd: np.ndarray
    to_overrides: OverrideMap
    report: Mapping[str, Any] = field(default_factory=dict)

    @property
    def sd(self) -> np.ndarray:
        """Posterior standard deviation of each log-parameter."""
        return np.sqrt(np.diag(self.cov))

    def interval(self, level: float = 0.9) -> dict[str, tuple[float, float]]:
        """Equal-tailed posterior interval of each parameter (on its natural scale)."""
        from scipy.stats import norm

        if not 0.0 < level < 1.0:
            raise InputError("level", level, "a probability in (0, 1)")
        z = float(norm.ppf(0.5 + level / 2.0))
        return {
            n: (float(np.exp(m - z * s)), float(np.exp(m + z * s)))
            for n, m, s in zip(self.names, self.mean, self.sd, strict=True)
        }

    def sample_log(self, n: int, seed: int = 0) -> np.ndarray:
        """``n`` draws of the log-parameters, shape (n, len(names))."""
        rng = np.random.default_rng(seed)
        return rng.multivariate_normal(self.mean, self.cov, size=n, method="eigh")

    def sample_people(self, n: int, seed: int = 0) -> list[Person]:
        """``n`` people drawn from the posterior (the person with sampled overrides)."""
        base = dict(self.person.parameters)
        return [
            replace(
                self.person,
                parameters={**base, **self.to_overrides(x)},
                label=f"{self.person.label} draw {i}",
            )
            for i, x in enumerate(self.sample_log(n, seed))
        ]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (the override map is not serialised; see ``load``)."""
        p = self.person
        return {
            "person": {
                "label": p.label,
                "sex": p.sex,
                "age": p.age,
                "height_cm": p.height_cm,
                "weight_kg": p.weight_kg,
                "body_fat_pct": p.body_fat_pct,
                "parameter_set": p.parameter_set
                if isinstance(p.parameter_set, str)
                else p.parameter_set.name,
                "parameters": dict(p.parameters),
            },
            "names": list(self.names),
            "mean_log": self.mean.tolist(),
            "cov_log": self.cov.tolist(),
            "prior_sd_log": self.prior_sd.tolist(),
            "report": dict(self.report),
        }

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=2, default=float))


def identifiability(prior_sd: Sequence[float], post_sd: Sequence[float]) -> list[str]:
    """Verdict per parameter from how much the data shrank its prior.

    ratio = posterior SD / prior SD of the log-parameter: < 0.5 "identified" (the data carry at
    least 75 % of the information), 0.5-0.9 "weakly identified", >= 0.9 "not identified" (the
    estimate is essentially the prior). Thresholds are a MODEL CHOICE stated in the report.
    """
    out = []
    for a, b in zip(prior_sd, post_sd, strict=True):
        r = b / a
        out.append(
            "identified" if r < 0.5 else "weakly identified" if r < 0.9 else "not identified"
        )
    return out
