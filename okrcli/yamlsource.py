"""Safe, bounded YAML reading that keeps line and column marks.

okr reads YAML from libyaml's event stream and builds plain Python data itself, so that:

* no tag can construct a Python object (only the core scalar tags are accepted);
* nesting depth, alias expansion and file size are bounded *before* they can hurt
  (libyaml's own composer recurses in C and crashes the process on very deep nesting;
  a small alias bomb expands to billions of nodes);
* a key repeated in one mapping is reported instead of silently keeping the last;
* every mapping and sequence remembers where it and each of its entries start, so a
  problem found later (by pydantic or a cross-file check) can be reported at
  ``file:line:column`` without keeping a node tree in memory.

Scalars follow exactly the YAML 1.2 core schema, as yaml-language-server and
check-jsonschema read them: ``true``/``false`` (not ``yes``/``no``), ``null`` and ``~``,
decimal, ``0x`` and ``0o`` integers (no sign), floats with an optional exponent and
``.inf``/``.nan``; ``1_000``, ``0b101`` and ``+0x1F`` are text.  An integer too large for
any finite float reads as infinite.  Dates are *not* converted: timestamps stay strings
and are parsed where they are used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml import events as ev

try:  # the C parser; fall back to the pure-Python one where libyaml is missing
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - libyaml ships with PyYAML wheels
    from yaml import Loader as _Parser  # type: ignore[assignment]

from okrcli.diagnostics import Diagnostic
from okrcli.files import MAX_FILE_BYTES, read_bytes

MAX_DEPTH = 64
MAX_ALIAS_EXPANSION = 100_000

Pos = tuple[int, int]  # 1-based (line, column)


class MarkedDict(dict[Any, Any]):
    """A dict that knows where it and each of its keys and values start."""

    __slots__ = ("keys_at", "pos", "values_at")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.keys_at: dict[Any, Pos] = {}
        self.values_at: dict[Any, Pos] = {}


class MarkedList(list[Any]):
    """A list that knows where it and each of its items start."""

    __slots__ = ("items_at", "pos")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.items_at: list[Pos] = []


@dataclass
class Document:
    """One parsed file: its data (``None`` when empty or unreadable) and its problems."""

    path: str
    data: Any = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.diagnostics


def locate(data: Any, loc: tuple[Any, ...], *, key: bool = False) -> Pos:
    """The position of the node at ``loc`` inside ``data``.

    A path that leaves the data (a missing key) stops at the deepest container that
    exists, which is the mapping that lacks the key.  ``key=True`` points at the last
    key itself rather than its value (for unknown keys).
    """
    node = data
    pos: Pos = getattr(data, "pos", (1, 1))
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, MarkedDict):
            if part not in node:
                break
            pos = node.keys_at[part] if key and last else node.values_at[part]
            node = node[part]
        elif isinstance(node, MarkedList) and isinstance(part, int):
            if not 0 <= part < len(node):
                break
            pos = node.items_at[part]
            node = node[part]
        else:
            break
    return pos


# --- scalars ---------------------------------------------------------------------------

# exactly the YAML 1.2 core schema's (https://yaml.org/spec/1.2.2/#1032-tag-resolution):
# no underscores, no binary, no sign on hexadecimal or octal
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", re.ASCII)
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?", re.ASCII)
_MAX_DIGITS = 400  # an integer this long is beyond every finite float: read as infinite
_SPECIAL = {
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
    "null": None,
    "Null": None,
    "NULL": None,
    "~": None,
    "": None,
    ".inf": float("inf"),
    ".Inf": float("inf"),
    ".INF": float("inf"),
    "+.inf": float("inf"),
    "+.Inf": float("inf"),
    "+.INF": float("inf"),
    "-.inf": float("-inf"),
    "-.Inf": float("-inf"),
    "-.INF": float("-inf"),
    ".nan": float("nan"),
    ".NaN": float("nan"),
    ".NAN": float("nan"),
}
_NUMERIC_START = frozenset("0123456789-+.")

_STR = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_ALLOWED_COLLECTION_TAGS = {None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def _to_int(text: str) -> int | float:
    """An integer of the core schema; one too large for any finite float is infinite (so
    that it is reported as not finite, and never printed in full)."""
    if text.startswith(("0x", "0o")):
        value = int(text[2:], 16 if text[1] == "x" else 8)
    elif len(text.lstrip("+-").lstrip("0")) > _MAX_DIGITS:  # int() refuses 4300 digits
        return float("-inf") if text.startswith("-") else float("inf")
    else:
        value = int(text)
    if value.bit_length() > 1024:
        return float("-inf") if value < 0 else float("inf")
    return value


def resolve_plain(text: str) -> Any:
    """The value of a plain (unquoted) scalar under the YAML 1.2 core schema."""
    if text in _SPECIAL:
        return _SPECIAL[text]
    if text[0] in _NUMERIC_START:
        if _INT.fullmatch(text):
            return _to_int(text)
        if _FLOAT.fullmatch(text):
            return float(text)
    return text


class _Reject(Exception):
    """Raised inside the builder to stop reading a file with one diagnostic."""

    def __init__(self, code: str, pos: Pos, message: str) -> None:
        super().__init__(message)
        self.code, self.pos, self.message = code, pos, message


def _scalar(event: ev.ScalarEvent, pos: Pos) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        if event.style in ("", None) and event.implicit[0]:
            return resolve_plain(event.value)
        return event.value
    if tag == _STR:
        return event.value
    if tag in (_INT_TAG, _FLOAT_TAG, "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"):
        value = resolve_plain(event.value)
        expected: Any = {
            _INT_TAG: int,
            _FLOAT_TAG: (int, float),
            "tag:yaml.org,2002:bool": bool,
            "tag:yaml.org,2002:null": type(None),
        }[tag]
        if isinstance(value, expected) and not (tag == _INT_TAG and isinstance(value, bool)):
            return float(value) if tag == _FLOAT_TAG else value
        raise _Reject("yaml-tag", pos, f"{event.value!r} is not a valid {tag.rsplit(':', 1)[1]}")
    raise _Reject(
        "yaml-tag", pos, f"the tag {tag!r} is not allowed; okr reads plain YAML data only"
    )


# --- the builder -------------------------------------------------------------------------


def _events(text: str) -> Iterator[Any]:
    parser = _Parser(text)
    try:
        while True:
            event = parser.get_event()
            if event is None:
                return
            yield event
            if isinstance(event, ev.StreamEndEvent):
                return
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()


def _build(text: str, path: str, diagnostics: list[Diagnostic]) -> Any:
    """Build the single document in ``text`` iteratively; report problems into ``diagnostics``."""
    # Stack entries: [container, pending_key, key_pos, anchor, expanded_before]
    stack: list[list[Any]] = []
    anchors: dict[str, tuple[Any, int]] = {}  # anchor -> (value, expanded node count)
    open_anchors: set[str] = set()
    expanded = 0  # nodes in the document counting aliases expanded
    from_aliases = 0  # nodes contributed by alias expansion
    root: Any = None
    documents = 0
    no_key = _NO_KEY

    def add(value: Any, pos: Pos) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        top = stack[-1]
        container = top[0]
        if isinstance(container, MarkedList):
            container.append(value)
            container.items_at.append(pos)
        elif top[1] is no_key:
            if isinstance(value, (MarkedDict, MarkedList)):
                raise _Reject(
                    "yaml-key", pos, "a mapping key must be a plain value, not a mapping or list"
                )
            top[1], top[2] = value, pos
        else:
            k = top[1]
            if k in container:
                first = container.keys_at[k]
                diagnostics.append(
                    Diagnostic(
                        "yaml-duplicate-key",
                        path,
                        top[2][0],
                        top[2][1],
                        f"the key {k!r} is repeated in this mapping (first at line {first[0]}); "
                        "keep one of them",
                    )
                )
            else:
                container[k] = value
                container.keys_at[k] = top[2]
                container.values_at[k] = pos
            top[1] = no_key

    for event in _events(text):
        kind = type(event)
        mark = event.start_mark
        pos = (mark.line + 1, mark.column + 1)
        if kind is ev.ScalarEvent:
            expanded += 1
            value = _scalar(event, pos)
            if event.anchor is not None:
                anchors[event.anchor] = (value, 1)
            add(value, pos)
        elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
            if event.tag not in _ALLOWED_COLLECTION_TAGS:
                raise _Reject(
                    "yaml-tag",
                    pos,
                    f"the tag {event.tag!r} is not allowed; okr reads plain YAML data only",
                )
            if len(stack) >= MAX_DEPTH:
                raise _Reject(
                    "yaml-too-deep", pos, f"nesting deeper than {MAX_DEPTH} levels is not read"
                )
            container: Any = MarkedDict(pos) if kind is ev.MappingStartEvent else MarkedList(pos)
            expanded += 1
            if event.anchor is not None:
                open_anchors.add(event.anchor)
            stack.append([container, no_key, pos, event.anchor, expanded])
        elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
            container, _, _, anchor, before = stack.pop()
            if anchor is not None:
                open_anchors.discard(anchor)
                anchors[anchor] = (container, expanded - before + 1)
            add(container, container.pos)
        elif kind is ev.AliasEvent:
            name = event.anchor
            if name in open_anchors:
                raise _Reject("yaml-alias", pos, f"the alias *{name} refers to its own anchor")
            if name not in anchors:
                raise _Reject("yaml-syntax", pos, f"the alias *{name} has no anchor")
            value, size = anchors[name]
            expanded += size
            from_aliases += size
            if from_aliases > MAX_ALIAS_EXPANSION:
                raise _Reject(
                    "yaml-alias",
                    pos,
                    f"aliases expand to more than {MAX_ALIAS_EXPANSION} nodes; "
                    "write the data out instead of repeating it through aliases",
                )
            add(value, pos)
        elif kind is ev.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Reject(
                    "yaml-syntax", pos, "a file holds one YAML document; remove the '---'"
                )
    return root


_NO_KEY = object()


def parse(text: str, path: str) -> Document:
    """Parse ``text`` (the file at workspace-relative ``path``) into a ``Document``."""
    doc = Document(path)
    if len(text) > MAX_FILE_BYTES:
        doc.diagnostics.append(
            Diagnostic(
                "file-too-large", path, 1, 1, f"the file is larger than {MAX_FILE_BYTES} bytes"
            )
        )
        return doc
    try:
        doc.data = _build(text, path, doc.diagnostics)
    except _Reject as r:
        doc.data = None
        doc.diagnostics.append(Diagnostic(r.code, path, r.pos[0], r.pos[1], r.message))
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = e.problem or e.context or "invalid YAML"
        context = f" ({e.context})" if e.context and e.problem else ""
        doc.data = None
        doc.diagnostics.append(Diagnostic("yaml-syntax", path, line, col, f"{problem}{context}"))
    except yaml.YAMLError as e:  # reader errors: bad characters
        doc.data = None
        doc.diagnostics.append(Diagnostic("yaml-syntax", path, 1, 1, str(e).splitlines()[0]))
    return doc


def read_text(data: bytes, path: str) -> tuple[str | None, Diagnostic | None]:
    """Decode file bytes as UTF-8 (a BOM is allowed), or say why not."""
    if len(data) > MAX_FILE_BYTES:
        return None, Diagnostic(
            "file-too-large", path, 1, 1, f"the file is larger than {MAX_FILE_BYTES} bytes"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        return None, Diagnostic(
            "file-encoding", path, line, col, "the file is not UTF-8 text; save it as UTF-8"
        )
    return text, None


def parse_bytes(data: bytes, path: str) -> Document:
    """Decode and parse a file's bytes; an undecodable file is a document with a diagnostic."""
    text, problem = read_text(data, path)
    if text is None:
        doc = Document(path)
        if problem is not None:
            doc.diagnostics.append(problem)
        return doc
    return parse(text, path)


def read_document(root: Path, rel: str) -> Document:
    """Read and parse the workspace file ``rel``; a file that is not read is a document
    with a diagnostic."""
    raw, problem = read_bytes(root, rel)
    if raw is None:
        doc = Document(rel)
        if problem is not None:
            doc.diagnostics.append(problem)
        return doc
    return parse_bytes(raw, rel)
