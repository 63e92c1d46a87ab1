"""Turn pydantic validation errors into diagnostics at exact YAML positions.

A pydantic error location such as ``('objectives', 0, 'key_results', 1, 'target')`` is
walked through the marked data read by ``okrcli.yamlsource`` to the line and column of
the offending node; a missing key points at the mapping that lacks it, an unknown key
at the key itself.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from okrcli.diagnostics import Diagnostic
from okrcli.models import describe_value
from okrcli.suggest import closest
from okrcli.yamlsource import locate

_CODE_BY_TYPE = {
    "missing": "missing-key",
    "extra_forbidden": "unknown-key",
    "string_pattern_mismatch": "invalid-id",
    "literal_error": "invalid-value",
    "finite_number": "non-finite",
    "out_of_range": "out-of-range",
    "greater_than": "out-of-range",
    "greater_than_equal": "out-of-range",
    "less_than": "out-of-range",
    "less_than_equal": "out-of-range",
    "invalid_period": "invalid-period",
    "invalid_timestamp": "invalid-timestamp",
    "missing_value": "missing-key",
    "recursion_loop": "yaml-alias",
}

# keys that are valid elsewhere, with what to say where they are not
_MISPLACED_KEYS = {
    "dropped": "only objectives and key results are dropped; a KPI is an ongoing measure: "
    "stop linking key results to it and stop checking it in, or delete it",
}

_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "dict_type": "a mapping (key: value pairs)",
    "model_type": "a mapping (key: value pairs)",
    "model_attributes_type": "a mapping (key: value pairs)",
    "list_type": "a list",
}


def _value_at(data: Any, loc: tuple[Any, ...]) -> Any:
    node = data
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _inner_model(annotation: Any) -> Any:
    """The model class inside ``list[X]``, ``dict[K, X]`` or ``X | None``."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _inner_model(typing.get_args(annotation)[0])
    if origin in (list, dict, typing.Union, types.UnionType):
        for arg in reversed(typing.get_args(annotation)):
            found = _inner_model(arg)
            if found is not None:
                return found
        return None
    return annotation if hasattr(annotation, "model_fields") else None


def _allowed_keys(model: Any, loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed in the mapping at ``loc`` of a ``model`` document."""
    current = _inner_model(model)
    for part in loc:
        if current is None:
            return []
        if isinstance(part, str) and part in current.model_fields:
            current = _inner_model(current.model_fields[part].annotation)
    return list(current.model_fields) if current is not None else []


def _where(loc: tuple[Any, ...]) -> str:
    names = [p for p in loc if isinstance(p, str) and p != "[key]"]
    return f" in {names[-1]}" if names else ""


def diagnostics_from_errors(
    errors: list[Any], data: Any, path: str, model: Any, *, base: tuple[Any, ...] = ()
) -> list[Diagnostic]:
    """One diagnostic per pydantic error dict (``ValidationError.errors()``)."""
    out = []
    for err in errors:
        loc = base + tuple(err["loc"])
        kind = err["type"]
        code = _CODE_BY_TYPE.get(kind, "wrong-type" if kind.endswith("_type") else "invalid-value")
        at_key = kind == "extra_forbidden" or (loc and loc[-1] == "[key]")
        key_loc = loc[:-1] if loc and loc[-1] == "[key]" else loc
        line, column = locate(data, key_loc, key=bool(at_key))
        value = _value_at(data, key_loc)
        name = key_loc[-1] if key_loc else None
        if kind == "missing":
            message = f"missing required key '{name}'{_where(key_loc[:-1])}; add '{name}: ...'"
        elif kind == "extra_forbidden":
            allowed = _allowed_keys(model, loc[len(base) : -1])
            close = closest(str(name), allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(allowed)}"
            if name in _MISPLACED_KEYS:
                hint = _MISPLACED_KEYS[str(name)]
            message = f"unknown key '{name}'; {hint}"
        elif kind == "string_pattern_mismatch":
            what = "team id" if loc[-1] == "[key]" else f"'{name}'"
            message = (
                f"{describe_value(value)} is not a valid {what}: ids use lowercase letters, "
                "digits, '.', '_' and '-', and start with a letter or digit"
            )
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            message = f"'{name}' is {describe_value(value)}; expected one of {expected}"
        elif kind in _EXPECTED:
            hint = "; put it in quotes" if kind == "string_type" and value is not None else ""
            message = f"'{name}' must be {_EXPECTED[kind]}, got {describe_value(value)}{hint}"
        elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            message = f"'{name}' {err['msg'].lower().replace('input should be', 'must be')}"
        else:
            message = f"'{name}': {err['msg']}" if isinstance(name, str) else err["msg"]
        out.append(Diagnostic(code, path, line, column, message))
    return out
