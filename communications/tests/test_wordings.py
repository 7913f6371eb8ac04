"""A school's own wording of a prepared message (E2, D6): versioned with its reason like the advice scripts, read by
the safeguarding team, reworded by those who adapt the school's procedures, and the start of every case's message.
An access ladder for each page (H3)."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from cases.tests.helpers import make_case
from communications import schema, wordings
from communications.models import Communication, Wording
from communications.tests.test_record import record
from tests.people import sign_in

pytestmark = pytest.mark.django_db

TEMPLATE = "sextortion-parents"


def shipped_text():
    return schema.as_text(schema.load_templates()[TEMPLATE])


def ours():
    return shipped_text().replace("Dear parents and carers,", "Dear families of Oakfield,")


def pages():
    return {"list": reverse("communications:templates"), "detail": reverse("communications:template", args=[TEMPLATE]),
            "edit": reverse("communications:template_edit", args=[TEMPLATE])}


def test_r_e2_a_school_rewords_a_message_as_a_new_version_with_its_reason(world):
    row = wordings.save_wording(user=world.diana, school=world.oakfield, template_id=TEMPLATE, text=ours(),
                                reason="Our families know us by this greeting.")
    assert (row.version, row.shipped_version) == (1, 1)
    in_use = wordings.effective(world.oakfield, TEMPLATE)
    assert in_use["text"].startswith(schema.load_templates()[TEMPLATE]["heading"]) and "Dear families of" in in_use[
        "text"]
    assert in_use["label"].endswith("· Oakfield Primary v1") and in_use["school_version"] == 1
    assert wordings.effective(world.riverside, TEMPLATE)["school_version"] is None  # another school's stay shipped
    second = wordings.save_wording(user=world.diana, school=world.oakfield, template_id=TEMPLATE,
                                   text=ours() + "\n\nP.S. Thank you.", reason="A warmer ending.")
    assert second.version == 2 and [r.version for r in wordings.history(world.oakfield, TEMPLATE)] == [2, 1]
    event = AuditEvent.objects.get(object_type="message_wording", object_id=str(row.id))
    assert event.detail == {"template": TEMPLATE, "version": 1, "shipped_version": 1}


def test_r_e2_a_cases_message_begins_from_the_schools_words_and_says_which(client, world):
    wordings.save_wording(user=world.diana, school=world.oakfield, template_id=TEMPLATE, text=ours(),
                          reason="Our greeting.")
    case = make_case(world, "sextortion")
    sign_in(client, world.diana)
    listing = client.get(reverse("communications:case", args=[case.id])).content.decode()
    assert "in Oakfield Primary's words (version 1)" in listing
    form = client.get(reverse("communications:new", args=[case.id, TEMPLATE])).content.decode()
    assert "Dear families of Oakfield," in form
    message = record(world, case, text=ours().replace("[", "").replace("]", ""))
    assert (message.template_version, message.wording_version) == (1, 1)


@pytest.mark.parametrize("text, reason, field, words", [
    (ours(), "", "reason", "Say why you are changing the wording."),
    (shipped_text(), "No change.", "text", "These are the words already in use."),
    (shipped_text().replace("What we ask you not to do", "Other things"), "Shorter.", "text",
     "Missing: “What we ask you not to do”."),
    (ours() + "\n\nIt is your own fault if this happens.", "Stern.", "text", "can make a child feel to blame"),
])
def test_r_d6_r_e2_a_wording_that_drops_a_part_blames_a_child_or_changes_nothing_is_refused(
        world, text, reason, field, words):
    with pytest.raises(wordings.WordingError) as refused:
        wordings.save_wording(user=world.diana, school=world.oakfield, template_id=TEMPLATE, text=text, reason=reason)
    assert words in refused.value.message_dict[field][0]
    assert not Wording.objects.exists()


def test_r_h3_anonymous_is_sent_to_sign_in(client):
    for name, url in pages().items():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), name


@pytest.mark.parametrize("person", ["tom", "gina", "terry", "carol", "hana", "adam"])
def test_r_h3_people_who_do_not_run_safeguarding_get_404(client, world, person):
    sign_in(client, getattr(world, person))
    for name, url in pages().items():
        assert client.get(url).status_code == 404, (person, name)
    assert client.post(pages()["edit"], {"text": ours(), "reason": "x"}).status_code == 404
    assert not Wording.objects.exists()


def test_r_h3_the_deputy_reads_the_messages_but_does_not_reword_them(client, world):
    sign_in(client, world.dev)
    assert client.get(pages()["list"]).status_code == 200 and client.get(pages()["detail"]).status_code == 200
    assert client.get(pages()["edit"]).status_code == 404


def test_r_h3_another_schools_dsl_sees_only_their_own_schools_words(client, world):
    wordings.save_wording(user=world.diana, school=world.oakfield, template_id=TEMPLATE, text=ours(),
                          reason="Our greeting.")
    sign_in(client, world.eve)
    page = client.get(pages()["detail"]).content.decode()
    assert "Elmtree High" in page and "Dear families of Oakfield" not in page and "Our greeting." not in page


def test_an_unknown_message_is_404(client, world):
    sign_in(client, world.diana)
    assert client.get(reverse("communications:template", args=["no-such-message"])).status_code == 404
    assert client.get(reverse("communications:template_edit", args=["no-such-message"])).status_code == 404


def test_r_e2_the_dsl_rewords_a_message_on_its_page_and_nothing_typed_is_lost(client, world):
    sign_in(client, world.diana)
    listing = client.get(pages()["list"]).content.decode()
    assert pages()["detail"] in listing and "For all parents and carers" in listing
    refused = client.post(pages()["edit"], {"text": ours(), "reason": ""})
    assert refused.status_code == 200 and "Say why you are changing the wording." in refused.content.decode()
    assert "Dear families of Oakfield," in refused.content.decode()
    response = client.post(pages()["edit"], {"text": ours(), "reason": "Our greeting."})
    assert response.status_code == 302 and response["Location"] == pages()["detail"]
    page = client.get(pages()["detail"]).content.decode()
    assert "Oakfield Primary v1" in page and "Our greeting." in page and "Dear families of Oakfield," in page
    assert not Communication.objects.exists()
