"""Renderers of the alignment tree (``okr tree``): text with tree guides, and JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from okrcli.render.scorecard import STATUS_STYLES, bar, fit, rule, styled, wrap
from okrcli.render.text import pct, status_word

if TYPE_CHECKING:
    from rich.text import Text

    from okrcli.views import AlignmentTree, TreeNode

RIGHT = 10 + 1 + 4 + 2 + 9  # bar, pct, status


def render_tree(tree: AlignmentTree, width: int = 80) -> list[Text]:
    """The tree as lines of styled text, each at most ``width`` characters."""
    from rich.text import Text

    width = max(width, 60)
    p = tree.period
    scope = f"{p} and its quarters" if p.is_year else f"{p} and the year {p.year_period}"
    lines = [
        Text(chunk, style="bold") for chunk in wrap(f"{tree.org} · alignment tree · {scope}", width)
    ]
    lines += [
        Text(chunk)
        for chunk in wrap(f"as of {tree.as_of} · each objective under the one it aligns to", width)
    ]
    if not tree.roots and not tree.unaligned:
        lines += [Text(""), Text(f"No objectives planned for {scope}.")]
    for root in tree.roots:
        lines.append(Text(""))
        lines += node_lines(root, "", "", width)
    if tree.unaligned:
        lines += [Text(""), rule("Not aligned to any objective", width)]
        for node in tree.unaligned:
            lines.append(Text(""))
            lines += node_lines(node, "", "", width)
    return lines


def node_lines(node: TreeNode, first: str, rest: str, width: int) -> list[Text]:
    """``first`` prefixes the node's own line, ``rest`` every line below it.

    Built with an explicit stack (a tree may be thousands of levels deep).  Every line is
    cut to ``width``, so a guide longer than that is kept only to ``width + 1``
    characters: the lines come out the same, and a deep tree costs linear time."""
    lines: list[Text] = []
    keep = width + 1
    todo: list[tuple[TreeNode, str, str]] = [(node, first[:keep], rest[:keep])]
    while todo:
        current, head_guide, guide_below = todo.pop()
        lines += _own_lines(current, head_guide, guide_below, width)
        last = len(current.children) - 1
        todo.extend(
            (
                child,
                (guide_below + ("└── " if i == last else "├── "))[:keep],
                (guide_below + ("    " if i == last else "│   "))[:keep],
            )
            for i, child in reversed(list(enumerate(current.children)))
        )
    return lines


def _own_lines(node: TreeNode, first: str, rest: str, width: int) -> list[Text]:
    from rich.text import Text

    label = fit(f"{first}{node.id} · {node.period} · {node.team}", width - RIGHT - 1)
    style = STATUS_STYLES.get(node.status)
    head = styled(
        [
            (label.ljust(width - RIGHT), "bold"),
            (bar(node.progress, 10), style),
            (f" {pct(node.progress):>4}  ", None),
            (status_word(node.status), style),
        ]
    )
    guide = "│ " if node.children else "  "
    about = node.title + (f" — {node.owner}" if node.owner else "")
    if node.rolled_up:
        about += " (rolls up)" if node.children else " (no key results yet)"
    return [head, Text(fit(f"{rest}{guide}{about}", width), style="dim")]


def render_json(tree: AlignmentTree, *, pretty: bool = True) -> str:
    """The tree's object; indented for people, or on one line for programs (an indented
    tree thousands of levels deep grows with the square of its depth)."""
    return dumps(tree.to_json(), 2 if pretty else None)


def dumps(value: Any, indent: int | None = 2) -> str:
    """``json.dumps(value, indent=indent, ensure_ascii=False, allow_nan=False)``, written
    with an explicit stack, so that a tree thousands of levels deep does not overflow."""
    if indent is None:
        return _dumps_line(value)
    parts: list[str] = []
    todo: list[tuple[Any, int] | str] = [(value, 0)]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        current, depth = item
        if isinstance(current, dict) and current:
            inner = "\n" + " " * (indent * (depth + 1))
            todo.append("\n" + " " * (indent * depth) + "}")
            entries = list(current.items())
            for i in range(len(entries) - 1, -1, -1):
                key, child = entries[i]
                if i < len(entries) - 1:
                    todo.append(",")
                todo.append((child, depth + 1))
                todo.append(inner + _scalar(str(key)) + ": ")
            todo.append("{")
        elif isinstance(current, (list, tuple)) and current:
            inner = "\n" + " " * (indent * (depth + 1))
            todo.append("\n" + " " * (indent * depth) + "]")
            for i in range(len(current) - 1, -1, -1):
                if i < len(current) - 1:
                    todo.append(",")
                todo.append((current[i], depth + 1))
                todo.append(inner)
            todo.append("[")
        else:
            parts.append(_scalar(current))
    return "".join(parts)


def _dumps_line(value: Any) -> str:
    """``dumps`` on one line, with json.dumps's default separators."""
    parts: list[str] = []
    todo: list[Any] = [(value,)]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        (current,) = item
        if isinstance(current, dict) and current:
            todo.append("}")
            entries = list(current.items())
            for i in range(len(entries) - 1, -1, -1):
                key, child = entries[i]
                todo.append((child,))
                todo.append(("" if i == 0 else ", ") + _scalar(str(key)) + ": ")
            todo.append("{")
        elif isinstance(current, (list, tuple)) and current:
            todo.append("]")
            for i in range(len(current) - 1, -1, -1):
                todo.append((current[i],))
                if i:
                    todo.append(", ")
            todo.append("[")
        else:
            parts.append(_scalar(current))
    return "".join(parts)


def _scalar(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)
