"""Shared by the pupils' pages tests (P1–P5): sending a report as a pupil, and reading the code shown."""

import re

from django.urls import reverse

CODE = re.compile(r'id="receipt-code">([A-Z0-9-]{19})<')


def tell(client, school, *, kind="unkind", words="A girl in my class keeps posting mean things about me.", **more):
    """Post the pupils' page of `school` as a pupil with no account. Return the response."""
    return client.post(reverse("tell:start", args=[school.tell_code]), {"kind": kind, "words": words, **more})


def code_from(response):
    found = CODE.search(response.content.decode())
    assert found, "no receipt code on the page"
    return found.group(1)


def check(client, school, code, **more):
    return client.post(reverse("tell:check", args=[school.tell_code]), {"code": code, **more})
