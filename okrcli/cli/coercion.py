"""Plain strings for okr's string options, without the framework's pydantic adapters.

typer 0.29 coerces every option's value through a pydantic ``TypeAdapter`` it builds on the
command's first use: that imports pydantic (about 60 ms) and builds one adapter per option
(about 5 ms each), which was a third of ``okr validate`` on an unchanged workspace.  okr's
options are plain strings that okr checks itself (``okrcli.cli.options``: ``check_choice``,
``check_period``, ``parse_as_of``), so ``plain_strings`` gives each ``str`` option a
coercion that keeps the string, and each flag one that keeps the ``True``/``False``/``None``
the parser gave; any other value (and every path) still goes the framework's way.

This leans on typer's parameter class (``_runtime_param``, ``type_descriptor``); on a typer
without them (before 0.29) it does nothing, and the tests run on both (CI's floor job).
"""

from __future__ import annotations

import functools
from typing import Any


def plain_strings(command: Any, ctx: Any) -> None:
    """Give each string option and flag of ``command`` (``--help`` too) a plain coercion."""
    plain = _plain()
    if plain is None:
        return
    for param in command.get_params(ctx):
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or not hasattr(param, "_runtime_param"):
            continue
        if descriptor.annotation in (str, bool) and param._runtime_param is None:
            param._runtime_param = plain(
                parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
            )


@functools.cache
def _plain() -> Any:
    """The plain coercion class, or None on a typer without adapters (before 0.29)."""
    try:
        from typer import _coercion
    except ImportError:  # pragma: no cover - older typer: nothing to lighten
        return None
    framework: Any = _coercion
    base = getattr(framework, "RuntimeParam", None)
    build: Any = getattr(framework, "build_runtime_param", None)
    if base is None or build is None:  # pragma: no cover
        return None

    class Plain(base):  # type: ignore[misc,valid-type]
        """A value of the option's own type as it is; anything else the framework's way."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if type(value) is self.annotation:
                return value
            return build(param.type_descriptor)._coerce_value(value, param=param, ctx=ctx)

    return Plain
