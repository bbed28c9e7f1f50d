"""Read continuous-glucose-monitor (CGM) exports into clean traces and a report of what was dropped.

Formats (detected from the header with ``format="auto"``):

- ``"generic"``: a CSV with ``time`` (ISO date-time) and ``glucose_mgdl`` / ``glucose_mmoll``, or
  ``glucose`` / ``gl`` with the unit given as ``unit=``; optional ``id`` (one trace per id). iglu's
  layout (``"",id,time,gl``, an unnamed index column first) is read as such; extra columns are
  ignored.
- ``"dexcom"``: a Dexcom Clarity CSV export (``Index, Timestamp (YYYY-MM-DDThh:mm:ss), Event Type,
  ..., Glucose Value (mg/dL), ...``). Only ``EGV`` rows are glucose readings; the rows before them
  (FirstName, LastName, Device, Alert, ...) and calibrations, insulin, carbs, ... are counted and
  dropped. The unit comes from the glucose column's header.
- ``"libre"``: a FreeStyle Libre (LibreView) CSV export: a title line (``Glucose Data,Generated
  on,...``), then the header (``Device, Serial Number, Device Timestamp, Record Type, Historic
  Glucose mg/dL, Scan Glucose mg/dL, ...``). Record type 0 (historic) and 1 (scan) are glucose
  readings; other record types (strip glucose, insulin, food, time changes, ...) are counted and
  dropped. Dates ``DD-MM-YYYY HH:MM`` and ``MM-DD-YYYY HH:MM`` are told apart from the data (a day
  above 12); when every date could be either, the reader refuses and asks for ``date_format=``.

Sensor limits. Dexcom G6/G7 report 40-400 mg/dL and write ``Low`` / ``High`` outside it (Dexcom G6
user guide); FreeStyle Libre readers write LO/HI outside their range (40-400 or 40-500 mg/dL by
model). Such readings are **kept, flagged as censored** (``CGMTrace.flags`` -1 below / +1 above the
range, the value stored is the limit): dropping them would bias a fit towards the middle of the
range, and a fitter can treat them as censored or mask them (``trace.flags == 0``). Numeric Dexcom
and Libre readings outside 40-400 mg/dL are kept with their value and flagged the same way.

Cleaning, in order: rows that are not glucose readings are dropped; readings with a missing or
unparseable glucose or time are dropped; readings are sorted by time per subject (out-of-order ones
are counted); readings at a timestamp already seen for that subject are dropped (the first is kept).
Gaps longer than 15 min between consecutive kept readings are counted with their total length.

Refused with :class:`InputError`: an empty file; a file whose glucose looks like the other unit
(declared mg/dL with a median below 25, or mmol/L with a median above 35); a reading outside the
physiologic limits 20-700 mg/dL (the error names the line and the value); a subject whose readings
all share one timestamp; a subject with fewer than 2 readings after cleaning (nothing to fit).

The readers never print: the caller shows :meth:`DropReport.summary` if it wants to.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..units import GLUCOSE_MGDL_PER_MMOLL, normalise_unit

FORMATS = ("generic", "dexcom", "libre")
#: physiologic limits of (interstitial) glucose [mg/dL]: a reading outside is a unit or data error
PHYSIOLOGIC_RANGE_MGDL = (20.0, 700.0)
#: reportable range of Dexcom G6/G7 (and the lower common range of FreeStyle Libre models) [mg/dL]
SENSOR_RANGE_MGDL: dict[str, tuple[float, float] | None] = {
    "dexcom": (40.0, 400.0),
    "libre": (40.0, 400.0),
    "generic": None,
}
#: a gap is an interval between consecutive readings longer than this (Dexcom samples every 5 min,
#: Libre historic every 15 min)
GAP_THRESHOLD_MIN = 15.0
#: unit sanity on the median reading: mg/dL below 25 or mmol/L above 35 is the other unit
MGDL_MEDIAN_MIN = 25.0
MMOLL_MEDIAN_MAX = 35.0

_LOW_TEXT = {"low", "lo"}
_HIGH_TEXT = {"high", "hi"}
_MISSING_TEXT = {"", "na", "nan", "null", "none"}
_DM_DATE = re.compile(
    r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})[ T]+"
    r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?\s*$"
)


@dataclass(frozen=True, eq=False)
class CGMTrace:
    """One subject's CGM readings, sorted, de-duplicated, glucose in mg/dL.

    ``times``: ``datetime64[s]`` (naive local clock time as exported; offsets converted to UTC).
    ``flags``: per reading, -1 at/below the sensor's lower limit (``Low``), +1 at/above the upper
    (``High``), 0 a measured value inside the sensor range.
    """

    subject: str
    times: np.ndarray
    glucose_mgdl: np.ndarray
    flags: np.ndarray
    source_format: str
    unit_read: str

    @property
    def minutes(self) -> np.ndarray:
        """Minutes from the first reading."""
        return (self.times - self.times[0]) / np.timedelta64(1, "s") / 60.0

    @property
    def start(self) -> datetime:
        """Time of the first reading."""
        return self.times[0].astype("datetime64[s]").astype(datetime)

    def __len__(self) -> int:
        return int(self.times.size)


@dataclass(frozen=True)
class DropReport:
    """What a CGM reader read, kept and dropped (counts over all subjects of the file).

    ``rows_read = kept + non_glucose_rows + missing_glucose + bad_time + duplicates``. Flagged
    (censored) readings are part of ``kept``.
    """

    format: str
    unit: str
    subjects: int
    rows_read: int
    kept: int
    non_glucose_rows: int
    missing_glucose: int
    bad_time: int
    duplicates: int
    flagged_low: int
    flagged_high: int
    reordered: int
    gaps: int
    gap_minutes: float
    gap_threshold_min: float = GAP_THRESHOLD_MIN

    def summary(self) -> str:
        """One paragraph for a person to read."""
        parts = [
            f"Read {self.rows_read} rows of a {self.format} CGM file in {self.unit}: kept "
            f"{self.kept} glucose readings for {self.subjects} subject(s)."
        ]
        dropped = []
        if self.non_glucose_rows:
            dropped.append(
                f"{self.non_glucose_rows} rows that are not glucose readings (header, "
                "calibration, insulin, carbs or other events)"
            )
        if self.missing_glucose:
            dropped.append(f"{self.missing_glucose} with a missing or unparseable glucose")
        if self.bad_time:
            dropped.append(f"{self.bad_time} with a missing or unparseable time")
        if self.duplicates:
            dropped.append(f"{self.duplicates} at a timestamp already read (first kept)")
        parts.append(f"Dropped {'; '.join(dropped)}." if dropped else "Nothing was dropped.")
        if self.flagged_low or self.flagged_high:
            parts.append(
                f"{self.flagged_low} reading(s) below and {self.flagged_high} above the sensor's "
                "range were kept, flagged as censored at the limit."
            )
        if self.reordered:
            parts.append(f"{self.reordered} reading(s) out of time order were sorted.")
        if self.gaps:
            parts.append(
                f"{self.gaps} gap(s) longer than {self.gap_threshold_min:g} min, "
                f"{self.gap_minutes:.0f} min ({self.gap_minutes / 60:.1f} h) in total."
            )
        else:
            parts.append(f"No gaps longer than {self.gap_threshold_min:g} min.")
        return " ".join(parts)


@dataclass(frozen=True)
class CGMRead:
    """The traces of a CGM file (one per subject, in order of first appearance) and its report."""

    traces: list[CGMTrace]
    report: DropReport

    @property
    def subjects(self) -> list[str]:
        """Subject ids, in order of first appearance in the file."""
        return [t.subject for t in self.traces]

    def trace(self, subject: str) -> CGMTrace:
        """The trace of ``subject``."""
        for t in self.traces:
            if t.subject == subject:
                return t
        raise InputError("subject", subject, f"one of {self.subjects}")

    def __iter__(self) -> Iterator[CGMTrace]:
        return iter(self.traces)


@dataclass
class _Row:
    line: int
    subject: str
    time: str
    value: str


@dataclass
class _Parsed:
    """Rows of a file in a known layout, before cleaning."""

    format: str
    unit: str | None
    rows: list[_Row]
    non_glucose: int
    rows_read: int


# --- layouts -----------------------------------------------------------------------------------


def _records(text: str) -> list[tuple[int, list[str]]]:
    """CSV records with their (1-based) line numbers; the delimiter is sniffed from the header."""
    first = text.split("\n", 1)[0]
    delim = ";" if first.count(";") > first.count(",") else "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    out = []
    for rec in reader:
        if any(c.strip() for c in rec):
            out.append((reader.line_num, [c.strip() for c in rec]))
    return out


def _detect(records: list[tuple[int, list[str]]]) -> str:
    head = " ".join(" ".join(r) for _, r in records[:2]).lower()
    if "event type" in head and "glucose value" in head:
        return "dexcom"
    if "device timestamp" in head and "record type" in head:
        return "libre"
    return "generic"


def _unit_in_header(name: str) -> str | None:
    low = name.lower().replace(" ", "")
    if "mg/dl" in low:
        return "mg/dL"
    if "mmol/l" in low:
        return "mmol/L"
    return None


def _column(header: list[str], src: str, fmt: str, *starts: str) -> int:
    low = [h.lower() for h in header]
    for s in starts:
        for i, h in enumerate(low):
            if h.startswith(s):
                return i
    raise InputError(f"{src}: header", header, f"a {fmt} export with a column {starts[0]!r}")


def _cell(rec: list[str], i: int) -> str:
    return rec[i] if i < len(rec) else ""


def _parse_dexcom(records: list[tuple[int, list[str]]], src: str, subject: str) -> _Parsed:
    (_, header), body = records[0], records[1:]
    it = _column(header, src, "Dexcom Clarity", "timestamp")
    ie = _column(header, src, "Dexcom Clarity", "event type")
    ig = _column(header, src, "Dexcom Clarity", "glucose value")
    rows, other = [], 0
    for line, rec in body:
        if _cell(rec, ie).upper() != "EGV":
            other += 1
            continue
        rows.append(_Row(line, subject, _cell(rec, it), _cell(rec, ig)))
    return _Parsed("dexcom", _unit_in_header(header[ig]), rows, other, len(body))


def _parse_libre(records: list[tuple[int, list[str]]], src: str, subject: str) -> _Parsed:
    k = next(
        (i for i, (_, r) in enumerate(records[:3]) if "device timestamp" in " ".join(r).lower()), 0
    )
    (_, header), body = records[k], records[k + 1 :]
    it = _column(header, src, "LibreView", "device timestamp")
    ir = _column(header, src, "LibreView", "record type")
    ih = _column(header, src, "LibreView", "historic glucose")
    isc = _column(header, src, "LibreView", "scan glucose")
    unit_h, unit_s = _unit_in_header(header[ih]), _unit_in_header(header[isc])
    if unit_h and unit_s and unit_h != unit_s:
        raise InputError(f"{src}: header", [header[ih], header[isc]], "one glucose unit")
    rows, other = [], 0
    for line, rec in body:
        kind = _cell(rec, ir)
        if kind not in ("0", "1"):
            other += 1
            continue
        value = _cell(rec, ih if kind == "0" else isc)
        rows.append(_Row(line, subject, _cell(rec, it), value))
    return _Parsed("libre", unit_h or unit_s, rows, other, len(body))


_GENERIC_GLUCOSE = {"glucose_mgdl": "mg/dL", "glucose_mmoll": "mmol/L", "glucose": None, "gl": None}


def _parse_generic(records: list[tuple[int, list[str]]], src: str, subject: str) -> _Parsed:
    (_, header), body = records[0], records[1:]
    low = [h.lower() for h in header]
    it = next((i for i, h in enumerate(low) if h in ("time", "timestamp", "datetime")), None)
    ig = next((i for i, h in enumerate(low) if h in _GENERIC_GLUCOSE), None)
    if it is None or ig is None:
        raise InputError(
            f"{src}: header",
            header,
            "a CGM CSV with columns time and glucose_mgdl / glucose_mmoll (or glucose / gl with "
            "unit=...), optional id; or a Dexcom Clarity or LibreView export",
        )
    iid = next((i for i, h in enumerate(low) if h in ("id", "subject")), None)
    rows = [
        _Row(
            line,
            subject if iid is None else _cell(rec, iid) or subject,
            _cell(rec, it),
            _cell(rec, ig),
        )
        for line, rec in body
    ]
    return _Parsed("generic", _GENERIC_GLUCOSE[low[ig]], rows, 0, len(body))


_PARSERS = {"dexcom": _parse_dexcom, "libre": _parse_libre, "generic": _parse_generic}


# --- values --------------------------------------------------------------------------------------


def _resolve_unit(parsed: _Parsed, unit: str | None, src: str) -> str:
    given = None
    if unit is not None:
        given = normalise_unit(unit)
        if given not in ("mg/dL", "mmol/L"):
            raise InputError("unit", unit, "'mg/dL' or 'mmol/L'")
    if parsed.unit and given and parsed.unit != given:
        raise InputError(
            "unit", unit, f"the file's own unit, {parsed.unit}", f"{src} declares {parsed.unit}."
        )
    resolved = parsed.unit or given
    if resolved is None:
        raise InputError(
            f"{src}: glucose unit",
            None,
            "'mg/dL' or 'mmol/L'",
            "The file does not say its unit: pass unit='mg/dL' or unit='mmol/L', or name the "
            "column glucose_mgdl / glucose_mmoll.",
        )
    return resolved


def _parse_times(texts: list[str], date_format: str | None, src: str) -> list[datetime | None]:
    """Parse ISO date-times, or DD-MM-YYYY / MM-DD-YYYY told apart over the whole file."""
    if date_format is not None:
        out: list[datetime | None] = []
        for t in texts:
            try:
                out.append(datetime.strptime(t.strip(), date_format))
            except ValueError:
                out.append(None)
        return out
    iso: list[datetime | None] = []
    dm: dict[int, re.Match[str]] = {}
    for i, t in enumerate(texts):
        try:
            d = datetime.fromisoformat(t.strip())
            if d.tzinfo is not None:
                d = d.astimezone(UTC).replace(tzinfo=None)
            iso.append(d)
        except ValueError:
            iso.append(None)
            m = _DM_DATE.match(t)
            if m:
                dm[i] = m
    if not dm:
        return iso
    first_gt12 = next((m.group(0) for m in dm.values() if int(m.group(1)) > 12), None)
    second_gt12 = next((m.group(0) for m in dm.values() if int(m.group(2)) > 12), None)
    if first_gt12 and second_gt12:
        raise InputError(
            f"{src}: time",
            [first_gt12, second_gt12],
            "one date order through the file",
            "Pass date_format=, e.g. '%d-%m-%Y %H:%M'.",
        )
    if not first_gt12 and not second_gt12:
        raise InputError(
            f"{src}: time",
            next(iter(dm.values())).group(0),
            "dates whose day and month can be told apart",
            "Every date has day and month <= 12, so DD-MM-YYYY and MM-DD-YYYY cannot be told "
            "apart; pass date_format='%d-%m-%Y %H:%M' or date_format='%m-%d-%Y %H:%M'.",
        )
    day_first = first_gt12 is not None
    for i, m in dm.items():
        a, b, y, hh, mm, ss, ampm = m.groups()
        day, month = (int(a), int(b)) if day_first else (int(b), int(a))
        hour = int(hh)
        if ampm:
            hour = hour % 12 + (12 if ampm.lower() == "pm" else 0)
        try:
            iso[i] = datetime(int(y), month, day, hour, int(mm), int(ss or 0))
        except ValueError:
            iso[i] = None
    return iso


def _value(text: str) -> tuple[float | None, int]:
    """``(number or None, flag)``: flag -1 for ``Low``, +1 for ``High`` (number None), else 0."""
    low = text.strip().lower()
    if low in _LOW_TEXT:
        return None, -1
    if low in _HIGH_TEXT:
        return None, 1
    if low in _MISSING_TEXT:
        return None, 0
    try:
        v = float(low.replace(",", "."))
    except ValueError:
        return None, 0
    return (v, 0) if math.isfinite(v) else (None, 0)


def _check_unit(values: list[float], unit: str, src: str) -> None:
    if not values:
        return
    median = float(np.median(values))
    if unit == "mg/dL" and median < MGDL_MEDIAN_MIN:
        raise InputError(
            f"{src}: glucose unit",
            f"mg/dL (median reading {median:g})",
            "readings in the declared unit",
            "A median below 25 mg/dL is impossible; the file looks like mmol/L. Declare "
            "unit='mmol/L' (or name the column glucose_mmoll).",
        )
    if unit == "mmol/L" and median > MMOLL_MEDIAN_MAX:
        raise InputError(
            f"{src}: glucose unit",
            f"mmol/L (median reading {median:g})",
            "readings in the declared unit",
            "A median above 35 mmol/L is impossible; the file looks like mg/dL. Declare "
            "unit='mg/dL' (or name the column glucose_mgdl).",
        )


# --- reader --------------------------------------------------------------------------------------


def read_cgm(
    path: str | Path,
    unit: str | None = None,
    format: str = "auto",
    *,
    date_format: str | None = None,
    subject: str | None = None,
    gap_threshold_min: float = GAP_THRESHOLD_MIN,
) -> CGMRead:
    """Read a CGM export into one :class:`CGMTrace` per subject and a :class:`DropReport`.

    ``unit``: ``"mg/dL"`` or ``"mmol/L"`` for files whose header does not say it (must agree with
    the header when it does). ``format``: ``"auto"`` or one of :data:`FORMATS`. ``date_format``:
    a :func:`datetime.strptime` format for the timestamps when they are not ISO and their
    day/month order cannot be detected. ``subject``: id for single-subject files (default: the
    file's stem). See the module docstring for what is dropped, flagged and refused.
    """
    p = Path(path)
    src = p.name
    if not p.exists():
        raise InputError("CGM file", str(p), "an existing CSV file")
    text = p.read_text(encoding="utf-8-sig", errors="replace")
    records = _records(text)
    if not records:
        raise InputError(f"{src}", "an empty file", "a CGM export with a header and readings")
    fmt = _detect(records) if format == "auto" else format
    if fmt not in FORMATS:
        raise InputError("format", format, f"'auto' or one of {list(FORMATS)}")
    parsed = _PARSERS[fmt](records, src, subject or p.stem)
    if not parsed.rows:
        raise InputError(f"{src}", "no glucose readings", "a CGM export with at least 2 readings")
    u = _resolve_unit(parsed, unit, src)
    to_mgdl = GLUCOSE_MGDL_PER_MMOLL if u == "mmol/L" else 1.0
    sensor = SENSOR_RANGE_MGDL[fmt]

    values = [_value(r.value) for r in parsed.rows]
    _check_unit([v for v, _ in values if v is not None], u, src)
    times = _parse_times([r.time for r in parsed.rows], date_format, src)

    missing = bad_time = 0
    by_subject: dict[str, list[tuple[datetime, float, int]]] = {}
    lo_phys, hi_phys = PHYSIOLOGIC_RANGE_MGDL
    for row, (v, flag), t in zip(parsed.rows, values, times, strict=True):
        if v is None and (flag == 0 or sensor is None):
            missing += 1  # Low/High text without a known sensor range cannot be given a value
            continue
        if v is None:
            g = sensor[0] if flag < 0 else sensor[1]
        else:
            g = v * to_mgdl
            if not (lo_phys <= g <= hi_phys):
                raise InputError(
                    f"{src} line {row.line}: glucose",
                    f"{row.value} {u}" + (f" (= {g:.4g} mg/dL)" if u != "mg/dL" else ""),
                    f"[{lo_phys:g}, {hi_phys:g}] mg/dL (physiologic limits)",
                    "Fix or remove the reading; it is not clipped.",
                )
            if sensor is not None and g < sensor[0]:
                flag = -1
            elif sensor is not None and g > sensor[1]:
                flag = 1
        if t is None:
            bad_time += 1
            continue
        by_subject.setdefault(row.subject, []).append((t, g, flag))

    traces: list[CGMTrace] = []
    reordered = duplicates = gaps = 0
    gap_minutes = 0.0
    for sid, readings in by_subject.items():
        stamps = [r[0] for r in readings]
        latest = stamps[0]
        for s in stamps[1:]:
            if s < latest:
                reordered += 1
            latest = max(latest, s)
        if len(stamps) >= 2 and all(s == stamps[0] for s in stamps):
            raise InputError(
                f"{src}: time (subject {sid})",
                str(stamps[0]),
                "readings at different times",
                f"All {len(stamps)} readings share one timestamp; the file's times are broken.",
            )
        readings.sort(key=lambda r: r[0])  # stable: the first of equal times stays first
        kept = [readings[0]]
        for r in readings[1:]:
            if r[0] == kept[-1][0]:
                duplicates += 1
            else:
                kept.append(r)
        if len(kept) < 2:
            raise InputError(
                f"{src}: readings (subject {sid})",
                len(kept),
                "at least 2 readings after cleaning",
                "A single reading cannot be fitted.",
            )
        t64 = np.array([r[0] for r in kept], dtype="datetime64[s]")
        dt = np.diff(t64) / np.timedelta64(1, "s") / 60.0
        gaps += int(np.sum(dt > gap_threshold_min))
        gap_minutes += float(np.sum(dt[dt > gap_threshold_min]))
        traces.append(
            CGMTrace(
                subject=sid,
                times=t64,
                glucose_mgdl=np.array([r[1] for r in kept], dtype=float),
                flags=np.array([r[2] for r in kept], dtype=np.int8),
                source_format=fmt,
                unit_read=u,
            )
        )
    if not traces:
        raise InputError(
            f"{src}", "no usable readings", "at least 2 readings with time and glucose"
        )
    flags = np.concatenate([t.flags for t in traces])
    report = DropReport(
        format=fmt,
        unit=u,
        subjects=len(traces),
        rows_read=parsed.rows_read,
        kept=int(flags.size),
        non_glucose_rows=parsed.non_glucose,
        missing_glucose=missing,
        bad_time=bad_time,
        duplicates=duplicates,
        flagged_low=int(np.sum(flags < 0)),
        flagged_high=int(np.sum(flags > 0)),
        reordered=reordered,
        gaps=gaps,
        gap_minutes=gap_minutes,
        gap_threshold_min=gap_threshold_min,
    )
    return CGMRead(traces=traces, report=report)
