"""`next` never sends anyone off the site: after login, signup, logout, or when
already signed in."""

import re
from html import unescape as html_unescape
from urllib.parse import quote, unquote, urljoin, urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

PASSWORD = "pw-for-tests-1"
GOOD_PASSWORD = "treaty-lantern-47"

EVIL = [
    "//evil.example",
    "//evil.example/path",
    "https://evil.example",
    "http://evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "///evil.example",
    "////evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http:evil.example",
    "https:evil.example",
    "https:/evil.example",
    "http://testserver@evil.example",
    "http://evil.example\\@testserver",
    " //evil.example",
    "\t//evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "\x00//evil.example",
    "//evil.example%2F..",
    "https://evil.example/http://testserver/",
    "//\u0435vil.example",  # a Cyrillic e
    "ftp://evil.example",
]
# The same values once more, URL-encoded, as they arrive from a link.
EVIL_ENCODED = [quote(value, safe="") for value in EVIL[:12]] + [
    "%2F%2Fevil.example",
    "%2f%5cevil.example",
    "%5C%5Cevil.example",
    "https%3A%2F%2Fevil.example",
    "javascript%3Aalert(1)",
]


def on_site(url):
    """Read an address the way a browser does (backslashes are slashes, tabs and
    newlines vanish) and say whether it still points at this host."""
    as_browser = re.sub(r"[\t\n\r]", "", url.replace("\\", "/"))
    target = urlsplit(urljoin("http://testserver/accounts/login/", as_browser))
    return target.scheme == "http" and target.hostname == "testserver"


def stays_on_site(response):
    assert response.status_code == 302
    assert on_site(response["Location"]), response["Location"]
    return response["Location"]


@pytest.fixture(params=EVIL + EVIL_ENCODED)
def evil(request):
    return request.param


def login(client, next_url, *, in_query=False):
    url = reverse("login") + (f"?next={quote(next_url, safe='')}" if in_query else "")
    data = {"username": "alice", "password": PASSWORD}
    if not in_query:
        data["next"] = next_url
    return client.post(url, data)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def signup(next_url, username, *, in_query=False):
    url = reverse("signup") + (f"?next={quote(next_url, safe='')}" if in_query else "")
    data = {"username": username, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    if not in_query:
        data["next"] = next_url
    return Client().post(url, data)


def journeys(evil, student):
    """Every way a `next` value is followed: {journey: response}."""
    query = f"?next={quote(evil, safe='')}"
    return {
        "login (form field)": login(Client(), evil),
        "login (query string)": login(Client(), evil, in_query=True),
        "login page, already signed in": signed_in(student).get(reverse("login") + query),
        "logout": signed_in(student).post(reverse("logout"), {"next": evil}),
        "signup (form field)": signup(evil, "newbie1"),
        "signup (query string)": signup(evil, "newbie2", in_query=True),
        "signup page, already signed in": signed_in(student).get(reverse("signup") + query),
    }


def test_next_never_leaves_the_site(student, evil):
    where = {journey: response["Location"] for journey, response in journeys(evil, student).items()}

    assert {journey: on_site(location) for journey, location in where.items()} == dict.fromkeys(
        where, True
    ), where
    # Refused values lead home. Django's login and logout keep an encoded value as a
    # relative address (on this site, a 404 at worst): for those only the host counts.
    home = {j: loc for j, loc in where.items() if evil in EVIL or j.startswith("signup")}
    assert home == dict.fromkeys(home, reverse("home"))
    assert User.objects.filter(username__in=["newbie1", "newbie2"]).count() == 2


@pytest.mark.parametrize("page", ["login", "signup"])
def test_forms_do_not_carry_an_off_site_next(db, evil, page):
    html = Client().get(reverse(page) + f"?next={quote(evil, safe='')}").content.decode()

    hidden = re.findall(r'name="next" value="([^"]*)"', html)
    links = re.findall(r'href="/accounts/(?:login|signup)/\?next=([^"]*)"', html)
    assert all(on_site(value) for value in hidden), hidden
    assert all(on_site(unquote(html_unescape(value))) for value in links), links
    assert "javascript:" not in html.lower()


@pytest.mark.parametrize("next_url", ["/progress/", "/courses/a-course/?tab=1#top", "/attempts/1/"])
def test_a_page_of_this_site_is_still_the_way_back(client, student, next_url):
    response = login(client, next_url)

    assert stays_on_site(response) == next_url
