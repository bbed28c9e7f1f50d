"""Readers and writers at the boundary: person files, meal files, results."""

from .meal_file import read_meals
from .person_file import read_person

__all__ = ["read_meals", "read_person"]
