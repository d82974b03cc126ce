"""What an export reads from the store (``store/sqlite/export_repo.py``): the cards a filter
picks with what a note needs, their answers oldest first, and damaged rows reported by
id and skipped instead of failing the export."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from store.cards_factory import make_card

from quizapp.scheduling.scheduler import Scheduler
from quizapp.store.db import Database, open_database, run_sql
from quizapp.store.records import CardFilter, SourceFileInfo
from quizapp.store.sqlite.export_repo import ExportRepository
from quizapp.store.sqlite.import_repo import ImportWriter

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def _studied(path: Path, problems: list[str]) -> tuple[Database, dict[str, int]]:
    db = open_database(path, auto_backup=False, on_problem=problems.append)
    writer = ImportWriter.load(db)
    for uid, tags in (("adam", ("Optimisation",)), ("bayes", ("Probability",))):
        writer.write_file(
            SourceFileInfo(f"/c/{uid}.md", 1, 1, "0" * 64, "/c"),
            [make_card(uid, tags=tags, deck="ml")],
            T0,
        )
    scheduler = Scheduler(db.settings.load_settings())
    pks = {str(uid): int(pk) for pk, uid in run_sql(db, "SELECT id, uid FROM cards")}
    for day in range(3):
        for pk in pks.values():
            moment = T0 + timedelta(days=day, minutes=pk)
            before = db.answers.memory(pk)
            db.answers.record_answer(
                pk, before, scheduler.review(pk, before, 3, moment), 3, moment, 900
            )
    return db, pks


def test_cards_and_answers_a_filter_picks(tmp_path: Path) -> None:
    db, pks = _studied(tmp_path / "q.db", [])
    try:
        repo = ExportRepository(db)
        only = CardFilter(tags=("optimisation",))
        (adam,) = repo.cards(only)
        assert adam.card.id == "adam" and adam.card.tags == ("Optimisation",)
        assert adam.card.deck == "ml" and [s.path for s in adam.card.steps] == [
            ("Overview",),
            ("Detail", "More"),
        ]
        assert adam.memory.reps == 3 and adam.updated_at == T0
        reviews = repo.reviews(only)
        assert list(reviews) == [pks["adam"]]
        answers = reviews[pks["adam"]]
        assert [a.reviewed_at for a in answers] == sorted(a.reviewed_at for a in answers)
        assert [(a.before.reps, a.after.reps) for a in answers] == [(0, 1), (1, 2), (2, 3)]
        assert answers[-1].after == adam.memory
        assert answers[0].duration_ms == 900
    finally:
        db.close()


def test_damaged_rows_are_reported_and_skipped(tmp_path: Path) -> None:
    problems: list[str] = []
    db, pks = _studied(tmp_path / "q.db", problems)
    try:
        logs = [
            row[0]
            for row in run_sql(
                db, f"SELECT id FROM review_logs WHERE card_id = {pks['adam']} ORDER BY id"
            )
        ]
        run_sql(db, f"UPDATE review_logs SET reviewed_at = 'yesterday' WHERE id = {logs[0]}")
        run_sql(db, f"UPDATE review_logs SET state_after = '{{bad' WHERE id = {logs[1]}")
        run_sql(db, f"UPDATE cards SET steps = 'not json' WHERE id = {pks['bayes']}")
        repo = ExportRepository(db)
        assert [stored.card.id for stored in repo.cards()] == ["adam"]
        reviews = repo.reviews()  # malformed JSON must not fail the whole query
        assert [answer.id for answer in reviews[pks["adam"]]] == [logs[2]]
        assert len(reviews[pks["bayes"]]) == 3
        assert any("card bayes" in problem for problem in problems)
        for log in logs[:2]:
            assert any(f"review log {log} of card" in problem for problem in problems)
    finally:
        db.close()
