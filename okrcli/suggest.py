"""'Did you mean …?': one wording for every unknown name okr meets."""

from __future__ import annotations

import difflib
import heapq
from collections import Counter
from collections.abc import Iterable

CUTOFF = 0.6
# below this many names a plain difflib pass is as quick as building an index
_SMALL = 256


def closest(name: str, known: Iterable[str], n: int = 3) -> list[str]:
    """The known names closest to ``name``, best first (none when nothing is close)."""
    return difflib.get_close_matches(name, list(known), n=n, cutoff=CUTOFF)


def phrase(found: list[str]) -> str:
    if not found:
        return ""
    return "; did you mean " + " or ".join(f"'{c}'" for c in found) + "?"


def suggest(name: str, known: Iterable[str]) -> str:
    """``; did you mean 'platform'?`` (or two or three names), or nothing."""
    return phrase(closest(name, known))


class Suggester:
    """``suggest`` against one list of names, for many unknown names.

    Each distinct name is looked up once.  A large list is indexed once (its names grouped
    by their letters), and names are compared in the order of an upper bound of their
    similarity: difflib's ``quick_ratio`` (shared letters, once per group), then the
    longest common subsequence (a bit-parallel count), before the exact ratio.  The
    comparison stops as soon as no name left can beat the ones found, so the answer is
    exactly difflib's at a fraction of the cost when thousands of ids are known and
    hundreds of records name unknown ones.
    """

    def __init__(self, known: Iterable[str]) -> None:
        self.known = list(dict.fromkeys(known))
        self._groups: list[tuple[int, Counter[str], list[str]]] | None = None
        self._memo: dict[str, list[str]] = {}

    def suggest(self, name: str) -> str:
        return phrase(self.closest(name))

    def closest(self, name: str, n: int = 3) -> list[str]:
        found = self._memo.get(name)
        if found is None:
            if len(self.known) <= _SMALL:
                found = difflib.get_close_matches(name, self.known, n=n, cutoff=CUTOFF)
            else:
                found = self._search(name, n)
            self._memo[name] = found
        return found

    def _index(self) -> list[tuple[int, Counter[str], list[str]]]:
        if self._groups is None:
            groups: dict[str, list[str]] = {}
            for x in self.known:
                groups.setdefault("".join(sorted(x)), []).append(x)
            self._groups = [(len(k), Counter(k), names) for k, names in groups.items()]
        return self._groups

    def _search(self, name: str, n: int) -> list[str]:
        letters = Counter(name).items()
        size = len(name)
        bounds: list[tuple[float, str]] = []
        for length, counts, names in self._index():
            total = size + length
            if 2 * min(size, length) < CUTOFF * total:  # difflib's real_quick_ratio
                continue
            common = 0
            for ch, k in letters:
                v = counts.get(ch)
                if v:
                    common += k if k < v else v
            bound = 2.0 * common / total  # difflib's quick_ratio
            if bound >= CUTOFF:
                bounds.extend((bound, x) for x in names)
        bounds.sort(reverse=True)
        masks: dict[str, int] = {}
        for i, ch in enumerate(name):
            masks[ch] = masks.get(ch, 0) | (1 << i)
        full = (1 << size) - 1
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(name)
        best: list[tuple[float, str]] = []  # a heap of the n best (score, name)
        for bound, x in bounds:
            if len(best) >= n and bound < best[0][0]:
                break  # nothing left can reach the n-th best
            if len(best) >= n:
                # the matches difflib finds form a common subsequence: bounded by the LCS
                v = full
                for ch in x:
                    u = v & masks.get(ch, 0)
                    v = ((v + u) | (v - u)) & full
                lcs = size - bin(v).count("1")
                if 2.0 * lcs / (size + len(x)) < best[0][0]:
                    continue
            matcher.set_seq1(x)
            score = matcher.ratio()
            if score >= CUTOFF:
                if len(best) < n:
                    heapq.heappush(best, (score, x))
                else:
                    heapq.heappushpop(best, (score, x))
        return [x for _, x in heapq.nlargest(n, best)]
