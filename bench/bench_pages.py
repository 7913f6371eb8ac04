"""Page benchmarks (`make bench`): how long the busiest pages take, as ratios to the home page.

Not a test: it asserts nothing and is not collected by `make test`. It builds the test world,
a case with a long chronology (a busy case after weeks of work), then renders each page
many times through the Django test client and prints the median time, the number of
database queries, and the ratio to the home page measured in the same run.
"""

import statistics
import time

import pytest
from django.db import connection
from django.urls import reverse

from cases import actions
from cases.tests.helpers import make_case
from tests.people import make_pupil, sign_in

pytestmark = pytest.mark.django_db
RUNS = 40


def measure(client, url):
    client.get(url)  # warm up templates and caches
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        client.get(url)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, url
    return statistics.median(times) * 1000, len(queries)


def test_case_pages(client, world):
    children = [(world.pupil, "pictured")] + [
        (make_pupil(world.oakfield, f"Child{n}", "Benchmark", f"B99900000{n:04d}"), "received") for n in range(5)]
    earlier = make_case(world, "cyberbullying", children=children[:2])
    case = make_case(world, "sextortion", children=children)
    for n in range(200):
        actions.add_note(user=world.diana, case=case, text=f"Note {n}: a conversation with the child's carer.")
    for n in range(20):
        actions.record_decision(user=world.diana, case=case, taken=n % 2 == 0, choice=f"Decision {n}",
                                reason="Because the child asked for it.")
    actions.update_answers(user=world.diana, case=case, facts={"B2.1": True, "B3.5": True})
    sign_in(client, world.diana)
    pages = {
        "home": reverse("home"),
        "case list": reverse("cases:list"),
        "case page (200 notes, 20 tasks)": reverse("cases:detail", args=[case.id]),
        "referral questions": reverse("cases:assess", args=[case.id]),
        "earlier case": reverse("cases:detail", args=[earlier.id]),
        "procedures": reverse("procedures:list"),
    }
    results = {name: measure(client, url) for name, url in pages.items()}
    base = results["home"][0]
    print(f"\n{'page':34} {'median ms':>10} {'queries':>8} {'× home':>8}")
    for name, (ms, queries) in results.items():
        print(f"{name:34} {ms:10.1f} {queries:8d} {ms / base:8.1f}")
