"""Issue 17: the inbox lists only what its reader may open (H3, A4, A5). On the matrix's world (the demo trust,
with a filtering breach, an escalated concern and a concern about a member of staff at Riverside), each person
with an inbox follows every row of every page of it: none answers 404."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.figures import report
from tests.security import world as W
from tests.security.policy import POLICY, ROLES

pytestmark = pytest.mark.django_db
ROW = re.compile(r'href="(/concerns/\d+/)"')
PAGE = re.compile(r'href="(\?page=\d+)"')


def test_r_h3_a5_every_inbox_row_opens_for_everyone_who_has_an_inbox(matrix_world):
    people, riverside = matrix_world
    client = Client(raise_request_exception=False)
    readers = [role for role, status in zip(ROLES, POLICY["concerns:inbox"], strict=True) if status == 200]
    assert {"dsl", "deputy_dsl", "headteacher", "online_safety_coordinator", "technical",
            "chair_of_governors", "trust_safeguarding_lead"} <= set(readers)
    followed, refused, pages_read = {}, [], 0
    for role in readers:
        W.sign_in(client, people[role])
        inbox = reverse("concerns:inbox")
        queue, seen_pages, rows = [inbox], set(), set()
        while queue:
            url = queue.pop()
            if url in seen_pages:
                continue
            seen_pages.add(url)
            page = client.get(url)
            assert page.status_code == 200, (role, url)
            body = page.content.decode()
            rows |= set(ROW.findall(body))
            queue += [inbox + p for p in PAGE.findall(body)]
        pages_read += len(seen_pages)
        for link in sorted(rows):
            status = client.get(link).status_code
            if status != 200:
                refused.append((role, link, status))
        followed[role] = len(rows)
    report("inbox rows", f"{sum(followed.values())} inbox rows followed over {pages_read} pages by "
           f"{len(readers)} kinds of reader, {len(refused)} answering other than 200")
    assert refused == []
    # The told see the breach (A5); the headteacher sees the concern about a member of staff, who does not (A4).
    for role in ("technical", "online_safety_coordinator", "headteacher"):
        assert followed[role] >= 1, role
