"""`/healthz`: what a load balancer or uptime check asks."""

from django.urls import reverse


def test_healthz_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


def test_healthz_needs_no_login_and_has_a_name(client, db):
    assert reverse("healthz") == "/healthz"
    assert client.get(reverse("healthz")).status_code == 200


def test_healthz_runs_one_query(client, db, django_assert_max_num_queries):
    # The benchmark's ceiling: it must stay a single SELECT 1.
    with django_assert_max_num_queries(1):
        assert client.get("/healthz").status_code == 200
