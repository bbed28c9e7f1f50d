"""Protocol-layer timings against peers in the same process (not part of the test suite).

- parsing the protocol language vs loading the same protocol from its typed JSON form
  (``Protocol.model_validate_json``, pydantic's compiled validator) and vs ``json.loads`` alone;
- compiling a 12-week protocol for one person vs simulating the compiled schedule.

Run: python benchmarks/bench_protocols.py
"""

from __future__ import annotations

import json
import time

import endotwin as et
from endotwin.physiology import simulate_physiology
from endotwin.protocols import Protocol, compile_protocol
from endotwin.protocols.parse import EXAMPLES

TEXTS = [e for e in EXAMPLES if e not in ("then", "for 12 weeks")] + [
    "16:8 fasting; whole-food diet, 30 g fibre; omega-3 2 g/day; HIIT 3x/week 20 min; strength "
    "training 2x/week 45 min at 07:00; adherence 80% for 12 weeks then ad libitum for 12 weeks"
]


def per_call(fn, reps: int) -> float:
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        best = min(best, (time.perf_counter() - t) / reps)
    return best


def main() -> None:
    Protocol("16:8 fasting")  # build the parser once
    protos = [Protocol(t) for t in TEXTS]
    jsons = [p.model_dump_json() for p in protos]
    t_parse = per_call(lambda: [Protocol(t) for t in TEXTS], 50) / len(TEXTS)
    t_typed = per_call(lambda: [Protocol.model_validate_json(j) for j in jsons], 50) / len(TEXTS)
    t_json = per_call(lambda: [json.loads(j) for j in jsons], 200) / len(TEXTS)
    print(f"{len(TEXTS)} protocols; per protocol:")
    print(f"  parse text           {1e6 * t_parse:9.1f} us")
    print(
        f"  typed JSON (pydantic){1e6 * t_typed:9.1f} us   parse/typed = {t_parse / t_typed:.1f}x"
    )
    print(f"  json.loads only      {1e6 * t_json:9.1f} us   parse/json  = {t_parse / t_json:.0f}x")

    person = et.demo_person()
    text = TEXTS[-1]
    c = compile_protocol(text, person)  # warm
    t_compile = per_call(lambda: compile_protocol(text, person), 3)
    simulate_physiology(person, c.schedule, days=c.days)  # warm (numba, baselines)
    t0 = time.perf_counter()
    simulate_physiology(person, c.schedule, days=c.days)
    t_sim = time.perf_counter() - t0
    print(
        f"compile 24 weeks for one person: {1e3 * t_compile:.1f} ms; simulate it: "
        f"{1e3 * t_sim:.0f} ms; compile/simulate = {t_compile / t_sim:.3f}"
    )


if __name__ == "__main__":
    main()
