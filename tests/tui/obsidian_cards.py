"""Cards written as Obsidian vault notes are, built directly (not read by a format), for the
TUI tests of issue 14: a bilingual card with a "More" panel, a callout, images, Chinese
and Japanese text, and a card whose question is its title. All in one file, one deck."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from quizapp.cards.identity import content_hash
from quizapp.cards.model import Card, CardExtra, LanguageVersion, Step
from quizapp.store.db import Database, open_database, run_sql
from quizapp.store.records import SourceFileInfo
from quizapp.store.sqlite.import_repo import ImportWriter

SOURCE = "/vault/ml.md"

BIAS_VARIANCE = Card(
    id="ml/bias-variance",
    title="Bias-variance tradeoff",
    question="> What is the **bias-variance tradeoff**?\n\n---\n",
    steps=(
        Step(
            ("Answer",),
            "Expected error is ==bias² + variance + noise==; see "
            "[[Regularization|regularization]] and [[Bagging#Variance]].\n\n---",
        ),
        Step(("Proof",), "$$E[(y - \\hat f)^2] = \\mathrm{Bias}^2 + \\mathrm{Var} + \\sigma^2$$"),
    ),
    tags=("ML",),
    difficulty="medium",
    deck="vault",
    language="en",
    alternates=(
        LanguageVersion(
            "ru",
            "> Что такое **компромисс смещения и дисперсии**?",
            (
                Step(
                    ("Ответ",),
                    "Ожидаемая ошибка равна ==смещению² плюс дисперсии плюс шуму==, "
                    "см. [[Regularization|регуляризацию]].",
                ),
            ),
        ),
    ),
    extras=(
        CardExtra(
            "follow_ups",
            "Follow-ups",
            "- How does bagging reduce variance?\n- [[Regularization#L2|Why L2?]]",
        ),
        CardExtra(
            "references",
            "References",
            "- Hastie et al., *The Elements of Statistical Learning*[^1]\n\n[^1]: Chapter 7.",
        ),
    ),
    link_name="Bias-Variance Tradeoff",
)

BATCH_NORM = Card(
    id="ml/batch-norm",
    title="Batch norm at inference",
    question="What does batch norm use at inference time?",
    steps=(
        Step(
            (),
            "The running averages of the mean and variance kept during training.\n\n"
            "> [!warning] Small batches\n> Batch statistics are noisy below about "
            "16 examples: try [[Layer Norm]].\n\n> [!tip]\n> Freeze them when "
            "fine-tuning.",
        ),
    ),
    deck="vault",
)

NETWORK = Card(
    id="ml/network-diagram",
    title="Two-layer network",
    question="Sketch a two-layer network.\n\n![A two-layer network](img/two-layer.png)",
    steps=(Step((), "![[loss-curve.png|300]] The loss falls, then ![[plateau.png|plateaus]]."),),
    deck="vault",
)

CJK = Card(
    id="ml/overfitting-zh",
    title="过拟合",
    question="什么是过拟合？为什么模型在训练集上表现很好，却在测试集上表现很差？",
    steps=(
        Step(
            ("回答",),
            "过拟合是指模型把训练数据中的噪声也当作规律学习了下来，因此在训练集上"
            "误差很小，而在没有见过的数据上误差很大。常见的解决办法包括正则化、"
            "提前停止和增加训练数据。",
        ),
        Step(
            ("日本語",),
            "過学習とは、モデルが訓練データの雑音まで「規則」として覚えてしまい、"
            "未知のデータでの誤差が大きくなることです。正則化や早期打ち切りで"
            "防ぎます。",
        ),
    ),
    deck="vault",
)

DROPOUT = Card(
    id="ml/dropout",
    title="What is dropout?",
    question="> What is dropout?",
    steps=(Step((), "Randomly zeroing activations while training."),),
    deck="vault",
)

CARDS = (BIAS_VARIANCE, BATCH_NORM, NETWORK, CJK, DROPOUT)


def write_obsidian_cards(db: Database, now: datetime) -> None:
    """Store :data:`CARDS` in ``db`` as one file's cards, at ``now``."""
    cards = [replace(card, source="ml.md", content_hash=content_hash(card)) for card in CARDS]
    info = SourceFileInfo(SOURCE, 1, 1, "0" * 64, "/vault")
    ImportWriter.load(db).write_file(info, cards, now)


def card_pk(path: Path, uid: str) -> int:
    """The database key of card ``uid`` in the database at ``path``."""
    db = open_database(path, auto_backup=False)
    try:
        ((pk,),) = run_sql(db, f"SELECT id FROM cards WHERE uid = '{uid}'")
    finally:
        db.close()
    return int(pk)


#: The decks of a vault whose notes all sit under one folder (issue 14: every one of them
#: used to read "InterviewQuestions" on the home screen).
VAULT_DECKS = (
    "InterviewQuestions/10-Machine-Learning/Basics",
    "InterviewQuestions/10-Machine-Learning/Ensembles",
    "InterviewQuestions/20-Deep-Learning/CNN",
    "InterviewQuestions/20-Deep-Learning/Transformers",
    "InterviewQuestions/30-NLP",
    "InterviewQuestions/40-Probability-and-Statistics/Bayes",
)


def write_vault_decks(db: Database, now: datetime) -> None:
    """One card in each of :data:`VAULT_DECKS`, tagged with a long hierarchical tag."""
    writer = ImportWriter.load(db)
    for index, deck in enumerate(VAULT_DECKS):
        card = Card(
            id=f"vault/q{index}",
            title=f"Question {index}",
            question="Why?",
            steps=(Step((), "Because."),),
            deck=deck,
            source=f"{deck}/q{index}.md",
            tags=(f"Machine-Learning/Regularisation/Topic-{index}",),
        )
        card = replace(card, content_hash=content_hash(card))
        info = SourceFileInfo(f"/vault/{deck}/q{index}.md", 1, 1, "0" * 64, "/vault")
        writer.write_file(info, [card], now)
