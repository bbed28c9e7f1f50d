"""Assembled models (compositions of components) available to ``simulate``."""

from __future__ import annotations

from functools import cache

from .components.cgm_sensor import cgm_sensor
from .components.exercise import exercise_effects
from .components.glucose import glucose_kinetics
from .components.insulin import insulin_kinetics
from .components.insulin_t1d import basal_state_t1d, insulin_kinetics_t1d
from .components.meal import meal_absorption
from .components.secretion import insulin_secretion
from .components.steady_state import fasting_steady_state
from .components.subcutaneous_insulin import subcutaneous_insulin
from .model import Model


@cache
def meal_model() -> Model:
    """Dalla Man 2007 meal model for non-diabetic and type-2 people (endogenous secretion)."""
    return Model(
        "dallaman2007",
        [
            meal_absorption(),
            insulin_kinetics(),
            insulin_secretion(),
            fasting_steady_state(),
            glucose_kinetics(),
            exercise_effects(),
        ],
    )


@cache
def t1d_model() -> Model:
    """UVA/Padova 2008 (academic) type-1 diabetes model (Kovatchev 2009; Dalla Man 2014).

    The meal and glucose components are the same as in :func:`meal_model`; insulin has no
    endogenous secretion (constant hepatic clearance, no portal insulin), enters from a
    subcutaneous depot (input ``insulin_infusion`` [pmol/kg/min]), and a CGM compartment gives
    ``"Subcutaneous glucose [mg/dL]"``. Grinding equals the maximal emptying rate in this model:
    set ``kgri = kmax`` (and ``kp4 = 0``) in the parameter values, as
    :func:`endotwin.parameters.sets.uvapadova_t1d.parameters_from_simglucose_row` does. The
    ``meal_size`` input is the simulator's Dbar (stomach content at the start of the meal plus
    the amount eaten so far).
    """
    return Model(
        "uvapadova_t1d",
        [
            meal_absorption(),
            insulin_kinetics_t1d(),
            subcutaneous_insulin(),
            basal_state_t1d(),
            glucose_kinetics(),
            cgm_sensor(),
        ],
    )


@cache
def body_model() -> Model:
    """Hall et al. 2011 adult body-weight and body-composition model (days to years).

    Parameters: the ``hall2011`` set (constants and covariates). Inputs are daily rates
    (``energy_intake`` and ``carb_intake`` [kcal/day], ``sodium_intake_change`` [mg/day],
    ``activity_ee`` [kcal/day]); build them with
    :func:`endotwin.components.body_composition.intake_schedule`. Rates are per minute like
    every model here, so use a coarse ``output_interval_min`` (e.g. 1440).
    """
    from .components.body_composition import body_composition

    return Model("hall2011", [body_composition()])


@cache
def physiology_model() -> Model:
    """The coupled multi-scale model: minutes (meals, insulin, exercise) to months (body
    composition, leptin and appetite, resistance mechanisms, training adaptation).

    Layers and how they connect (each component's module documents its equations and sources):

    - meal layer: Dalla Man 2006/2007 with the Dalla Man 2009 exercise extension, and a liver
      glycogen store that limits glucose production in a fast (Landau 1996,
      :mod:`~endotwin.components.liver_glycogen`);
    - body composition: Hall 2011, fed by the meals eaten, the carbohydrate absorbed, urinary
      glucose and the exercise energy (:mod:`~endotwin.components.nutrition`);
    - leptin and appetite (hypothalamic signal, hunger, leptin-driven adaptive thermogenesis);
    - mechanisms: daily energy balance, inflammation, DAG/PKC and IRS-1 Ser-P, mitochondria, GLUT4,
      strength-training lean mass, beta-cell mass (Topp 2000) and its age-related decline
      (Szoke 2008), SOCS3 and ER stress;
    - coupling maps onto the meal layer's insulin action and secretion
      (:mod:`~endotwin.components.insulin_sensitivity`).

    Parameters: a meal set + ``hall2011`` + ``leptin_appetite`` + ``mechanisms`` (a
    :class:`~endotwin.person.Person` carries them all); run it with
    :func:`endotwin.physiology.simulate_physiology`.
    """
    from .components.beta_cell import beta_cell_mass
    from .components.beta_cell_ageing import beta_cell_ageing
    from .components.body_composition import body_composition
    from .components.energy_balance import energy_balance_filter
    from .components.glut4 import glut4
    from .components.inflammation import inflammation
    from .components.insulin_sensitivity import insulin_sensitivity_maps
    from .components.leptin import leptin_appetite
    from .components.leptin_resistance import leptin_resistance
    from .components.lipid_signalling import lipid_signalling
    from .components.liver_glycogen import liver_glycogen
    from .components.mitochondria import mitochondria
    from .components.nutrition import nutrition_coupling
    from .components.training import strength_training

    return Model(
        "endotwin_physiology",
        [
            meal_absorption(),
            insulin_kinetics(),
            insulin_secretion(),
            fasting_steady_state(),
            glucose_kinetics(),
            liver_glycogen(),
            exercise_effects(),
            body_composition(),
            nutrition_coupling(),
            leptin_appetite(),
            energy_balance_filter(),
            inflammation(),
            lipid_signalling(),
            mitochondria(),
            glut4(),
            strength_training(),
            beta_cell_mass(),
            beta_cell_ageing(),
            leptin_resistance(),
            insulin_sensitivity_maps(),
        ],
    )
