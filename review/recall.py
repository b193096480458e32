"""Predicted recall: the chance that a learner answers a card's question right at a given
time, by py-fsrs's memory model (Scheduler.get_card_retrievability):

    R = (1 + FACTOR * t / S) ** DECAY

where t is the whole days since the card's last review (py-fsrs floors them; never below
0), S the card's stability in days, DECAY = -w[20] of the scheduler's weights (-0.1542 by
default) and FACTOR = 0.9 ** (1 / DECAY) - 1, so that R = 0.9 when t = S.

`predicted_recall` asks py-fsrs. `recall_expression` is the same formula in SQL, for
aggregates over many learners (a class's grid); tests hold the two equal on SQLite and
PostgreSQL. It counts whole seconds, so the two may differ within a second of a day's turn.
"""

from django.db import NotSupportedError
from django.db.models import F, FloatField, Func, IntegerField, Value
from django.db.models.fields import DateTimeField
from django.db.models.functions import Floor, Greatest, Power

from .scheduling import scheduler, utc

SECONDS_PER_DAY = 86_400


def decay_and_factor():
    """(DECAY, FACTOR) of the scheduler's weights, as py-fsrs computes them."""
    decay = -scheduler().parameters[20]
    return decay, 0.9 ** (1 / decay) - 1


def predicted_recall(card, *, now):
    """py-fsrs's retrievability of `card` (a review.models.Card) at `now`, from 0 to 1."""
    return scheduler().get_card_retrievability(card.to_fsrs(), current_datetime=utc(now))


class SecondsSince(Func):
    """Whole seconds from a datetime column to `now` (negative if `now` is earlier)."""

    output_field = IntegerField()

    def __init__(self, column, now):
        super().__init__(Value(utc(now), output_field=DateTimeField()), column)

    def as_sqlite(self, compiler, connection, **extra):
        if connection.Database.sqlite_version_info >= (3, 38):
            # unixepoch() (SQLite 3.38) reads Django's UTC text straight to an integer, a
            # fifth faster than strftime over a class's cards.
            return self.as_sql(
                compiler,
                connection,
                template="(unixepoch(%(expressions)s))",
                arg_joiner=") - unixepoch(",
                **extra,
            )
        # Django stores SQLite datetimes as UTC text, which strftime reads as is. The SQL
        # must say "%%s" for strftime's "%s", which Django's cursor would take for a
        # parameter; the template is %-formatted once more than the joiner, hence "%%%%s".
        return self.as_sql(
            compiler,
            connection,
            template="(CAST(strftime('%%%%s', %(expressions)s) AS INTEGER))",
            arg_joiner=") AS INTEGER) - CAST(strftime('%%s', ",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)))::integer",
            arg_joiner=" - ",
            **extra,
        )

    def as_sql(self, compiler, connection, **extra):
        if "template" not in extra:
            raise NotSupportedError(f"SecondsSince has no SQL for {connection.vendor}.")
        return super().as_sql(compiler, connection, **extra)


def recall_expression(now, *, stability="stability", last_review="last_review"):
    """Predicted recall at `now` of each card row, computed by the database: annotate
    with it, or average it per learner and lesson."""
    decay, factor = decay_and_factor()
    days = Floor(Greatest(SecondsSince(F(last_review), now), Value(0)) / Value(SECONDS_PER_DAY))
    base = Value(1.0) + Value(factor) * days / F(stability)
    return Power(base, Value(decay), output_field=FloatField())
