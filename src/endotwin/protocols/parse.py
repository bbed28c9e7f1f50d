"""Parse the protocol language into typed steps (lark LALR grammar ``grammar.lark``).

    16:8 fasting; HIIT 3x/week 20 min; whole-food diet, 30 g fibre for 12 weeks
    then ad libitum for 12 weeks

Clauses are separated by ``;`` or new lines; ``then`` starts the next phase; ``for N weeks``
(or days) sets the length of the phase it ends. Every failure is a :class:`ProtocolError` that
quotes the input, points at the offending word and suggests the nearest valid form; nothing is
evaluated, and the parser is linear in the length of the text.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput
from pydantic import ValidationError

from ..errors import ProtocolError
from . import steps
from .presets import preset_regex

MAX_TEXT_CHARS = 5000

#: one example per clause form: the nearest one is suggested when a clause does not parse
EXAMPLES = (
    "16:8 fasting",
    "18:6 fasting",
    "14:10 fasting",
    "eat between 12:00 and 20:00",
    "early TRE 08:00-14:00",
    "8-hour eating window",
    "5:2 fasting at 600 kcal",
    "alternate-day fasting at 500 kcal",
    "one meal a day at 18:00",
    "3-day fast",
    "72-hour fast",
    "1800 kcal/day, 40% carbs, 30 g fibre",
    "20% deficit",
    "ad libitum",
    "whole-food diet",
    "standard western diet",
    "10% saturated fat",
    "glycaemic load 100",
    "20% ultra-processed",
    "omega-3 2 g/day",
    "HIIT 3x/week 20 min",
    "strength training 3x/week 45 min",
    "walk 30 min daily at 18:00",
    "aerobic exercise 5x/week 30 min at 60% VO2max",
    "3 meals a day",
    "meals at 08:00, 13:00 and 19:00",
    "meal at 08:00: 60 g carbs, 20 g fat, 25 g protein",
    "adherence 80%",
    "for 12 weeks",
    "then",
)

#: terminal name -> the words a person would type there (for "expected ..." in errors)
_EXPECTED_WORDS = {
    "NUMBER": "a number",
    "TIME": "a time HH:MM",
    "RATIO": "a fasting ratio like 16:8",
    "SEP": "';' or a new line",
    "THEN": "'then'",
    "KCAL": "'kcal'",
    "MINUTES": "'min'",
    "GRAMS": "'g'",
    "UNIT": "'weeks' or 'days'",
    "_PCT": "'%'",
    "_AND": "'and'",
    "_DASH": "'-'",
    "_COMMA": "','",
    "FIBRE": "'fibre'",
    "VO2": "'VO2max'",
    "CARBS": "'carbs'",
    "FAT": "'fat'",
    "PROTEIN": "'protein'",
    "DEFICIT": "'deficit'",
    "ADHERENCE": "'adherence'",
    "$END": "the end of the text",
}

_WORD = re.compile(r"[^\s;,]+")


@lru_cache(maxsize=1)
def _parser() -> Lark:
    text = files("endotwin.protocols").joinpath("grammar.lark").read_text()
    text = text.replace("@PRESET@", preset_regex())
    return Lark(text, parser="lalr", propagate_positions=True, maybe_placeholders=False)


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[str, ...]:
    words = {w.lower() for ex in EXAMPLES for w in re.findall(r"[A-Za-z][A-Za-z0-9+-]*", ex)}
    words |= {"fasting", "carbohydrate", "fiber", "protein", "saturated", "weeks", "days"}
    return tuple(sorted(words))


def _caret(text: str, start: int, end: int) -> str:
    """The line of ``text`` holding ``start``, with ``^`` under [start, end)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    end = max(start + 1, min(end, line_end))
    return f"  {text[line_start:line_end]}\n  {' ' * (start - line_start)}{'^' * (end - start)}"


