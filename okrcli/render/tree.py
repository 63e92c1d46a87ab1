"""Renderers of the alignment tree (``okr tree``): text with tree guides, and JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from okrcli.machine import dumps
from okrcli.render.scorecard import STATUS_STYLES, bar, fit, rule, styled, wrap
from okrcli.render.text import Line, pct, period_name, shown, status_word

if TYPE_CHECKING:
    from okrcli.viewdata import AlignmentTree, TreeKR, TreeNode

RIGHT = 10 + 1 + 4 + 2 + 9  # bar, pct, status


def render_tree(tree: AlignmentTree, width: int = 80) -> list[Line]:
    """The tree as lines of styled text, each at most ``width`` characters."""
    width = max(width, 60)
    p = tree.period
    scope = (
        f"{period_name(p)} and its quarters"
        if p.is_year
        else f"{period_name(p)} and the year {period_name(p.year_period)}"
    )
    lines = [
        Line(chunk, style="bold")
        for chunk in wrap(f"{shown(tree.org)} · alignment tree · {scope}", width)
    ]
    lines += [
        Line(chunk)
        for chunk in wrap(
            f"as of {tree.as_of} · each objective under the objective or key result it aligns to",
            width,
        )
    ]
    if not tree.roots and not tree.unaligned:
        lines += [Line(""), Line(f"No objectives planned for {scope}.")]
    for root in tree.roots:
        lines.append(Line(""))
        lines += node_lines(root, "", "", width)
    if tree.unaligned:
        lines += [Line(""), rule("Not aligned to any objective", width)]
        for node in tree.unaligned:
            lines.append(Line(""))
            lines += node_lines(node, "", "", width)
    return lines


def node_lines(node: TreeNode, first: str, rest: str, width: int) -> list[Line]:
    """``first`` prefixes the node's own line, ``rest`` every line below it.

    Built with an explicit stack (a tree may be thousands of levels deep).  Every line is
    cut to ``width``, so a guide longer than that is kept only to ``width + 1``
    characters: the lines come out the same, and a deep tree costs linear time."""
    from okrcli.viewdata import TreeKR

    lines: list[Line] = []
    keep = width + 1
    todo: list[tuple[TreeNode | TreeKR, str, str]] = [(node, first[:keep], rest[:keep])]
    while todo:
        current, head_guide, guide_below = todo.pop()
        below: list[TreeKR | TreeNode]
        if isinstance(current, TreeKR):
            lines += _kr_lines(current, head_guide, guide_below, width)
            below = list(current.children)
        else:
            lines += _own_lines(current, head_guide, guide_below, width)
            below = [*current.key_results, *current.children]
        last = len(below) - 1
        todo.extend(
            (
                child,
                (guide_below + ("└── " if i == last else "├── "))[:keep],
                (guide_below + ("    " if i == last else "│   "))[:keep],
            )
            for i, child in reversed(list(enumerate(below)))
        )
    return lines


def _own_lines(node: TreeNode, first: str, rest: str, width: int) -> list[Line]:
    label = fit(f"{first}{node.id} · {node.period} · {node.team}", width - RIGHT - 1)
    head = figures(label, node.progress, node.status, width)
    guide = "│ " if node.key_results or node.children else "  "
    about = shown(node.title) + (f" — {shown(', '.join(node.owners))}" if node.owners else "")
    if node.ambition == "aspirational":
        about += " (aspirational)"
    if node.rolled_up:
        about += " (rolls up)" if node.children else " (no key results yet)"
    return [head, Line(fit(f"{rest}{guide}{about}", width), style="dim")]


def figures(label: str, progress: float | None, status: str, width: int) -> Line:
    """A label, then the bar, percentage and status at the right edge."""
    style = STATUS_STYLES.get(status)
    return styled(
        [
            (label.ljust(width - RIGHT), "bold"),
            (bar(progress, 10), style),
            (f" {pct(progress):>4}  ", None),
            (status_word(status), style),
        ]
    )


def _kr_lines(kr: TreeKR, first: str, rest: str, width: int) -> list[Line]:
    """A key result that objectives hang under (they follow, below it)."""
    label = fit(f"{first}KR {kr.id}", width - RIGHT - 1)
    guide = "│ " if kr.children else "  "
    about = shown(kr.title) + (" (rolls up)" if kr.type == "rollup" else "")
    return [
        figures(label, kr.progress, kr.status, width),
        Line(fit(f"{rest}{guide}{about}", width), style="dim"),
    ]


def render_json(tree: AlignmentTree, *, pretty: bool = True) -> str:
    """The tree's object; indented for people, or on one line for programs (an indented
    tree thousands of levels deep grows with the square of its depth)."""
    return dumps(tree.to_json(), indent=2 if pretty else None)
