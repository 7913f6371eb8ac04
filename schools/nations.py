"""The words each nation uses for the people who lead on child protection in a school (rule J8), in one place.

A school's nation (`School.nation`) decides what its safeguarding lead is called: a designated safeguarding lead
in England (Keeping children safe in education), a designated safeguarding person in Wales (Keeping learners safe),
a child protection coordinator in Scotland (the National Guidance for Child Protection in Scotland and the
education authorities' procedures that follow it), and a designated teacher for child protection in Northern
Ireland (Safeguarding and Child Protection in Schools, Department of Education). Everything the product shows
people about that role, for a given school, comes from `words(school)`: role labels in pickers and people lists,
"Waiting for you", notices and emails, the report page, the advice about a child at risk, the case pages.

Every string is marked for translation. A sentence that differs between nations is written out whole for each
nation, never put together from pieces ("tell your " + a role), so that each can be translated as a sentence.
The nation's procedure set and referral routes are data, not words: procedures/nations/*.toml.
"""

from functools import lru_cache

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy as _
from pydantic import BaseModel, ConfigDict, field_validator

ENGLAND, WALES, SCOTLAND, NORTHERN_IRELAND = "england", "wales", "scotland", "northern_ireland"
NATIONS = (ENGLAND, WALES, SCOTLAND, NORTHERN_IRELAND)


