"""Age-related decline of beta-cell function (Szoke et al. 2008).

Szoke 2008 measured first- and second-phase insulin release and insulin sensitivity by
hyperglycaemic clamp in 266 people with normal glucose tolerance (NGT) and 130 with impaired
glucose tolerance (IGT), aged about 20 to 70 years. The disposition index (release adjusted for
sensitivity) fell with age by about 0.7 %/year for both phases in NGT, and by about 2.2 %/year
(first phase) and 1.4 %/year (second phase) in IGT; insulin sensitivity was not independently
related to age. Read as a per-person rate, the release of a person of unchanged lifestyle falls
at these rates::

    dt_age/dt = 1                                     [years since the start of the simulation]
    age_first  = exp(-beta_age_first  * t_age)        -> Dalla Man 2007 K (dynamic, first phase)
    age_second = exp(-beta_age_second * t_age)        -> Dalla Man 2007 beta and Sb (static
                                                         and basal secretion, second phase)

The rates are per person (``beta_age_first``, ``beta_age_second`` [1/year]); the parameter set
holds the NGT rates and the virtual-population sampler gives people recruited with prediabetes
or diabetes the IGT rates (:mod:`endotwin.population.sampler`). A cross-sectional slope is read
here as each person's own rate of change, which is the paper's interpretation ("insulin
secretion normally decreases at a rate of ~0.7 % per year with aging"). Basal secretion ``Sb`` is
not in the clamp; it is given the second-phase rate so that the static secretion line keeps its
shape.

Over 12 weeks the factors change by under 0.6 %; over the DPP's 2.8 years by 2-6 %. Beta-cell
mass (:mod:`endotwin.components.beta_cell`) compensates only on its 8570-day time scale.
"""

from __future__ import annotations

import sympy as sp

from ..model import Component, Derived, Output, Quantity, sym

_MIN_PER_YEAR = 365.25 * 1440.0


def beta_cell_ageing() -> Component:
    """Ageing clock and the age-related decline of first- and second-phase insulin release."""
    t = sym("t_age")
    first = sp.exp(-sym("beta_age_first") * t)
    second = sp.exp(-sym("beta_age_second") * t)
    return Component(
        name="beta-cell ageing",
        description="age-related decline of first- and second-phase insulin release (Szoke 2008)",
        citations=("Szoke2008",),
        states=(Quantity("t_age", "year", "years since the start of the simulation"),),
        parameters=(
            Quantity("beta_age_first", "1/year", "decline rate of first-phase release"),
            Quantity("beta_age_second", "1/year", "decline rate of second-phase release"),
        ),
        derived=(
            Derived("age_first", first, "1", "first-phase release relative to t = 0"),
            Derived("age_second", second, "1", "second-phase release relative to t = 0"),
        ),
        rhs={"t_age": sp.Integer(1) / sp.Float(_MIN_PER_YEAR)},
        initial={"t_age": 0.0},
        outputs=(
            Output(
                "First-phase release, ageing [x baseline]",
                sym("age_first"),
                "exp(-beta_age_first*t_age)",
            ),
            Output(
                "Second-phase release, ageing [x baseline]",
                sym("age_second"),
                "exp(-beta_age_second*t_age)",
            ),
        ),
    )
