"""Database queries per page on a seeded data set, through Django's test client (issue 9).

    python -m bench.queries   # with the bench's environment; prints JSON {page: queries}

Uses bench/fixtures.py to choose the case, pupil and people. Counting is done with
connection.execute_wrapper, one warm request first (caches, templates) and then the counted one.
"""

import json
import uuid

from django.db import connection
from django.test import Client

from bench import fixtures  # sets up Django
from bench.pages import SEARCH_PATH, SEARCH_WORDS, get_pages, report_form


def count(client, method, url, data=None):
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        response = client.post(url, data) if method == "POST" else client.get(url)
    return response.status_code, len(queries)


def main():
    f = fixtures.pick()
    dsl, reporter = Client(), Client()
    dsl.cookies["harbour_session"] = f["dsl_session"]
    reporter.cookies["harbour_session"] = f["reporter_session"]
    result = {}
    search_results = dsl.post(SEARCH_PATH, {"q": SEARCH_WORDS})["Location"]
    for name, path in get_pages(f, search_results).items():
        client = dsl
        count(client, "GET", path)
        status, n = count(client, "GET", path)
        result[name] = {"queries": n, "status": status}
    data = report_form(f["report_pupil"], "")
    count(reporter, "POST", "/concerns/report/", dict(data, idempotency_key=str(uuid.uuid4())))
    status, n = count(reporter, "POST", "/concerns/report/", dict(data, idempotency_key=str(uuid.uuid4())))
    result["concern submission (POST)"] = {"queries": n, "status": status}
    print(json.dumps({"fixtures": {k: v for k, v in f.items() if "session" not in k}, "pages": result}))


if __name__ == "__main__":
    main()