class Words(BaseModel):
    """Every word or sentence about the safeguarding lead that differs between nations. Each field is required, so a
    nation missing one fails at import (and in tests), never as a blank on a page."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, extra="forbid")

    # Labels: a role shown on its own (pickers, people lists, "your roles").
    lead_label: Promise
    deputy_label: Promise
    training_label: Promise  # the training register: the role's own training
    # The role in running text, with its short form where the nation's guidance has one.
    lead_name: Promise
    # Whole sentences, one per nation.
    danger_tell_lead: Promise  # the report page and its error pages: a child in immediate danger
    told_lead_question: Promise  # the report page: have you told them in person?
    told_lead_required: Promise  # ...and the error when it is left unanswered
    told_lead_and_deputies: Promise  # the report sent: who has been told
    worried_find_lead: Promise  # the report sent: worried right now
    home_for_deputy: Promise  # the home page's advice, read by a deputy
    home_for_headteacher: Promise  # ...by the headteacher
    home_for_staff: Promise  # ...by everyone else
    case_opened_notice: Promise  # the notice and email when an imagery case opens: {kind} {reference} {school}
    case_opened_subject: Promise  # ...and that email's short subject: {reference}
    ask_lead_about_earlier_case: Promise  # the case page: an earlier case the reader may not open
    ask_lead_about_reference: Promise  # the reports page: a reference the reader oversees but does not run
    unexpected_invitation: Promise  # the email with a link to choose a password: not expected?
    not_found_ask_lead: Promise  # the "page not found" page: a record you may not have access to
    imagery_keep_original: Promise  # a picture written as text, refused beside the box (lib/imagery.py)
    picture_file_instead: Promise  # a picture or video file, refused (lib/sniff)
    archive_tell_lead: Promise  # an archive file, refused
    document_pictures_tell_lead: Promise  # a document with pictures in it, refused

    @field_validator("*", mode="before")
    @classmethod
    def _marked_for_translation(cls, value):
        # Checked at import, before translations may be read: the type only (the tests read every string).
        if not isinstance(value, Promise):
            raise ValueError("must be marked for translation (gettext_lazy)")
        return value


_WORDS = {
    ENGLAND: dict(
        lead_label=_("Designated safeguarding lead"),
        training_label=_("Designated safeguarding lead training"),
        deputy_label=_("Deputy designated safeguarding lead"),
        lead_name=_("designated safeguarding lead (DSL)"),
        danger_tell_lead=_("If a child is in immediate danger, call 999 now and then tell your designated "
                           "safeguarding lead in person."),
        told_lead_question=_("Have you told the designated safeguarding lead in person?"),
        told_lead_required=_("Say whether you have already told the designated safeguarding lead in person"),
        told_lead_and_deputies=_("Your designated safeguarding lead and their deputies have been told."),
        worried_find_lead=_("If you are worried about a child’s safety right now, find the designated "
                            "safeguarding lead in person, or call 999 in an emergency."),
        home_for_deputy=_("If a child is in immediate danger, call 999. Concerns reported in Harbour come to you "
                          "and the designated safeguarding lead at once. When the designated safeguarding lead is "
                          "not here, act on a concern yourself."),
        home_for_headteacher=_("If a child is in immediate danger, call 999. If you are worried about a child right "
                               "now, speak to the designated safeguarding lead or a deputy straight away. Concerns "
                               "about a member of staff come to you."),
        home_for_staff=_("If a child is in immediate danger, call 999. If you are worried about a child right now, "
                         "tell the designated safeguarding lead or a deputy in person straight away, then record "
                         "it here."),
        case_opened_notice=_("Urgent: a {kind} case, {reference}, has opened at {school}. Today, speak to the "
                             "designated safeguarding lead about your part: keeping the evidence safe and securing "
                             "accounts."),
        case_opened_subject=_("Harbour: speak to the DSL today ({reference})"),
        ask_lead_about_earlier_case=_("Yes: there is an earlier case you do not have access to. Ask the designated "
                                      "safeguarding lead."),
        ask_lead_about_reference=_("A reference without a link is a case or concern you oversee but do not run: ask "
                                   "the designated safeguarding lead about it."),
        unexpected_invitation=_("If you did not expect this email, tell your school's designated safeguarding lead. "
                                "Do not forward it."),
        not_found_ask_lead=_("If you followed a link to a record, it may not exist or you may not have access to it. "
                             "Ask your designated safeguarding lead if you think you should."),
        imagery_keep_original=_("If it might show a child, do not copy, save or send it again; tell your designated "
                                "safeguarding lead where the original is."),
        picture_file_instead=_("Instead, describe in words what it shows, note where it is (for example which phone, "
                               "app or account), and keep any device secure, switched off or in flight mode, until "
                               "your designated safeguarding lead says what happens next."),
        archive_tell_lead=_("If the archive might hold pictures or videos of a child, do not open or share it: "
                            "describe in words what you know about it, and tell your designated safeguarding lead "
                            "where it is."),
        document_pictures_tell_lead=_("If a picture might show a child, do not copy or share it: describe what it "
                                      "shows in words instead and tell your designated safeguarding lead where the "
                                      "original is."),
    ),
    WALES: dict(
        lead_label=_("Designated safeguarding person"),
        training_label=_("Designated safeguarding person training"),
        deputy_label=_("Deputy designated safeguarding person"),
        lead_name=_("designated safeguarding person (DSP)"),
        danger_tell_lead=_("If a child is in immediate danger, call 999 now and then tell your designated "
                           "safeguarding person face to face."),
        told_lead_question=_("Have you told the designated safeguarding person yourself?"),
        told_lead_required=_("Say whether you have already told the designated safeguarding person yourself"),
        told_lead_and_deputies=_("Your designated safeguarding person and their deputies have been told."),
        worried_find_lead=_("If you are worried about a child’s safety right now, find the designated "
                            "safeguarding person, or call 999 in an emergency."),
        home_for_deputy=_("If a child is in immediate danger, call 999. Concerns reported in Harbour come to you "
                          "and the designated safeguarding person at once. When the designated safeguarding person "
                          "is not here, act on a concern yourself."),
        home_for_headteacher=_("If a child is in immediate danger, call 999. If you are worried about a child right "
                               "now, speak to the designated safeguarding person or a deputy straight away. "
                               "Concerns about a member of staff come to you."),
        home_for_staff=_("If a child is in immediate danger, call 999. If you are worried about a child right now, "
                         "tell the designated safeguarding person or a deputy yourself straight away, then record "
                         "it here."),
        case_opened_notice=_("Urgent: a {kind} case, {reference}, has opened at {school}. Today, speak to the "
                             "designated safeguarding person about your part: keeping the evidence safe and "
                             "securing accounts."),
        case_opened_subject=_("Harbour: speak to the DSP today ({reference})"),
        ask_lead_about_earlier_case=_("Yes: there is an earlier case you do not have access to. Ask the designated "
                                      "safeguarding person."),
        ask_lead_about_reference=_("A reference without a link is a case or concern you oversee but do not run: ask "
                                   "the designated safeguarding person about it."),
        unexpected_invitation=_("If you did not expect this email, tell your school's designated safeguarding "
                                "person. Do not forward it."),
        not_found_ask_lead=_("If you followed a link to a record, it may not exist or you may not have access to it. "
                             "Ask your designated safeguarding person if you think you should."),
        imagery_keep_original=_("If it might show a child, do not copy, save or send it again; tell your designated "
                                "safeguarding person where the original is."),
        picture_file_instead=_("Instead, describe in words what it shows, note where it is (for example which phone, "
                               "app or account), and keep any device secure, switched off or in flight mode, until "
                               "your designated safeguarding person says what happens next."),
        archive_tell_lead=_("If the archive might hold pictures or videos of a child, do not open or share it: "
                            "describe in words what you know about it, and tell your designated safeguarding person "
                            "where it is."),
        document_pictures_tell_lead=_("If a picture might show a child, do not copy or share it: describe what it "
                                      "shows in words instead and tell your designated safeguarding person where the "
                                      "original is."),
    ),
    SCOTLAND: dict(
        lead_label=_("Child protection coordinator"),
        training_label=_("Child protection coordinator training"),
        deputy_label=_("Deputy child protection coordinator"),
        lead_name=_("child protection coordinator"),
        danger_tell_lead=_("If a child is in immediate danger, call 999 now and then tell your child protection "
                           "coordinator in person."),
        told_lead_question=_("Have you told the child protection coordinator in person?"),
        told_lead_required=_("Say whether you have already told the child protection coordinator in person"),
        told_lead_and_deputies=_("Your child protection coordinator and their deputies have been told."),
        worried_find_lead=_("If you are worried about a child’s safety right now, find the child protection "
                            "coordinator in person, or call 999 in an emergency."),
        home_for_deputy=_("If a child is in immediate danger, call 999. Concerns reported in Harbour come to you "
                          "and the child protection coordinator at once. When the child protection coordinator is "
                          "not here, act on a concern yourself."),
        home_for_headteacher=_("If a child is in immediate danger, call 999. If you are worried about a child right "
                               "now, speak to the child protection coordinator or a deputy straight away. Concerns "
                               "about a member of staff come to you."),
        home_for_staff=_("If a child is in immediate danger, call 999. If you are worried about a child right now, "
                         "tell the child protection coordinator or a deputy in person straight away, then record "
                         "it here."),
        case_opened_notice=_("Urgent: a {kind} case, {reference}, has opened at {school}. Today, speak to the child "
                             "protection coordinator about your part: keeping the evidence safe and securing "
                             "accounts."),
        case_opened_subject=_("Harbour: speak to the child protection coordinator today ({reference})"),
        ask_lead_about_earlier_case=_("Yes: there is an earlier case you do not have access to. Ask the child "
                                      "protection coordinator."),
        ask_lead_about_reference=_("A reference without a link is a case or concern you oversee but do not run: ask "
                                   "the child protection coordinator about it."),
        unexpected_invitation=_("If you did not expect this email, tell your school's child protection "
                                "coordinator. Do not forward it."),
        not_found_ask_lead=_("If you followed a link to a record, it may not exist or you may not have access to it. "
                             "Ask your child protection coordinator if you think you should."),
        imagery_keep_original=_("If it might show a child, do not copy, save or send it again; tell your child "
                                "protection coordinator where the original is."),
        picture_file_instead=_("Instead, describe in words what it shows, note where it is (for example which phone, "
                               "app or account), and keep any device secure, switched off or in flight mode, until "
                               "your child protection coordinator says what happens next."),
        archive_tell_lead=_("If the archive might hold pictures or videos of a child, do not open or share it: "
                            "describe in words what you know about it, and tell your child protection coordinator "
                            "where it is."),
        document_pictures_tell_lead=_("If a picture might show a child, do not copy or share it: describe what it "
                                      "shows in words instead and tell your child protection coordinator where the "
                                      "original is."),
    ),
    NORTHERN_IRELAND: dict(
        lead_label=_("Designated teacher for child protection"),
        training_label=_("Designated teacher for child protection training"),
        deputy_label=_("Deputy designated teacher for child protection"),
        lead_name=_("designated teacher for child protection"),
        danger_tell_lead=_("If a child is in immediate danger, call 999 now and then tell your designated teacher "
                           "for child protection in person."),
        told_lead_question=_("Have you told the designated teacher for child protection in person?"),
        told_lead_required=_("Say whether you have already told the designated teacher for child protection in "
                             "person"),
        told_lead_and_deputies=_("Your designated teacher for child protection and the deputy designated teachers "
                                 "have been told."),
        worried_find_lead=_("If you are worried about a child’s safety right now, find the designated teacher for "
                            "child protection in person, or call 999 in an emergency."),
        home_for_deputy=_("If a child is in immediate danger, call 999. Concerns reported in Harbour come to you "
                          "and the designated teacher at once. When the designated teacher is not here, act on a "
                          "concern yourself."),
        home_for_headteacher=_("If a child is in immediate danger, call 999. If you are worried about a child right "
                               "now, speak to the designated teacher or a deputy designated teacher straight away. "
                               "Concerns about a member of staff come to you."),
        home_for_staff=_("If a child is in immediate danger, call 999. If you are worried about a child right now, "
                         "tell the designated teacher or a deputy designated teacher in person straight away, then "
                         "record it here."),
        case_opened_notice=_("Urgent: a {kind} case, {reference}, has opened at {school}. Today, speak to the "
                             "designated teacher for child protection about your part: keeping the evidence safe "
                             "and securing accounts."),
        case_opened_subject=_("Harbour: speak to the designated teacher today ({reference})"),
        ask_lead_about_earlier_case=_("Yes: there is an earlier case you do not have access to. Ask the designated "
                                      "teacher for child protection."),
        ask_lead_about_reference=_("A reference without a link is a case or concern you oversee but do not run: ask "
                                   "the designated teacher for child protection about it."),
        unexpected_invitation=_("If you did not expect this email, tell your school's designated teacher for child "
                                "protection. Do not forward it."),
        not_found_ask_lead=_("If you followed a link to a record, it may not exist or you may not have access to it. "
                             "Ask your designated teacher for child protection if you think you should."),
        imagery_keep_original=_("If it might show a child, do not copy, save or send it again; tell your designated "
                                "teacher for child protection where the original is."),
        picture_file_instead=_("Instead, describe in words what it shows, note where it is (for example which phone, "
                               "app or account), and keep any device secure, switched off or in flight mode, until "
                               "your designated teacher for child protection says what happens next."),
        archive_tell_lead=_("If the archive might hold pictures or videos of a child, do not open or share it: "
                            "describe in words what you know about it, and tell your designated teacher for child "
                            "protection where it is."),
        document_pictures_tell_lead=_("If a picture might show a child, do not copy or share it: describe what it "
                                      "shows in words instead and tell your designated teacher for child protection "
                                      "where the original is."),
    ),
}


class Neutral(BaseModel):
    """The sentences a page says when it cannot know the school (an error page for someone signed out, a page drawn
    without the request): the role named so that it is right in every nation."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, extra="forbid")

    danger_tell_lead: Promise
    at_risk_tell_lead: Promise  # the "problem with Harbour" page (500), drawn without the request
    not_found_ask_lead: Promise
    imagery_keep_original: Promise
    picture_file_instead: Promise
    archive_tell_lead: Promise
    document_pictures_tell_lead: Promise

    _marked_for_translation = field_validator("*", mode="before")(Words._marked_for_translation.__func__)