def _clause_around(text: str, pos: int) -> str:
    a = max(text.rfind(";", 0, pos), text.rfind("\n", 0, pos)) + 1
    bs = [i for i in (text.find(";", pos), text.find("\n", pos)) if i >= 0]
    return text[a : min(bs) if bs else len(text)].strip()


def _nearest_example(clause: str) -> str | None:
    best = difflib.get_close_matches(clause.lower(), [e.lower() for e in EXAMPLES], 1, 0.3)
    if not best:
        return None
    return next(e for e in EXAMPLES if e.lower() == best[0])


def protocol_error(
    text: str, start: int, end: int, problem: str, suggestion: str | None = None
) -> ProtocolError:
    """A :class:`ProtocolError` quoting ``text`` with ``^`` under [start, end)."""
    msg = f"{problem}\n{_caret(text, start, end)}"
    if suggestion:
        msg += f"\n{suggestion}"
    err = ProtocolError(msg)
    err.text, err.start, err.end, err.suggestion = text, start, end, suggestion  # type: ignore[attr-defined]
    return err


def _syntax_error(text: str, e: UnexpectedInput) -> ProtocolError:
    pos = getattr(e, "pos_in_stream", None)
    if pos is None or isinstance(e, UnexpectedEOF):
        pos = len(text.rstrip())
    m = _WORD.match(text, pos)
    word = m.group(0) if m else text[pos : pos + 1].strip()
    end = pos + max(len(word), 1)
    hints = []
    if word in (",", "and"):
        hints.append("',' joins the parts of one diet or meal; separate steps with ';'")
    close = difflib.get_close_matches(word.lower().strip(".:"), _vocabulary(), 1, 0.6)
    if close and close[0] != word.lower():
        hints.append(f"did you mean '{close[0]}'?")
    expected = sorted(
        {_EXPECTED_WORDS[t] for t in (getattr(e, "expected", None) or ()) if t in _EXPECTED_WORDS}
    )
    if expected and not isinstance(e, UnexpectedCharacters):
        hints.append("expected " + " or ".join(expected[:4]))
    example = _nearest_example(_clause_around(text, pos))
    if example:
        hints.append(f"nearest valid form: '{example}'")
    what = f"cannot read '{word}'" if word else "the protocol ends too early"
    return protocol_error(text, pos, end, f"{what} (position {pos + 1})", "; ".join(hints))


# ---- clause -> step fields ----------------------------------------------------------------


@dataclass
class _Clause:
    """A parsed clause: the step type, its fields, and where each field's value is in the text."""

    kind: str
    cls: type | None
    fields: dict[str, Any]
    spans: dict[str, tuple[int, int]]
    start: int
    end: int
    extra: dict[str, Any] = field(default_factory=dict)


def _num(tok: Token) -> float:
    return float(str(tok))


def _span(tok: Token) -> tuple[int, int]:
    return (tok.start_pos, tok.end_pos)


def _tokens(tree: Tree) -> list[Token]:
    return [t for t in tree.scan_values(lambda v: isinstance(v, Token))]


class _ClauseError(Exception):
    def __init__(self, span: tuple[int, int], problem: str, suggestion: str) -> None:
        self.span, self.problem, self.suggestion = span, problem, suggestion


def _time(tok: Token) -> dt.time:
    h, m = (int(x) for x in str(tok).split(":"))
    if not (0 <= h <= 23 and 0 <= m <= 59):
        if h == 24 and m == 0:
            raise _ClauseError(_span(tok), f"'{tok}' is not a time of day", "use 23:59 or 00:00")
        raise _ClauseError(_span(tok), f"'{tok}' is not a time of day", "times are 00:00-23:59")
    return dt.time(h, m)


def _window_of(hours: int) -> tuple[dt.time, dt.time]:
    """An eating window of ``hours`` ending at 20:00 (starting at 00:00 if longer than 20 h)."""
    if hours <= 20:
        return dt.time(20 - hours, 0), dt.time(20, 0)
    return dt.time(0, 0), dt.time(hours, 0)


