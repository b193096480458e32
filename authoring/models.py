import hashlib

from django.db import models

from quizzes.models import Question


def signature(prompt, explanation, choices):
    """What a question says, as a hash: a drafted question whose signature has moved
    since drafting was edited by someone, and re-drafting leaves it alone."""
    body = "\n".join(
        [prompt.strip(), explanation.strip(), *(f"{bool(c)}:{t.strip()}" for t, c in choices)]
    )
    return hashlib.sha1(body.encode()).hexdigest()


class DraftRecord(models.Model):
    """How a drafted question came to be: which draft of which text, its rank among
    its lesson's drafts and the item-check warnings it had when drafted."""

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="draft_record")
    key = models.CharField(
        max_length=16, help_text="The draft's name: the same text drafts it again."
    )
    engine = models.CharField(max_length=30, default="text")
    family = models.CharField(
        max_length=20, help_text="The kind of draft: definition, cause, list..."
    )
    rank = models.PositiveSmallIntegerField(help_text="1 is the best draft of its lesson.")
    warnings = models.JSONField(default=list, blank=True)
    signature = models.CharField(max_length=40, help_text="What the question said as drafted.")
    stale = models.BooleanField(
        default=False,
        help_text="The lesson's section changed and re-drafting no longer makes this draft.",
    )
    drafted_at = models.DateTimeField()

    class Meta:
        ordering = ["rank"]
        indexes = [models.Index(fields=["key"], name="draft_key")]
        constraints = [
            models.CheckConstraint(condition=models.Q(rank__gte=1), name="draft_rank_gte_1"),
        ]

    def __str__(self):
        return f"Draft {self.key} (rank {self.rank})"

    def edited(self, question, choices):
        return signature(question.prompt, question.explanation, choices) != self.signature