NEUTRAL = Neutral(
    danger_tell_lead=_("If a child is in immediate danger, call 999 now and then tell the person who leads on "
                       "safeguarding at your school in person."),
    at_risk_tell_lead=_("If a child is at risk now, tell the person who leads on safeguarding at your school in "
                        "person, or call 999 in an emergency."),
    not_found_ask_lead=_("If you followed a link to a record, it may not exist or you may not have access to it. Ask "
                         "the person who leads on safeguarding at your school if you think you should."),
    imagery_keep_original=_("If it might show a child, do not copy, save or send it again; tell the person who leads "
                            "on safeguarding at your school where the original is."),
    picture_file_instead=_("Instead, describe in words what it shows, note where it is (for example which phone, app "
                           "or account), and keep any device secure, switched off or in flight mode, until the "
                           "person who leads on safeguarding at your school says what happens next."),
    archive_tell_lead=_("If the archive might hold pictures or videos of a child, do not open or share it: describe "
                        "in words what you know about it, and tell the person who leads on safeguarding at your "
                        "school where it is."),
    document_pictures_tell_lead=_("If a picture might show a child, do not copy or share it: describe what it shows "
                                  "in words instead and tell the person who leads on safeguarding at your school "
                                  "where the original is."),
)


@lru_cache(maxsize=None)
def for_nation(nation: str) -> Words:
    """The words of `nation` (one of NATIONS); England's for anything else, as a school is in England unless
    told otherwise."""
    return Words(**_WORDS.get(nation, _WORDS[ENGLAND]))