def _diet_attr(tree: Tree, fields: dict[str, Any], spans: dict[str, tuple[int, int]]) -> None:
    toks = _tokens(tree)
    num = next((t for t in toks if t.type == "NUMBER"), None)
    rule = tree.data
    name = {
        "energy": "energy_kcal",
        "deficit": "deficit_pct",
        "carbs": "carbs_pct",
        "fat": "fat_pct",
        "protein": "protein_pct",
        "sat_fat": "sat_fat_pct",
        "upf": "ultra_processed_pct",
        "fibre": "fibre_g",
        "gload": "glycaemic_load",
        "ad_lib": "ad_libitum",
        "free_living": "free_living",
        "preset": "preset",
    }[rule]
    if name in fields:
        raise _ClauseError(
            (toks[0].start_pos, toks[-1].end_pos),
            f"the diet gives {name.replace('_', ' ')} twice",
            "give each diet property once",
        )
    if rule in ("ad_lib", "free_living"):
        fields[name], spans[name] = True, _span(toks[0])
    elif rule == "preset":
        fields[name], spans[name] = str(toks[0]), _span(toks[0])
    else:
        assert num is not None
        fields[name], spans[name] = _num(num), _span(num)


def _exercise(tree: Tree) -> tuple[dict[str, Any], dict[str, tuple[int, int]]]:
    from .presets import activity_key

    act = tree.children[0]
    fields: dict[str, Any] = {"activity": activity_key(str(act))}
    spans: dict[str, tuple[int, int]] = {"activity": _span(act)}
    for attr in tree.children[1:]:
        toks = _tokens(attr)
        key = {
            "per_week": "per_week",
            "per_day": "per_week",
            "daily": "per_week",
            "ex_minutes": "minutes",
            "ex_hours": "minutes",
            "ex_time": "time",
            "pct_intensity": "intensity",
            "rpe": "intensity",
            "mets": "intensity",
        }[attr.data]
        if key in fields:
            raise _ClauseError(
                (toks[0].start_pos, toks[-1].end_pos),
                f"the exercise gives its {key.replace('_', ' ')} twice",
                "give frequency, minutes, intensity and time once each",
            )
        span = (toks[0].start_pos, toks[-1].end_pos)
        if attr.data == "per_week":
            fields[key] = int(re.match(r"\d+", str(toks[0])).group(0))  # type: ignore[union-attr]
        elif attr.data == "per_day":
            n = int(re.match(r"\d+", str(toks[0])).group(0))  # type: ignore[union-attr]
            if n != 1:
                raise _ClauseError(
                    span,
                    f"{n} sessions a day of one activity",
                    "at most one session a day per step ('daily'); for a second daily session "
                    "add a step at another time, e.g. 'walk 30 min daily at 07:00'",
                )
            fields[key] = 7
        elif attr.data == "daily":
            fields[key] = 7
        elif attr.data == "ex_minutes":
            fields[key] = _num(toks[0])
        elif attr.data == "ex_hours":
            fields[key] = _num(toks[0]) * 60.0
        elif attr.data == "ex_time":
            fields[key] = _time(toks[0])
        elif attr.data == "pct_intensity":
            vo2 = str(toks[1]).lower().replace(" ", "")
            unit = "%VO2max" if "max" in vo2 else "%VO2R"
            fields[key], fields["intensity_unit"] = _num(toks[0]), unit
        elif attr.data == "rpe":
            num = next(t for t in toks if t.type == "NUMBER")
            fields[key], fields["intensity_unit"] = _num(num), "RPE"
        elif attr.data == "mets":
            fields[key], fields["intensity_unit"] = _num(toks[0]), "MET"
        spans[key] = span
    return fields, spans


