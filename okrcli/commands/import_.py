"""``okr import FILE.csv``: append many check-ins from a CSV file, all or nothing.

The rows are read and checked by ``okrcli.importing``; if any row is bad, every bad row
is reported as ``FILE:LINE: message`` and nothing is written.  Otherwise the records are
appended, one append per journal file (``okrcli.recording.write_entries``).
"""

from __future__ import annotations

from pathlib import Path

from okrcli.commands.checkin import commit_written, report_written
from okrcli.errors import EXIT_ERRORS, EXIT_OK, InputError
from okrcli.importing import Problems, check_rows
from okrcli.output import err, out
from okrcli.recording import default_by, write_entries


def import_checkins(root: str | None, file: Path, *, commit_it: bool = False) -> int:
    from okrcli.commands.common import load
    from okrcli.render.checkin import import_summary
    from okrcli.render.text import plural, shown

    ws = load(root)
    if commit_it:
        from okrcli.gitrepo import prepare_commit

        prepare_commit(ws.root)
    problems = Problems(str(file))
    entries = check_rows(ws, file, problems, default_by(ws.root))
    if problems.items:
        for line in problems.lines():
            err(shown(line))
        bad = len({line for line, _ in problems.items if line > 1})
        what = plural(bad, "bad row") if bad else "a bad header row"
        err(f"okr: {what} in {shown(str(file))}; nothing was imported")
        return EXIT_ERRORS
    if not entries:
        raise InputError(f"{file} has no rows to import")
    written = write_entries(ws.root, entries)
    for line in import_summary(entries):
        out(line)
    out(f"imported {plural(len(entries), 'check-in')} from {shown(str(file))}")
    report_written(ws, entries, written, show_changes=False)
    if commit_it:
        commit_written(ws, written, "import", entries)
    return EXIT_OK
