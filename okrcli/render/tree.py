"""Renderers of the alignment tree (``okr tree``): text with tree guides, and JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from okrcli.render.scorecard import STATUS_STYLES, bar, fit, rule, styled, wrap
from okrcli.render.text import pct, period_name, status_word

if TYPE_CHECKING:
    from rich.text import Text

    from okrcli.views import AlignmentTree, TreeKR, TreeNode

RIGHT = 10 + 1 + 4 + 2 + 9  # bar, pct, status


def render_tree(tree: AlignmentTree, width: int = 80) -> list[Text]:
    """The tree as lines of styled text, each at most ``width`` characters."""
    from rich.text import Text

    width = max(width, 60)
    p = tree.period
    scope = (
        f"{period_name(p)} and its quarters"
        if p.is_year
        else f"{period_name(p)} and the year {period_name(p.year_period)}"
    )
    lines = [
        Text(chunk, style="bold") for chunk in wrap(f"{tree.org} · alignment tree · {scope}", width)
    ]
    lines += [
        Text(chunk)
        for chunk in wrap(
            f"as of {tree.as_of} · each objective under the objective or key result it aligns to",
            width,
        )
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
    """``first`` prefixes the node's own line, ``rest`` every line below it."""
    from rich.text import Text

    from okrcli.views import TreeKR

    label = fit(f"{first}{node.id} · {node.period} · {node.team}", width - RIGHT - 1)
    head = figures(label, node.progress, node.status, width)
    below: list[TreeKR | TreeNode] = [*node.key_results, *node.children]
    guide = "│ " if below else "  "
    about = node.title + (f" — {', '.join(node.owners)}" if node.owners else "")
    if node.ambition == "aspirational":
        about += " (aspirational)"
    if node.rolled_up:
        about += " (rolls up)" if node.children else " (no key results yet)"
    lines = [head, Text(fit(f"{rest}{guide}{about}", width), style="dim")]
    for i, item in enumerate(below):
        last = i == len(below) - 1
        first_, rest_ = rest + ("└── " if last else "├── "), rest + ("    " if last else "│   ")
        if isinstance(item, TreeKR):
            lines += kr_lines(item, first_, rest_, width)
        else:
            lines += node_lines(item, first_, rest_, width)
    return lines


def figures(label: str, progress: float | None, status: str, width: int) -> Text:
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


def kr_lines(kr: TreeKR, first: str, rest: str, width: int) -> list[Text]:
    """A key result that objectives hang under, with them below it."""
    from rich.text import Text

    label = fit(f"{first}KR {kr.id}", width - RIGHT - 1)
    guide = "│ " if kr.children else "  "
    about = kr.title + (" (rolls up)" if kr.type == "rollup" else "")
    lines = [figures(label, kr.progress, kr.status, width)]
    lines.append(Text(fit(f"{rest}{guide}{about}", width), style="dim"))
    for i, child in enumerate(kr.children):
        last = i == len(kr.children) - 1
        lines += node_lines(
            child, rest + ("└── " if last else "├── "), rest + ("    " if last else "│   "), width
        )
    return lines


def render_json(tree: AlignmentTree) -> str:
    return json.dumps(tree.to_json(), indent=2, ensure_ascii=False, allow_nan=False)
