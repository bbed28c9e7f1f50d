"""Load a protocol from text, a file (YAML/JSON/plain text) or a mapping, as a :class:`Protocol`.

YAML/JSON hold either the protocol text (a string, or ``{"protocol": "..."}``) or the typed form
(``{"phases": [...], "seed": 0}``: the schema ``Protocol.model_json_schema()``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import yaml
from pydantic import ValidationError

from ..errors import ProtocolError
from .steps import Protocol

_SUFFIXES = (".yaml", ".yml", ".json", ".txt")


def protocol_from_data(data: object) -> Protocol:
    """A protocol from parsed YAML/JSON (text or the typed mapping)."""
    if isinstance(data, str):
        return Protocol(data)
    if isinstance(data, Mapping) and set(data) == {"protocol"}:
        return protocol_from_data(data["protocol"])
    if not isinstance(data, Mapping):
        raise ProtocolError(
            f"a protocol file holds protocol text or a mapping with 'phases'; got "
            f"{type(data).__name__}"
        )
    try:
        return Protocol.model_validate(dict(data))
    except ValidationError as e:
        lines = [
            f"  {'.'.join(str(x) for x in err['loc'])}: {err['msg']} (got {err.get('input')!r})"
            for err in e.errors()
        ]
        raise ProtocolError("invalid protocol:\n" + "\n".join(lines)) from None


def load_protocol(source: str | Path | Protocol) -> Protocol:
    """``source``: a Protocol, protocol text, or the path of a .yaml/.yml/.json/.txt file."""
    if isinstance(source, Protocol):
        return source
    path = Path(source)
    if str(source).lower().endswith(_SUFFIXES):
        if not path.is_file():
            raise ProtocolError(f"protocol file not found: {path}")
        text = path.read_text()
        if path.suffix.lower() == ".txt":
            return Protocol(text)
        try:
            data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError) as e:
            raise ProtocolError(f"{path}: not valid {path.suffix[1:].upper()}: {e}") from None
        return protocol_from_data(data)
    return Protocol(str(source))
