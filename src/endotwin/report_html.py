"""What every endotwin HTML report shares: the Jinja environment and the base stylesheet.

Reports are self-contained files (figures embedded as data URIs); each report's template adds
its own rules after ``{{ base_css }}``.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from markupsafe import Markup

BASE_CSS = Markup(
    'body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1150px;'
    "margin:2em auto;padding:0 1em;color:#222;line-height:1.4}\n"
    "h1{margin-bottom:.2em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}\n"
    "table{border-collapse:collapse;margin:.6em 0;font-size:.88em}\n"
    "th,td{border:1px solid #ccc;padding:3px 7px;text-align:right;vertical-align:top}\n"
    "th{background:#f3f3f3;text-align:left}td.txt{text-align:left}\n"
    ".note{background:#fff4d6;padding:.6em 1em;border-left:4px solid #e0a800}\n"
    "img{max-width:100%;height:auto;display:block;margin:.6em 0}\n"
    "dl.facts{display:grid;grid-template-columns:max-content auto;gap:.1em 1em}"
    "dl.facts dt{font-weight:bold}dl.facts dd{margin:0}\n"
    ".advice{font-size:1.1em;background:#fdecea;padding:.8em 1em;border:2px solid #c0161a;"
    "border-radius:4px}\n"
    ".headline{font-size:1.05em;background:#f4f8fc;padding:.6em 1em;"
    "border-left:4px solid #1f4e79}\n"
    "small{color:#555}\n"
)


def report_environment(package: str) -> Environment:
    """Autoescaping environment loading ``<package>/templates`` (and the shared page shell
    ``endotwin/templates/report_base.html``), with ``base_css`` global."""
    env = Environment(
        loader=ChoiceLoader(
            [PackageLoader(package, "templates"), PackageLoader("endotwin", "templates")]
        ),
        autoescape=select_autoescape(default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["base_css"] = BASE_CSS
    return env


def format_value(v: Any) -> str:
    """A report-table cell for a free-form value: numbers as the validation report writes them,
    None as an em dash, containers as JSON."""
    from .validation.report import format_number

    if v is None:
        return "\u2014"
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int | float | np.floating | np.integer):
        return format_number(float(v))
    if isinstance(v, str):
        return v
    try:
        return json.dumps(v, default=str)
    except (TypeError, ValueError):
        return str(v)
