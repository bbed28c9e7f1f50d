"""``e_DAG_fat`` still meets its calibration target (``scripts/calibrate_fat_dag.py``).

The target is the NHANES cross-sectional gradient d ln HOMA-IR / d ln fat mass (Martinez 2017
Table 5 on the shipped NHANES 2017-18 copula, 1.24); the model side is the same gradient after a
2-year 15 % deficit. The parameter was set to 1.81 in an early session and not re-fitted when
the model changed (the liver store, the morning match, the beta-cell homeostat): by session 15
the script gave 0.89, the model's gradient at 1.81 being about 1.67. This test re-runs the
script's model side at the parameter's value, so a model change that moves the gradient fails
here instead of leaving the calibration stale.
"""

from __future__ import annotations

import numpy as np
import pytest
from _scripts import load_script

from endotwin.parameters.sets.mechanisms import E_DAG_FAT

#: the script interpolates on a grid and the value is rounded to 2 decimals
TOLERANCE = 0.03


def test_e_dag_fat_meets_the_nhanes_gradient(monkeypatch: pytest.MonkeyPatch) -> None:
    mod = load_script("calibrate_fat_dag")
    target = float(np.mean(list(mod.nhanes_elasticity().values())))
    assert target == pytest.approx(1.242, abs=0.01)  # the data side is fixed (shipped summary)
    monkeypatch.setattr(mod, "GRID", (E_DAG_FAT,))
    model = mod.model_elasticity()[E_DAG_FAT]
    assert model == pytest.approx(target, rel=TOLERANCE)
