"""Slow mechanism layer: inflammation, lipid signalling, mitochondria, GLUT4, beta cells, leptin
resistance, training adaptation and the coupling maps onto the meal-level parameters.

Sources: ``docs/research/resistance-mechanisms.md`` (numbers read in stored abstracts unless
marked UNVERIFIED there). Every parameter's ``source`` names where its value comes from; three
kinds appear, and ``endotwin parameters mechanisms`` prints them:

- a published number (paper and the quantity read);
- ``calibrated``: fitted to a named target (the target is in the ``calibrated`` field; the
  training rates are solved exactly in :mod:`endotwin.components.training_calibration`);
- ``ASSUMPTION``: no human number was found. The value is a stated, round placeholder that fixes
  only the *direction* and an order of magnitude; it is listed in the docs
  (``docs/mechanisms.md``, "Open assumptions") as the first thing to calibrate against trials.

Bounds: [0.2x, 5x] of the value for rates and gains (the meal layer's rule); fractions in [0, 1].
Attribution switches ``attr_*`` are 1 in normal use; setting one to 0 removes that mechanism's
effect on the meal layer (counterfactual runs, :mod:`endotwin.attribution`).
"""

from __future__ import annotations

import math

from ...citations import Citation, register
from ..parameter_set import Parameter, ParameterSet, register_parameter_set

#: calibrated by scripts/calibrate_fat_dag.py (see the parameter's source)
E_DAG_FAT = 0.91
#: calibrated by scripts/calibrate_glut4_exponent.py after E_DAG_FAT (the Houmard protocol loses
#: some fat, so its DAG relief depends on E_DAG_FAT; E_DAG_FAT's own target has no training)
E_GLUT4 = 0.685
#: calibrated by scripts/calibrate_liver_glycogen.py (Landau 1996)
LIVER_GNG_SHARE = 0.430
TAU_LIVER_GLYCOGEN = 12.87
LIVER_GNG_AUTOREGULATION = 0.261
#: calibrated by scripts/calibrate_liver_glycogen.py (Valsdottir 2019 with Landau and Boden)
LIVER_GNG_ADAPTATION = 0.868
#: MODEL CHOICE inside the range those data allow (scripts/calibrate_liver_glycogen.py)
TAU_LIVER_GNG_ADAPTATION = 336.0

_A = "ASSUMPTION (no human number found; docs/mechanisms.md, open assumptions)"