def _clause(tree: Tree) -> _Clause:
    rule = tree.data
    toks = _tokens(tree)
    start, end = tree.meta.start_pos, tree.meta.end_pos
    f: dict[str, Any] = {}
    sp: dict[str, tuple[int, int]] = {}

    def c(cls: type | None, kind: str | None = None, **extra: Any) -> _Clause:
        return _Clause(kind or rule, cls, f, sp, start, end, extra)

    if rule == "ratio_fast":
        ratio = toks[0]
        a, b = (int(x) for x in str(ratio).replace(" ", "").split(":"))
        kcal = next((t for t in toks if t.type == "NUMBER"), None)
        if (a, b) == (5, 2):
            f["pattern"] = "5:2"
            if kcal is not None:
                f["fast_day_kcal"], sp["fast_day_kcal"] = _num(kcal), _span(kcal)
            return c(steps.PeriodicFasting)
        if a + b != 24 or not 1 <= b <= 23:
            raise _ClauseError(
                _span(ratio),
                f"'{ratio}' is not a daily fasting:eating ratio (the two must add up to 24 h, "
                "with an eating window of 1-23 h)",
                "e.g. '16:8 fasting', '18:6 fasting', or '5:2 fasting at 600 kcal'",
            )
        if kcal is not None:
            raise _ClauseError(
                _span(kcal), "a daily eating window has no fast-day energy", "'16:8 fasting'"
            )
        f["start"], f["end"] = _window_of(b)
        sp["start"] = sp["end"] = _span(ratio)
        return c(steps.EatingWindow)
    if rule in ("window", "early_tre", "tre_window"):
        times = [t for t in toks if t.type == "TIME"]
        f["start"], f["end"] = _time(times[0]), _time(times[1])
        sp["start"], sp["end"] = _span(times[0]), _span(times[1])
        return c(steps.EatingWindow)
    if rule == "hour_window":
        n = _num(toks[0])
        if not n.is_integer() or not 1 <= n <= 23:
            raise _ClauseError(
                _span(toks[0]),
                f"an eating window of {n:g} h",
                "a whole number of hours, 1-23 (e.g. '8-hour eating window')",
            )
        f["start"], f["end"] = _window_of(int(n))
        sp["start"] = sp["end"] = _span(toks[0])
        return c(steps.EatingWindow)
    if rule == "adf":
        f["pattern"] = "alternate-day"
        kcal = next((t for t in toks if t.type == "NUMBER"), None)
        if kcal is not None:
            f["fast_day_kcal"], sp["fast_day_kcal"] = _num(kcal), _span(kcal)
        return c(steps.PeriodicFasting)
    if rule == "omad":
        t = next((t for t in toks if t.type == "TIME"), None)
        if t is not None:
            f["time"], sp["time"] = _time(t), _span(t)
        n = next((t for t in toks if t.type == "NUMBER"), None)
        if n is not None:
            f["minutes"], sp["minutes"] = _num(n), _span(n)
        return c(steps.OneMealADay)
    if rule in ("day_fast", "hour_fast"):
        n = _num(toks[0])
        days = n if rule == "day_fast" else n / 24.0
        if not float(days).is_integer():
            raise _ClauseError(
                _span(toks[0]),
                f"a fast of {n:g} {'days' if rule == 'day_fast' else 'hours'} is not whole days",
                "prolonged fasts last whole days (e.g. '3-day fast' or '72-hour fast'); for "
                "shorter daily fasts use an eating window such as '16:8 fasting'",
            )
        f["days"], sp["days"] = int(days), _span(toks[0])
        return c(steps.ProlongedFast)
    if rule == "diet":
        for attr in tree.children:
            _diet_attr(attr, f, sp)
        return c(steps.Diet)
    if rule == "omega3":
        n = toks[1]
        f["g_per_day"], sp["g_per_day"] = _num(n), _span(n)
        return c(steps.Omega3)
    if rule == "exercise":
        ef, es = _exercise(tree)
        f.update(ef)
        sp.update(es)
        return c(steps.Exercise)
    if rule == "adherence":
        n = next(t for t in toks if t.type == "NUMBER")
        f["pct"], sp["pct"] = _num(n), _span(n)
        return c(steps.Adherence)
    if rule == "meals_per_day":
        n = _num(toks[0])
        if not n.is_integer():
            raise _ClauseError(_span(toks[0]), f"{n:g} meals a day", "a whole number, 1-8")
        f["per_day"], sp["per_day"] = int(n), _span(toks[0])
        return c(steps.MealPattern)
    if rule == "meals_at":
        times = [t for t in toks if t.type == "TIME"]
        f["times"] = tuple(_time(t) for t in times)
        sp["times"] = (times[0].start_pos, times[-1].end_pos)
        return c(steps.MealPattern)
    if rule == "meal":
        t = next(t for t in toks if t.type == "TIME")
        f["time"], sp["time"] = _time(t), _span(t)
        over = [ch for ch in tree.children if isinstance(ch, Token) and ch.type == "NUMBER"]
        if over:
            f["minutes"], sp["minutes"] = _num(over[0]), _span(over[0])
        for m in (ch for ch in tree.children if isinstance(ch, Tree)):
            mt = _tokens(m)
            name = {"CARBS": "carbs_g", "FAT": "fat_g", "PROTEIN": "protein_g"}[mt[2].type]
            if name in f:
                raise _ClauseError(_span(mt[2]), f"the meal gives {mt[2]} twice", "once each")
            f[name], sp[name] = _num(mt[0]), _span(mt[0])
        return c(steps.Meal)
    if rule == "duration":
        n, unit = toks[1], toks[2]
        u = str(unit).lower()
        if u.startswith("month"):
            raise _ClauseError(
                _span(unit),
                "months have different lengths",
                f"give weeks or days, e.g. 'for {max(1, round(_num(n) * 4.345)):d} weeks'",
            )
        days = _num(n) * (7.0 if u.startswith("w") else 1.0)
        return c(None, "duration", days=days, span=_span(n), value=_num(n))
    if rule == "seed":
        n = toks[1]
        return c(None, "seed", seed=_num(n), span=_span(n))
    raise AssertionError(f"unhandled clause {rule}")  # pragma: no cover