def words(school) -> Words:
    """The words for `school` (a School, or None for England's)."""
    return for_nation(getattr(school, "nation", ENGLAND) or ENGLAND)


def words_or_neutral(school):
    """The words for `school`, or the neutral sentences when there is no school to go by (J8)."""
    return NEUTRAL if school is None else words(school)


# The roles whose label follows the nation (accounts.capabilities.Role values).
_NATION_ROLES = {"dsl": "lead_label", "deputy_dsl": "deputy_label"}


def in_nation_words(choices, school, field="lead_label"):
    """[(value, label)] with the "dsl" entry's label in `school`'s nation's words (J8): the filtering register's
    named role (`lead_label`), the training register's kind (`training_label`)."""
    said = words(school)
    return [(value, getattr(said, field) if value == "dsl" else label) for value, label in choices]


def role_label(role: str, school=None, default=None):
    """A role's label at `school`: the nation's words for the safeguarding lead and deputy, else `default` (the
    caller passes the label it has, so this module needs no import from the layer below it)."""
    field = _NATION_ROLES.get(role)
    if field is not None:
        return getattr(words(school), field)
    return gettext(default) if default is not None else role  # J8: in the reader's language


# Importing this module checks every nation's words: a nation missing one fails at start-up, not on a page.
for _nation in NATIONS:
    for_nation(_nation)