for _c in [
    Citation(
        "Landau1996",
        "Landau BR, Wahren J, Chandramouli V, Schumann WC, Ekberg K, Kalhan SC. Contributions "
        "of gluconeogenesis to glucose production in the fasted state. J Clin Invest "
        "98(2):378-385, 1996.",
        "10.1172/JCI118803",
    ),
    Citation(
        "Rothman1991",
        "Rothman DL, Magnusson I, Katz LD, Shulman RG, Shulman GI. Quantitation of hepatic "
        "glycogenolysis and gluconeogenesis in fasting humans with 13C NMR. Science "
        "254(5031):573-576, 1991.",
        "10.1126/science.1948033",
    ),
    Citation(
        "Taylor1996",
        "Taylor R, Magnusson I, Rothman DL, Cline GW, Caumo A, Cobelli C, Shulman GI. Direct "
        "assessment of liver glycogen storage by 13C nuclear magnetic resonance spectroscopy "
        "and regulation of glucose homeostasis after a mixed meal in normal subjects. J Clin "
        "Invest 97(1):126-132, 1996.",
        "10.1172/JCI118379",
    ),
    Citation(
        "Valsdottir2019",
        "Valsdottir TD, Henriksen C, Odden N, Nellemann B, Jeppesen PB, Hisdal J, Westerberg "
        "AC, Jensen J. Effect of a low-carbohydrate high-fat diet and a single bout of exercise "
        "on glucose tolerance, lipid profile and endothelial function in normal weight young "
        "healthy females. Front Physiol 10:1499, 2019.",
        "10.3389/fphys.2019.01499",
    ),
    Citation(
        "Selvin2007",
        "Selvin E, Paynter NP, Erlinger TP. The effect of weight loss on C-reactive protein: a "
        "systematic review. Arch Intern Med 167(1):31-39, 2007.",
        "10.1001/archinte.167.1.31",
    ),
    Citation(
        "Esposito2004",
        "Esposito K, Marfella R, Ciotola M, et al. Effect of a Mediterranean-style diet on "
        "endothelial dysfunction and markers of vascular inflammation in the metabolic "
        "syndrome: a randomized trial. JAMA 292(12):1440-1446, 2004.",
        "10.1001/jama.292.12.1440",
    ),
    Citation(
        "Fedewa2017",
        "Fedewa MV, Hathaway ED, Ward-Ritacco CL. Effect of exercise training on C reactive "
        "protein: a systematic review and meta-analysis of randomised and non-randomised "
        "controlled trials. Br J Sports Med 51(8):670-676, 2017.",
        "10.1136/bjsports-2016-095999",
    ),
    Citation(
        "Itani2002",
        "Itani SI, Ruderman NB, Schmieder F, Boden G. Lipid-induced insulin resistance in human "
        "muscle is associated with changes in diacylglycerol, protein kinase C, and IkappaB-alpha. "
        "Diabetes 51(7):2005-2011, 2002.",
        "10.2337/diabetes.51.7.2005",
    ),
    Citation(
        "Kumashiro2011",
        "Kumashiro N, Erion DM, Zhang D, et al. Cellular mechanism of insulin resistance in "
        "nonalcoholic fatty liver disease. Proc Natl Acad Sci USA 108(39):16381-16385, 2011.",
        "10.1073/pnas.1113359108",
    ),
    Citation(
        "Dube2011",
        "Dube JJ, Amati F, Toledo FGS, et al. Effects of weight loss and exercise on insulin "
        "resistance, and intramyocellular triacylglycerol, diacylglycerol and ceramide. "
        "Diabetologia 54(5):1147-1156, 2011.",
        "10.1007/s00125-011-2065-0",
    ),
    Citation(
        "Dube2008",
        "Dube JJ, Amati F, ..., Goodpaster BH. Exercise-induced alterations in intramyocellular "
        "lipids and insulin resistance: the athlete's paradox revisited. Am J Physiol Endocrinol "
        "Metab, 2008 (co-authors, volume and pages UNVERIFIED; abstract read at PMC3804891: "
        "25 older obese adults, 16 weeks of moderate training, DAG -29%, SDH +19%).",
        "",
    ),
    Citation(
        "Toledo2008",
        "Toledo FGS, Menshikova EV, Azuma K, Radikova Z, Kelley CA, Ritov VB, Kelley DE. "
        "Mitochondrial capacity in skeletal muscle is not stimulated by weight loss despite "
        "increases in insulin action and decreases in intramyocellular lipid content. Diabetes "
        "57(4):987-994, 2008 (volume and pages UNVERIFIED; title and design read).",
        "",
    ),
    Citation(
        "Burgomaster2005",
        "Burgomaster KA, Hughes SC, Heigenhauser GJF, Bradwell SN, Gibala MJ. Six sessions of "
        "sprint interval training increases muscle oxidative potential and cycle endurance "
        "capacity in humans. J Appl Physiol 98(6):1985-1990, 2005.",
        "10.1152/japplphysiol.01095.2004",
    ),
    Citation(
        "Ryan2013",
        "Ryan TE, Southern WM, Brizendine JT, McCully KK. Activity-induced changes in skeletal "
        "muscle metabolism measured with optical spectroscopy. Med Sci Sports Exerc "
        "45(12):2346-2352, 2013.",
        "10.1249/MSS.0b013e31829a726a",
    ),
    Citation(
        "Houmard1996",
        "Houmard JA et al. Effect of reduced training and training cessation on insulin "
        "action and muscle GLUT-4. J Appl Physiol 1996;81(3):1162-1168. PMID 8889749 "
        "(abstract read: 12 weeks at 4 d/wk, 40-45 min/day; GLUT-4 1.6-fold and "
        "minimal-model S_I 1.9-fold; co-authors not read).",
        "10.1152/jappl.1996.81.3.1162",
    ),
    Citation(
        "Holloszy2009",
        "Holloszy JO. Skeletal muscle 'mitochondrial deficiency' does not mediate insulin "
        "resistance. Am J Clin Nutr 2009;89(1):463S-466S.",
        "10.3945/ajcn.2008.26717C",
    ),
    Citation(
        "Vukovich1996",
        "Vukovich MD, Arciero PJ, Kohrt WM, Racette SB, Hansen PA, Holloszy JO. Changes in "
        "insulin action and GLUT-4 with 6 days of inactivity in endurance runners. J Appl "
        "Physiol 80(1):240-244, 1996.",
        "10.1152/jappl.1996.80.1.240",
    ),
    Citation(
        "Peterson2011",
        "Peterson MD, Sen A, Gordon PM. Influence of resistance exercise on lean body mass in "
        "aging adults: a meta-analysis. Med Sci Sports Exerc 43(2):249-258, 2011.",
        "10.1249/MSS.0b013e3181eb6265",
    ),
    Citation(
        "Topp2000",
        "Topp B, Promislow K, deVries G, Miura RM, Finegood DT. A model of beta-cell mass, "
        "insulin, and glucose kinetics: pathways to diabetes. J Theor Biol 206(4):605-619, 2000.",
        "10.1006/jtbi.2000.2150",
    ),
    Citation(
        "Ha2016",
        "Ha J, Satin LS, Sherman AS. A mathematical model of the pathogenesis, prevention, and "
        "reversal of type 2 diabetes. Endocrinology 157(2):624-635, 2016 (human model file: "
        "tau_sigma = 249.9 d, tau_beta = 8570 d).",
        "10.1210/en.2015-1564",
    ),
    Citation(
        "Szoke2008",
        "Szoke E, Shrayyef MZ, Messing S, Woerle HJ, van Haeften TW, Meyer C, Mitrakou A, "
        "Pimenta W, Gerich JE. Effect of aging on glucose homeostasis: accelerated deterioration "
        "of beta-cell function in individuals with impaired glucose tolerance. Diabetes Care "
        "31(3):539-543, 2008.",
        "10.2337/dc07-1443",
    ),
    Citation(
        "ElHaschimi2000",
        "El-Haschimi K, Pierroz DD, Hileman SM, Bjorbaek C, Flier JS. Two defects contribute to "
        "hypothalamic leptin resistance in mice with diet-induced obesity. J Clin Invest "
        "105(12):1827-1832, 2000.",
        "10.1172/JCI9842",
    ),
    Citation(
        "Bjorbaek1998",
        "Bjorbaek C, Elmquist JK, Frantz JD, Shoelson SE, Flier JS. Identification of SOCS-3 "
        "as a potential mediator of central leptin resistance. Mol Cell 1(4):619-625, 1998.",
        "10.1016/S1097-2765(00)80062-3",
    ),
    Citation(
        "Ozcan2009",
        "Ozcan L, Ergin AS, Lu A, et al. Endoplasmic reticulum stress plays a central role in "
        "development of leptin resistance. Cell Metab 9(1):35-51, 2009.",
        "10.1016/j.cmet.2008.12.004",
    ),
    Citation(
        "Oral2002",
        "Oral EA, Simha V, Ruiz E, et al. Leptin-replacement therapy for lipodystrophy. N Engl "
        "J Med 346(8):570-578, 2002.",
        "10.1056/NEJMoa012437",
    ),
    Citation(
        "Mittendorfer2011",
        "Mittendorfer B, Horowitz JF, DePaoli AM, McCamish MA, Patterson BW, Klein S. "
        "Recombinant human leptin treatment does not improve insulin action in obese subjects "
        "with type 2 diabetes. Diabetes 60(5):1474-1477, 2011.",
        "10.2337/db10-1302",
    ),
    Citation(
        "Omega3Umbrella2022",
        "Umbrella meta-analysis of omega-3 supplementation and inflammatory markers (32 "
        "meta-analyses). Int Immunopharmacol 111:109104, 2022 (authors UNVERIFIED; CRP ES -0.40, "
        "95% CI -0.56 to -0.24).",
        "10.1016/j.intimp.2022.109104",
    ),
    Citation(
        "Weir1949",
        "Weir JB de V. New methods for calculating metabolic rate with special reference to "
        "protein metabolism. J Physiol 109(1-2):1-9, 1949.",
        "10.1113/jphysiol.1949.sp004363",
    ),
    Citation(
        "Jette1990",
        "Jette M, Sidney K, Blumchen G. Metabolic equivalents (METS) in exercise testing, "
        "exercise prescription, and evaluation of functional capacity. Clin Cardiol "
        "13(8):555-565, 1990.",
        "10.1002/clc.4960130809",
    ),
    Citation(
        "Anton2018",
        "Anton SD, Moehl K, Donahoo WT, et al. Flipping the metabolic switch: understanding "
        "and applying the health benefits of fasting. Obesity 26(2):254-268, 2018.",
        "10.1002/oby.22065",
    ),
    Citation(
        "Atwater1910",
        "Atwater WO, Bryant AP. The availability and fuel value of food materials. USDA Office "
        "of Experiment Stations, 1900/1910 (general factors 4, 9, 4 kcal/g).",
    ),
]:
    register(_c)

