"""J8 over every page: at a school in Scotland, the child protection coordinator reads no page that speaks of a
"designated safeguarding lead". Every named page the DSL may open at Riverside (the access matrix's rows), rendered
with the test client after the school is set to Scotland; the visible text of each is read (tests/plain_words.py).
Shared out between the two runs like the other sweeps (tests/figures.py)."""

import pytest
from django.test import Client

from tests.figures import SAMPLED, report, sweep, sweep_note
from tests.plain_words import visible_text

ENGLAND_ONLY = ("designated safeguarding lead", "deputy dsl")


@pytest.mark.django_db
def test_r_j8_no_page_a_scottish_school_s_lead_reads_names_england_s_designated_safeguarding_lead():
    from tests.security import world as W
    from tests.security.matrix import entries, objects_of, url_for
    from tests.security.policy import POLICY, ROLES
    from tests.security.test_access_matrix import _pages

    people, riverside = W.build()
    riverside.nation = "scotland"
    riverside.save(update_fields=["nation"])
    ids, children = objects_of(riverside)
    rows = entries(_pages(), W.variants_of(riverside))
    client = Client(raise_request_exception=False)
    W.sign_in(client, people["dsl"])
    found, pages = [], 0
    for key, name, pattern, overrides in sweep(rows):
        if POLICY[key][ROLES.index("dsl")] != 200:
            continue
        response = client.get(url_for(name, pattern, ids, children, overrides))
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages += 1
            text = " ".join(visible_text(response.content.decode()).split()).lower()
            found += [(key, words) for words in ENGLAND_ONLY if words in text]
    report("nation words, pages", f"{pages} pages a Scottish school's lead reads: England's role named on "
                                  f"{len(found)}{sweep_note()}")
    assert pages > (20 if SAMPLED else 80)
    assert found == [], found
