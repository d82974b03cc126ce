"""``quizapp doctor [--repair] [--json]``: check the database, and repair damaged rows."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from quizapp.cli.context import open_db

if TYPE_CHECKING:
    from quizapp.services.doctor import DoctorReport


@click.command("doctor")
@click.option("--repair", is_flag=True, help="Back up, then repair every damaged row that can be.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.pass_context
def doctor(ctx: click.Context, repair: bool, as_json: bool) -> None:
    """Check the database: SQLite's integrity check, foreign keys, and every row.

    On PostgreSQL the integrity check is the server's own (it is not run, and the report
    says so); the foreign keys and every row are checked as on SQLite.

    With --repair, after a backup: memory states are rebuilt from the review log, card
    content that cannot be read is cleared for the next import to rewrite, and other
    unreadable or orphaned rows are removed. Exit status 0 when the database is healthy
    (after the repair), 1 when problems remain.
    """
    from quizapp.cli.terminal import safe_text
    from quizapp.services.doctor import DoctorReport, check, repair_database

    database = open_db(ctx)
    report = repair_database(database) if repair else DoctorReport(check(database))
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        for line in _lines(report, repair):
            click.echo(safe_text(line, keep_newlines=False))
    ctx.exit(0 if report.ok else 1)


def _lines(report: DoctorReport, repair: bool) -> list[str]:
    """The human report: each check's verdict, each finding, and what the repair did."""
    from quizapp.store.checkup import ORPHAN
    from quizapp.text import plural

    before = report.before
    note = f" ({before.integrity_note})" if before.integrity_note else ""
    lines = [f"integrity check: {before.integrity_verdict}{note}"]
    lines += [f"  {line}" for line in before.integrity]
    orphans = [f for f in before.findings if f.problem == ORPHAN]
    rows = [f for f in before.findings if f.problem != ORPHAN]
    gone = f"{plural(len(orphans), 'row')} whose parent is gone"
    lines.append("foreign keys: " + ("ok" if not orphans else gone))
    lines += [f"  {finding.line()}" for finding in orphans]
    lines.append("rows: " + ("ok" if not rows else f"{len(rows)} unreadable"))
    lines += [f"  {finding.line()}" for finding in rows]
    if before.ok:
        return lines
    if not repair:
        if before.integrity:
            lines.append("restore the last good backup: quizapp restore")
        else:
            lines.append("repair with: quizapp doctor --repair (a backup is made first)")
        return lines
    if report.refused is not None:
        lines.append(f"not repaired: {report.refused}")
        return lines
    lines.append(f"backed up to {report.backup}")
    lines += [f"repaired: {line}" for line in report.repaired]
    after = report.after
    if after is not None:
        left = len(after.integrity) + len(after.findings)
        remain = f"{plural(left, 'problem')} {'remains' if left == 1 else 'remain'}"
        lines.append("after the repair: " + ("ok" if after.ok else remain))
        lines += [f"  {finding.line()}" for finding in after.findings]
    return lines
