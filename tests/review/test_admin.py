"""Staff can look into cards and logs in the admin; nobody edits a memory state by hand."""

from django.urls import reverse

from review.models import Card, Source
from review.scheduling import record_answers

from .conftest import quiz_ids


def test_staff_see_cards_with_their_logs_but_cannot_add_or_change_them(
    admin_client, admin_user, student, quiz, now
):
    qid = quiz_ids(quiz)[0]
    record_answers(student, {qid: False}, now=now, source=Source.QUIZ)
    card = Card.objects.get()

    listing = admin_client.get(reverse("admin:review_card_changelist"))
    page = admin_client.get(reverse("admin:review_card_change", args=[card.pk]))
    logs = admin_client.get(reverse("admin:review_reviewlog_changelist"))

    assert listing.status_code == page.status_code == logs.status_code == 200
    assert "alice" in listing.content.decode()
    assert "Again" in page.content.decode()
    assert admin_client.get(reverse("admin:review_card_add")).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:review_card_change", args=[card.pk]), {"stability": 99}
        ).status_code
        == 403
    )
    card.refresh_from_db()
    assert card.stability != 99
