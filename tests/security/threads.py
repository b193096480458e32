"""Real threads racing on the database: each with its own connection, released together."""

import threading

from django.db import connection
from django.test import Client


def run_together(*works):
    """Run each callable in its own thread, released together; assert none raised and
    return their results in order."""
    barrier = threading.Barrier(len(works))
    results, errors = [None] * len(works), []

    def run(i):
        try:
            barrier.wait()
            results[i] = works[i]()
        except Exception as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(works))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


def client_for(user):
    """A client of its own for one thread, signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client