# calibrated values (computed in endotwin.components.training_calibration; see the sources)
# Mitochondria: 6 HIIT sessions (20 min at 0.9 of the VO2 reserve, 3/week) over 14 days give +38%
# (Burgomaster 2005), with detraining tau = 7.7/ln 2 d (Ryan 2013) and ceiling 1.9.
# GLUT4: 12 weeks of 4 x 42.5 min/week at 0.65 give 1.6-fold (Houmard), tau = 9.5 d (Vukovich 1996).
# Lean: 20 weeks of 3 x 45 min/week strength training give +1.1 kg (Peterson 2011).

# name: (value, unit, lower, upper, description, source, citation, calibrated)
_P: dict[str, tuple[float, str, float, float, str, str, str, str]] = {
    # --- energy-balance and fuel signals --------------------------------------------------------
    "tau_EB": (
        1.0,
        "day",
        0.2,
        5.0,
        "time constant of each stage of the energy-balance filter",
        "design choice: a two-stage 1-day filter attenuates the 1/day meal rhythm to 2.5% "
        "so slow states see the daily energy balance, not single meals",
        "",
        "",
    ),
    "tau_Gd": (
        0.5,
        "day",
        0.1,
        5.0,
        "time constant of each stage of the daily-glucose filter",
        "design choice (as tau_EB): daily mean glucose for the beta-cell layer",
        "",
        "",
    ),
    "VO2max": (
        35.0,
        "mL/kg/min",
        10.0,
        90.0,
        "maximal oxygen uptake (person covariate)",
        f"{_A}: default for an untrained middle-aged adult; measure or set per person",
        "",
        "",
    ),
    "VO2rest": (
        3.5,
        "mL/kg/min",
        2.5,
        5.0,
        "resting oxygen uptake (1 MET)",
        "Jette 1990: 1 MET = 3.5 mL O2/kg/min",
        "Jette1990",
        "",
    ),
    "kcal_per_L_O2": (
        4.94,
        "kcal/L",
        4.6,
        5.1,
        "energy per litre of O2 at RQ 0.9",
        "Weir 1949 equation 3.941 + 1.106*RQ kcal/L at RQ 0.9 (mixed fuel at moderate intensity)",
        "Weir1949",
        "",
    ),
    "appetite_habitual": (
        1.0,
        "1",
        0.5,
        2.0,
        "intake-weighted appetite factor on habitual eating (normaliser)",
        "computed per person: the intake-weighted mean of the appetite factor over the person's "
        "habitual day (1 for a constant intake). Appetite is highest when food is eaten (E is "
        "lowest before meals), so the weighted mean exceeds 1 (1.023 for the demo person) and, "
        "without it, eating the habitual day by appetite gained 0.45 kg in 12 weeks over the "
        "habitual arm. endotwin.physiology.simulate_physiology sets it from a baseline run so "
        "that ad-libitum eating of an unchanged lifestyle is weight-stable (an internal "
        "consistency condition that uses no trial data; found by the validation suite)",
        "",
        "",
    ),
    "carb_energy": (
        4.0,
        "kcal/g",
        3.7,
        4.2,
        "energy of available carbohydrate",
        "Atwater general factor 4 kcal/g (also applied to urinary glucose so that "
        "intake and loss are counted alike)",
        "Atwater1910",
        "",
    ),
    "fat_energy": (
        9.0,
        "kcal/g",
        8.5,
        9.5,
        "energy of fat",
        "Atwater general factor 9 kcal/g",
        "Atwater1910",
        "",
    ),
    "protein_energy": (
        4.0,
        "kcal/g",
        3.5,
        4.5,
        "energy of protein",
        "Atwater general factor 4 kcal/g",
        "Atwater1910",
        "",
    ),
    # --- inflammation ---------------------------------------------------------------------------
    "CRP0": (
        2.0,
        "mg/L",
        0.1,
        30.0,
        "baseline high-sensitivity CRP (person covariate)",
        f"{_A}: population-typical default; give the person's hs-CRP when measured",
        "",
        "",
    ),
    "tau_infl": (
        14.0,
        "day",
        2.0,
        70.0,
        "time constant of inflammatory tone",
        f"{_A}: weeks (adipose-tissue inflammation); CRP's own plasma half-life is ~19 h "
        "(Pepys & Hirschfield 2003), far faster than its drivers",
        "",
        "",
    ),
    "k_crp_weight": (
        0.13,
        "mg/L/kg",
        0.026,
        0.65,
        "CRP change per kg of body-weight change",
        "Selvin 2007: -0.13 mg/L per kg of weight lost (meta-regression)",
        "Selvin2007",
        "",
    ),
    "k_crp_diet": (
        0.6,
        "mg/L",
        0.12,
        3.0,
        "CRP fall on a whole-food (Mediterranean) diet",
        "Esposito 2004: CRP -1.0 mg/L vs control over 2 y, minus the weight-loss share "
        "(-3.1 kg x 0.13 mg/L/kg, Selvin 2007): -0.6 mg/L (derived in "
        "docs/research/resistance-mechanisms.md)",
        "Esposito2004",
        "",
    ),
    "crp_sd": (
        2.0,
        "mg/L",
        0.5,
        5.0,
        "SD of hs-CRP used to turn standardised effects into mg/L",
        f"{_A}: converts the meta-analytic standardised mean differences below",
        "",
        "",
    ),
    "es_omega3": (
        0.40,
        "SD",
        0.08,
        2.0,
        "CRP fall with omega-3 at 3 g/day EPA+DHA",
        "umbrella meta-analysis 2022: ES = -0.40 (docs/research/"
        "resistance-mechanisms.md, item 1c); dose of 3 g/day assumed",
        "",
        "",
    ),
    "omega3_K": (
        1.0,
        "g/day",
        0.2,
        5.0,
        "EPA+DHA dose of half-maximal effect",
        f"{_A}: Emax dose-response",
        "",
        "",
    ),
    "es_training": (
        0.19,
        "SD",
        0.04,
        1.0,
        "CRP fall with exercise training without weight loss",
        "Fedewa 2017: ES = 0.19 in the absence of weight loss",
        "Fedewa2017",
        "",
    ),
    # --- lipid signalling and IRS-1 ---------------------------------------------------------------
    "tau_DAG": (
        2.0,
        "day",
        0.2,
        10.0,
        "time constant of muscle/liver diacylglycerol",
        f"{_A}: lipid infusion raises DAG within hours (Itani 2002); dietary drivers are daily",
        "",
        "",
    ),
    "k_DAG_EB": (
        1.0,
        "1",
        0.2,
        5.0,
        "log-DAG change per unit energy balance (fraction of EI0)",
        f"{_A}: a sustained surplus of 20% of intake raises DAG by ~22%",
        "",
        "",
    ),
    "k_DAG_sfa": (
        0.02,
        "1/%E",
        0.004,
        0.1,
        "log-DAG change per %energy of saturated fat",
        f"{_A}: direction from the article (saturated fat -> DAG)",
        "",
        "",
    ),
    "e_DAG_mito": (
        1.0,
        "1",
        0.2,
        5.0,
        "exponent of oxidative capacity in DAG clearance",
        "calibrated: 16 weeks of moderate training lowered muscle DAG 29% (Dube 2008; "
        "cited as Dube 2011 until session 15, whose exercise arm measured -40.9%) while "
        "oxidative capacity rose ~40% (Burgomaster 2005): 1/1.4 = 0.71. Dube 2008 itself "
        "measured SDH +19%, so the pairing of the two studies is the calibration's weak point "
        "(docs/mechanisms.md, Known limitations)",
        "Dube2008",
        "Dube 2008 DAG -29% with training",
    ),
    "e_DAG_fat": (
        E_DAG_FAT,
        "1",
        0.0,
        5.0,
        "exponent of fat mass in ectopic (muscle/liver) lipid and DAG",
        "calibrated (scripts/calibrate_fat_dag.py): with weight stable again after a 2-year 15% "
        "deficit, d ln HOMA-IR / d ln fat mass of the model equals the NHANES cross-sectional "
        "gradient, 1.24 (Martinez 2017 Table 5 HOMA-IR by body-fat quintile, regressed on the "
        "quintiles' mean ln fat mass in the NHANES 2017-18 copula: men 1.19, women 1.30). "
        "Re-fitted in session 15 (1.81 -> 0.91): the value had been set in an early session and "
        "not re-fitted as the model changed; tests/test_fat_dag_calibration.py now checks it. "
        "ASSUMPTION: a person who loses fat moves along the population gradient; mechanism: "
        "hepatic DAG predicts insulin resistance (Kumashiro 2011)",
        "Martinez2017",
        "NHANES d ln HOMA-IR / d ln FM = 1.24",
    ),
    "k_switch": (
        1.0,
        "1",
        0.2,
        5.0,
        "log-DAG fall per unit glycogen deficit (metabolic switch)",
        f"{_A}: after ~12 h without food glycogen depletion shifts fuel use to fat "
        "(Anton 2018); the size of its effect on DAG is not known",
        "Anton2018",
        "",
    ),
    "w_JNK": (
        0.5,
        "1",
        0.0,
        1.0,
        "share of IRS-1 Ser-phosphorylation from JNK/IKK",
        f"{_A}: equal shares of the inflammatory (JNK/IKK) and lipid (PKC) kinases",
        "",
        "",
    ),
    "e_IRS": (
        0.61,
        "1",
        0.12,
        3.0,
        "insulin-signal exponent of IRS-1 Ser-P activity",
        "calibrated: lipid infusion with DAG/PKC x4 lowered insulin-stimulated glucose "
        "disposal 43% (Itani 2002): (0.5 + 0.5*4)^-e = 0.57",
        "Itani2002",
        "Itani 2002 -43% Rd at PKC x4",
    ),
    # --- mitochondria -----------------------------------------------------------------------------
    "tau_mito": (
        7.7 / math.log(2.0),
        "day",
        2.0,
        60.0,
        "detraining time constant of capacity",
        "Ryan 2013: half-time ~7.7 d of muscle oxidative capacity after training stops",
        "Ryan2013",
        "",
    ),
    "mito_max": (
        1.9,
        "1",
        1.2,
        3.0,
        "ceiling of oxidative capacity (x baseline)",
        "Clin Physiol 1983: citrate synthase rose to 90% above baseline with prolonged "
        "training (docs/research/resistance-mechanisms.md item 3)",
        "",
        "",
    ),
    "k_mito": (
        0.0,
        "1/min",
        0.0,
        1.0,
        "biogenesis rate per minute at intensity 1",
        "calibrated: 6 sessions of 20 min at 0.9 over 14 days give +38% citrate synthase "
        "(Burgomaster 2005)",
        "Burgomaster2005",
        "Burgomaster 2005 +38% CS, 2 weeks",
    ),
    "k_mito_overload": (
        0.05,
        "1/day",
        0.01,
        0.25,
        "capacity loss per unit energy surplus",
        f"{_A}: a sustained 20% surplus lowers capacity ~10% at steady state. It acts on a "
        "surplus only (since session 15): a deficit does not raise capacity (Toledo 2008, "
        "16 weeks of diet-induced weight loss; Dube 2011 measured a fall with diet-induced "
        "weight loss, of a size not in the abstract, so no fall is modelled)",
        "Toledo2008",
        "",
    ),
    "e_mito": (
        0.0,
        "1",
        0.0,
        2.5,
        "exponent of oxidative capacity in peripheral uptake (direct term)",
        "MODEL CHOICE, 0 (off): oxidative capacity acts on insulin action only through DAG "
        "clearance (e_DAG_mito); mitochondrial content itself does not set insulin action "
        "(Holloszy 2009). With 0.5 (the former ASSUMPTION) Houmard 1996's 12 weeks of "
        "training (4 d/wk, 40-45 min at 0.65) raised the model's peripheral sensitivity "
        "2.97-fold against a measured 1.9-fold S_I; with 0 (and k_GLUT4 on that protocol), "
        "2.29-fold (tests/test_training_sensitivity.py)",
        "Holloszy2009",
        "",
    ),
    # --- GLUT4 ------------------------------------------------------------------------------------
    "tau_GLUT4": (
        9.5,
        "day",
        2.0,
        50.0,
        "detraining time constant of GLUT4",
        "derived: GLUT4 -17.5% after 6 days of inactivity from a trained 1.6-fold "
        "(Vukovich 1996; Houmard): 1.6*0.825 = 1.32, (0.32/0.6) = exp(-6/tau)",
        "Vukovich1996",
        "",
    ),
    "GLUT4_max": (
        2.0,
        "1",
        1.2,
        4.0,
        "ceiling of GLUT4 content (x baseline)",
        f"{_A}: above the 1.6-fold reached in 12 weeks (Houmard)",
        "",
        "",
    ),
    "k_GLUT4": (
        0.0,
        "1/min",
        0.0,
        1.0,
        "GLUT4 synthesis rate per minute at intensity 1",
        "calibrated: 12 weeks of 4 x 42.5 min/week (Houmard 1996: 4 d/wk, 40-45 min) at 0.65 "
        "(intensity ASSUMPTION) give 1.6-fold GLUT4 (Houmard 1996)",
        "Houmard1996",
        "Houmard 1.6-fold GLUT4, 12 weeks",
    ),
    "e_GLUT4": (
        E_GLUT4,
        "1",
        0.2,
        3.0,
        "exponent of GLUT4 content in insulin-stimulated uptake",
        "calibrated (scripts/calibrate_glut4_exponent.py): Houmard 1996 measured GLUT-4 1.6-fold "
        "and minimal-model S_I 1.9-fold in the same people after 12 weeks of training; with "
        "k_GLUT4 calibrated on that GLUT4 and the lipid (Dube 2008) and inflammatory (Fedewa "
        "2017) relief of IRS-1 on other studies, the exponent makes the composed peripheral "
        "sensitivity 1.9-fold. Until session 15 it was 1 (ASSUMPTION: transport proportional "
        "to content), which gave 2.22-fold",
        "Houmard1996",
        "Houmard 1996 S_I 1.9-fold, 12 weeks",
    ),
    # --- strength training and lean mass ----------------------------------------------------------
    "lean_rt_max": (
        3.0,
        "kg",
        0.5,
        15.0,
        "ceiling of training-induced lean mass",
        f"{_A}: above the +1.1 to +1.5 kg of training programmes",
        "",
        "",
    ),
    "tau_lean_rt": (
        120.0,
        "day",
        20.0,
        600.0,
        "detraining time constant of trained lean mass",
        f"{_A}: lean mass is retained for weeks after training stops",
        "",
        "",
    ),
    "k_lean_rt": (
        0.0,
        "1/min",
        0.0,
        1.0,
        "lean accretion rate per minute of strength training",
        "calibrated: 20 weeks of 3 x 45 min/week give +1.1 kg lean mass (Peterson 2011)",
        "Peterson2011",
        "Peterson 2011 +1.1 kg",
    ),
    # --- beta cells -------------------------------------------------------------------------------
    "topp_dG_tox": (
        150.0,
        "mg/dL",
        50.0,
        300.0,
        "distance from the person's glucose set point to the glucotoxic threshold",
        "Topp 2000: the beta-IG growth law -d0 + r1*G - r2*G^2 with its Table 1 values has the "
        "physiological fixed point 100 and the glucotoxic one 250 mg/dL; re-centred on the "
        "person, the glucotoxic root lies this far above their baseline daily mean",
        "Topp2000",
        "",
    ),
    "topp_rate_human": (
        0.00195,
        "1",
        0.0005,
        1.0,
        "human time scale of beta-cell mass adaptation relative to Topp's rat kinetics",
        "calibrated: Topp's rat turnover 1/d0 = 16.7 d (d0 = 0.06/day) rescaled to the human "
        "time constant of beta-cell mass, tau_beta = 8570 d (Ha, Satin & Sherman 2016, human "
        "model file): 16.7/8570 = 0.00195. (Ha's 249.9-d constant belongs to secretory capacity "
        "sigma, whose law is proportional, not Topp's integral mass law.)",
        "Ha2016",
        "Ha 2016 tau_beta 8570 d",
    ),
    "topp_r2": (
        0.24e-5,
        "1/(mg/dL)^2/day",
        0.48e-6,
        1.2e-5,
        "beta-cell glucotoxicity coefficient",
        "Topp 2000 Table 1 (via code copies)",
        "Topp2000",
        "",
    ),
    "beta_age_first": (
        0.007,
        "1/year",
        0.0,
        0.05,
        "age-related decline rate of first-phase insulin release",
        "Szoke 2008 abstract: disposition index of first- and second-phase release falls about "
        "0.7 %/year with age in normal glucose tolerance (hyperglycaemic clamps, 266 people aged "
        "~20-70 y); impaired glucose tolerance 2.2 %/year (first phase), set by the population "
        "sampler for people recruited with prediabetes or diabetes",
        "Szoke2008",
        "",
    ),
    "beta_age_second": (
        0.007,
        "1/year",
        0.0,
        0.05,
        "age-related decline rate of second-phase (and basal) insulin release",
        "Szoke 2008 abstract: about 0.7 %/year in normal glucose tolerance; impaired glucose "
        "tolerance 1.4 %/year (second phase), set by the population sampler for people "
        "recruited with prediabetes or diabetes",
        "Szoke2008",
        "",
    ),
    "G_mean0": (
        0.0,
        "mg/dL",
        0.0,
        400.0,
        "baseline daily mean glucose (0 = from a baseline run)",
        "computed per person by simulating the habitual day (the re-centred Topp growth law "
        "makes it the stable beta-cell steady state)",
        "",
        "",
    ),
    # --- leptin resistance and crosstalk ----------------------------------------------------------
    "tau_SOCS3": (
        42.0,
        "day",
        7.0,
        200.0,
        "time constant of hypothalamic SOCS3",
        "El-Haschimi 2000 (mouse): signalling normal at 4 and absent at 15 weeks of "
        "high-fat diet; 6 weeks chosen in that window",
        "ElHaschimi2000",
        "",
    ),
    "e_SOCS3_leptin": (
        1.0,
        "1",
        0.2,
        5.0,
        "SOCS3 response to the sustained leptin level",
        "Bjorbaek 1998 (leptin induces SOCS3, direction); size ASSUMPTION",
        "Bjorbaek1998",
        "",
    ),
    "e_SOCS3_infl": (
        0.1,
        "1",
        0.02,
        0.5,
        "SOCS3 response to inflammatory tone (CRP ratio)",
        f"{_A}: cytokines induce SOCS3 (direction, Bjorbaek 1998); size bounded by Polidori "
        "2016: weight loss lowers CRP (k_crp_weight), which through this exponent offsets the "
        "leptin signal's fall; the whole-person appetite feedback (~100 kcal/day per kg) "
        "needs the offset to stay below 80 % for fat masses up to 150 kg, i.e. e <= 0.115 at "
        "CRP0 = 2 mg/L (leptin_resistance.MAX_FEEDBACK_GAIN); 0.5 was above it",
        "",
        "",
    ),
    "tau_ER": (
        42.0,
        "day",
        7.0,
        200.0,
        "time constant of hypothalamic ER stress",
        f"{_A}: same window as SOCS3 (Ozcan 2009, mouse)",
        "Ozcan2009",
        "",
    ),
    "k_ER_EB": (
        1.0,
        "1",
        0.2,
        5.0,
        "log ER-stress change per unit energy balance",
        f"{_A}: metabolic overload raises hypothalamic ER stress (Ozcan 2009)",
        "",
        "",
    ),
    "k_ER_sfa": (
        0.02,
        "1/%E",
        0.004,
        0.1,
        "log ER-stress change per %energy saturated fat",
        f"{_A}",
        "",
        "",
    ),
    "e_lep_SOCS3": (0.5, "1", 0.1, 2.5, "leptin-sensitivity exponent of SOCS3", f"{_A}", "", ""),
    "e_lep_ER": (0.5, "1", 0.1, 2.5, "leptin-sensitivity exponent of ER stress", f"{_A}", "", ""),
    "K_JAK2": (
        0.25,
        "1",
        0.05,
        1.25,
        "leptin signal (x baseline) of half-maximal crosstalk",
        "chosen so the JAK2->IRS-2 crosstalk matters in leptin deficiency (Oral 2002: large "
        "gain on replacement) but little at high leptin (Mittendorfer 2011: none in obese "
        "T2D); size ASSUMPTION",
        "Oral2002",
        "",
    ),
    # --- liver glycogen (components/liver_glycogen.py) ----------------------------------------
    "liver_gng_share": (
        LIVER_GNG_SHARE,
        "1",
        0.2,
        0.8,
        "gluconeogenic share of glucose production at the reference store (07:00, habitual day)",
        "calibrated with tau_liver_glycogen to Landau 1996 (abstract): gluconeogenesis 47 +/- 4 "
        "% of glucose production after 14 h, 67 +/- 4 % after 22 h and 93 +/- 2 % after 42 h "
        "of fasting (scripts/calibrate_liver_glycogen.py)",
        "Landau1996",
        "Landau 1996 gluconeogenic fractions at 14, 22 and 42 h of fasting",
    ),
    "tau_liver_glycogen": (
        TAU_LIVER_GLYCOGEN,
        "h",
        3.0,
        30.0,
        "emptying time constant of the reference liver glycogen store at basal glucose output",
        "calibrated with liver_gng_share to Landau 1996 (scripts/calibrate_liver_glycogen.py); "
        "the fractions alone imply about 10 h (ln(1.128/0.4925)/8 h between 14 and 22 h, "
        "ln(0.4925/0.0753)/20 h between 22 and 42 h)",
        "Landau1996",
        "Landau 1996 gluconeogenic fractions at 14, 22 and 42 h of fasting",
    ),
    "liver_gng_autoregulation": (
        LIVER_GNG_AUTOREGULATION,
        "1",
        0.0,
        3.0,
        "relative rise of gluconeogenesis as the liver store empties (hepatic autoregulation)",
        "calibrated with liver_gng_share and tau_liver_glycogen: the Landau 1996 fractions and "
        "Boden 1996's fall of fasting glucose from 88 to 63 mg/dL between 12 and 52 h of fasting "
        "(scripts/calibrate_liver_glycogen.py). Without it the glucose production of the "
        "Dalla Man drive cannot hold glucose once glycogen is gone",
        "Boden1996",
        "Landau 1996 fractions and Boden 1996 fasting glucose at 52 h",
    ),
    "liver_gng_adaptation": (
        LIVER_GNG_ADAPTATION,
        "1",
        0.0,
        5.0,
        "relative rise of gluconeogenesis with the adapted store deficit (chronic adaptation)",
        "calibrated with the other liver parameters: Valsdottir 2019's 3-week isocaloric "
        "low-carbohydrate diet (3 % of energy) lowered fasting glucose only from 4.7 to "
        "4.4 mmol/L, with Landau 1996's fractions and Boden 1996's 52-h glucose held "
        "(scripts/calibrate_liver_glycogen.py)",
        "Valsdottir2019",
        "Valsdottir 2019 fasting glucose after 3 weeks of 3 % carbohydrate",
    ),
    "tau_liver_gng_adaptation": (
        TAU_LIVER_GNG_ADAPTATION,
        "h",
        6.0,
        720.0,
        "time constant of the chronic gluconeogenic adaptation to a liver store deficit",
        "MODEL CHOICE (two weeks), not fitted: with it free the joint fit "
        "(scripts/calibrate_liver_glycogen.py) runs along a ridge, since Valsdottir 2019 "
        "measured only at 3 weeks and any longer value is matched by a larger "
        "liver_gng_adaptation; Boden 1996's 52-h glucose needs it above about 200 h",
        "Valsdottir2019",
        "",
    ),
    "liver_glycogen_synthesis": (
        0.2,
        "1",
        0.0,
        1.0,
        "share of meal glucose appearance (Ra) stored as liver glycogen (normaliser)",
        "computed per person by endotwin.physiology.baseline_normalisers so that the store is "
        "periodic on the habitual day with its reference content at 07:00; the default is "
        "Taylor 1996's net storage of about 19 % of a mixed meal's carbohydrate, used only "
        "when the model runs without the normaliser",
        "Taylor1996",
        "",
    ),
    "liver_glycogen_start": (
        1.0,
        "1",
        0.0,
        5.0,
        "liver glycogen at time 0 (00:00) relative to the reference (normaliser)",
        "computed per person with liver_glycogen_synthesis: the habitual day's store at "
        "midnight, so a simulation starts on the periodic orbit",
        "",
        "",
    ),
}

