from helpers import AS_OF, EXAMPLE


def test_example_validates_clean(okr):
    result = okr("validate", "--root", str(EXAMPLE), "--as-of", AS_OF)
    assert result.exit_code == 0, result
    assert result.stdout == ""
    assert result.stderr == ""
