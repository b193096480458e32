"""Load generation: wrk driving one page with get.lua or replay.lua, and what its
requests carry (sessions signed in through the login page or made by Django's
session store, the attempt form's body)."""

import json
import os
import re
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from django_setup import BENCH, HOST
from serving import NICE, prioritise, request


def wrk(port, path, *, duration, connections, script, env):
    command = [
        *NICE,
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(BENCH / script),
        f"http://{HOST}:{port}{path}",
    ]
    process = subprocess.Popen(
        command,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=bool(NICE),
    )
    prioritise(process.pid)
    stdout, stderr = process.communicate(timeout=duration + 60)
    match = re.search(r"^BENCH_JSON (.*)$", stdout, re.MULTILINE)
    if process.returncode or not match:
        sys.exit(f"wrk failed ({process.returncode}):\n{stdout}\n{stderr}")
    result = json.loads(match.group(1))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def cookies_from(response):
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {key: morsel.value for key, morsel in jar.items()}


def sign_in(port, username, password):
    """Through the login page, as a browser does: the form's CSRF token, then a POST."""
    response, html = request(port, "GET", "/accounts/login/")
    cookies = cookies_from(response)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1).decode()
    body = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookies['csrftoken']}",
    }
    response, _ = request(port, "POST", "/accounts/login/", headers=headers, body=body)
    if response.status != 302:
        sys.exit(f"Login of {username} failed: {response.status}")
    cookies.update(cookies_from(response))
    return cookies["sessionid"], cookies["csrftoken"]


def make_session(user):
    """A signed-in session as django.contrib.auth.login leaves it, with the sliding
    session's renewal stamp, so the first request does not rewrite it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.PermissionsInOneQueryBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["renewed_at"] = int(time.time())
    session.create()
    return session.session_key


def answer_body(attempt, *, confirm):
    """The whole attempt form, every question answered, as the Submit button sends it."""
    fields = [("shown", q["id"]) for q in attempt.paper["questions"]]
    fields += [(f"q{q['id']}", q["choices"][0]["id"]) for q in attempt.paper["questions"]]
    if confirm:
        fields.append(("confirm", "yes"))
    return urlencode(fields)
