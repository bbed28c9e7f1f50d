"""Tests of endotwin.indices against hand-computed values and analytic results.

Expected numbers are worked out by hand (or in closed form) in the comments, not by calling the
code under test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from endotwin.errors import InputError
from endotwin.indices import (
    CGMMetrics,
    OGTTClassification,
    cgm_metrics,
    homa_beta,
    homa_ir,
    insulinogenic_index,
    matsuda,
    ogtt_classification,
    quicki,
    tyg_index,
)

NAN = float("nan")

# --------------------------------------------------------------------------------------------
# HOMA, QUICKI, TyG
# --------------------------------------------------------------------------------------------


def test_homa_ir_hand_value() -> None:
    # 90.08 mg/dL = 5.0 mmol/L; 5.0 * 10 / 22.5 = 2.2222...
    assert homa_ir(90.08, 10.0) == pytest.approx(20.0 / 9.0, rel=1e-12)


def test_matthews_reference_person() -> None:
    # Matthews 1985: G = 4.5 mmol/L (81.072 mg/dL), I = 5 µU/mL -> IR = 1, %B = 100.
    g = 4.5 * 18.016
    assert homa_ir(g, 5.0) == pytest.approx(1.0, rel=1e-12)
    assert homa_beta(g, 5.0) == pytest.approx(100.0, rel=1e-12)


def test_homa_beta_hand_value() -> None:
    # G = 7.0 mmol/L = 126.112 mg/dL, I = 14: 20 * 14 / (7.0 - 3.5) = 80 %
    assert homa_beta(126.112, 14.0) == pytest.approx(80.0, rel=1e-12)


def test_homa_beta_undefined_at_or_below_3p5_mmoll() -> None:
    with pytest.raises(InputError) as exc:
        homa_beta(3.5 * 18.016, 10.0)  # exactly 3.5 mmol/L: division by zero
    assert exc.value.field == "glucose_mgdl"
    with pytest.raises(InputError):
        homa_beta(60.0, 10.0)  # 3.33 mmol/L: negative denominator
    # just above the floor is defined (and large)
    assert homa_beta(3.6 * 18.016, 1.0) == pytest.approx(200.0, rel=1e-9)


def test_returns_python_float_for_scalars_and_arrays_for_arrays() -> None:
    assert isinstance(homa_ir(90.08, 10.0), float)
    out = homa_ir([90.08, 4.5 * 18.016], [10.0, 5.0])
    assert isinstance(out, np.ndarray)
    np.testing.assert_allclose(out, [20.0 / 9.0, 1.0], rtol=1e-12)
    # broadcasting one fasting glucose against several insulins
    np.testing.assert_allclose(homa_ir(90.08, [10.0, 20.0]), [20.0 / 9.0, 40.0 / 9.0])


def test_quicki_hand_values() -> None:
    # log10(10) + log10(100) = 3 -> 1/3
    assert quicki(100.0, 10.0) == pytest.approx(1.0 / 3.0, rel=1e-12)
    # log10(8 * 90) = log10(720) = 2.857332496 -> 0.349976771
    assert quicki(90.0, 8.0) == pytest.approx(0.349976771, rel=1e-8)


def test_tyg_hand_value() -> None:
    # ln(150 * 100 / 2) = ln(7500) = ln 7.5 + 3 ln 10 = 2.014903 + 6.907755 = 8.922658
    assert tyg_index(150.0, 100.0) == pytest.approx(8.9226583, rel=1e-7)


@pytest.mark.parametrize("fn", [homa_ir, homa_beta, quicki])
@pytest.mark.parametrize(
    ("glucose", "insulin", "field"),
    [
        (-90.0, 10.0, "glucose_mgdl"),
        (NAN, 10.0, "glucose_mgdl"),
        (math.inf, 10.0, "glucose_mgdl"),
        (5.5, 10.0, "glucose_mgdl"),  # mmol/L passed as mg/dL
        (5000.0, 10.0, "glucose_mgdl"),
        (90.0, -1.0, "insulin_uuml"),
        (90.0, 0.0, "insulin_uuml"),
        (90.0, NAN, "insulin_uuml"),
    ],
)
def test_fasting_indices_reject_impossible_values(fn, glucose, insulin, field) -> None:
    with pytest.raises(InputError) as exc:
        fn(glucose, insulin)
    assert exc.value.field == field
    assert exc.value.accepted


def test_array_errors_name_the_element() -> None:
    with pytest.raises(InputError) as exc:
        homa_ir([90.0, 100.0, -3.0], 10.0)
    assert exc.value.field == "glucose_mgdl[2]"
    assert exc.value.value == -3.0


@pytest.mark.parametrize("bad", ["90", [], True, None, [[1.0, 2.0], [3.0]]])
def test_non_numeric_or_empty_inputs_rejected(bad) -> None:
    with pytest.raises(InputError):
        homa_ir(bad, 10.0)


def test_mismatched_shapes_rejected() -> None:
    with pytest.raises(InputError):
        homa_ir([90.0, 100.0], [10.0, 11.0, 12.0])


@pytest.mark.parametrize(("tg", "g"), [(-1.0, 100.0), (0.0, 100.0), (NAN, 100.0), (150.0, -1.0)])
def test_tyg_rejects_impossible_values(tg, g) -> None:
    with pytest.raises(InputError):
        tyg_index(tg, g)


# --------------------------------------------------------------------------------------------
# OGTT indices
# --------------------------------------------------------------------------------------------

T_OGTT = [0.0, 30.0, 60.0, 90.0, 120.0]
G_OGTT = [90.0, 150.0, 140.0, 120.0, 100.0]  # mean 600/5 = 120
I_OGTT = [10.0, 60.0, 70.0, 50.0, 30.0]  # mean 220/5 = 44


def test_matsuda_hand_computed() -> None:
    # 10000 / sqrt(90 * 10 * 120 * 44) = 10000 / sqrt(4 752 000) = 10000 / 2179.908 = 4.587349
    assert matsuda(T_OGTT, G_OGTT, I_OGTT) == pytest.approx(4.587349021, rel=1e-9)


def test_matsuda_uses_all_samples_and_needs_fasting() -> None:
    # two-sample test: means (90+150)/2 = 120, (10+60)/2 = 35 -> 10000/sqrt(900*4200)
    assert matsuda([0.0, 30.0], [90.0, 150.0], [10.0, 60.0]) == pytest.approx(
        10000.0 / math.sqrt(900.0 * 4200.0), rel=1e-12
    )
    with pytest.raises(InputError) as exc:
        matsuda([5.0, 30.0, 60.0], [90.0, 150.0, 140.0], [10.0, 60.0, 70.0])
    assert exc.value.field == "t_min"
    with pytest.raises(InputError):
        matsuda([0.0], [90.0], [10.0])


def test_insulinogenic_index_hand_computed() -> None:
    # (60 - 10) / (150 - 90) = 50 / 60
    assert insulinogenic_index(T_OGTT, G_OGTT, I_OGTT) == pytest.approx(5.0 / 6.0, rel=1e-12)


def test_insulinogenic_index_needs_exact_0_and_30() -> None:
    # 30 min bracketed by 25 and 35 is not interpolated
    with pytest.raises(InputError):
        insulinogenic_index([0.0, 25.0, 35.0], [90.0, 140.0, 150.0], [10.0, 50.0, 60.0])
    with pytest.raises(InputError):
        insulinogenic_index([30.0, 60.0], [150.0, 140.0], [60.0, 70.0])


def test_insulinogenic_index_requires_glucose_rise() -> None:
    with pytest.raises(InputError) as exc:
        insulinogenic_index([0.0, 30.0], [90.0, 90.0], [10.0, 60.0])
    assert exc.value.field == "glucose_mgdl[1]"
    with pytest.raises(InputError):
        insulinogenic_index([0.0, 30.0], [90.0, 85.0], [10.0, 60.0])


@pytest.mark.parametrize("fn", [matsuda, insulinogenic_index])
@pytest.mark.parametrize(
    ("t", "g", "i"),
    [
        ([], [], []),
        ([0.0, 30.0, 60.0], [90.0, 150.0], [10.0, 60.0, 70.0]),  # lengths differ
        ([0.0, 60.0, 30.0], [90.0, 140.0, 150.0], [10.0, 70.0, 60.0]),  # not increasing
        ([0.0, 30.0, 30.0], [90.0, 150.0, 150.0], [10.0, 60.0, 60.0]),  # duplicate time
        ([0.0, 30.0, NAN], [90.0, 150.0, 140.0], [10.0, 60.0, 70.0]),  # NaN time
        ([0.0, 30.0, 60.0], [90.0, NAN, 140.0], [10.0, 60.0, 70.0]),  # NaN glucose
        ([0.0, 30.0, 60.0], [90.0, 150.0, 140.0], [10.0, -60.0, 70.0]),  # negative insulin
    ],
)
def test_ogtt_indices_reject_bad_series(fn, t, g, i) -> None:
    with pytest.raises(InputError):
        fn(t, g, i)


@pytest.mark.parametrize(
    ("fpg", "g2h", "category"),
    [
        (99.0, 139.0, "normal"),
        (100.0, 139.0, "impaired fasting glucose"),
        (125.0, 139.0, "impaired fasting glucose"),
        (125.9, 139.0, "impaired fasting glucose"),
        (126.0, 139.0, "diabetes"),
        (99.0, 140.0, "impaired glucose tolerance"),
        (99.0, 199.0, "impaired glucose tolerance"),
        (99.0, 200.0, "diabetes"),
        (100.0, 140.0, "IFG+IGT"),
        (125.0, 199.0, "IFG+IGT"),
        (126.0, 90.0, "diabetes"),
        (80.0, 250.0, "diabetes"),
        (85.0, 60.0, "normal"),  # 2-h below fasting is allowed (reactive hypoglycaemia)
    ],
)
def test_ogtt_classification_ada_boundaries(fpg, g2h, category) -> None:
    result = ogtt_classification(fpg, g2h)
    assert isinstance(result, OGTTClassification)
    assert result.category == category
    assert result.fasting_glucose_mgdl == fpg
    assert result.glucose_2h_mgdl == g2h


@pytest.mark.parametrize(
    ("fpg", "g2h", "field"),
    [
        (NAN, 120.0, "fasting_glucose_mgdl"),
        (-5.0, 120.0, "fasting_glucose_mgdl"),
        (5.5, 7.8, "fasting_glucose_mgdl"),  # mmol/L
        (90.0, NAN, "glucose_2h_mgdl"),
        (90.0, [120.0, 130.0], "glucose_2h_mgdl"),
    ],
)
def test_ogtt_classification_rejects_bad_values(fpg, g2h, field) -> None:
    with pytest.raises(InputError) as exc:
        ogtt_classification(fpg, g2h)
    assert exc.value.field == field


# --------------------------------------------------------------------------------------------
# CGM metrics
# --------------------------------------------------------------------------------------------


def _cosine_trace(periods: int, n_per_period: int) -> tuple[np.ndarray, np.ndarray]:
    """G = 125 - 110 cos(2π t / 1440 min), sampled regularly over whole periods [0, periods·T)."""
    i = np.arange(periods * n_per_period)
    t = i * (1440.0 / n_per_period)
    g = 125.0 - 110.0 * np.cos(2.0 * np.pi * i / n_per_period)
    return t, g


def test_cgm_sine_trace_analytic() -> None:
    # G = 125 - 110 cos θ over whole periods: mean 125, population SD 110/√2.
    # G < 70  <=> cos θ > 1/2  -> fraction 1/3;  G > 180 <=> cos θ < -1/2 -> 1/3;  TIR 1/3.
    # G < 54  <=> cos θ > 71/110 -> fraction arccos(71/110)/π = 27.6668 %;  G > 250 never.
    t, g = _cosine_trace(periods=2, n_per_period=14400)
    m = cgm_metrics(t, g)
    assert isinstance(m, CGMMetrics)
    assert m.mean_mgdl == pytest.approx(125.0, abs=1e-9)
    assert m.sd_mgdl == pytest.approx(110.0 / math.sqrt(2.0), rel=1e-9)
    assert m.cv_percent == pytest.approx(100.0 * (110.0 / math.sqrt(2.0)) / 125.0, rel=1e-9)
    assert m.gmi_percent == pytest.approx(3.31 + 0.02392 * 125.0, abs=1e-9)  # 6.30 %
    tol = 0.05  # percentage points; one sample is 1/144 %
    assert m.time_in_range_70_180_percent == pytest.approx(100.0 / 3.0, abs=tol)
    assert m.time_above_180_percent == pytest.approx(100.0 / 3.0, abs=tol)
    assert m.time_below_70_percent == pytest.approx(100.0 / 3.0, abs=tol)
    assert m.time_below_54_percent == pytest.approx(27.6668, abs=tol)
    assert m.time_above_250_percent == 0.0
    # starts at the nadir 15, peaks at 235: every upward excursion is 220 mg/dL
    assert m.mage_direction == "up"
    assert m.mage_mgdl == pytest.approx(220.0, abs=1e-9)
    assert m.mage_n_excursions == 2
    assert m.n_readings == 28800
    assert m.n_dropped == 0
    assert m.duration_min == pytest.approx(2 * 1440.0 - 0.1)


def test_gmi_hand_value() -> None:
    # constant 154 mg/dL: GMI = 3.31 + 0.02392*154 = 6.99368 %
    m = cgm_metrics([0.0, 5.0, 10.0], [154.0, 154.0, 154.0])
    assert m.gmi_percent == pytest.approx(6.99368, abs=1e-9)
    assert m.sd_mgdl == 0.0
    assert m.cv_percent == 0.0
    assert math.isnan(m.mage_mgdl)
    assert m.mage_direction == "none"
    assert m.mage_n_excursions == 0


def test_mage_square_wave() -> None:
    # 100/200 square wave, flat runs of 3: SD 50; every swing 100 > SD -> MAGE 100
    g = [100.0, 100.0, 100.0, 200.0, 200.0, 200.0] * 4
    m = cgm_metrics(np.arange(len(g)) * 5.0, g)
    assert m.sd_mgdl == pytest.approx(50.0)
    assert m.mage_mgdl == pytest.approx(100.0)
    assert m.mage_direction == "up"
    assert m.mage_n_excursions == 4


def test_mage_triangle_wave_with_small_dips_on_the_rise() -> None:
    # Each rise 100 -> 150, dips to 145 (a 5 mg/dL swing, far below SD ≈ 32), then -> 200.
    # The dip must not split the 100 mg/dL excursion into 50 + 55.
    period = [100.0, 125.0, 150.0, 145.0, 175.0, 200.0, 175.0, 150.0, 125.0]
    g = period * 3 + [100.0]
    m = cgm_metrics(np.arange(len(g)) * 5.0, g)
    assert 5.0 < m.sd_mgdl < 100.0
    assert m.mage_mgdl == pytest.approx(100.0)
    assert m.mage_direction == "up"
    assert m.mage_n_excursions == 3


def test_mage_keeps_the_higher_peak_when_merging() -> None:
    # swings 100, 10, 5, 95: the smallest (190 -> 195) goes first, leaving 100 -> 200 -> 100
    m = cgm_metrics([0.0, 5.0, 10.0, 15.0, 20.0], [100.0, 200.0, 190.0, 195.0, 100.0])
    assert m.mage_mgdl == pytest.approx(100.0)


@pytest.mark.parametrize(
    ("g", "mage", "direction", "n"),
    [
        # mean 146, SD sqrt(10720/5) = 46.30; swings +80 -60 +100 -110 all > SD; first up
        ([100.0, 180.0, 120.0, 220.0, 110.0], 90.0, "up", 2),
        # mean 152, SD sqrt(18880/5) = 61.45; swings -100 +80 -120 +160; first down
        ([200.0, 100.0, 180.0, 60.0, 220.0], 110.0, "down", 2),
        # mean 178, SD sqrt(27680/5) = 74.40; the 10 mg/dL dip merges: 100 -> 300 -> 100
        ([100.0, 200.0, 190.0, 300.0, 100.0], 200.0, "up", 1),
        # mean 158, SD 47.5; the final 10 mg/dL swing at the edge is dropped
        ([100.0, 200.0, 100.0, 200.0, 190.0], 100.0, "up", 2),
        # documented edge convention: end readings are turning points. mean 150, SD 40.82;
        # swings -50 +100 -100 +100 -50 all > SD; first down -> (50 + 100 + 50) / 3
        ([150.0, 100.0, 200.0, 100.0, 200.0, 150.0], 200.0 / 3.0, "down", 3),
    ],
)
def test_mage_hand_computed(g, mage, direction, n) -> None:
    m = cgm_metrics(np.arange(len(g)) * 5.0, g)
    assert m.mage_mgdl == pytest.approx(mage)
    assert m.mage_direction == direction
    assert m.mage_n_excursions == n


def test_regular_sampling_gives_count_fractions() -> None:
    g = [50.0, 60.0, 100.0, 150.0, 190.0, 260.0, 120.0, 80.0]  # 8 readings
    m = cgm_metrics(np.arange(8) * 5.0, g)
    assert m.time_below_54_percent == pytest.approx(100.0 * 1 / 8)
    assert m.time_below_70_percent == pytest.approx(100.0 * 2 / 8)
    assert m.time_in_range_70_180_percent == pytest.approx(100.0 * 4 / 8)
    assert m.time_above_180_percent == pytest.approx(100.0 * 2 / 8)
    assert m.time_above_250_percent == pytest.approx(100.0 * 1 / 8)
    assert m.mean_mgdl == pytest.approx(sum(g) / 8)


def test_range_boundaries_are_inclusive_for_tir() -> None:
    m = cgm_metrics([0.0, 5.0, 10.0, 15.0], [54.0, 70.0, 180.0, 250.0])
    assert m.time_below_54_percent == 0.0  # 54 is not < 54
    assert m.time_below_70_percent == pytest.approx(25.0)  # 54 only
    assert m.time_in_range_70_180_percent == pytest.approx(50.0)  # 70 and 180
    assert m.time_above_180_percent == pytest.approx(25.0)  # 250
    assert m.time_above_250_percent == 0.0  # 250 is not > 250


def test_irregular_sampling_is_time_weighted() -> None:
    # t = 0, 10, 20, 80: weights 10, (20-0)/2 = 10, (80-10)/2 = 35, 60 (last: its interval)
    # -> total 115 min; the 200 mg/dL reading stands for 60 of them.
    m = cgm_metrics([0.0, 10.0, 20.0, 80.0], [100.0, 100.0, 100.0, 200.0])
    assert m.time_above_180_percent == pytest.approx(100.0 * 60.0 / 115.0)  # 52.17 %, not 25
    assert m.time_in_range_70_180_percent == pytest.approx(100.0 * 55.0 / 115.0)
    assert m.mean_mgdl == pytest.approx((100.0 * 55.0 + 200.0 * 60.0) / 115.0)  # 152.17
    # two-valued distribution: SD = 100 * sqrt(p q) with p = 55/115, q = 60/115
    assert m.sd_mgdl == pytest.approx(100.0 * math.sqrt(55.0 * 60.0) / 115.0)
    assert m.duration_min == 80.0


def test_nan_readings_dropped_and_counted() -> None:
    t = np.arange(10) * 5.0
    g = np.array([100.0, 120.0, NAN, 160.0, 200.0, NAN, 150.0, 90.0, 60.0, 80.0])
    m = cgm_metrics(t, g)
    ok = ~np.isnan(g)
    ref = cgm_metrics(t[ok], g[ok])
    assert m.n_dropped == 2
    assert m.n_readings == 8
    assert ref.n_dropped == 0
    assert {k: v for k, v in vars(m).items() if k != "n_dropped"} == pytest.approx(
        {k: v for k, v in vars(ref).items() if k != "n_dropped"}
    )


def test_cgm_metrics_frozen() -> None:
    m = cgm_metrics([0.0, 5.0], [100.0, 110.0])
    with pytest.raises(AttributeError):
        m.mean_mgdl = 0.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("t", "g", "field"),
    [
        ([], [], "t_min"),
        ([0.0], [100.0], "glucose_mgdl"),  # a single reading
        ([0.0, 5.0, 10.0], [NAN, 100.0, NAN], "glucose_mgdl"),  # one reading left after NaNs
        ([0.0, 5.0], [NAN, NAN], "glucose_mgdl"),
        ([0.0, 5.0, 5.0], [100.0, 110.0, 120.0], "t_min[2]"),  # duplicate time
        ([0.0, 10.0, 5.0], [100.0, 110.0, 120.0], "t_min[2]"),  # decreasing
        ([0.0, NAN, 10.0], [100.0, 110.0, 120.0], "t_min[1]"),
        ([0.0, 5.0, 10.0], [100.0, -110.0, 120.0], "glucose_mgdl[1]"),
        ([0.0, 5.0, 10.0], [100.0, math.inf, 120.0], "glucose_mgdl[1]"),
        ([0.0, 5.0, 10.0], [5.5, 6.1, 7.0], "glucose_mgdl[0]"),  # mmol/L
        ([0.0, 5.0, 10.0], [100.0, 110.0], "glucose_mgdl"),  # lengths differ
    ],
)
def test_cgm_metrics_rejects_bad_input(t, g, field) -> None:
    with pytest.raises(InputError) as exc:
        cgm_metrics(t, g)
    assert exc.value.field == field


# --------------------------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------------------------


@st.composite
def traces(draw, g_min: float = 20.0, g_max: float = 600.0):
    n = draw(st.integers(min_value=2, max_value=60))
    steps = draw(
        st.lists(st.floats(min_value=0.1, max_value=120.0), min_size=n - 1, max_size=n - 1)
    )
    t0 = draw(st.floats(min_value=-1000.0, max_value=1000.0))
    t = t0 + np.concatenate(([0.0], np.cumsum(steps)))
    g = draw(st.lists(st.floats(min_value=g_min, max_value=g_max), min_size=n, max_size=n))
    return t, np.asarray(g)


@settings(deadline=None, max_examples=200)
@given(traces())
def test_time_fractions_partition_the_trace(trace) -> None:
    m = cgm_metrics(*trace)
    total = m.time_below_70_percent + m.time_in_range_70_180_percent + m.time_above_180_percent
    assert total == pytest.approx(100.0, abs=1e-9)
    assert 0.0 <= m.time_below_54_percent <= m.time_below_70_percent <= 100.0 + 1e-9
    assert 0.0 <= m.time_above_250_percent <= m.time_above_180_percent <= 100.0 + 1e-9
    assert trace[1].min() - 1e-9 <= m.mean_mgdl <= trace[1].max() + 1e-9
    if not math.isnan(m.mage_mgdl):
        assert m.mage_mgdl > m.sd_mgdl
        assert m.mage_mgdl <= np.ptp(trace[1]) + 1e-9


@settings(deadline=None, max_examples=100)
@given(traces(g_min=20.0, g_max=1000.0), st.floats(min_value=0.5, max_value=2.5))
def test_cv_scale_invariant_and_mage_scales(trace, c) -> None:
    t, g = trace
    a = cgm_metrics(t, g)
    b = cgm_metrics(t, c * g)
    assert b.mean_mgdl == pytest.approx(c * a.mean_mgdl, rel=1e-9)
    assert b.cv_percent == pytest.approx(a.cv_percent, rel=1e-6, abs=1e-9)
    assert b.mage_direction == a.mage_direction
    if not math.isnan(a.mage_mgdl):
        assert b.mage_mgdl == pytest.approx(c * a.mage_mgdl, rel=1e-6)


@settings(deadline=None, max_examples=100)
@given(
    traces(),
    st.floats(min_value=-1e4, max_value=1e4),
    st.floats(min_value=0.1, max_value=10.0),
)
def test_metrics_invariant_to_time_shift_and_rescale(trace, shift, scale) -> None:
    # percentages weight readings by interval: a uniform change of clock leaves them unchanged
    t, g = trace
    a = cgm_metrics(t, g)
    b = cgm_metrics(shift + scale * t, g)
    for name in (
        "mean_mgdl",
        "sd_mgdl",
        "time_in_range_70_180_percent",
        "time_below_70_percent",
        "time_above_180_percent",
    ):
        assert getattr(b, name) == pytest.approx(getattr(a, name), rel=1e-6, abs=1e-6), name


@settings(deadline=None, max_examples=100)
@given(
    st.lists(st.floats(min_value=64.0, max_value=400.0), min_size=1, max_size=20),
    st.floats(min_value=0.5, max_value=300.0),
)
def test_fasting_indices_vectorised_match_scalars(glucose, insulin) -> None:
    vec = homa_ir(glucose, insulin)
    assert np.allclose(vec, [homa_ir(g, insulin) for g in glucose], rtol=1e-12)
    # HOMA-IR and QUICKI move in opposite directions with insulin
    assert np.all(homa_ir(glucose, 2 * insulin) > vec)
    assert np.all(quicki(glucose, 2 * insulin) < quicki(glucose, insulin))