_FIELD_HINT = {
    "energy_kcal": f"energy {steps.MIN_DIET_KCAL:g}-{steps.MAX_DIET_KCAL:g} kcal/day (for a fast: "
    f"'3-day fast', at most {steps.MAX_FAST_DAYS} days)",
    "deficit_pct": "a deficit of 1-75%",
    "carbs_pct": "carbohydrate 0-90% of energy",
    "fat_pct": "fat 0-90% of energy",
    "protein_pct": "protein 5-60% of energy",
    "sat_fat_pct": "saturated fat 0-40% of energy, at most the fat share",
    "fibre_g": "fibre 0-150 g/day",
    "glycaemic_load": "glycaemic load 0-600 per day",
    "ultra_processed_pct": "ultra-processed food 0-100% of energy",
    "g_per_day": "omega-3 above 0 and at most 10 g/day EPA+DHA",
    "per_week": "1-7 sessions a week",
    "minutes": "1-300 min per session",
    "intensity": "1-100% VO2max or VO2R, RPE 6-20, or 1-20 METs",
    "pct": "adherence 0-100%",
    "days": f"a prolonged fast of 1-{steps.MAX_FAST_DAYS} days",
    "per_day": "1-8 meals a day",
    "fast_day_kcal": "0-1200 kcal on a fast day",
    "carbs_g": "0-500 g",
    "fat_g": "0-300 g",
    "protein_g": "0-300 g",
}


_EXAMPLE_FOR: dict[type, str] = {
    steps.Diet: "1800 kcal/day, 40% carbs, 30 g fibre",
    steps.Omega3: "omega-3 2 g/day",
    steps.EatingWindow: "eat between 12:00 and 20:00",
    steps.PeriodicFasting: "5:2 fasting at 600 kcal",
    steps.OneMealADay: "one meal a day at 18:00",
    steps.ProlongedFast: "3-day fast",
    steps.MealPattern: "meals at 08:00, 13:00 and 19:00",
    steps.Meal: "meal at 08:00: 60 g carbs, 20 g fat, 25 g protein",
    steps.Exercise: "strength training 3x/week 45 min at RPE 13",
    steps.Adherence: "adherence 80%",
}


