"""The literature behind endotwin, and the registry that ``et.cite`` reads.

Each model component and parameter set names the keys it uses; ``cite(solution)`` prints only the
works behind what was simulated (the idea of PyBaMM's ``print_citations``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Citation:
    """One published work."""

    key: str
    text: str
    doi: str = ""

    def __str__(self) -> str:
        return f"{self.text} doi:{self.doi}" if self.doi else self.text


CITATIONS: dict[str, Citation] = {
    c.key: c
    for c in [
        Citation(
            "DallaMan2007",
            "Dalla Man C, Rizza RA, Cobelli C. Meal simulation model of the glucose-insulin "
            "system. IEEE Trans Biomed Eng 54(10):1740-1749, 2007.",
            "10.1109/TBME.2007.893506",
        ),
        Citation(
            "DallaMan2006",
            "Dalla Man C, Camilleri M, Cobelli C. A system model of oral glucose absorption: "
            "validation on gold standard data. IEEE Trans Biomed Eng 53(12):2472-2478, 2006.",
            "10.1109/TBME.2006.883792",
        ),
        Citation(
            "DallaMan2014",
            "Dalla Man C, Micheletto F, Lv D, Breton M, Kovatchev B, Cobelli C. The UVA/PADOVA "
            "type 1 diabetes simulator: new features. J Diabetes Sci Technol 8(1):26-34, 2014.",
            "10.1177/1932296813514502",
        ),
        Citation(
            "DallaMan2009",
            "Dalla Man C, Breton MD, Cobelli C. Physical activity into the meal glucose-insulin "
            "model of type 1 diabetes: in silico studies. J Diabetes Sci Technol 3(1):56-67, 2009.",
            "10.1177/193229680900300107",
        ),
        Citation(
            "Breton2008",
            "Breton MD. Physical activity - the major unaccounted impediment to closed loop "
            "control. J Diabetes Sci Technol 2(1):169-174, 2008.",
            "10.1177/193229680800200127",
        ),
        Citation(
            "RoyParker2007",
            "Roy A, Parker RS. Dynamic modeling of exercise effects on plasma glucose and insulin "
            "levels. J Diabetes Sci Technol 1(3):338-347, 2007.",
            "10.1177/193229680700100305",
        ),
        Citation(
            "Kovatchev2009",
            "Kovatchev BP, Breton M, Dalla Man C, Cobelli C. In silico preclinical trials: a proof "
            "of concept in closed-loop control of type 1 diabetes. J Diabetes Sci Technol "
            "3(1):44-55, 2009.",
            "10.1177/193229680900300106",
        ),
        Citation(
            "simglucose",
            "Xie J. simglucose v0.2.11: a type-1 diabetes simulator implemented in Python "
            "(UVA/Padova 2008 academic version), 2018.",
        ),
        Citation(
            "DormandPrince1980",
            "Dormand JR, Prince PJ. A family of embedded Runge-Kutta formulae. J Comput Appl Math "
            "6(1):19-26, 1980.",
            "10.1016/0771-050X(80)90013-3",
        ),
        Citation(
            "Shampine1986",
            "Shampine LF. Some practical Runge-Kutta formulas. Math Comput 46(173):135-150, 1986.",
            "10.1090/S0025-5718-1986-0815836-3",
        ),
        Citation(
            "Tsitouras2011",
            "Tsitouras Ch. Runge-Kutta pairs of order 5(4) satisfying only the first column "
            "simplifying assumption. Comput Math Appl 62(2):770-775, 2011.",
            "10.1016/j.camwa.2011.06.002",
        ),
        Citation(
            "Kidger2021",
            "Kidger P. On neural differential equations (diffrax). PhD thesis, University of "
            "Oxford, 2021.",
            "10.48550/arXiv.2202.02435",
        ),
    ]
}


def register(citation: Citation) -> None:
    """Add a citation to the registry (components of later layers call this)."""
    CITATIONS[citation.key] = citation


def format_citations(keys: set[str] | list[str]) -> list[str]:
    """Return the formatted references for ``keys``, sorted by key."""
    missing = [k for k in keys if k not in CITATIONS]
    if missing:
        raise KeyError(f"unknown citation keys {missing}; register them in endotwin.citations")
    return [str(CITATIONS[k]) for k in sorted(keys)]
