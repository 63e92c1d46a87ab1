"""How ``--help`` reads: one placeholder style, examples, the environment, the docs page.

``okr --help`` groups the commands by the week's work (each command names its group in
``rich_help_panel``, drawn here in plain text so help needs no rich); a command's help shows
its arguments as ``ID``/``VALUE``/``PERIOD``/``FILE`` (no ``<str>``, no braces), then its
examples, the environment variables it reads and the page in docs/.  Unknown commands and
options are answered with okr's one "did you mean" (``okrcli.suggest``).
"""

from __future__ import annotations

import inspect
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from okrcli.cli.coercion import plain_strings

#: The order of ``okr --help``'s groups: the weekly workflow.
PANELS = (
    "Record progress",
    "See where you stand",
    "Plan and close a period",
    "Set up and check",
)

#: Every environment variable okr reads, for ``okr --help``.
ENVIRONMENT = (
    ("OKR_ROOT", "the workspace root, as --root"),
    ("NO_COLOR", "no colour (as --color never)"),
    ("FORCE_COLOR", "colour even when not on a terminal (as --color always)"),
    ("OKR_PAGER, PAGER", "the pager for long output on a terminal (default: less -FRX)"),
    ("OKR_DEBUG", "show the traceback of an internal error (as --debug)"),
    ("OKR_CACHE_DIR", "where the parse cache lives (default: ~/.cache/okr)"),
    ("OKR_NO_CACHE", "do not use the parse cache"),
)


def epilog(examples: list[tuple[str, str]], env: str, docs: str) -> str:
    """A command's examples (command, what it does), environment and docs page, laid out
    as-is (``\\b`` keeps click from re-wrapping them)."""
    width = max(len(command) for command, _ in examples)
    lines = ["\b", "Examples:"]
    for command, what in examples:
        lines.append(f"  {command.ljust(width)}  # {what}" if what else f"  {command}")
    lines += ["", "\b", f"Environment: {env}.", f"Docs: {docs}"]
    return "\n".join(lines)


def main_epilog() -> str:
    width = max(len(name) for name, _ in ENVIRONMENT)
    lines = ["\b", "Environment:"]
    lines += [f"  {name.ljust(width)}  {what}" for name, what in ENVIRONMENT]
    lines += [
        "",
        "\b",
        "Try it on the bundled example:  okr init --example acme && cd acme && okr scorecard",
        "Docs: README.md and docs/ (docs/completion.md for <TAB> completion)",
    ]
    return "\n".join(lines)


def _rewrite_unknown_option(error: Exception, names: list[str]) -> None:
    """Click's "No such option: --formt Did you mean --format?" in okr's words."""
    from okrcli.suggest import suggest

    option = getattr(error, "option_name", None)
    if isinstance(option, str) and hasattr(error, "message"):
        error.message = f"No such option: {option}{suggest(option, names)}"
        if hasattr(error, "possibilities"):
            error.possibilities = None


def _option_names(command: Any, ctx: Any) -> list[str]:
    names: list[str] = []
    for param in command.get_params(ctx):
        if param.param_type_name == "option":
            names += [*param.opts, *param.secondary_opts]
    return names


class OkrCommand(TyperCommand):
    """A command whose help uses okr's placeholder style."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        # typer writes a required argument as {ID}: okr writes ID, and [ID] when optional
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            if getattr(param, "hidden", False):
                continue
            if param.param_type_name == "argument":
                name = param.metavar or (param.name or "").upper()
                arguments.append((name, getattr(param, "help", None) or ""))
                continue
            record = param.get_help_record(ctx)
            if record is not None:
                options.append(record)
        if arguments:
            with formatter.section("Arguments"):
                formatter.write_dl(arguments)
        if options:
            with formatter.section("Options"):
                formatter.write_dl(options)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        plain_strings(self, ctx)
        try:
            return super().parse_args(ctx, args)
        except typer.Exit:
            raise
        except Exception as error:
            _rewrite_unknown_option(error, _option_names(self, ctx))
            raise


class OkrGroup(TyperGroup):
    """``okr`` itself: commands grouped by the weekly workflow, okr's "did you mean".

    Its commands can be given unbuilt (``defer``): each is made from its definition the
    first time it is asked for, so ``okr validate`` builds one command's options and
    ``okr --help`` none (it reads each command's summary and group from the definition).
    """

    def defer(self, definitions: dict[str, Any], build: Any) -> None:
        """Commands by name, each made by ``build(definition)`` when first asked for."""
        self._deferred = definitions
        self._build = build

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        found = super().get_command(ctx, cmd_name)
        deferred = getattr(self, "_deferred", {})
        if found is None and cmd_name in deferred:
            found = self._build(deferred[cmd_name])
            self.add_command(found, cmd_name)
        return found

    def list_commands(self, ctx: Any) -> list[str]:
        built = super().list_commands(ctx)
        deferred = list(getattr(self, "_deferred", {}))
        return deferred + [name for name in built if name not in deferred]

    def _summary(self, ctx: Any, name: str) -> Any:
        """The command, or for one not built yet a stand-in with its help and group."""
        if name in self.commands or name not in getattr(self, "_deferred", {}):
            return self.get_command(ctx, name)
        definition = self._deferred[name]
        text = definition.help
        if text is None:
            text = inspect.getdoc(definition.callback)
        return OkrCommand(
            name=name,
            help=text,
            short_help=definition.short_help,
            hidden=definition.hidden,
            rich_help_panel=definition.rich_help_panel,
        )

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        groups: dict[str, list[tuple[str, str]]] = {}
        commands = [(name, self._summary(ctx, name)) for name in self.list_commands(ctx)]
        shown = [(name, c) for name, c in commands if c is not None and not c.hidden]
        if not shown:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in shown)
        for name, command in shown:
            panel = getattr(command, "rich_help_panel", None) or "Commands"
            groups.setdefault(panel, []).append((name, command.get_short_help_str(limit)))
        order = [p for p in PANELS if p in groups] + [p for p in groups if p not in PANELS]
        for panel in order:
            with formatter.section(panel):
                formatter.write_dl(groups[panel])

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        unknown = args and self.get_command(ctx, name) is None and not name.startswith("-")
        if unknown and not ctx.resilient_parsing:
            from okrcli.suggest import suggest

            ctx.fail(f"No such command '{name}'{suggest(name, self.list_commands(ctx))}")
        return super().resolve_command(ctx, args)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        plain_strings(self, ctx)
        try:
            return super().parse_args(ctx, args)
        except typer.Exit:
            raise
        except Exception as error:
            _rewrite_unknown_option(error, _option_names(self, ctx))
            raise
