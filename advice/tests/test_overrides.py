"""A school rewords an advice script: each change a new version with a reason, audited."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404

from advice import schema, versions
from advice.models import AdviceOverride
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

SCRIPT = "imagery-shared-child"


def shipped_paragraphs():
    return list(schema.load_scripts()[SCRIPT]["paragraphs"])


def reword(
    world, paragraphs=None, *, user=None, school=None, reason="Our pupils know Mrs Patel as the person to talk to."
):
    paragraphs = (
        paragraphs if paragraphs is not None else [*shipped_paragraphs(), "Mrs Patel is in room 4 every lunchtime."]
    )
    return versions.save_advice_override(user=user or world.diana, school=school or world.oakfield, script_id=SCRIPT,
                                         paragraphs=paragraphs, reason=reason)


def test_a_school_uses_the_shipped_words_until_it_rewords_them(world):
    script = versions.effective_script(world.oakfield, SCRIPT)
    assert script["paragraphs"] == shipped_paragraphs()
    assert script["label"] == "Advice for a child whose image was taken or shared v3"
    assert script["school_version"] is None


def test_each_change_is_a_new_version_with_its_reason_and_the_label_names_it(world):
    first = reword(world)
    second = reword(world, ["Only this paragraph now."], reason="Shorter for Year 3.")
    assert (first.version, second.version) == (1, 2)
    script = versions.effective_script(world.oakfield, SCRIPT)
    assert script["paragraphs"] == ["Only this paragraph now."]
    assert script["label"] == "Advice for a child whose image was taken or shared v3 · Oakfield Primary v2"
    assert [r.version for r in versions.history(world.oakfield, SCRIPT)] == [2, 1]
    # The first version is kept unchanged.
    first.refresh_from_db()
    assert first.paragraphs[-1] == "Mrs Patel is in room 4 every lunchtime." and first.shipped_version == 3


def test_the_title_links_and_rules_stay_as_shipped(world):
    reword(world, ["Only this."])
    script = versions.effective_script(world.oakfield, SCRIPT)
    shipped = schema.load_scripts()[SCRIPT]
    assert (script["title"], script["links"], script["rules"]) == (shipped["title"], shipped["links"], shipped["rules"])


def test_one_schools_wording_never_reaches_another(world):
    reword(world)
    assert versions.effective_script(world.riverside, SCRIPT)["paragraphs"] == shipped_paragraphs()
    assert versions.effective_script(world.elmtree, SCRIPT)["school_version"] is None
    # Riverside numbers its own versions from 1.
    lena_row = reword(world, school=world.riverside, user=world.lena)
    assert lena_row.version == 1


def test_blank_paragraphs_are_dropped_and_the_rest_stripped(world):
    row = reword(world, ["  First.  ", "", "   ", "Second."])
    assert row.paragraphs == ["First.", "Second."]


def test_the_change_is_audited(world):
    row = reword(world)
    event = AuditEvent.objects.get(object_type="advice_override", object_id=str(row.id))
    assert event.action == "create" and event.actor == world.diana and event.school_id == world.oakfield.id
    assert event.detail == {"script": SCRIPT, "version": 1, "shipped_version": 3}


@pytest.mark.parametrize("person", ["dev", "tom", "gina", "hana", "eve", "adam"])
def test_only_the_dsl_or_trust_lead_may_reword_the_schools_advice(world, person):
    with pytest.raises(Http404):
        reword(world, user=getattr(world, person))
    assert not AdviceOverride.objects.exists()


def test_the_trust_safeguarding_lead_may_reword_a_schools_advice(world):
    assert reword(world, user=world.lena).version == 1


def test_a_reason_is_required(world):
    with pytest.raises(ValidationError) as caught:
        reword(world, reason="   ")
    assert caught.value.message_dict == {"reason": ["Say why you are changing the wording."]}


def test_at_least_one_paragraph_is_required(world):
    with pytest.raises(ValidationError) as caught:
        reword(world, ["", "  "])
    assert caught.value.message_dict["paragraphs"] == ["Keep at least one paragraph."]


def test_r_d6_words_that_blame_a_child_are_refused_in_a_schools_wording(world):
    with pytest.raises(ValidationError) as caught:
        reword(world, ["It was a silly thing to do, but it is not your fault."])
    [message] = caught.value.message_dict["paragraphs"]
    assert "‘your fault’" in message and "‘silly’" in message and "free of blame" in message


def test_saving_the_words_already_in_use_is_refused(world):
    with pytest.raises(ValidationError, match="already in use"):
        reword(world, shipped_paragraphs())


def test_an_unknown_script_is_not_found(world):
    with pytest.raises(Http404):
        versions.save_advice_override(user=world.diana, school=world.oakfield, script_id="nope",
                                      paragraphs=["x"], reason="x")


def test_the_database_refuses_a_duplicate_version_and_an_empty_reason(world):
    row = reword(world)
    with pytest.raises(IntegrityError):
        AdviceOverride.objects.create(script_id=SCRIPT, school=world.oakfield, version=row.version, shipped_version=1,
                                      paragraphs=["x"], reason="again", created_by=world.diana,
                                      created_at=row.created_at)


def test_the_database_refuses_an_empty_reason(world):
    row = reword(world)
    with pytest.raises(IntegrityError):
        AdviceOverride.objects.create(script_id=SCRIPT, school=world.oakfield, version=row.version + 1,
                                      shipped_version=1, paragraphs=["x"], reason="", created_by=world.diana,
                                      created_at=row.created_at)