def _build(text: str, cl: _Clause) -> object:
    assert cl.cls is not None
    try:
        return cl.cls(**cl.fields)
    except ValidationError as e:
        err = e.errors()[0]
        loc = err["loc"][0] if err["loc"] else None
        msg = str(err["msg"]).removeprefix("Value error, ")
        if loc is None:  # a model-level check: point at the field it names, if any
            loc = next((f for f in cl.spans if f.split("_")[0] in msg.split(" ")[:1]), None)
        span = cl.spans.get(str(loc), (cl.start, cl.end)) if loc is not None else (cl.start, cl.end)
        what = f"{loc}: {msg}" if loc is not None else msg
        got = text[span[0] : span[1]]
        hint = _FIELD_HINT.get(str(loc), "")
        example = _EXAMPLE_FOR.get(cl.cls) or _nearest_example(text[cl.start : cl.end])
        sugg = "accepted: " + hint if hint else ""
        if example:
            sugg += ("; " if sugg else "") + f"e.g. '{example}'"
        raise protocol_error(text, span[0], span[1], f"'{got}': {what}", sugg) from None


def parse_fields(text: str) -> dict[str, Any]:
    """Parse protocol text to the fields of a :class:`Protocol` (phases and seed)."""
    if not isinstance(text, str):
        raise ProtocolError(f"a protocol is text; got {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        raise protocol_error(
            text[:200],
            0,
            1,
            f"the protocol text has {len(text)} characters",
            f"at most {MAX_TEXT_CHARS}",
        )
    if not text.strip():
        raise protocol_error(text or " ", 0, 1, "the protocol is empty", "e.g. '16:8 fasting'")
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as e:
        raise _syntax_error(text, e) from None
    except LarkError as e:  # pragma: no cover (any other lark failure is still a ProtocolError)
        raise protocol_error(text, 0, len(text), f"cannot read the protocol ({e})") from None
    phases: list[dict[str, Any]] = []
    current: list[tuple[_Clause, object]] = []
    days: tuple[float, tuple[int, int]] | None = None
    seed = 0
    phase_start = 0
    prev: _Clause | None = None
    separated = True

    def close(at: int, then: Token | None = None) -> None:
        nonlocal current, days, phase_start
        if not current and days is None:
            if then is None and not phases:
                raise protocol_error(
                    text,
                    0,
                    max(len(text), 1),
                    "the protocol has no steps",
                    "e.g. '16:8 fasting; HIIT 3x/week 20 min for 12 weeks'",
                )
            a, b = (then.start_pos, then.end_pos) if then is not None else (phase_start, at)
            raise protocol_error(
                text,
                a,
                max(b, a + 1),
                "an empty phase " + ("before this 'then'" if then is not None else "at the end"),
                "e.g. '16:8 fasting for 12 weeks then ad libitum'",
            )
        if (
            then is not None
            and days is None
            and not any(isinstance(s, steps.ProlongedFast) for _, s in current)
        ):
            raise protocol_error(
                text,
                then.start_pos,
                then.end_pos,
                "the phase before 'then' has no length",
                "end it with its length, e.g. '16:8 fasting for 12 weeks then ad libitum'",
            )
        length = None if days is None else days[0]
        try:
            ph = steps.Phase(steps=tuple(s for _, s in current), days=length)
        except ValidationError as e:
            err = e.errors()[0]
            msg = str(err["msg"]).removeprefix("Value error, ")
            if err["loc"] and err["loc"][0] == "days" and days is not None:
                raise protocol_error(
                    text, *days[1], f"phase length: {msg}", f"1-{steps.MAX_PHASE_DAYS:g} days"
                ) from None
            # point at the first clause whose addition makes the phase invalid (a phase has few
            # steps; the search is skipped for very long ones to keep the parse linear)
            culprit = current[-1][0]
            for k in range(1, len(current) + 1 if len(current) <= 30 else 0):
                try:
                    steps.Phase(steps=tuple(s for _, s in current[:k]))
                except ValidationError:
                    culprit = current[k - 1][0]
                    break
            raise protocol_error(
                text,
                culprit.start,
                culprit.end,
                msg,
                "a phase holds one step of each kind "
                "(exercise steps may repeat); start another phase with 'then'",
            ) from None
        phases.append(ph.model_dump(mode="python"))
        current, days = [], None
        phase_start = at

    for item in tree.children:
        if isinstance(item, Token):
            if item.type == "SEP":
                separated = True
            else:  # THEN
                close(item.start_pos, item)
                phase_start, separated, prev = item.end_pos, True, None
            continue
        try:
            cl = _clause(item)
        except _ClauseError as ce:
            raise protocol_error(text, *ce.span, ce.problem, ce.suggestion) from None
        if cl.kind == "duration":
            if days is not None:
                raise protocol_error(
                    text,
                    cl.start,
                    cl.end,
                    "this phase already has a length",
                    "start a new phase with 'then', e.g. '16:8 fasting for 12 weeks then ad "
                    "libitum for 12 weeks'",
                )
            if cl.extra["value"] <= 0:
                raise protocol_error(
                    text,
                    *cl.extra["span"],
                    "a phase must last longer than 0",
                    "e.g. 'for 12 weeks'",
                )
            if not float(cl.extra["days"]).is_integer() or cl.extra["days"] > steps.MAX_PHASE_DAYS:
                raise protocol_error(
                    text,
                    *cl.extra["span"],
                    f"a phase of {cl.extra['days']:g} days",
                    f"phases last whole days, at most {steps.MAX_PHASE_DAYS:g}: e.g. 'for 10 days'",
                )
            days = (cl.extra["days"], cl.extra["span"])
            prev = cl
            continue
        if cl.kind == "seed":
            s = cl.extra["seed"]
            if not (float(s).is_integer() and 0 <= s < 2**32):
                raise protocol_error(text, *cl.extra["span"], "seed", "a whole number >= 0")
            seed = int(s)
            continue
        if prev is not None and not separated:
            raise protocol_error(
                text,
                cl.start,
                cl.end,
                f"'{text[cl.start : cl.end]}' follows "
                f"'{text[prev.start : prev.end]}' without a separator",
                "separate steps with ';' or a new line",
            )
        if days is not None:
            raise protocol_error(
                text,
                cl.start,
                cl.end,
                "a step after the phase's length ('for ...')",
                "put 'then' before the next phase",
            )
        if cl.cls is steps.Diet:  # "whole-food diet; 1800 kcal/day" is one diet
            k = next((i for i, (c, _) in enumerate(current) if c.cls is steps.Diet), None)
            if k is not None:
                first = current.pop(k)[0]
                for name, span in cl.spans.items():
                    if name in first.fields:
                        raise protocol_error(
                            text,
                            *span,
                            f"the phase's diet gives {name.replace('_', ' ')} twice",
                            "give each diet property once",
                        )
                cl = _Clause(
                    "diet",
                    steps.Diet,
                    {**first.fields, **cl.fields},
                    {**first.spans, **cl.spans},
                    cl.start,
                    cl.end,
                )
        current.append((cl, _build(text, cl)))
        prev, separated = cl, False
    close(len(text))
    return {"phases": phases, "seed": seed}


def parse_protocol(text: str) -> steps.Protocol:
    """Parse protocol text into a :class:`Protocol` (raises :class:`ProtocolError`)."""
    return steps.Protocol(text)


__all__ = ["EXAMPLES", "parse_fields", "parse_protocol", "protocol_error"]
