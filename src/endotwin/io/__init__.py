"""Readers and writers at the boundary: person files, meal files, twin inputs, results."""

from .cgm_file import CGMRead, CGMTrace, DropReport, read_cgm
from .labs import Labs, labs_from_mapping
from .meal_file import read_meals
from .meal_log import read_hall2018_meals, read_meal_log
from .ogtt_file import OGTT, read_ogtt
from .person_file import read_person
from .person_record import PersonRecord, person_record_from_mapping, read_person_record

__all__ = [
    "OGTT",
    "CGMRead",
    "CGMTrace",
    "DropReport",
    "Labs",
    "PersonRecord",
    "labs_from_mapping",
    "person_record_from_mapping",
    "read_cgm",
    "read_hall2018_meals",
    "read_meal_log",
    "read_meals",
    "read_ogtt",
    "read_person",
    "read_person_record",
]
