"""Safe, bounded YAML reading: positions, scalars, and hostile input."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from okrcli import yamlsource
from okrcli.yamlsource import locate, parse, resolve_plain


def codes(text: str) -> list[str]:
    return [d.code for d in parse(text, "f.yaml").diagnostics]


def test_positions_of_keys_values_and_items():
    doc = parse("a: 1\nb:\n  - x\n  - {c: 2}\n", "f.yaml")
    assert doc.ok
    assert locate(doc.data, ("a",)) == (1, 4)
    assert locate(doc.data, ("a",), key=True) == (1, 1)
    assert locate(doc.data, ("b", 1)) == (4, 5)
    assert locate(doc.data, ("b", 1, "c")) == (4, 9)
    # a path that leaves the data stops at the deepest mapping that exists
    assert locate(doc.data, ("b", 1, "missing")) == (4, 5)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("False", False),
        ("yes", "yes"),  # YAML 1.2: yes/no/on/off are text
        ("no", "no"),
        ("~", None),
        ("null", None),
        ("42", 42),
        ("-7", -7),
        ("1_000", "1_000"),  # YAML 1.2 core: underscores, binary and signed hex are text
        ("0b101", "0b101"),
        ("+0x1F", "+0x1F"),
        ("0x_1F", "0x_1F"),
        ("+7", 7),
        ("0x1F", 31),
        ("0o17", 15),
        ("2.5", 2.5),
        ("1e3", 1000.0),
        ("-1.5E-2", -0.015),
        (".5", 0.5),
        ("2026-11-20", "2026-11-20"),  # dates stay text
        ("2026-Q4", "2026-Q4"),
        ("p99-latency", "p99-latency"),
        ("1.2.3", "1.2.3"),
        ("-", "-"),
        ("１２", "１２"),  # only ASCII digits are digits
        ("٣", "٣"),
        ("1" * 5000, float("inf")),  # beyond Python's digit limit: infinite, not a crash
        ("-" + "9" * 401, float("-inf")),
        ("0x" + "f" * 300, float("inf")),
    ],
)
def test_plain_scalars_follow_the_core_schema(text, value):
    assert resolve_plain(text) == value
    assert type(resolve_plain(text)) is type(value)


def test_quoted_scalars_stay_text():
    doc = parse("a: '42'\nb: \"true\"\nc: !!str 7\n", "f.yaml")
    assert doc.data == {"a": "42", "b": "true", "c": "7"}


def test_infinite_and_nan_are_read_for_the_models_to_reject():
    doc = parse("a: .inf\nb: 1.0e999\n", "f.yaml")
    assert doc.data["a"] == float("inf")
    assert doc.data["b"] == float("inf")


def test_duplicate_keys_are_all_reported_and_the_first_kept():
    doc = parse("a: 1\nb: 2\na: 3\nb: 4\n", "f.yaml")
    assert [(d.code, d.line) for d in doc.diagnostics] == [
        ("yaml-duplicate-key", 3),
        ("yaml-duplicate-key", 4),
    ]
    assert "first at line 1" in doc.diagnostics[0].message
    assert doc.data == {"a": 1, "b": 2}


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['echo pwned']\n",
        "a: !!python/name:os.system\n",
        "a: !custom 1\n",
        "a: !!binary aGVsbG8=\n",
        "a: !!set {x}\n",
    ],
)
def test_no_tag_can_construct_objects(text):
    assert codes(text) == ["yaml-tag"]


def test_more_than_one_document_is_an_error():
    assert codes("a: 1\n---\nb: 2\n") == ["yaml-syntax"]


def test_deep_flow_nesting_is_rejected_without_crashing_the_process():
    # libyaml's own composer recurses in C and segfaults near 30,000 levels; okr must not.
    code = (
        "from okrcli.yamlsource import parse\n"
        "d = parse('[' * 100000 + ']' * 100000, 'deep.yaml')\n"
        "print(d.diagnostics[0].code)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "yaml-too-deep"


def test_deep_block_nesting_is_rejected():
    text = "".join(" " * i + "k:\n" for i in range(200)) + " " * 200 + "k: 1\n"
    assert codes(text) == ["yaml-too-deep"]


def test_alias_bomb_is_rejected_quickly():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    started = time.perf_counter()
    found = codes("\n".join(lines) + "\n")
    assert found == ["yaml-alias"]
    assert time.perf_counter() - started < 5  # a bound against a hang, not a benchmark


def test_a_few_aliases_are_fine():
    doc = parse("base: &b {x: 1}\nuse: *b\n", "f.yaml")
    assert doc.ok
    assert doc.data["use"] == {"x": 1}


def test_recursive_alias_is_rejected():
    assert codes("a: &a [1, *a]\n") == ["yaml-alias"]


def test_file_size_is_bounded(monkeypatch):
    monkeypatch.setattr(yamlsource, "MAX_FILE_BYTES", 100)
    text, problem = yamlsource.read_text(b"a: 1\n" * 50, "big.yaml")
    assert text is None
    assert problem is not None and problem.code == "file-too-large"


def test_invalid_utf8_is_reported_with_its_position():
    text, problem = yamlsource.read_text(b"a: 1\nb: caf\xe9\n", "f.yaml")
    assert text is None
    assert problem is not None
    assert (problem.code, problem.line, problem.column) == ("file-encoding", 2, 7)


def test_a_byte_order_mark_is_accepted():
    text, problem = yamlsource.read_text("\ufeffa: 1\n".encode(), "f.yaml")
    assert problem is None
    assert parse(text or "", "f.yaml").data == {"a": 1}
