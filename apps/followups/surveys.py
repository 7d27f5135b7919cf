"""Survey questions of a follow-up call: each has a kind, a labelled score 1–5 or a yes / no answer.

A rule stores its questions as `{"text": ..., "kind": ...}`; questions stored before kinds existed
are plain strings, read as yes / no when they ask "是否…" (是否准时交车) and as a score otherwise.
Answers are stored as the score (an int) or "yes" / "no", never as translated text.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    SCORE = "score", _("Score 1–5")
    YES_NO = "yes_no", _("Yes / no")


SCORE_CHOICES = [
    (5, _("5 · very satisfied")),
    (4, _("4 · satisfied")),
    (3, _("3 · neutral")),
    (2, _("2 · dissatisfied")),
    (1, _("1 · very dissatisfied")),
]
YES_NO_CHOICES = [("yes", _("Yes")), ("no", _("No"))]
YES_NO_PREFIXES = ("是否", "是不是", "有无", "有没有", "能否")
# What an admin may write after "|" on a question line of the rule form.
KIND_WORDS = {
    "是否": QuestionKind.YES_NO,
    "是/否": QuestionKind.YES_NO,
    "yes/no": QuestionKind.YES_NO,
    "评分": QuestionKind.SCORE,
    "1-5": QuestionKind.SCORE,
    "score": QuestionKind.SCORE,
}


@dataclass(frozen=True)
class Question:
    text: str
    kind: str

    def as_json(self) -> dict:
        return {"text": self.text, "kind": self.kind}

    def as_line(self) -> str:
        return f"{self.text} | {'是/否' if self.kind == QuestionKind.YES_NO else '1-5'}"


def guessed_kind(text: str) -> str:
    return QuestionKind.YES_NO if text.startswith(YES_NO_PREFIXES) else QuestionKind.SCORE


def questions(items) -> list[Question]:
    """A rule's or a follow-up's `survey_items`, old (strings) or new (dicts), as questions."""
    found = []
    for item in items or []:
        if isinstance(item, dict):
            text = str(item.get("text", "")).strip()
            kind = item.get("kind")
            kind = kind if kind in QuestionKind.values else guessed_kind(text)
        else:
            text = str(item).strip()
            kind = guessed_kind(text)
        if text:
            found.append(Question(text, kind))
    return found


def question_from_line(line: str) -> Question | None:
    """ "是否准时交车 | 是/否", "服务态度 | 1-5", or just the text (kind guessed)."""
    text, _sep, word = line.partition("|")
    text = text.strip()
    if not text:
        return None
    kind = KIND_WORDS.get(word.strip().lower().replace(" ", "").replace("－", "-"))
    return Question(text, kind or guessed_kind(text))


def answer_label(question_kind: str, value) -> str:
    if question_kind == QuestionKind.YES_NO or value in ("yes", "no"):
        return str(dict(YES_NO_CHOICES).get(value, value))
    return f"{value}/5"
