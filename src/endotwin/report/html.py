"""A self-contained HTML report (tables, embedded PNG plots, citations, disclaimer)."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import pandas as pd

from ..solution import DISCLAIMER


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode()
    alt = html.escape(path.name)
    return f'<img alt="{alt}" src="data:image/png;base64,{data}" style="max-width:100%">'


def write_report(
    path: str | Path,
    title: str,
    tables: dict[str, pd.DataFrame],
    images: list[Path],
    citations: list[str],
    notes: list[str] | None = None,
) -> Path:
    """Write one HTML file with the disclaimer first, then tables, plots and references."""
    path = Path(path)
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;"
        "padding:0 1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
        "padding:3px 8px;text-align:right}.note{background:#fff4d6;padding:.6em 1em;"
        "border-left:4px solid #e0a800}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p class='note'><b>Not medical advice.</b> {html.escape(DISCLAIMER)}</p>",
    ]
    for note in notes or []:
        parts.append(f"<p>{html.escape(note)}</p>")
    for name, df in tables.items():
        parts.append(f"<h2>{html.escape(name)}</h2>")
        parts.append(df.to_html(float_format=lambda v: f"{v:.3g}", border=0))
    for img in images:
        parts.append(_img(img))
    parts.append("<h2>References</h2><ol>")
    parts += [f"<li>{html.escape(c)}</li>" for c in citations]
    parts.append("</ol></body></html>")
    path.write_text("\n".join(parts))
    return path
