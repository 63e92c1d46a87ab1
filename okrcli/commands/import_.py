"""``okr import FILE.csv``: append many check-ins from a CSV file (or ``-``, standard
input), all or nothing.

The rows are read and checked by ``okrcli.importing``; if any row is bad, every bad row
is reported as ``FILE:LINE: message`` and nothing is written.  Records identical to ones
already in the journal are skipped and counted, so importing the same file twice adds
nothing.  Otherwise the records are appended, one append per journal file
(``okrcli.recording.write_entries``); ``--dry-run`` prints them instead.
"""

from __future__ import annotations

from pathlib import Path

from okrcli.commands.checkin import commit_written, report_written
from okrcli.errors import EXIT_ERRORS, EXIT_OK, InputError, UsageError
from okrcli.importing import STDIN, Problems, check_rows, dedupe
from okrcli.output import err, out
from okrcli.recording import batches, default_by, write_entries


def import_checkins(
    root: str | None, file: Path, *, commit_it: bool = False, dry_run: bool = False
) -> int:
    from okrcli.commands.common import load
    from okrcli.render.checkin import import_summary
    from okrcli.render.text import plural

    if dry_run and commit_it:
        raise UsageError("--dry-run writes nothing, so there is nothing to --commit")
    shown = "standard input" if str(file) == STDIN else str(file)
    ws = load(root)
    if commit_it:
        from okrcli.gitrepo import prepare_commit

        prepare_commit(ws.root)
    problems = Problems("<stdin>" if str(file) == STDIN else str(file))
    entries = check_rows(ws, file, problems, default_by(ws.root))
    if problems.items:
        for line in problems.lines():
            err(line)
        bad = len({line for line, _ in problems.items if line > 1})
        what = plural(bad, "bad row") if bad else "a bad header row"
        err(f"okr: {what} in {shown}; nothing was imported")
        return EXIT_ERRORS
    if not entries:
        raise InputError(f"{shown} has no rows to import")
    fresh, skipped = dedupe(ws, entries)
    skip_note = f"skipped {plural(skipped, 'check-in')} already in the journal" if skipped else ""
    if not fresh:
        out(f"nothing to import from {shown}: all {plural(skipped, 'check-in')} are in the "
            "journal already")  # fmt: skip
        return EXIT_OK
    for line in import_summary(fresh):
        out(line)
    if dry_run:
        for rel, lines in batches(fresh).items():
            out(f"would append {plural(len(lines), 'line')} to {rel}:")
            for text in lines:
                out(f"  {text.rstrip()}")
        out(f"would import {plural(len(fresh), 'check-in')} from {shown} (--dry-run: nothing "
            "written)")  # fmt: skip
        if skip_note:
            out(skip_note)
        return EXIT_OK
    written = write_entries(ws.root, fresh)
    out(f"imported {plural(len(fresh), 'check-in')} from {shown}")
    if skip_note:
        out(skip_note)
    report_written(ws, fresh, written, show_changes=False)
    if commit_it:
        commit_written(ws, written, "import", fresh)
    return EXIT_OK
