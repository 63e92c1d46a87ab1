"""``okr init``: scaffolds that validate clean and never overwrite."""

from __future__ import annotations

import filecmp
from datetime import date

from helpers import AS_OF, EXAMPLE

from okrcli.periods import quarter_of


def _tree(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_scaffold_has_everything_and_validates_clean(okr, tmp_path):
    target = tmp_path / "goals"
    result = okr("init", str(target))
    assert result.exit_code == 0, result
    quarter = quarter_of(date.today())
    assert _tree(target) == sorted(
        [
            ".gitattributes",
            ".gitignore",
            "checkins/.gitkeep",
            "kpis/product.yaml",
            "okr.yaml",
            f"okrs/{quarter}/company.yaml",
            f"okrs/{quarter}/product.yaml",
        ]
    )
    assert "checkins/*.yaml merge=union" in (target / ".gitattributes").read_text()
    assert "created okr.yaml" in result.stderr
    check = okr("validate", "--root", str(target))
    assert (check.exit_code, check.stderr) == (0, "")


def test_scaffold_has_a_parent_and_a_child_team(tmp_path, okr):
    okr("init", str(tmp_path))
    text = (tmp_path / "okr.yaml").read_text()
    assert "company: {name: My Company}" in text
    assert "product: {name: Product, parent: company}" in text


def test_never_overwrites_and_reports_kept_files(okr, tmp_path):
    (tmp_path / "okr.yaml").write_text("# mine\n")
    (tmp_path / ".gitattributes").write_text("*.png binary\n")
    result = okr("init", str(tmp_path), "--force")
    assert result.exit_code == 0
    assert (tmp_path / "okr.yaml").read_text() == "# mine\n"
    assert (tmp_path / ".gitattributes").read_text() == "*.png binary\n"
    assert "kept existing okr.yaml (not overwritten)" in result.stderr
    assert "add 'checkins/*.yaml merge=union' to .gitattributes" in result.stderr
    assert "created kpis/product.yaml" in result.stderr


def test_running_twice_changes_nothing(okr, tmp_path):
    okr("init", str(tmp_path))
    before = {p: (tmp_path / p).read_bytes() for p in _tree(tmp_path)}
    result = okr("init", str(tmp_path))
    assert result.exit_code == 1
    assert f"its okr.yaml is {tmp_path / 'okr.yaml'}" in result.stderr
    forced = okr("init", str(tmp_path), "--force")
    assert forced.exit_code == 0
    assert "created" not in forced.stderr
    assert {p: (tmp_path / p).read_bytes() for p in _tree(tmp_path)} == before


def test_init_inside_a_workspace_refuses_and_says_where_it_is(okr, tmp_path):
    okr("init", str(tmp_path))
    before = {p: (tmp_path / p).read_bytes() for p in _tree(tmp_path)}
    for inner in (tmp_path / "okrs", tmp_path / "docs" / "team"):
        result = okr("init", str(inner))
        assert result.exit_code == 1
        assert f"its okr.yaml is above it, at {tmp_path / 'okr.yaml'}" in result.stderr
        assert {p: (tmp_path / p).read_bytes() for p in _tree(tmp_path)} == before
    # validation still passes: no second okr.yaml, no stray plans under okrs/
    assert okr("validate", "--root", str(tmp_path)).exit_code == 0
    forced = okr("init", str(tmp_path / "elsewhere"), "--force")
    assert forced.exit_code == 0
    assert (tmp_path / "elsewhere" / "okr.yaml").is_file()


def test_example_is_the_bundled_example_and_validates(okr, tmp_path):
    target = tmp_path / "acme"
    result = okr("init", "--example", str(target))
    assert result.exit_code == 0
    assert _tree(target) == _tree(EXAMPLE)
    mismatch = filecmp.cmpfiles(target, EXAMPLE, _tree(EXAMPLE), shallow=False)[1:]
    assert mismatch == ([], [])
    check = okr("validate", "--root", str(target), "--as-of", AS_OF)
    assert (check.exit_code, check.stderr) == (0, "")


def test_init_into_a_file_is_an_error(okr, tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    result = okr("init", str(target))
    assert result.exit_code == 1
    assert "is not a folder" in result.stderr
