"""Issue 17.3: a child's name never reaches a URL. Every search a name can be typed into is posted; the words are
kept in the session under a random key (lib/searches.py), so the results page's address, the server's access log,
the browser's history and a proxy's log carry only the key. A name typed into the address bar is not read. Results
pages are not stored by the browser (no-store). H3: a key is worth nothing in another session."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from cases.tests.helpers import make_case
from lib import searches
from tests.people import sign_in

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
# (page, words, what the results show): a child's name for the pupil searches, a note's words for the chronology.
SEARCHES = [("schools:pupil_list", "Puddlewick", "Quentin Puddlewick"),
            ("records:subject_access", "Puddlewick", "Quentin Puddlewick"),
            ("registers:photo_search", "Puddlewick", "Quentin Puddlewick"),
            ("cases:search", "Puddlewick", "<mark>Puddlewick</mark>")]


@pytest.mark.parametrize("name, words, shown", SEARCHES)
def test_a_search_is_posted_and_its_results_address_holds_only_a_key(client, world, name, words, shown):
    make_case(world, account="Quentin Puddlewick said the messages started on Monday.")
    sign_in(client, world.diana)
    url = reverse(name)
    page = client.get(url).content.decode()
    form = re.search(r'<form method="(\w+)"[^>]*>(?:(?!</form>).)*name="q"', page, re.S)
    assert form and form.group(1) == "post", "the search form is posted"
    response = client.post(url, {"q": words})
    assert response.status_code == 302
    address = response["Location"]
    assert re.fullmatch(rf"{re.escape(url)}\?search=[A-Za-z0-9_-]{{16}}", address), address
    results = client.get(address)
    assert results.status_code == 200 and shown in results.content.decode()
    assert results["Cache-Control"] == "no-store"
    assert client.get(address).content.count(words.encode()) >= 1  # reload and Back show the results again
    # A name typed into the address is not read (the pupil list shows every pupil on roll when not searching).
    ignored = client.get(url, {"q": words, "child_search": words}).content.decode()
    assert f'value="{words}"' not in ignored and "matching" not in ignored
    assert name == "schools:pupil_list" or shown not in ignored
    # H3: another person's session cannot use the key.
    other = Client()
    sign_in(other, world.dev)
    theirs = other.get(address).content.decode()
    assert f'value="{words}"' not in theirs and "matching" not in theirs
    assert name == "schools:pupil_list" or shown not in theirs


def test_the_case_lists_search_box_posts_too(client, world):
    make_case(world)
    sign_in(client, world.diana)
    page = client.get(reverse("cases:list")).content.decode()
    assert f'<form method="post" action="{reverse("cases:search")}" role="search"' in page


TYPED_WORDS = r"role=\"search\"|'name': '(q|child_search)'|name=\"(q|child_search)\"|'type': 'search'"


def test_no_template_has_a_search_sent_in_the_address():
    """A guard for new pages: a form sent by GET may choose a period or a page, never carry words typed."""
    offenders = []
    for template in ROOT.glob("*/jinja2/**/*.html"):
        text = template.read_text()
        for form in re.findall(r"<form[^>]*method=\"get\"[^>]*>.*?</form>", text, re.S | re.I):
            if re.search(TYPED_WORDS, form):
                offenders.append(str(template.relative_to(ROOT)))
        if re.search(r"(?<!data-)hx-get=[^>]*(search|q=)", text):
            offenders.append(f"{template.relative_to(ROOT)}: a search fetched by GET")
    assert offenders == []


def test_the_session_keeps_the_last_searches_only(client, world):
    sign_in(client, world.diana)
    keys = []
    for n in range(searches.KEEP + 3):
        response = client.post(reverse("schools:pupil_list"), {"q": f"word{n}"})
        keys.append(response["Location"].split("=")[1])
    kept = client.session[searches.SESSION_KEY]
    assert list(kept) == keys[-searches.KEEP:] and kept[keys[-1]] == f"word{searches.KEEP + 2}"
    # An empty search goes back to the bare page.
    assert client.post(reverse("schools:pupil_list"), {"q": "  "})["Location"] == reverse("schools:pupil_list")