_SWITCHES = {
    "attr_inflammation": "JNK/IKK (inflammatory) share of IRS-1 Ser-phosphorylation",
    "attr_lipid": "DAG -> PKC share of IRS-1 Ser-phosphorylation (muscle and liver)",
    "attr_mitochondria": "oxidative capacity on DAG clearance and peripheral uptake",
    "attr_glut4": "GLUT4 content on insulin-stimulated and contraction uptake",
    "attr_muscle_mass": "lean (muscle) mass on peripheral uptake",
    "attr_leptin_crosstalk": "leptin -> JAK2 -> IRS-2 crosstalk on hepatic insulin action",
    "attr_beta_cell": "beta-cell mass on secretion",
}


def mechanism_parameters(calibrated: dict[str, float] | None = None) -> dict[str, Parameter]:
    """The parameters of the mechanism layer (``calibrated`` fills the fitted rates)."""
    from ...components.training_calibration import calibrated_rates

    rates = calibrated or calibrated_rates()
    out: dict[str, Parameter] = {}
    for k, (v, unit, lo, hi, desc, src, cite, cal) in _P.items():
        value = rates.get(k, v)
        if k in rates:
            lo, hi = 0.2 * value, 5.0 * value
        out[k] = Parameter(
            k, value, unit, lo, hi, src, desc, cite, cal, "[0.2x, 5x] (module docstring)"
        )
    for k, desc in _SWITCHES.items():
        out[k] = Parameter(
            k,
            1.0,
            "1",
            0.0,
            1.0,
            "attribution switch: 1 = mechanism acts (counterfactual runs set 0)",
            f"attribution switch: {desc}",
        )
    return out


@register_parameter_set("mechanisms")
def mechanisms() -> ParameterSet:
    """Mechanism layer (inflammation, lipids, mitochondria, GLUT4, beta cells, leptin
    resistance, training)."""
    return ParameterSet(
        name="mechanisms",
        description="slow mechanisms of insulin and leptin resistance and training adaptation",
        parameters=mechanism_parameters(),
        citations=tuple(sorted({p[6] for p in _P.values() if p[6]})),
        notes=("Sources marked ASSUMPTION have no human number yet (docs/mechanisms.md).",),
    )
