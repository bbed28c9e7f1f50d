"""Training and insulin sensitivity: Houmard 1996's 12 weeks against the model's composed gain.

Houmard et al. 1996 (J Appl Physiol 81:1162, abstract): 12 weeks of training 4 days/week,
40-45 min/day, raised muscle GLUT-4 1.6-fold and the minimal-model insulin sensitivity index
1.9-fold in middle-aged adults. The model composes the gain from GLUT4, the lipid (DAG) and
inflammatory (JNK/IKK) relief of IRS-1 and muscle mass; oxidative capacity acts only through DAG
clearance (``e_mito`` = 0, Holloszy 2009). Both GLUT4's rate (``k_GLUT4``) and, since session 15,
its exponent in uptake (``e_GLUT4``) are calibrated on this study, so the gain test checks that
the calibration is still met by the ODE solver and the current model (before session 15 the
exponent was 1, an ASSUMPTION, and the gain 2.22-fold: a strict xfail). The model's own IVGTT
is outside the meal model's fitted domain (it falls below 50 mg/dL at 2 h), so a minimal-model
S_I cannot be estimated from it; the peripheral sensitivity factor, which scales all of insulin's
action on uptake, is compared instead.
"""

from __future__ import annotations

import pytest
from _scripts import load_script

#: Houmard 1996: GLUT-4 1.6-fold, S_I 1.9-fold after 12 weeks
HOUMARD_SI = 1.9
#: e_GLUT4 is calibrated on this reading (scripts/calibrate_glut4_exponent.py) and rounded to 3
#: decimals; a model change that moves the composed gain by more than 1 % fails here
TOLERANCE = 0.01


CAL = load_script("calibrate_glut4_exponent")
#: the calibration's own protocol: the GLUT4 target and the end of the 12 weeks
HOUMARD_GLUT4, END_MIN, MORNING = CAL.TARGETS["k_GLUT4"][0], CAL.END_MIN, CAL.MORNING


@pytest.fixture(scope="module")
def trained() -> dict[str, float]:
    sol = CAL.houmard_solution()  # the same simulation the calibration script reads
    return {
        "GLUT4 content [x baseline]": CAL.read(sol, "GLUT4 content [x baseline]", END_MIN),
        "Mitochondrial capacity [x baseline]": CAL.read(
            sol, "Mitochondrial capacity [x baseline]", MORNING
        ),
        "Peripheral insulin sensitivity [x baseline]": CAL.read(
            sol, "Peripheral insulin sensitivity [x baseline]", MORNING
        ),
    }


def test_glut4_reaches_houmards_gain(trained: dict[str, float]) -> None:
    # k_GLUT4 is solved on the exact solution of the GLUT4 equation; the ODE solver, with the
    # protocol as exercise bouts, must meet the same target at the same time
    assert trained["GLUT4 content [x baseline]"] == pytest.approx(1.0 + HOUMARD_GLUT4, rel=1e-3)
    assert trained["Mitochondrial capacity [x baseline]"] > 1.2


def test_training_sensitivity_gain_is_houmards(trained: dict[str, float]) -> None:
    gain = trained["Peripheral insulin sensitivity [x baseline]"]
    assert gain == pytest.approx(HOUMARD_SI, rel=TOLERANCE)


def test_oxidative_capacity_has_no_direct_term(trained: dict[str, float]) -> None:
    """With the direct term (e_mito = 0.5, before session 12) the gain was 2.97-fold."""
    assert trained["Peripheral insulin sensitivity [x baseline]"] < 2.6
