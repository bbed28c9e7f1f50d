"""Plots and HTML reports."""

from .html import write_report
from .plots import plot_day

__all__ = ["plot_day", "write_report"]
