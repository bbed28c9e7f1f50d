"""``simulate.run(outputs=...)``: computing only some outputs changes nothing else."""

from __future__ import annotations

import numpy as np
import pytest

from endotwin.errors import InputError
from endotwin.models import meal_model
from endotwin.parameters import get_parameter_set
from endotwin.simulate import MINUTES_PER_DAY, run, standard_day


def _values():
    v = get_parameter_set("dallaman2007_normal").values()
    v["BW"] = 78.0
    return {k: np.array([x, x]) for k, x in v.items()}


def test_selected_outputs_equal_the_full_run_and_keep_the_range_check_outputs():
    model = meal_model()
    full = run(model, _values(), standard_day(), duration_min=MINUTES_PER_DAY)
    some = run(
        model,
        _values(),
        standard_day(),
        duration_min=MINUTES_PER_DAY,
        outputs=["Endogenous glucose production [mg/kg/min]"],
    )
    kept = {k for k, v in some.dataset.data_vars.items() if v.attrs.get("kind") == "output"}
    assert kept == {
        "Endogenous glucose production [mg/kg/min]",
        "Plasma glucose [mg/dL]",
        "Plasma insulin [pmol/L]",
    }
    for name in kept:
        assert np.array_equal(some.dataset[name].values, full.dataset[name].values)


def test_unknown_output_is_named():
    with pytest.raises(InputError, match="Plasma glucose \\[mmol/L\\]"):
        run(
            meal_model(),
            _values(),
            standard_day(),
            duration_min=60.0,
            outputs=["Plasma glucose [mmol/L]"],
        )
