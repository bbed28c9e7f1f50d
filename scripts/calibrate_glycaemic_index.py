"""Tabulate the meal gut-rate factor r against the 2-h iAUC ratio (see
endotwin.protocols.glycaemic_index). Run: python scripts/calibrate_glycaemic_index.py"""

from pathlib import Path

import numpy as np

from endotwin.protocols.glycaemic_index import simulate_iauc_ratios

OUT = Path(__file__).parent.parent / "src/endotwin/protocols/data/gi_gut_rate.csv"


def main() -> None:
    factors = np.exp(np.linspace(np.log(0.15), np.log(4.0), 40))
    factors = np.sort(np.append(factors, 1.0))  # the fitted meal exactly on the grid
    ratios = simulate_iauc_ratios(factors)
    assert np.all(np.diff(ratios) > 0), "iAUC must rise with the gut rate"
    lines = ["gut_rate_factor,iauc_ratio"]
    lines += [f"{f:.6f},{r:.6f}" for f, r in zip(factors, ratios, strict=True)]
    OUT.write_text("\n".join(lines) + "\n")
    print(f"wrote {OUT}: ratio {ratios[0]:.3f}-{ratios[-1]:.3f}")


if __name__ == "__main__":
    main()
